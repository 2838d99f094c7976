import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.utils import get_random_secret_key

LOCAL_HOSTS = "127.0.0.1,localhost,[::1]"


def local_secret_key(path):
    """The key this machine's quick start signs sessions with: made once, kept beside the database, readable
    by its owner only, so that an admin stays signed in across restarts."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = get_random_secret_key()
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(key)
        return key


def server_environment(environ, key_file):
    """The environment the quick start serves in: as readers meet the app (DEBUG off, so the site's own 404,
    400 and 500 pages), over plain http on this machine, static files collected. DEBUG=1 in `environ` serves
    Django's debugging pages instead; any setting already in `environ` stands."""
    served = {**environ, "STATIC_COLLECTED": "1"}
    if served.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}:
        return served
    served.setdefault("DEBUG", "0")
    served.setdefault("ALLOWED_HOSTS", LOCAL_HOSTS)
    # Plain http on 127.0.0.1: no redirect to https, no Strict-Transport-Security, cookies sent over http.
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_COOKIES"):
        served.setdefault(name, "0")
    if not served.get("SECRET_KEY"):
        served["SECRET_KEY"] = local_secret_key(key_file)
    return served


class Command(BaseCommand):
    help = (
        "Migrate the database, load the shipped data (idempotent), collect the static files and serve the app "
        "at http://127.0.0.1:$PORT/ (PORT defaults to 8000) as readers meet it; DEBUG=1 serves Django's "
        "debugging pages instead."
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
        # Static files as production serves them (STATIC_COLLECTED in inspection_tracker/settings.py): hashed names
        # and compressed, so that plotly.js crosses the wire once, compressed. Settings are read when Django
        # starts, so collectstatic and the server run as new processes with them set.
        environ = server_environment(os.environ, settings.BASE_DIR / ".secret_key")
        manage = str(settings.BASE_DIR / "manage.py")
        collected = subprocess.run(
            [sys.executable, manage, "collectstatic", "--noinput", "--verbosity", "0"], env=environ, check=False
        )
        if collected.returncode:
            raise CommandError("Collecting the static files failed (see above).")
        self.stdout.write(f"Serving Inspection Tracker at http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        self.stdout.flush()
        os.execve(sys.executable, [sys.executable, manage, "runserver", f"127.0.0.1:{port}", "--noreload"], environ)
