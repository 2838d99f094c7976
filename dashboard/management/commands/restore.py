from django.core.management.base import BaseCommand, CommandError

from dashboard.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup written by the backup command, in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--replace", action="store_true", help="Replace the rows the database already holds.")
        parser.add_argument(
            "--force", action="store_true", help="Restore a backup that holds no councils or no users all the same."
        )

    def handle(self, *args, file, replace, force, **options):
        try:
            count = restore(file, replace=replace, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {count:,} rows from {file}.")
