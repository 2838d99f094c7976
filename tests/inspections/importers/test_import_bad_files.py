"""A wrong or corrupt file is refused with a one-line error and a non-zero exit, never a traceback,
and the database is left as it was."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from councils.models import Council
from inspections.models import Inspection, KeyFigure, Source

from .conftest import HISTORY_COLUMNS, OUTCOMES_ODS, REFERENCE_CSV, WORKFORCE_CSV, history_csv_row, write_csv
from .ods import write_ods

HTML = b"<!DOCTYPE html>\n<html><head><title>Sign in - GOV.UK</title></head><body><p>Page not found</p></body></html>\n"


def bad_files(tmp_path, name):
    """Each kind of bad file, saved under a data file's name."""
    suffix = Path(name).suffix
    files = {}
    files["empty"] = tmp_path / f"empty{suffix}"
    files["empty"].write_bytes(b"")
    files["blank space"] = tmp_path / f"blank{suffix}"
    files["blank space"].write_bytes(b"\n\n   \n")
    files["html page"] = tmp_path / f"html{suffix}"
    files["html page"].write_bytes(HTML)
    files["pdf"] = tmp_path / f"pdf{suffix}"
    files["pdf"].write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    files["binary"] = tmp_path / f"binary{suffix}"
    files["binary"].write_bytes(bytes(range(256)) * 4)
    files["wrong columns"] = tmp_path / f"wrong{suffix}"
    if suffix == ".ods":
        write_ods(files["wrong columns"], {"Sheet1": [["a", "b"], [1, 2]]})
        files["csv saved as ods"] = tmp_path / "csv.ods"
        files["csv saved as ods"].write_text("a,b\n1,2\n")
        files["truncated spreadsheet"] = tmp_path / "truncated.ods"
        files["truncated spreadsheet"].write_bytes(OUTCOMES_ODS.read_bytes()[:50_000])
        files["zip not spreadsheet"] = tmp_path / "archive.ods"
        with zipfile.ZipFile(files["zip not spreadsheet"], "w") as archive:
            archive.writestr("readme.txt", "hello")
        files["sheet with wrong columns"] = tmp_path / "sheet.ods"
        write_ods(files["sheet with wrong columns"], {"ILACS_inspection_history": [["title"], ["note"], ["Name", "Date"], ["x", "y"]]})
    else:
        files["wrong columns"].write_text("name,value\nTower Hamlets,1\n")
        files["header only"] = tmp_path / f"header{suffix}"
        files["header only"].write_text(",".join(HISTORY_COLUMNS) + "\n")
        files["spreadsheet saved as csv"] = tmp_path / f"sheet{suffix}"
        shutil.copy(OUTCOMES_ODS, files["spreadsheet saved as csv"])
        files["other official file"] = tmp_path / f"other{suffix}"
        shutil.copy(WORKFORCE_CSV if "history" in name or "authorities" in name else REFERENCE_CSV, files["other official file"])
    return files


def database_state():
    return (
        Council.objects.count(),
        Inspection.objects.count(),
        KeyFigure.objects.count(),
        Source.objects.count(),
    )


COMMANDS = [
    ("import_councils", "local_authorities.csv"),
    ("import_ofsted_outcomes", "LA_Inspection_Outcomes.ods"),
    ("import_ofsted_outcomes", "ilacs_inspection_history.csv"),
    ("import_indicators", "social_work_workforce.csv"),
]


@pytest.mark.parametrize(("command", "name"), COMMANDS)
def test_each_kind_of_bad_file_is_refused_in_one_line(councils, tmp_path, command, name):
    before = database_state()
    for kind, path in bad_files(tmp_path, name).items():
        if command == "import_ofsted_outcomes" and kind == "spreadsheet saved as csv":
            continue  # this command reads the outcomes spreadsheet whatever its name: see the next test
        with pytest.raises(CommandError) as raised:
            call_command(command, str(path), stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
        message = str(raised.value)
        assert "\n" not in message, kind
        assert message.startswith(path.name + ":"), (kind, message)
        assert "Traceback" not in message
        assert database_state() == before, kind


def test_messages_say_what_is_wrong(councils, tmp_path):
    files = bad_files(tmp_path, "LA_Inspection_Outcomes.ods")
    expected = {
        "empty": "empty",
        "html page": "HTML page",
        "csv saved as ods": "not a spreadsheet",
        "truncated spreadsheet": "damaged",
        "wrong columns": "not Ofsted's outcomes spreadsheet",
        "sheet with wrong columns": "wrong columns",
    }
    for kind, words in expected.items():
        with pytest.raises(CommandError, match=words):
            call_command("import_ofsted_outcomes", str(files[kind]), stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
    csv_files = bad_files(tmp_path, "ilacs_inspection_history.csv")
    with pytest.raises(CommandError, match="wrong columns.*no urn"):
        call_command("import_ofsted_outcomes", str(csv_files["wrong columns"]), stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
    with pytest.raises(CommandError, match="no data rows"):
        call_command("import_ofsted_outcomes", str(csv_files["header only"]), stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
    with pytest.raises(CommandError, match="wrong columns for a DfE indicator file: no time_period"):
        call_command("import_indicators", str(REFERENCE_CSV), stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))


def test_outcomes_command_tells_files_by_content(councils, tmp_path):
    misnamed = tmp_path / "outcomes.csv"
    shutil.copy(OUTCOMES_ODS, misnamed)
    call_command("import_ofsted_outcomes", str(misnamed), stdout=open(os.devnull, "w"))
    assert Inspection.objects.count() > 300


def test_good_files_are_imported_when_another_is_refused(councils, tmp_path):
    bad = tmp_path / "ilacs_inspection_history.csv"
    bad.write_bytes(HTML)
    good = write_csv(
        tmp_path / "good.csv",
        HISTORY_COLUMNS,
        [history_csv_row("80516", "tower hamlets", "22/07/19", "standard", "10/06/2019", "21/06/2019", ("good",) * 4 + ("inspection_pre_dates_judgement",))],
    )
    with pytest.raises(CommandError, match=r"1 of 2 files not imported: ilacs_inspection_history.csv: is an HTML page"):
        call_command("import_ofsted_outcomes", str(bad), str(good), stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
    assert Inspection.objects.filter(council__slug="tower-hamlets").count() == 1


def test_missing_councils_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="run import_councils first"):
        call_command("import_indicators", str(WORKFORCE_CSV), stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))


@pytest.mark.parametrize("command", ["import_councils", "import_ofsted_outcomes", "import_indicators"])
def test_command_line_exit_status_and_no_traceback(tmp_path, command):
    page = tmp_path / "data.csv"
    page.write_bytes(HTML)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "DJANGO_SETTINGS_MODULE": "inspection_tracker.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", command, str(page)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("CommandError")]
    assert errors == ["CommandError: data.csv: is an HTML page, not a data file (a web page saved under the data file's name?)"]
