"""python manage.py import_report_archive FILE...: merge report archives (build_archive's JSON Lines) into the database."""

from django.core.management.base import BaseCommand

from importing.files import add_progress_arguments, run_file_imports
from inspections.importers.report_archive_jsonl import import_report_archive


class Command(BaseCommand):
    help = (
        "Merge a report archive (JSON Lines written by build_archive) into the database: fills the inspections "
        "the official files give, adds the rest, with judgements, findings and each report as a source. "
        "Official statistics and hand-entered rows stand; disagreements are listed. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        add_progress_arguments(parser)

    def handle(self, *args, files, **options):
        run_file_imports(self, files, import_report_archive, options)
