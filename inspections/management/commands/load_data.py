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

It prints a short account for someone loading the data for the first time: what the database now holds,
what this run changed, what the files give that was left out and why, a line each. `--details` (or
`-v 2`) prints each file's full summary as the importer commands print it.
"""

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from councils.models import Council
from councils.importers.councils_csv import import_local_authorities
from inspections.importers.dfe_indicators_csv import import_indicators_csv
from importing.files import add_progress_arguments, run_file_imports
from inspections import national_cache
from inspections.importers.report_archive_jsonl import import_report_archive
from inspections.management.commands.import_ofsted_outcomes import import_outcomes_file
from inspections.models import Finding, Inspection, Judgement, KeyFigure, Origin, Source

TOWER_HAMLETS_FIXTURE = "tower_hamlets.json"

# What the importers' reasons for leaving something out mean to someone loading the data for the first
# time, by the reason's beginning (the first that fits). A reason not listed is shown as the importer
# words it, so nothing left out goes unsaid.
LEFT_OUT_WORDS = (
    (
        "judgement not given: data_unreadable",
        "grade cells the history file could not read from the older reports (the report archive reads those "
        "reports itself)",
    ),
    (
        "judgement not given: inspection_pre_dates_judgement",
        "grade cells for areas the inspection's framework did not judge yet",
    ),
    (
        "judgement not given: not_reported_post_reform",
        "overall effectiveness cells of inspections under the 2026 framework, which gives no overall grade",
    ),
    ("judgement not given: ", "blank grade cells (the inspection gave no grade there)"),
    (
        "kind of report not stated",
        "history file rows that do not say what kind of report they are (the report archive reads the kind "
        "from the report itself)",
    ),
    ("report listed twice", "reports listed twice in a file (read once)"),
    ("report refused by the reader", "files in the report archive that are not reports (read, then refused)"),
    ("already in the database, ", "inspections entered by hand or edited in admin, kept as they are (counted per file)"),
    ("findings not attached: ", "reports' findings on inspections entered by hand or edited in admin, not added"),
    ("figure entered by hand", "key figures entered by hand, kept as they are"),
    ("national or regional row", "national and regional totals in DfE's files (the app holds councils' figures)"),
    ("not kept: ", "DfE figures the app does not show (children starting or ceasing to be looked after)"),
    ("figures for several councils together", "DfE figures given for two councils together"),
    ("council not known", "DfE rows whose council code is not the named council's"),
    ("grade not ", "grades that are not Ofsted's wording or that the framework's rules refuse"),
)


def load_fixture_keeping_edits(path):
    """Load a JSON fixture (natural keys) without overwriting rows entered by hand. Returns (added, replaced, kept)."""
    imported_inspections = set(Inspection.objects.exclude(origin=Origin.MANUAL).values_list("pk", flat=True))
    added = replaced = kept = 0
    deferred = []
    with transaction.atomic(), open(path, encoding="utf-8") as handle:
        # Before any row is written: the fixture's rows are saved raw, and which councils they belong to
        # cannot be read while rows they refer to may be still to come.
        national_cache.invalidate()
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
        parser.add_argument(
            "--details", action="store_true", help="Print each file's full summary (as -v 2 does), not the short account."
        )

    def handle(self, *args, **options):
        fixtures = Path(settings.FIXTURES_DIR)
        data = fixtures / "data"
        details = options["details"] or options["verbosity"] > 1
        quiet = options["verbosity"] == 0
        imports = [
            (import_local_authorities, [data / "reference" / "local_authorities.csv"]),
            (
                import_outcomes_file,
                [
                    data / "ofsted" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods",
                    data / "ofsted" / "ilacs_inspection_history.csv",
                ],
            ),
            (import_report_archive, [data / "ofsted" / "report_archive.jsonl"]),
            (import_indicators_csv, sorted((data / "indicators").glob("*.csv"))),
        ]
        missing = [str(path) for _importer, paths in imports for path in paths if not path.exists()]
        if missing or not imports[-1][1]:
            raise CommandError(f"shipped data missing: {', '.join(missing) or 'fixtures/data/indicators/*.csv'}")
        # The importer commands' own loop, printing each file's summary only when asked for the details.
        file_options = {**options, "verbosity": 1 if details else 0}
        importer, paths = imports[0]
        summaries = run_file_imports(self, paths, importer, file_options)
        fixture_changes = self.load_tower_hamlets(fixtures / TOWER_HAMLETS_FIXTURE, options["verbosity"], details)
        for importer, paths in imports[1:]:
            summaries += run_file_imports(self, paths, importer, file_options)
        refresh_planner_statistics()
        if not quiet:
            self.stdout.write(loaded_account(summaries, fixture_changes, details))
    def load_tower_hamlets(self, path, verbosity, details):
        """Load the fixture; returns how many rows it added or replaced."""
        if not path.exists():
            if verbosity > 0:
                self.stdout.write(f"Skipped the Tower Hamlets record: fixtures/{path.name} does not exist yet.")
            return 0
        try:
            added, replaced, kept = load_fixture_keeping_edits(path)
        except Exception as error:
            raise CommandError(f"{path.name}: could not be loaded ({type(error).__name__}: {' '.join(str(error).split())[:300]})") from None
        if details:
            if added or replaced:
                self.stdout.write(
                    f"Loaded {path.name}: {added} rows added, {replaced} imported rows replaced by the hand-entered "
                    f"record, {kept} already in the database kept as they are."
                )
            else:
                self.stdout.write(f"Loaded {path.name}: nothing changed ({kept} rows already in the database, kept).")
        return added + replaced


def loaded_account(summaries, fixture_changes, details):
    """The short account of a load: what the database holds, what this run changed, what was left out and why."""
    current = Council.objects.filter(is_current=True).count()
    former = Council.objects.filter(is_current=False).count()
    lines = [
        "The database holds "
        f"{current + former:,} councils ({current:,} current, {former:,} former), "
        f"{Inspection.objects.count():,} inspections and visits, {Judgement.objects.count():,} judgements, "
        f"{Finding.objects.count():,} findings and {KeyFigure.objects.count():,} key figures.",
    ]
    created = sum(sum(summary.created.values()) for summary in summaries)
    updated = sum(sum(summary.updated.values()) for summary in summaries)
    if created or updated or fixture_changes:
        lines.append(
            f"This run added {created:,} rows, updated {updated:,} and loaded {fixture_changes:,} of the "
            "Tower Hamlets record."
        )
    else:
        lines.append("Nothing changed: the database already held everything the files give.")
    left_out = Counter()
    for summary in summaries:
        for reason, count in summary.skipped.items():
            left_out[left_out_words(reason)] += count
    if left_out:
        lines.append("What the files give that was not loaded, and why (how many):")
        lines.extend(f"  {words}: {count:,}" for words, count in left_out.most_common())
    conflicts = sum(len(summary.conflicts) for summary in summaries)
    if conflicts:
        lines.append(
            "Values on which two sources disagree, both kept with their sources (the inspection's page shows them "
            f"under \"Sources disagree\", admin lists them under \"Disagreements\"): {conflicts:,}"
        )
    if not details:
        lines.append("Each file's full summary, with examples: manage.py load_data --details")
    return "\n".join(lines)


def left_out_words(reason):
    return next((words for start, words in LEFT_OUT_WORDS if reason.startswith(start)), reason)


def refresh_planner_statistics():
    """Tell the database's query planner how big the tables now are.

    Until ANALYZE runs (autovacuum does it, later), PostgreSQL plans as if the freshly loaded tables were
    nearly empty: the findings search then recomputed each finding's text vector for every inspection,
    taking minutes instead of milliseconds. SQLite's planner uses the same statistics.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
