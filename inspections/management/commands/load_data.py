"""python manage.py load_data: load every shipped data file, in order; idempotent.

1. import_councils fixtures/data/reference/local_authorities.csv
2. the Tower Hamlets record, fixtures/tower_hamlets.json (skipped with a message while it does not exist)
3. import_ofsted_outcomes: the outcomes spreadsheet, then the per-report history CSV
4. import_report_archive: what the report reader read from every report PDF of the public archive
   (fixtures/data/ofsted/report_archive.jsonl; no PDF needed), merged into the official record
5. import_indicators: the three DfE files
6. ANALYZE, so that the database plans queries for the tables as loaded

The fixture is loaded like `loaddata`, except that rows already in the database that were entered by
hand (or edited in the admin) are kept as they are, so running this again never undoes an edit. A row
the fixture holds that an importer made first (an imported inspection, a source for the same document)
is replaced by the fixture's hand-entered version; a key figure another source gave first is merged into
that one (both sources kept, see KeyFigure.merge).
"""

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from inspections.importers.files import add_progress_arguments
from inspections.models import Inspection, KeyFigure, Origin, Source

TOWER_HAMLETS_FIXTURE = "tower_hamlets.json"


def load_fixture_keeping_edits(path):
    """Load a JSON fixture (natural keys) without overwriting rows entered by hand. Returns (added, replaced, kept)."""
    imported_inspections = set(Inspection.objects.exclude(origin=Origin.MANUAL).values_list("pk", flat=True))
    added = replaced = kept = 0
    deferred = []
    with transaction.atomic(), open(path, encoding="utf-8") as handle:
        for item in serializers.deserialize("json", handle, handle_forward_references=True):
            obj = item.object
            model = type(obj)
            same_document = False
            if model is Source and obj.pk is None and obj.document:
                existing_pk = Source.objects.filter(document=obj.document).order_by().values_list("pk", flat=True).first()
                if existing_pk is not None:
                    obj.pk = existing_pk  # the importer's source for the same document becomes the fixture's
                    same_document = True
            # order_by(): a plain primary-key lookup, not the model's default ordering, whose joins can send
            # PostgreSQL to a full scan while a large load is still uncounted in its statistics.
            existing = model._default_manager.filter(pk=obj.pk).order_by().first() if obj.pk is not None else None
            if model is KeyFigure and existing is not None and existing.source_id != obj.source_id:
                # The same figure as another source gives it: merged into that one, both sources kept.
                if existing.merge(obj):
                    replaced += 1
                else:
                    kept += 1
                continue
            if existing is not None and not (same_document or _replaceable(existing, imported_inspections)):
                kept += 1
                continue
            item.save()
            if existing is None:
                added += 1
            else:
                replaced += 1
            if item.deferred_fields:
                deferred.append(item)
        for item in deferred:
            item.save_deferred_fields()
    return added, replaced, kept


def _replaceable(existing, imported_inspections):
    """Whether a row already in the database was made by an importer (so the fixture may replace it)."""
    origin = getattr(existing, "origin", None)
    if origin is not None:
        return origin != Origin.MANUAL
    inspection_id = getattr(existing, "inspection_id", None)
    return inspection_id is not None and inspection_id in imported_inspections


class Command(BaseCommand):
    help = (
        "Load all shipped data in order: councils, the Tower Hamlets record, Ofsted's outcomes and the "
        "history CSV, the report archive, DfE's indicators. Idempotent: a second run changes nothing and says so."
    )

    def add_arguments(self, parser):
        add_progress_arguments(parser)

    def handle(self, *args, **options):
        fixtures = Path(settings.FIXTURES_DIR)
        data = fixtures / "data"
        common = {
            "stdout": self.stdout,
            "stderr": self.stderr,
            "verbosity": options["verbosity"],
            "progress": options["progress"],
            "traceback": options.get("traceback", False),
        }
        files = {
            "councils": [data / "reference" / "local_authorities.csv"],
            "outcomes": [
                data / "ofsted" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods",
                data / "ofsted" / "ilacs_inspection_history.csv",
            ],
            "archive": [data / "ofsted" / "report_archive.jsonl"],
            "indicators": sorted((data / "indicators").glob("*.csv")),
        }
        missing = [str(path) for paths in files.values() for path in paths if not path.exists()]
        if missing or not files["indicators"]:
            raise CommandError(f"shipped data missing: {', '.join(missing) or 'fixtures/data/indicators/*.csv'}")
        call_command("import_councils", *map(str, files["councils"]), **common)
        self.load_tower_hamlets(fixtures / TOWER_HAMLETS_FIXTURE, options["verbosity"])
        call_command("import_ofsted_outcomes", *map(str, files["outcomes"]), **common)
        call_command("import_report_archive", *map(str, files["archive"]), **common)
        call_command("import_indicators", *map(str, files["indicators"]), **common)
        refresh_planner_statistics()

    def load_tower_hamlets(self, path, verbosity):
        if not path.exists():
            self.stdout.write(f"Skipped the Tower Hamlets record: fixtures/{path.name} does not exist yet.")
            return
        try:
            added, replaced, kept = load_fixture_keeping_edits(path)
        except Exception as error:
            raise CommandError(f"{path.name}: could not be loaded ({type(error).__name__}: {' '.join(str(error).split())[:300]})") from None
        if verbosity > 0:
            if added or replaced:
                self.stdout.write(
                    f"Loaded {path.name}: {added} rows added, {replaced} imported rows replaced by the hand-entered "
                    f"record, {kept} already in the database kept as they are."
                )
            else:
                self.stdout.write(f"Loaded {path.name}: nothing changed ({kept} rows already in the database, kept).")


def refresh_planner_statistics():
    """Tell the database's query planner how big the tables now are.

    Until ANALYZE runs (autovacuum does it, later), PostgreSQL plans as if the freshly loaded tables were
    nearly empty: the findings search then recomputed each finding's text vector for every inspection,
    taking minutes instead of milliseconds. SQLite's planner uses the same statistics.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
