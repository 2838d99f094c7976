"""Migration 0003 merges key figures recorded more than once and keeps only official codes for missing values."""

import datetime
from decimal import Decimal

import pytest

from tests.inspections.migration_steps import migrate, migrated_to

pytestmark = pytest.mark.django_db(transaction=True)

# The councils app goes back too: its later columns (a former council's replacement) would otherwise be
# in the table but not in the models of the state before, which could not fill them.
BEFORE = [("inspections", "0003_inspection_date_bounds"), ("councils", "0002_performance_indexes")]
AFTER = [("inspections", "0004_key_figure_sources_and_codes")]
D = datetime.date


@pytest.fixture
def old_apps():
    with migrated_to(BEFORE) as apps:
        yield apps


def test_duplicates_become_one_figure_with_every_source(old_apps):
    Council = old_apps.get_model("councils", "Council")
    Source = old_apps.get_model("inspections", "Source")
    KeyFigure = old_apps.get_model("inspections", "KeyFigure")
    council = Council.objects.create(name="Tower Hamlets", slug="tower-hamlets", la_code="211")
    report = Source.objects.create(key="report", kind="ofsted_report", title="Inspection report", publisher="Ofsted")
    dfe = Source.objects.create(key="dfe", kind="dataset", title="Children on child protection plans", publisher="DfE")
    news = Source.objects.create(key="news", kind="news_article", title="An article")
    common = {"council": council, "metric": "child_protection_plans", "unit": "count", "date": D(2016, 3, 31)}
    KeyFigure.objects.create(**common, value=Decimal("305"), source=report, notes="From the 2017 report.")
    KeyFigure.objects.create(**common, value=Decimal("298"), source=dfe)
    KeyFigure.objects.create(**common, value=Decimal("298"), source=news)
    alone = KeyFigure.objects.create(**{**common, "date": D(2017, 3, 31)}, value=Decimal("381"), source=dfe)
    odd_code = KeyFigure.objects.create(**{**common, "date": D(2018, 3, 31)}, value=None, missing_code=":", source=dfe)
    upper_code = KeyFigure.objects.create(**{**common, "date": D(2019, 3, 31)}, value=None, missing_code="C", source=dfe)

    new_apps = migrate(AFTER)
    KeyFigure = new_apps.get_model("inspections", "KeyFigure")
    merged = KeyFigure.objects.get(date=D(2016, 3, 31))
    assert (merged.value, merged.source.key) == (Decimal("298"), "dfe"), "official statistics stand"
    assert sorted(merged.also_reported_by.values_list("key", flat=True)) == ["news", "report"]
    assert merged.source_disagreement == (
        "Inspection report (Ofsted) gives 305; the figure keeps 298 from Children on child protection plans (DfE)."
    )
    assert merged.notes == "From the 2017 report."
    assert KeyFigure.objects.get(pk=alone.pk).also_reported_by.count() == 0
    assert KeyFigure.objects.count() == 4
    recoded = KeyFigure.objects.get(pk=odd_code.pk)
    assert recoded.missing_code == "x" and "“:”" in recoded.notes
    assert KeyFigure.objects.get(pk=upper_code.pk).missing_code == "c"
