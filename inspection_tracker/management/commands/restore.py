from django.core.management.base import BaseCommand, CommandError

from inspection_tracker.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup written by the backup command, in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--replace", action="store_true", help="Replace the rows the database already holds.")
        parser.add_argument(
            "--force", action="store_true", help="Restore a backup that holds no councils or no users all the same."
        )
        parser.add_argument(
            "--with-users",
            action="store_true",
            help="Restore the backup's user accounts too, listing each with its permissions before the restore ends.",
        )

    def handle(self, *args, file, replace, force, with_users, **options):
        try:
            count = restore(file, replace=replace, force=force, with_users=with_users, show_accounts=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {count:,} rows from {file}.")
