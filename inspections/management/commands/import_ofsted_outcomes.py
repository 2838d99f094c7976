from django.core.management.base import BaseCommand

from importing.files import add_progress_arguments, run_file_imports
from inspections.importers.ilacs_history_csv import import_ilacs_history_csv
from inspections.importers.ofsted_outcomes_ods import import_outcomes_spreadsheet, is_spreadsheet


def import_outcomes_file(path, **kwargs):
    if is_spreadsheet(path):
        return import_outcomes_spreadsheet(path, **kwargs)
    return import_ilacs_history_csv(path, **kwargs)


class Command(BaseCommand):
    help = (
        "Create or update inspections and judgements from Ofsted's outcomes spreadsheet (.ods, as published) "
        "and the per-report history CSV. Spreadsheets are read before CSV files, so the official statistics "
        "give each inspection's type and dates. Rows entered by hand are never changed: where a file "
        "disagrees with them the conflict is reported. Idempotent; one transaction per file."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="the outcomes .ods and/or the history CSV")
        add_progress_arguments(parser)

    def handle(self, *args, files, **options):
        ordered = sorted(files, key=lambda path: not is_spreadsheet(path))
        run_file_imports(self, ordered, import_outcomes_file, options)
