"""A figure two sources give (same council, metric and date) is one figure with both sources kept.

Official statistics' value stands; where another source's differs, editors find the difference on the
figure, not the public.
"""

import datetime
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from councils.models import Council
from inspections.importers.dfe_indicators_csv import import_indicators_csv
from inspections.management.commands.load_data import load_fixture_keeping_edits
from inspections.models import KeyFigure, Origin, Source
from tests.dashboard.test_council_page import chart_json
from tests.factories import SourceFactory

from .conftest import write_csv
from .test_import_indicators import CHILD_PROTECTION_COLUMNS, LOOKED_AFTER_COLUMNS

D = datetime.date
MARCH_2016 = D(2016, 3, 31)


def child_protection_file(tmp_path, plans="298"):
    row = {
        "time_period": "2016", "time_identifier": "Reporting year", "geographic_level": "Local authority",
        "old_la_code": "211", "new_la_code": "E09000030", "la_name": "Tower Hamlets", "CPP_At31": plans,
    }  # fmt: skip
    return write_csv(tmp_path / "child_protection_plans.csv", CHILD_PROTECTION_COLUMNS, [row])


@pytest.fixture
def report():
    return SourceFactory(key="ofsted-report-tower-hamlets-2017-04-07", title="Inspection of Tower Hamlets", publisher="Ofsted")


def hand_entered(report, value="298"):
    return KeyFigure.objects.create(
        council=Council.objects.get(slug="tower-hamlets"), metric="child_protection_plans", value=Decimal(value),
        unit="count", date=MARCH_2016, source=report, notes="At 31 March 2016 (2017 report).",
    )  # fmt: skip


def test_the_same_figure_from_an_import_is_merged_into_the_hand_entered_one(councils, tmp_path, report):
    hand_entered(report)
    summary = import_indicators_csv(child_protection_file(tmp_path))
    figure = KeyFigure.objects.get(council__slug="tower-hamlets", metric="child_protection_plans")
    assert figure.value == Decimal("298")
    assert figure.source.publisher == "Department for Education", "official statistics are the figure's source"
    assert list(figure.also_reported_by.all()) == [report]
    assert figure.source_disagreement == ""
    assert figure.notes == "At 31 March 2016 (2017 report).", "the hand-entered notes are kept"
    assert summary.updated["key figures also given by another source (merged)"] == 1
    assert not summary.conflicts


def test_where_the_values_differ_the_official_one_stands_and_editors_see_the_other(councils, tmp_path, report):
    hand_entered(report, value="305")
    summary = import_indicators_csv(child_protection_file(tmp_path, plans="298"))
    figure = KeyFigure.objects.get(council__slug="tower-hamlets", metric="child_protection_plans")
    assert figure.value == Decimal("298")
    assert figure.origin == Origin.OFSTED_OUTCOMES, "later imports may update the official figure"
    assert list(figure.also_reported_by.all()) == [report]
    assert "Inspection of Tower Hamlets (Ofsted, 22 July 2019) gives 305" in figure.source_disagreement
    assert "keeps 298 from Children on child protection plans" in figure.source_disagreement
    assert len(summary.conflicts) == 1 and "305" in summary.conflicts[0] and "kept 298" in summary.conflicts[0]


def test_a_suppressed_official_figure_stands_over_a_reported_number(councils, tmp_path, report):
    hand_entered(report, value="305")
    import_indicators_csv(child_protection_file(tmp_path, plans="c"))
    figure = KeyFigure.objects.get(council__slug="tower-hamlets", metric="child_protection_plans")
    assert (figure.value, figure.missing_code) == (None, "c")
    assert "gives 305" in figure.source_disagreement and "keeps c from" in figure.source_disagreement


@pytest.mark.parametrize("first_kind", [Source.Kind.OFSTED_REPORT, Source.Kind.OFSTED_STATISTICS])
def test_importing_again_changes_nothing(councils, tmp_path, first_kind):
    """Whether the file's figure took over (from a report) or was added beside one (official statistics)."""
    first = SourceFactory(kind=first_kind)
    hand_entered(first, value="305")
    path = child_protection_file(tmp_path)
    import_indicators_csv(path)
    before = KeyFigure.objects.get()
    summary = import_indicators_csv(path)
    after = KeyFigure.objects.get()
    assert not summary.changed and summary.unchanged["key figures"] == 1
    assert (after.pk, after.value, after.source_id, after.source_disagreement) == (
        before.pk, before.value, before.source_id, before.source_disagreement,
    )  # fmt: skip
    assert after.source_disagreement.count("gives") == 1
    assert after.also_reported_by.count() == 1


