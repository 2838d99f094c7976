"""DfE's indicator files become key figures per council per year; suppressed values stay absent with their code."""

import datetime
from decimal import Decimal

import pytest

from councils.models import Council
from importing.files import ImportFileError
from inspections.importers.dfe_indicators_csv import import_indicators_csv
from inspections.models import KeyFigure, Origin, Source

from .conftest import write_csv

D = datetime.date
BASE = ["time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code", "region_name", "old_la_code", "new_la_code", "la_name"]
WORKFORCE_COLUMNS = [*BASE, "inpost_headcount", "turnover_rate_fte", "agency_rate_fte", "vacancy_rate_fte", "caseload_fte"]
LOOKED_AFTER_COLUMNS = [*BASE, "population_type", "population_estimate", "children_count", "rate_per_10000"]
CHILD_PROTECTION_COLUMNS = [*BASE, "category", "CPP_At31"]


def workforce_row(year, la_code, ons_code, name, level="Local authority", headcount="291", turnover="8.6", agency="21.2", vacancy="19.9", caseload="13.1"):
    return {
        "time_period": str(year), "time_identifier": "Reporting year", "geographic_level": level,
        "old_la_code": la_code, "new_la_code": ons_code, "la_name": name, "inpost_headcount": headcount,
        "turnover_rate_fte": turnover, "agency_rate_fte": agency, "vacancy_rate_fte": vacancy, "caseload_fte": caseload,
    }


def figures(slug, metric):
    return {
        figure.date: (figure.value, figure.missing_code)
        for figure in KeyFigure.objects.filter(council__slug=slug, metric=metric)
    }


@pytest.mark.parametrize("code", ["c", "x", "z", "u", "low"])
def test_suppressed_values_are_absent_with_their_code(councils, tmp_path, code):
    path = write_csv(tmp_path / "workforce.csv", WORKFORCE_COLUMNS, [workforce_row(2024, "211", "E09000030", "Tower Hamlets", agency=code)])
    import_indicators_csv(path)
    figure = KeyFigure.objects.get(council__slug="tower-hamlets", metric="agency_worker_rate")
    assert figure.value is None
    assert figure.missing_code == code
    assert figure.date == D(2024, 9, 30)
    assert KeyFigure.objects.get(council__slug="tower-hamlets", metric="social_worker_turnover_rate").value == Decimal("8.6")


def test_workforce_figures(councils, tmp_path):
    path = write_csv(
        tmp_path / "social_work_workforce.csv",
        WORKFORCE_COLUMNS,
        [
            workforce_row(2025, "", "", "", level="National"),
            workforce_row(2025, "", "", "", level="Regional"),
            workforce_row(2024, "211", "E09000030", "Tower Hamlets", turnover="8.1", caseload="11.9"),
            workforce_row(2024, "314 / 318", "E09000021 / E09000027", "Kingston upon Thames / Richmond upon Thames"),
            workforce_row(2018, "835", "E10000009", "Dorset"),  # the former county, not today's Dorset (838)
            workforce_row(2024, "370", "E08000016", "Barnsley", vacancy=""),  # Barnsley's old ONS code
        ],
    )
    summary = import_indicators_csv(path)
    assert figures("tower-hamlets", "social_worker_turnover_rate") == {D(2024, 9, 30): (Decimal("8.1"), "")}
    assert figures("tower-hamlets", "average_caseload") == {D(2024, 9, 30): (Decimal("11.9"), "")}
    assert figures("tower-hamlets", "social_worker_headcount") == {D(2024, 9, 30): (Decimal("291"), "")}
    assert figures("barnsley", "agency_worker_rate") == {D(2024, 9, 30): (Decimal("21.2"), "")}
    assert figures("barnsley", "vacancy_rate") == {}  # blank: no figure at all, not zero
    assert summary.skipped["national or regional row (not a council)"] == 2
    assert summary.skipped["figures for several councils together"] == 1
    assert summary.skipped["council not known (its code is not the named council's)"] == 1
    assert summary.skipped["blank value"] == 1
    assert not KeyFigure.objects.filter(council__slug="dorset").exists()
    figure = KeyFigure.objects.filter(council__slug="tower-hamlets").first()
    assert figure.unit and figure.origin == Origin.OFSTED_OUTCOMES
    assert figure.source.kind == Source.Kind.DATASET and figure.source.publisher == "Department for Education"


