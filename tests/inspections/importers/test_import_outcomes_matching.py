"""Councils are found by any of their codes (current or former) or their name."""

import datetime

from councils.models import Council
from councils.lookup import CouncilIndex
from inspections.importers.ofsted_outcomes_ods import import_outcomes_spreadsheet
from inspections.models import Inspection

from .ods import history_row, outcomes_ods

D = datetime.date
GRADES = ("Good", "Good", "Good", "Good", "")


def test_codes_names_and_former_councils(councils, tmp_path):
    path = outcomes_ods(
        tmp_path / "o.ods",
        history=[
            history_row("E08000016", "Barnsley", D(2018, 10, 8), D(2018, 11, 19), "ILACS Standard Inspection", GRADES),
            history_row("E06009999", "Hammersmith & Fulham", D(2019, 1, 7), D(2019, 2, 20), "ILACS Standard Inspection", GRADES),
            history_row("E06000028", "Bournemouth", D(2018, 7, 16), D(2018, 8, 24), "ILACS Standard Inspection", GRADES, status="No longer exists"),
            history_row("E06009998", "Nowhere", D(2019, 1, 7), D(2019, 2, 20), "ILACS Standard Inspection", GRADES),
            history_row("E09000030", "Tower Hamlets", D(2019, 6, 10), D(2019, 7, 22), "Joint inspection of something", GRADES),
        ],
        sheets=("history",),
    )
    summary = import_outcomes_spreadsheet(path)
    assert Inspection.objects.get(start_date=D(2018, 10, 8)).council.slug == "barnsley"
    assert Inspection.objects.get(start_date=D(2019, 1, 7)).council.la_code == "205"  # by name, "&" for "and"
    bournemouth = Inspection.objects.get(start_date=D(2018, 7, 16)).council
    assert bournemouth.slug == "bournemouth" and not bournemouth.is_current
    assert summary.skipped["council not known"] == 1
    assert "E06009998 Nowhere" in str(summary)
    assert summary.skipped["inspection type not recognised"] == 1
    # A spreadsheet with fewer sheets is read; the missing sheets are reported.
    assert summary.skipped["sheet not in the file"] == 2


def test_dfe_code_contradiction_is_not_matched_by_name(councils):
    index = CouncilIndex()
    assert index.find(la_code="838", name="Dorset")[0] == Council.objects.get(la_code="838")
    council, problem = index.find(la_code="835", ons_code="E10000009", name="Dorset")
    assert council is None and problem[0].startswith("council not known")
    assert index.find(urn="80516")[0].slug == "tower-hamlets"
    assert index.find(ons_code="e08000019")[0].slug == "sheffield"
    assert index.find(name="Bristol")[0].la_code == "801"
    assert index.find(name="St Helens")[0].la_code == "342"
