"""With DATABASE_REPLICA_URL set, public pages and exports read from the replica; the admin and writes do not.

The replica here is a second SQLite file, copied from the primary after migrate as a real replica would
be, then made to differ on purpose: a council only the primary has, another only the replica has. What
each request shows tells which database it read. Run in a subprocess, since the databases are settings.
"""

import json
import subprocess

import pytest

from inspection_tracker.routers import ReplicaRouter, use_replica
from tests.security.conftest import PROJECT_DIR, PYTHON, project_env

PROBE = r"""
import json, re, shutil
import django
django.setup()
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from councils.models import Council

setup_test_environment()
call_command("migrate", verbosity=0)
connections.close_all()
shutil.copyfile(settings.DATABASES["default"]["NAME"], settings.DATABASES["replica"]["NAME"])

Council.objects.create(name="Primary Only", slug="primary-only")
Council.objects.using("replica").create(pk=999, name="Replica Only", slug="replica-only")
root = User.objects.create_superuser("root", "root@example.org", "not-used")

out = {}
public = Client()
with CaptureQueriesContext(connections["default"]) as on_default:
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        out["list"] = public.get("/councils/").content.decode()
out["list_queries"] = {"default": len(on_default), "replica": len(on_replica)}
out["replica_page"] = public.get("/councils/replica-only/").status_code
out["primary_page"] = public.get("/councils/primary-only/").status_code
out["overview"] = public.get("/").status_code
out["findings"] = public.get("/findings/?q=care").status_code
with CaptureQueriesContext(connections["default"]) as on_default:
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        export = public.get("/export/councils.csv")
        out["export"] = b"".join(export.streaming_content).decode()
out["export_queries"] = {"default": len(on_default), "replica": len(on_replica)}
with CaptureQueriesContext(connections["default"]) as on_default:
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        export_index = public.get("/export/")
out["export_index"] = export_index.status_code
out["export_index_queries"] = {"default": len(on_default), "replica": len(on_replica)}
with CaptureQueriesContext(connections["default"]) as on_default:
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        coverage = public.get("/coverage/")
out["coverage"] = coverage.status_code
out["coverage_queries"] = {"default": len(on_default), "replica": len(on_replica)}
out["healthz"] = json.loads(public.get("/healthz").content)

# Reads outside a request, after a public page, go to the default database again.
out["after_requests"] = list(Council.objects.values_list("slug", flat=True))

staff = Client()
staff.force_login(root)
out["admin_list"] = staff.get("/admin/councils/council/").content.decode()
out["admin_change_replica_only"] = staff.get("/admin/councils/council/999/change/").status_code
add_page = staff.get("/admin/councils/council/add/").content.decode()
management = r'<input type="hidden" name="([^"]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)" value="(\d*)"'
form = dict(re.findall(management, add_page))
form.update({"name": "Added In Admin", "slug": "added-in-admin", "is_current": "on"})
response = staff.post("/admin/councils/council/add/", form)
out["admin_add"] = response.status_code
out["added_on"] = {
    alias: Council.objects.using(alias).filter(slug="added-in-admin").exists() for alias in ("default", "replica")
}
print("PROBE:" + json.dumps(out))
"""


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    folder = tmp_path_factory.mktemp("replica")
    result = subprocess.run(
        [PYTHON, "-c", PROBE],
        cwd=PROJECT_DIR,
        env=project_env(
            DJANGO_SETTINGS_MODULE="inspection_tracker.settings",
            DEBUG="1",
            DATABASE_URL=f"sqlite:///{folder / 'primary.sqlite3'}",
            DATABASE_REPLICA_URL=f"sqlite:///{folder / 'replica.sqlite3'}",
        ),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("PROBE:"))
    return json.loads(line.removeprefix("PROBE:"))


def test_public_pages_read_the_replica(probe):
    assert "Replica Only" in probe["list"] and "Primary Only" not in probe["list"]
    assert probe["list_queries"]["default"] == 0 and probe["list_queries"]["replica"] >= 1
    assert probe["replica_page"] == 200 and probe["primary_page"] == 404
    assert probe["overview"] == 200 and probe["findings"] == 200 and probe["export_index"] == 200
    # Cached and read from the replica alike: both follow the one declaration of public pages.
    assert probe["coverage"] == 200
    assert probe["coverage_queries"]["default"] == 0 and probe["coverage_queries"]["replica"] >= 1


def test_exports_read_the_replica(probe):
    assert "Replica Only" in probe["export"] and "Primary Only" not in probe["export"]
    assert probe["export_queries"]["default"] == 0 and probe["export_queries"]["replica"] >= 1
    # The index counts each dataset's rows: those counts come from the replica too.
    assert probe["export_index_queries"]["default"] == 0 and probe["export_index_queries"]["replica"] >= 1


def test_the_admin_and_writes_use_the_default_database(probe):
    assert "Primary Only" in probe["admin_list"] and "Replica Only" not in probe["admin_list"]
    assert probe["admin_change_replica_only"] == 302  # "no such council": the admin does not see the replica
    assert probe["admin_add"] == 302
    assert probe["added_on"] == {"default": True, "replica": False}


def test_reads_outside_requests_use_the_default_database(probe):
    assert "primary-only" in probe["after_requests"] and "replica-only" not in probe["after_requests"]


def test_healthz_checks_both_databases(probe):
    assert probe["healthz"] == {"status": "ok", "databases": {"default": "ok", "replica": "ok"}}


def test_without_a_replica_everything_uses_the_default_database(settings, monkeypatch):
    from django.contrib.sessions.models import Session

    from councils.models import Council

    router = ReplicaRouter()
    assert "replica" not in settings.DATABASES
    use_replica(True)
    try:
        assert router.db_for_read(Council) is None  # Django's default: the default database
        monkeypatch.setattr("inspection_tracker.routers.replica_configured", lambda: True)
        assert router.db_for_read(Council) == "replica"
        assert router.db_for_read(Session) is None  # sessions, users and logins are never read there
        assert router.db_for_write(Council) == "default"
        assert router.allow_migrate("replica", "councils") is False
    finally:
        use_replica(False)
    assert router.db_for_read(Council) is None
