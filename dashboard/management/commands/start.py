import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Migrate the database, load the shipped data (idempotent), collect the static files and serve the app "
        "at http://127.0.0.1:$PORT/ (PORT defaults to 8000)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Prepare the database but do not serve.")

    def handle(self, *args, no_serve=False, **options):
        port = os.environ.get("PORT", "8000")
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise CommandError(f"PORT must be a port number, not {port!r}.")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_data")
        call_command("setup_groups")
        if no_serve:
            return
        # Static files as production serves them (STATIC_COLLECTED in dashboard/settings.py): hashed names
        # and compressed, so that plotly.js crosses the wire once, compressed. The setting is read when
        # Django starts, so collectstatic and the server run as new processes with it set.
        environ = {**os.environ, "STATIC_COLLECTED": "1"}
        manage = str(settings.BASE_DIR / "manage.py")
        collected = subprocess.run(
            [sys.executable, manage, "collectstatic", "--noinput", "--verbosity", "0"], env=environ, check=False
        )
        if collected.returncode:
            raise CommandError("Collecting the static files failed (see above).")
        self.stdout.write(f"Serving Inspection Tracker at http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        self.stdout.flush()
        os.execve(sys.executable, [sys.executable, manage, "runserver", f"127.0.0.1:{port}", "--noreload"], environ)
