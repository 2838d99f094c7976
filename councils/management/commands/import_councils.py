from django.core.management.base import BaseCommand

from councils.importers.councils_csv import import_local_authorities
from importing.files import add_progress_arguments, run_file_imports


class Command(BaseCommand):
    help = (
        "Create or update every council of the reference file (fixtures/data/reference/local_authorities.csv): "
        "codes, region, type, population aged 0-25, statistical neighbours, former councils and their "
        "successors. Idempotent; one transaction per file; a file it cannot use is refused in one line."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="the local authorities CSV")
        add_progress_arguments(parser)

    def handle(self, *args, files, **options):
        run_file_imports(self, files, import_local_authorities, options)
