"""The settings module read in a new process, with an environment of its own."""

import os
import subprocess
import sys

from django.conf import settings as django_settings


def settings_in_a_new_process(expression, **environ):
    """Run the settings module in a new process with `environ` added; it prints `expression` (of settings)."""
    code = f"from django.conf import settings; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "inspection_tracker.settings", **environ},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
