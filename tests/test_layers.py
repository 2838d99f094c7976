"""The layers point one way (councils <- inspections <- pages and API <- the site), the pages and the API
independent of each other, checked by import-linter with the contract in pyproject.toml, so a reverse or a
sideways import fails the test suite and CI."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
APPS = ("importing", "councils", "inspections", "dashboard", "api", "inspection_tracker")


def lint_imports(root):
    environment = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_apps(destination):
    for app in APPS:
        shutil.copytree(ROOT / app, destination / app, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")


def test_the_project_keeps_its_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    "module, reverse_import, broken",
    [
        ("councils/models.py", "from inspections import grades", "councils.models -> inspections.grades"),
        ("inspections/exports.py", "from dashboard import charts", "inspections.exports -> dashboard.charts"),
        ("api/serializers.py", "from dashboard import views", "api.serializers -> dashboard.views"),
        ("dashboard/views.py", "from api import serializers", "dashboard.views -> api.serializers"),
        ("dashboard/views.py", "from inspection_tracker import page_cache", "dashboard.views -> inspection_tracker"),
    ],
)
def test_a_reverse_import_breaks_the_contract(tmp_path, module, reverse_import, broken):
    copy_apps(tmp_path)
    path = tmp_path / module
    path.write_text(path.read_text() + f"\n{reverse_import}  # noqa: E402, F401\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1
    assert broken in result.stdout
