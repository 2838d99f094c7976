"""python manage.py import_report PDF [PDF ...]: each Ofsted report PDF becomes a draft inspection."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from inspections.importers.report_import import import_report
from inspections.importers.report_pdf import ReportError


class Command(BaseCommand):
    help = "Read Ofsted report PDFs into draft inspections; reports already recorded are compared, not duplicated."

    def add_arguments(self, parser):
        parser.add_argument(
            "pdfs", nargs="+", metavar="PDF", help="an Ofsted report on a council's children's services"
        )
        parser.add_argument("--user", help="the username to record in the change history")

    def handle(self, *args, pdfs, user=None, **options):
        history_user = self.history_user(user)
        refused = 0
        for pdf in pdfs:
            try:
                line = import_report(pdf, user=history_user).describe()
            except ReportError as error:
                refused += 1
                line = f"refused: {error}"
            except Exception as error:  # one bad file must not hide the others' results behind a traceback
                refused += 1
                line = f"refused: unexpected {type(error).__name__}: {error}"
            self.stdout.write(f"{pdf}: {line}")
        if refused:
            raise CommandError(f"{refused} of {len(pdfs)} files refused.")

    def history_user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user called “{username}”.") from None
