from django.core.management.base import BaseCommand, CommandError

from inspection_tracker.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write every row (councils, inspections, history, users and groups) to FILE (.json or .json.gz)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            count = backup(file)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up {count:,} rows to {file}.")