def test_official_statistics_already_recorded_keep_their_value_against_the_import(councils, tmp_path):
    """Between two official sources the figure recorded first stands; the file's source is added to it."""
    ofsted = SourceFactory(kind=Source.Kind.OFSTED_STATISTICS, title="Ofsted's statistics", publisher="Ofsted")
    KeyFigure.objects.create(
        council=Council.objects.get(slug="tower-hamlets"), metric="child_protection_plans", value=300,
        unit="count", date=MARCH_2016, source=ofsted,
    )  # fmt: skip
    import_indicators_csv(child_protection_file(tmp_path, plans="298"))
    figure = KeyFigure.objects.get()
    assert (figure.value, figure.source) == (Decimal("300"), ofsted)
    assert [s.publisher for s in figure.also_reported_by.all()] == ["Department for Education"]
    assert "gives 298" in figure.source_disagreement


def test_the_fixture_loaded_after_the_import_merges_too(councils, tmp_path, report):
    import_indicators_csv(child_protection_file(tmp_path))
    fixture = tmp_path / "record.json"
    fixture.write_text(json.dumps([{
        "model": "inspections.keyfigure",
        "fields": {
            "council": ["tower-hamlets"], "metric": "child_protection_plans", "value": "298", "missing_code": "",
            "unit": "count", "date": "2016-03-31", "date_precision": "day", "source": [report.key],
            "notes": "At 31 March 2016 (2017 report).", "origin": "manual",
        },
    }]))  # fmt: skip
    assert load_fixture_keeping_edits(fixture) == (0, 1, 0)
    assert load_fixture_keeping_edits(fixture) == (0, 0, 1), "loading it again changes nothing"
    figure = KeyFigure.objects.get()
    assert figure.source.publisher == "Department for Education"
    assert list(figure.also_reported_by.all()) == [report]
    assert figure.notes == "At 31 March 2016 (2017 report)."


def test_the_council_page_shows_one_point_for_a_figure_two_sources_give(client, councils, tmp_path, report):
    tower_hamlets = Council.objects.get(slug="tower-hamlets")
    KeyFigure.objects.create(
        council=tower_hamlets, metric="children_looked_after_rate", value=47, unit="rate_per_10000",
        date=D(2021, 3, 31), source=report,
    )  # fmt: skip
    row = {
        "time_period": "2021", "geographic_level": "Local authority", "old_la_code": "211", "new_la_code": "E09000030",
        "la_name": "Tower Hamlets", "population_type": "Children looked after on 31 March each year",
        "children_count": "305", "rate_per_10000": "47",
    }  # fmt: skip
    import_indicators_csv(write_csv(tmp_path / "looked_after.csv", LOOKED_AFTER_COLUMNS, [row]))
    page = client.get(tower_hamlets.get_absolute_url()).content.decode()
    chart = chart_json(page, "context-indicators")
    (trace,) = [t for t in chart["data"] if t["name"] == "Children looked after per 10,000"]
    assert trace["x"] == ["2021-03-31"] and trace["y"] == [47]


def test_codes_that_are_not_official_are_not_stored(councils, tmp_path):
    row = {
        "time_period": "2016", "geographic_level": "Local authority", "old_la_code": "211",
        "new_la_code": "E09000030", "la_name": "Tower Hamlets", "CPP_At31": "..",
    }  # fmt: skip
    summary = import_indicators_csv(write_csv(tmp_path / "cpp.csv", CHILD_PROTECTION_COLUMNS, [row]))
    assert not KeyFigure.objects.exists()
    assert summary.skipped["value not a number or DfE code"] == 1


def test_the_disagreement_is_shown_to_editors_and_not_on_public_pages(admin_client, client, councils, tmp_path, report):
    tower_hamlets = Council.objects.get(slug="tower-hamlets")
    KeyFigure.objects.create(
        council=tower_hamlets, metric="children_looked_after_rate", value=48, unit="rate_per_10000",
        date=D(2021, 3, 31), source=report,
    )  # fmt: skip
    row = {
        "time_period": "2021", "geographic_level": "Local authority", "old_la_code": "211", "new_la_code": "E09000030",
        "la_name": "Tower Hamlets", "population_type": "Children looked after on 31 March each year",
        "children_count": "305", "rate_per_10000": "47",
    }  # fmt: skip
    import_indicators_csv(write_csv(tmp_path / "looked_after.csv", LOOKED_AFTER_COLUMNS, [row]))
    figure = KeyFigure.objects.get(metric="children_looked_after_rate")
    assert "gives 48" in figure.source_disagreement
    admin_page = admin_client.get(reverse("admin:inspections_keyfigure_change", args=[figure.pk])).content.decode()
    assert "gives 48" in admin_page
    public_page = client.get(tower_hamlets.get_absolute_url()).content.decode()
    assert "47" in public_page and "gives 48" not in public_page
