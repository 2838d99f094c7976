"""No cell of any export can run as a spreadsheet formula, whatever text any field of any model holds.

A formula goes into every text field of every model the exports read (councils, regions, inspections,
judgements, findings, sources, key figures), written straight to the database so that no form or
save() stands in the way; then every dataset is read back and no cell may start with = + - @ tab or CR.
"""

import datetime
import itertools

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

from inspections.exports import DATASETS
from inspections.frameworks import Area, Grade
from inspections.models import Finding, Inspection, KeyFigure
from tests.factories import (
    CouncilFactory,
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    KeyFigureFactory,
    SourceFactory,
)
from tests.inspections.exports.conftest import read_csv

pytestmark = pytest.mark.django_db

STARTS = ("=", "+", "-", "@", "\t", "\r")

# Fields the database itself keeps to a fixed form (CHECK constraints), so that no formula gets in.
REFUSED_BY_THE_DATABASE = {
    ("Council", "la_code"),
    ("Judgement", "area"),
    ("Judgement", "grade"),
    ("Judgement", "framework"),
    ("KeyFigure", "missing_code"),
}
# Changed, it would take the row out of the exports, which read published inspections only.
KEPT_PUBLISHED = {(Inspection, "status")}


def text_fields(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField)) and (model, field.name) not in KEPT_PUBLISHED
    ]


def exported_models():
    return [
        model
        for label in ("councils", "inspections")
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical") and model.__name__ != "DataVersion"
    ]


@pytest.fixture
def formulas_everywhere():
    """One row of each kind, every text field holding a formula; returns the formulas written."""
    council = CouncilFactory()
    source = SourceFactory()
    inspection = InspectionFactory(council=council)
    inspection.sources.add(source)
    JudgementFactory(inspection=inspection, area=Area.OVERALL_EFFECTIVENESS, grade=Grade.GOOD, source=source)
    FindingFactory(inspection=inspection, source=source)
    figure = KeyFigureFactory(council=council, source=source, value=None, missing_code="c")
    figure.also_reported_by.add(SourceFactory())
    KeyFigureFactory(council=council, source=source, value=None, missing_code="x", date=datetime.date(2023, 9, 30))
    written, refused = [], set()
    counter = itertools.count()
    for model in exported_models():
        for pk in model._default_manager.values_list("pk", flat=True):
            for field in text_fields(model):
                n = next(counter)
                formula = f"{STARTS[n % len(STARTS)]}2+5*{n}"[: field.max_length or None]
                try:
                    with transaction.atomic():
                        model._default_manager.filter(pk=pk).update(**{field.name: formula})
                except IntegrityError:
                    refused.add((model.__name__, field.name))
                else:
                    written.append(formula)
    return written, refused


def test_every_model_and_text_field_is_covered(formulas_everywhere):
    written, refused = formulas_everywhere
    covered = {model.__name__ for model in exported_models() if text_fields(model)}
    assert {"Region", "Council", "Inspection", "Judgement", "Finding", "Source", "KeyFigure"} <= covered
    assert "text" in {field.name for field in text_fields(Finding)}
    assert refused == REFUSED_BY_THE_DATABASE, "only these fields may keep a formula out themselves"
    assert len(written) >= 40


# The councils and judgements datasets are being rewritten on another branch, which neutralises these
# columns too; strict, so that the mark must go once they are.
@pytest.mark.parametrize("name", list(DATASETS))
def test_no_cell_of_any_export_starts_a_formula(client, formulas_everywhere, name):
    response = client.get(f"/export/{name}.csv")
    assert response.status_code == 200
    rows = read_csv(response)
    assert rows, f"the {name} export must have rows for the test to mean anything"
    cells = [(column, cell) for row in rows for column, cell in row.items()]
    unsafe = [(column, cell) for column, cell in cells if cell.startswith(STARTS)]
    assert not unsafe, f"{name}: {unsafe}"
    assert any(cell.startswith("'") for _column, cell in cells), "the formulas must reach the export"


def test_the_database_takes_only_official_codes_for_a_missing_value():
    figure = KeyFigureFactory(value=None, missing_code="c")
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyFigure.objects.filter(pk=figure.pk).update(missing_code="=2+5*1000")
    for code in ("k", "low", "u", "x", "z"):
        KeyFigure.objects.filter(pk=figure.pk).update(missing_code=code)
        assert KeyFigure.objects.get(pk=figure.pk).missing_code == code
