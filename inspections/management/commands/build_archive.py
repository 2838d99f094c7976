"""python manage.py build_archive DIR: every report PDF under DIR, read into fixtures/data/ofsted/report_archive.jsonl."""

import sys

from django.core.management.base import BaseCommand, CommandError

from inspections.importers.report_archive import ARCHIVE_FILE, ArchiveError, build_archive


class Command(BaseCommand):
    help = (
        "Read every Ofsted report PDF under DIR (laid out <urn>_<council>/<file>.pdf, as in "
        "JT-39/ofsted-ilacs-scrape-tool's export_data/inspection_reports) into one JSON Lines file; each PDF "
        "is read within the limits settings give every report PDF (REPORT_PARSE_SECONDS and the rest)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR", help="the folder of council folders holding report PDFs")
        parser.add_argument("--output", default=str(ARCHIVE_FILE), help=f"the file to write (default {ARCHIVE_FILE})")
        parser.add_argument("--workers", type=int, default=None, help="PDFs to read at once (default: one per core)")

    def handle(self, *args, folder, output, workers, **options):
        show = options.get("verbosity", 1) >= 1
        try:
            summary = build_archive(folder, output, workers=workers, progress=self.progress if show else None)
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        for line in summary.lines():
            self.stdout.write(line)

    def progress(self, done, total):
        # One line redrawn on a terminal; in a log, a line every tenth of the way.
        if self.stderr.isatty():
            self.stderr.write(f"\rread {done} of {total} PDFs", ending="\n" if done == total else "")
            sys.stderr.flush()
        elif done == total or done % max(1, total // 10) == 0:
            self.stderr.write(f"read {done} of {total} PDFs")
