"""Proves which database the suite really runs on."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_database_backend_matches_test_database():
    wanted = os.environ.get("TEST_DATABASE", "sqlite").strip().lower()
    if wanted in {"postgresql", "postgres", "pg"}:
        assert connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            (version,) = cursor.fetchone()
        assert int(version) // 10000 == 15, f"expected PostgreSQL 15, got server_version_num={version}"
        assert connection.settings_dict["NAME"].startswith("test_")
    else:
        assert connection.vendor == "sqlite"