def test_looked_after_keeps_only_children_looked_after_on_31_march(councils, tmp_path):
    def row(population_type, count, rate):
        return {
            "time_period": "2025", "geographic_level": "Local authority", "old_la_code": "211", "new_la_code": "E09000030",
            "la_name": "Tower Hamlets", "population_type": population_type, "population_estimate": "63073",
            "children_count": count, "rate_per_10000": rate,
        }

    path = write_csv(
        tmp_path / "children_looked_after.csv",
        LOOKED_AFTER_COLUMNS,
        [
            row("Children ceasing to be looked after each year", "162", "26"),
            row("Children looked after on 31 March each year", "284", "45"),
            row("Children starting to be looked after each year", "168", "27"),
        ],
    )
    import_indicators_csv(path)
    assert figures("tower-hamlets", "children_looked_after") == {D(2025, 3, 31): (Decimal("284"), "")}
    assert figures("tower-hamlets", "children_looked_after_rate") == {D(2025, 3, 31): (Decimal("45"), "")}


def test_child_protection_plans_and_former_councils(councils, tmp_path):
    def row(year, la_code, ons_code, name, value):
        return {"time_period": str(year), "geographic_level": "Local authority", "old_la_code": la_code, "new_la_code": ons_code, "la_name": name, "category": "Child Protection Plans by length of time", "CPP_At31": value}

    path = write_csv(
        tmp_path / "child_protection_plans.csv",
        CHILD_PROTECTION_COLUMNS,
        [row(2025, "211", "E09000030", "Tower Hamlets", "220"), row(2018, "837", "E06000028", "Bournemouth", "c"), row(2019, "836", "E06000029", "Poole", "140")],
    )
    import_indicators_csv(path)
    assert figures("tower-hamlets", "child_protection_plans") == {D(2025, 3, 31): (Decimal("220"), "")}
    assert figures("bournemouth", "child_protection_plans") == {D(2018, 3, 31): (None, "c")}
    assert figures("poole", "child_protection_plans") == {D(2019, 3, 31): (Decimal("140"), "")}
    assert not Council.objects.get(slug="poole").is_current


def test_a_changed_value_is_updated_and_counted(councils, tmp_path):
    path = tmp_path / "workforce.csv"
    write_csv(path, WORKFORCE_COLUMNS, [workforce_row(2024, "211", "E09000030", "Tower Hamlets", turnover="8.1")])
    import_indicators_csv(path)
    write_csv(path, WORKFORCE_COLUMNS, [workforce_row(2024, "211", "E09000030", "Tower Hamlets", turnover="x")])
    summary = import_indicators_csv(path)
    assert figures("tower-hamlets", "social_worker_turnover_rate") == {D(2024, 9, 30): (None, "x")}
    assert summary.updated["key figures"] == 1 and summary.unchanged["key figures"] == 4


def test_file_without_known_measures_is_refused(councils, tmp_path):
    path = write_csv(tmp_path / "other.csv", [*BASE, "something_else"], [{"time_period": "2024", "geographic_level": "National"}])
    with pytest.raises(ImportFileError, match="wrong columns: not DfE's workforce"):
        import_indicators_csv(path)


def test_shipped_files_tower_hamlets_every_year(councils):
    from .conftest import CHILD_PROTECTION_CSV, LOOKED_AFTER_CSV, WORKFORCE_CSV

    for path in (WORKFORCE_CSV, LOOKED_AFTER_CSV, CHILD_PROTECTION_CSV):
        import_indicators_csv(path)
    for metric in ("social_worker_turnover_rate", "agency_worker_rate", "vacancy_rate", "average_caseload"):
        assert sorted(date.year for date in figures("tower-hamlets", metric)) == list(range(2017, 2026)), metric
    for metric in ("children_looked_after", "children_looked_after_rate"):
        assert sorted(date.year for date in figures("tower-hamlets", metric)) == list(range(2021, 2026)), metric
    assert sorted(date.year for date in figures("tower-hamlets", "child_protection_plans")) == list(range(2013, 2026))
    assert figures("tower-hamlets", "children_looked_after")[D(2025, 3, 31)] == (Decimal("284"), "")
    assert figures("tower-hamlets", "social_worker_turnover_rate")[D(2025, 9, 30)] == (Decimal("8.6"), "")
    # Every DfE missing-value code in the files is stored as such, never as a number.
    assert set(KeyFigure.objects.exclude(missing_code="").values_list("missing_code", flat=True)) == {"c", "x", "z", "u", "low"}
    assert not KeyFigure.objects.filter(value__isnull=True, missing_code="").exists()
    source = Source.objects.get(document="data/indicators/social_work_workforce_2017_to_2025.csv")
    assert (source.kind, source.publisher) == (Source.Kind.DATASET, "Department for Education")
    assert source.title == "Children's social work workforce (at 30 September), by local authority, 2017 to 2025"
