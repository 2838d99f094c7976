"""Synthetic data for performance work: reproducible, valid, and never mixed into real data by accident."""

import pytest
from django.db import transaction
from django.core.management import CommandError, call_command

from councils.models import Council
from inspections.frameworks import judgement_problem
from inspections.models import Finding, Inspection, Judgement, KeyFigure
from tests.factories import CouncilFactory
from tests.inspections.conftest import loaded_for_the_module

pytestmark = pytest.mark.django_db

SMALL = {"events_per_council": 4, "findings_per_inspection": 3}


def snapshot():
    return (
        list(Council.objects.order_by("slug").values_list("slug", "ons_code", "la_type")),
        list(Inspection.objects.order_by("council__slug", "event_type", "start_date").values_list(
            "council__slug", "event_type", "framework", "start_date", "lead_inspector"
        )),
        list(Judgement.objects.order_by("inspection__council__slug", "inspection__start_date", "area").values_list(
            "area", "grade"
        )),
        Finding.objects.count(),
    )


def test_same_seed_same_data():
    # The first run is rolled back rather than deleted: deleting row by row, with history, took most of a minute.
    with transaction.atomic():
        call_command("generate_synthetic", scale=1, seed=7, **SMALL)
        first = snapshot()
        transaction.set_rollback(True)
    assert not Council.objects.exists()
    call_command("generate_synthetic", scale=1, seed=7, **SMALL)
    assert snapshot() == first


def test_refuses_a_database_with_real_councils():
    CouncilFactory(slug="tower-hamlets")
    with pytest.raises(CommandError, match="holds real councils"):
        call_command("generate_synthetic", scale=1, **SMALL)
    assert Council.objects.count() == 1


def test_writes_beside_real_councils_when_told_to():
    CouncilFactory(slug="tower-hamlets")
    call_command("generate_synthetic", scale=1, allow_real_data=True, **SMALL)
    assert Council.objects.count() == 154


def test_a_scale_below_one_is_refused():
    with pytest.raises(CommandError, match="--scale must be 1 or more"):
        call_command("generate_synthetic", scale=0)


# Last in the file: what `generated` writes stays in the database until the module ends, and the tests
# above need an empty one.
@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """One generation, read by the tests that only look at what it wrote; yields what the command printed."""
    yield from loaded_for_the_module(django_db_blocker, "generate_synthetic", scale=1, seed=3, **SMALL)


def test_writes_scale_times_153_councils_with_histories(generated):
    assert Council.objects.count() == 153
    assert Inspection.objects.count() > 153 * 3
    assert Finding.objects.count() > Inspection.objects.count()
    assert KeyFigure.objects.exists()
    assert "153 councils" in generated


def test_every_judgement_is_valid_for_its_framework_and_date(generated):
    for framework, area, grade, start in Judgement.objects.values_list("framework", "area", "grade", "inspection_start_date"):
        assert judgement_problem(framework, area, grade, start) is None


def test_codes_never_collide_with_real_councils(generated):
    synthetic = Council.objects.all()
    assert not synthetic.filter(la_code__isnull=False).exists()
    assert all(code.startswith("S") for code in synthetic.values_list("ons_code", flat=True))
    assert all(urn.startswith("S") for urn in synthetic.values_list("ofsted_urn", flat=True))
