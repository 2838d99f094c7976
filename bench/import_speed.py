"""How long loading every shipped data file into an empty SQLite database takes.

Run from the project folder:  .venv/bin/python bench/import_speed.py
Creates a SQLite database in a temporary folder, migrates it (not timed), runs `manage.py load_data`
(timed), prints the seconds taken and the row counts, then runs load_data again to show that it
changes nothing. The target is well under 30 seconds. This is a benchmark, not a test.
"""

import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def main():
    with tempfile.TemporaryDirectory(prefix="import-speed-") as folder:
        database = Path(folder) / "bench.sqlite3"
        os.environ["DJANGO_SETTINGS_MODULE"] = "dashboard.settings"
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
        sys.path.insert(0, str(PROJECT))
        os.chdir(PROJECT)

        import django

        django.setup()

        from django.core.management import call_command

        from councils.models import Council, CouncilAlias, StatisticalNeighbour
        from inspections.frameworks import GRADED_EVENT_TYPES, Framework
        from inspections.models import Inspection, Judgement, KeyFigure, Source

        call_command("migrate", interactive=False, verbosity=0)
        output = StringIO()
        started = time.perf_counter()
        call_command("load_data", stdout=output, stderr=output, progress=False)
        seconds = time.perf_counter() - started

        graded_ilacs = (
            Inspection.objects.filter(framework=Framework.ILACS, event_type__in=GRADED_EVENT_TYPES, judgements__isnull=False)
            .distinct()
            .count()
        )
        print(f"load_data into an empty SQLite database: {seconds:.1f} s")
        for label, count in (
            ("councils", Council.objects.count()),
            ("  of which former", Council.objects.filter(is_current=False).count()),
            ("council aliases", CouncilAlias.objects.count()),
            ("statistical neighbours", StatisticalNeighbour.objects.count()),
            ("sources", Source.objects.count()),
            ("inspections", Inspection.objects.count()),
            ("  graded ILACS inspections", graded_ilacs),
            ("judgements", Judgement.objects.count()),
            ("key figures", KeyFigure.objects.count()),
        ):
            print(f"  {label:<28}{count:>7}")

        again = StringIO()
        started = time.perf_counter()
        call_command("load_data", stdout=again, stderr=again, progress=False)
        print(f"second run: {time.perf_counter() - started:.1f} s; ", end="")
        changed = [line for line in again.getvalue().splitlines() if line.strip().startswith(("created:", "updated:"))]
        if all(line.split(":", 1)[1].strip() == "nothing" for line in changed):
            print("nothing changed")
        else:
            print("CHANGES on the second run:")
            print(again.getvalue())
        return 0 if seconds < 30 else 1


if __name__ == "__main__":
    sys.exit(main())
