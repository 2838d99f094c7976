"""How long loading every shipped data file into an empty SQLite database takes.

Run from the project folder:  .venv/bin/python bench/import_speed.py [--database FILE]
Creates a SQLite database in a temporary folder (or FILE, which must not exist yet, kept afterwards),
migrates it (not timed), runs `manage.py load_data` (timed), prints the seconds taken and the row counts,
then runs load_data again to show that it changes nothing. The target is well under 30 seconds: the
closing line says whether this run held it. Exits non-zero if either load fails or the second changes
anything (a broken import), not for a missed target. This is a benchmark, not a test.

The shipped data is the whole input, so CI's tiny run (bench/smoke.py) is the full run, keeping the
database for bench/pages.py --database-url.
"""

import argparse
import os
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


TARGET_SECONDS = 30


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, help="load into this new SQLite file and keep it")
    arguments = parser.parse_args()
    if arguments.database and arguments.database.exists():
        parser.error(f"{arguments.database} already exists: give a new file")
    with tempfile.TemporaryDirectory(prefix="import-speed-") as folder:
        database = arguments.database.resolve() if arguments.database else Path(folder) / "bench.sqlite3"
        os.environ["DJANGO_SETTINGS_MODULE"] = "inspection_tracker.settings"
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
        # Each file's own summary (--details), whose created and updated lines say what the run changed.
        call_command("load_data", stdout=again, stderr=again, progress=False, details=True)
        print(f"second run: {time.perf_counter() - started:.1f} s; ", end="")
        changed = [line for line in again.getvalue().splitlines() if line.strip().startswith(("created:", "updated:"))]
        unchanged = bool(changed) and all(line.split(":", 1)[1].strip() == "nothing" for line in changed)
        if unchanged:
            print("nothing changed")
        else:
            print("CHANGES on the second run (or no created/updated lines to read):")
            print(again.getvalue())
        held = "held" if seconds < TARGET_SECONDS else "NOT held"
        print(f"target: load_data under {TARGET_SECONDS} s: {held} ({seconds:.1f} s)")
        return 0 if unchanged else 1


if __name__ == "__main__":
    sys.exit(main())
