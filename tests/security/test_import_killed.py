"""An import killed halfway (SIGKILL: no cleanup, no rollback by Python) leaves the database as it was.

`manage.py import_ofsted_outcomes` runs in a subprocess against a real database file or server. The
subprocess pauses after writing half of its rows, inside its transaction, and says so; the test then kills
it. The database must hold exactly what it held before (every row of every table), and a second import
must then run to the end. On SQLite and on a private PostgreSQL cluster.
"""

import os
import re
import signal
import sqlite3
import subprocess
import time

import psycopg2
import pytest

from tests.security.conftest import PROJECT_DIR, PYTHON, manage, project_env

HISTORY_CSV = PROJECT_DIR / "fixtures" / "data" / "ofsted" / "ilacs_inspection_history.csv"
COUNCILS_CSV = PROJECT_DIR / "fixtures" / "data" / "reference" / "local_authorities.csv"
# The import writes its source, then every inspection and their history, then the judgements. It is
# stopped once the first judgements are written: the inspections are in, the judgements half done.
PAUSE_AFTER = 'INSERT INTO "inspections_judgement"'

# Runs the real command; a wrapper around the database connection stops it there, mid-transaction, to be
# killed. (The wrapper only watches and waits: the import itself is the command's own code.)
IMPORT_AND_PAUSE = r"""
import os, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db import connection

def pause_halfway(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if sql.startswith(os.environ["PAUSE_AFTER"]):
        with connection.cursor() as cursor:  # what this transaction has written so far
            cursor.execute("SELECT COUNT(*) FROM inspections_inspection")
            inspections = cursor.fetchone()[0]
        print("PAUSED in_atomic_block=%s inspections=%d" % (connection.in_atomic_block, inspections), flush=True)
        time.sleep(600)
    return result

with connection.execute_wrapper(pause_halfway):
    call_command("import_ofsted_outcomes", sys.argv[1], verbosity=0)
print("FINISHED", flush=True)
"""


def regexp(pattern, value):  # as Django's SQLite connections have it, for the tables' check constraints
    return value is not None and re.search(pattern, str(value)) is not None


def snapshot_sqlite(path):
    with sqlite3.connect(path) as db:
        db.create_function("REGEXP", 2, regexp, deterministic=True)
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return {table: db.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall() for table in tables}


def snapshot_postgres(url):
    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        snapshot = {}
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')
            snapshot[table] = cursor.fetchall()
        return snapshot


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """(DATABASE_URL, snapshot function) for a migrated database holding the councils."""
    if request.param == "sqlite":
        path = tmp_path / "killed.sqlite3"
        url, snapshot = f"sqlite:///{path}", lambda: snapshot_sqlite(path)
    else:
        cluster = request.getfixturevalue("postgres_cluster")
        url = cluster.setup_project_database()
        snapshot = lambda: snapshot_postgres(url)  # noqa: E731
    env = project_env(DATABASE_URL=url)
    manage("migrate", "--noinput", env=env)
    manage("import_councils", str(COUNCILS_CSV), env=env)
    return env, snapshot


def test_an_import_killed_halfway_changes_nothing(database):
    env, snapshot = database
    before = snapshot()
    assert len(before["councils_council"]) > 100 and before["inspections_inspection"] == []

    process = subprocess.Popen(
        [PYTHON, "-c", IMPORT_AND_PAUSE, str(HISTORY_CSV)],
        cwd=PROJECT_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "inspection_tracker.settings", "PAUSE_AFTER": PAUSE_AFTER},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()  # blocks until the import has written half its rows
        assert line.startswith("PAUSED in_atomic_block=True"), line + process.stderr.read()
        assert int(line.split("inspections=")[1]) > 300  # written (its reports from 2018), not yet committed
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()

    # PostgreSQL notices the dropped connection and rolls its transaction back: wait until it has.
    deadline = time.monotonic() + 30
    while snapshot() != before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert snapshot() == before

    # The database is whole: the same import, left to finish, brings everything in.
    result = manage("import_ofsted_outcomes", str(HISTORY_CSV), env=env)
    assert "created:" in result.stdout
    after = snapshot()
    assert len(after["inspections_inspection"]) > 300
    assert after["councils_council"] == before["councils_council"]
