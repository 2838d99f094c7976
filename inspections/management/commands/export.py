import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from inspections.exports import DATASETS, csv_lines, filtered_queryset
from inspections import query_parameters
from inspections.query_parameters import BadQuery


class Command(BaseCommand):
    help = "Write a dataset as CSV, filtered like the web export: export DATASET [--filter name=value ...] [-o FILE]."

    def add_arguments(self, parser):
        parser.add_argument("dataset", help=f"One of: {', '.join(DATASETS)}.")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="A filter, as in the web export's query string (e.g. region=E12000007); repeatable.",
        )
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")
        parser.add_argument("--bom", action="store_true", help="Start with a byte-order mark, for Excel.")

    def handle(self, *args, dataset, filter, output, bom, **options):
        if dataset not in DATASETS:
            raise CommandError(f"There is no dataset “{dataset}”; choose one of: {', '.join(DATASETS)}.")
        params = QueryDict(mutable=True)
        for item in filter:
            name, separator, value = item.partition("=")
            if not separator or not name:
                raise CommandError(f"--filter takes NAME=VALUE, not “{item}”.")
            name = name.strip()
            if name in query_parameters.EXPORT:
                # The web export's own parameters (bom) are this command's options, not filters.
                raise CommandError(f"“{name}” is not a filter: use --{name}.")
            params.appendlist(name, value)
        chosen = DATASETS[dataset]
        try:
            queryset = filtered_queryset(chosen, params)
        except BadQuery as error:
            raise CommandError(f"Bad filter: {error}") from None
        if output:
            # Written beside the target and moved into place, so a failed export never leaves half a file.
            self._write_file(output, chosen, queryset, bom)
        else:
            for chunk in csv_lines(chosen, queryset, bom=bom):
                sys.stdout.write(chunk)

    def _write_file(self, output, dataset, queryset, bom):
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"There is no folder {target.parent} to write {target.name} in.")
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
                for chunk in csv_lines(dataset, queryset, bom=bom):
                    file.write(chunk)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stderr.write(f"Wrote {dataset.name} to {target}.")
