"""The suite fails when a model change has no migration."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=1, stdout=out, stderr=out)
    except SystemExit:  # makemigrations --check exits 1 when changes are detected
        pytest.fail(
            f"Models have changes without a migration (run `python manage.py makemigrations`):\n{out.getvalue()}",
            pytrace=False,
        )
