"""A filter that cannot be applied is a 400 that says why: never a 500, never an empty file that looks valid."""

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url, reason",
    [
        ("/export/inspections.csv?start_date_after=not-a-date", "start_date"),
        ("/export/judgements.csv?grade=brilliant", "grade"),
        ("/export/findings.csv?kind=rumour", "kind"),
        ("/export/inspections.csv?council=nowhere", "council"),
        ("/export/inspections.csv?region=%00", "region"),
        ("/export/councils.csv?grade=good&colour=red", "colour"),
        ("/export/judgements.csv?start_date_before=2024-02-30", "start_date"),
    ],
)
def test_bad_filter_is_a_400_with_the_reason(client, country, url, reason):
    response = client.get(url)
    assert response.status_code == 400
    assert not response.streaming
    page = response.content.decode()
    assert reason in page
    assert "cannot be made with these filters" in page


def test_unknown_dataset_is_a_404(client, db):
    assert client.get("/export/passwords.csv").status_code == 404


def test_export_page_lists_every_dataset_with_its_dictionary_and_counts(client, country):
    response = client.get("/export/?region=E12000007")
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("councils", "inspections", "judgements", "findings", "key_figures"):
        assert f"/export/{name}.csv?region=E12000007" in page
    assert "grade_<wbr>score" in page and "Requires improvement to be good" in page


def test_export_page_with_a_bad_filter_says_so(client, country):
    response = client.get("/export/?start_date_after=yesterday")
    assert response.status_code == 400
    assert "These filters cannot be used" in response.content.decode()


def test_command_refuses_a_bad_filter_in_one_line(db):
    with pytest.raises(CommandError, match="Bad filter: start_date"):
        call_command("export", "inspections", filter=["start_date_after=soon"])


def test_command_refuses_an_unknown_dataset(db):
    with pytest.raises(CommandError, match="no dataset"):
        call_command("export", "secrets")


def test_command_refuses_a_filter_without_a_value(db):
    with pytest.raises(CommandError, match="NAME=VALUE"):
        call_command("export", "findings", filter=["kind"])


def test_a_search_that_finds_no_council_exports_the_header_alone(client, country):
    # On PostgreSQL the export is one COPY statement, which a filter on an empty list of councils cannot make.
    response = client.get("/export/councils.csv?q=%27%20OR%20%271%27%3D%271")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 and lines[0].startswith("council")


def test_command_refuses_the_web_exports_own_parameter_as_a_filter(db):
    # The byte-order mark is --bom here: as a filter it would be accepted and do nothing.
    with pytest.raises(CommandError, match=r"^“bom” is not a filter: use --bom\.$"):
        call_command("export", "councils", filter=["bom=1"])
