"""The command line writes the same files as the web."""

import pytest
from django.core.management import CommandError, call_command

from tests.inspections.exports.conftest import read_csv

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["councils", "inspections", "judgements", "findings", "key_figures"])
def test_command_and_web_give_the_same_rows(client, country, tmp_path, name):
    path = tmp_path / f"{name}.csv"
    call_command("export", name, filter=["region=E12000007"], output=str(path))
    assert read_csv(path.read_text(encoding="utf-8")) == read_csv(client.get(f"/export/{name}.csv?region=E12000007"))


def test_command_writes_to_standard_output(country, capsys):
    call_command("export", "inspections", filter=["council=camden"])
    rows = read_csv(capsys.readouterr().out)
    assert [row["event_type"] for row in rows] == ["standard_inspection", "focused_visit"]


def test_command_with_bom(country, tmp_path):
    path = tmp_path / "out.csv"
    call_command("export", "councils", output=str(path), bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_command_into_a_missing_folder_leaves_nothing(country, tmp_path):
    with pytest.raises(CommandError, match="no folder"):
        call_command("export", "councils", output=str(tmp_path / "nope" / "out.csv"))
