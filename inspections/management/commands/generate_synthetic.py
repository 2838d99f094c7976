import time

from django.core.management.base import BaseCommand, CommandError

from inspections.synthetic import RealDataPresent, generate


class Command(BaseCommand):
    help = "Write realistic synthetic councils, inspection histories, findings and key figures (N x 153 councils)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, required=True, help="How many times the 153 real councils.")
        parser.add_argument("--seed", type=int, default=0, help="Same seed, same data (default 0).")
        parser.add_argument("--findings-per-inspection", type=int, default=30)
        parser.add_argument("--events-per-council", type=int, default=33)
        parser.add_argument(
            "--allow-real-data", action="store_true", help="Write even though the database holds real councils."
        )

    def handle(self, *args, scale, seed, findings_per_inspection, events_per_council, allow_real_data, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        if findings_per_inspection < 1 or events_per_council < 1:
            raise CommandError("--findings-per-inspection and --events-per-council must be 1 or more.")
        started = time.monotonic()
        progress = self.stderr if self.stderr.isatty() else None

        def report(line):
            if progress:
                progress.write(f"\r{line}", ending="")

        try:
            counts = generate(
                scale,
                seed,
                events_per_council=events_per_council,
                findings_per_inspection=findings_per_inspection,
                allow_real_data=allow_real_data,
                report=report,
            )
        except RealDataPresent as error:
            raise CommandError(str(error)) from None
        if progress:
            progress.write("")
        summary = ", ".join(f"{count:,} {label}" for label, count in counts.items())
        self.stdout.write(f"Wrote {summary} in {time.monotonic() - started:.1f} s.")
