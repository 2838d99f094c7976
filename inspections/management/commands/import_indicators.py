from django.core.management.base import BaseCommand

from importing.files import add_progress_arguments, run_file_imports
from inspections.importers.dfe_indicators_csv import import_indicators_csv


class Command(BaseCommand):
    help = (
        "Create or update key figures per council per year from DfE's social work workforce, children "
        "looked after and child protection plans files. Suppressed values (c, x, z, u, low) are stored as "
        "absent with their code. Idempotent; one transaction per file."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="DfE indicator CSV files")
        add_progress_arguments(parser)

    def handle(self, *args, files, **options):
        run_file_imports(self, files, import_indicators_csv, options)
