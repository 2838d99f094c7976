from django.core.management.base import BaseCommand, CommandError

from dashboard.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup written by the backup command, in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--replace", action="store_true", help="Replace the rows the database already holds.")

    def handle(self, *args, file, replace, **options):
        try:
            count = restore(file, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {count:,} rows from {file}.")
