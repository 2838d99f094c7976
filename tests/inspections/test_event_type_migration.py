"""Migration 0008 removes the full inspections the history CSV made of reports it could not type.

Before it, the history CSV made an undated, ungraded "full inspection" of every report before 2018; those no
report confirmed were not full inspections (Surrey's 2015 review of its board alone, four 2013 inspections of looked
after children's services alone, four 2012 web pages saved where a report was). load_data makes what they were.
"""

import datetime

import pytest

from tests.inspections.migration_steps import migrate, migrated_to

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("inspections", "0007_data_version_changed_at"), ("councils", "0003_council_replaced_on")]
AFTER = [("inspections", "0008_event_types_of_their_own")]
D = datetime.date


@pytest.fixture
def old_apps():
    with migrated_to(BEFORE) as apps:
        yield apps


def test_only_the_guessed_rows_nobody_confirmed_or_edited_go(old_apps):
    Council = old_apps.get_model("councils", "Council")
    Source = old_apps.get_model("inspections", "Source")
    Inspection = old_apps.get_model("inspections", "Inspection")
    HistoricalInspection = old_apps.get_model("inspections", "HistoricalInspection")
    council = Council.objects.create(name="Surrey", slug="surrey", la_code="936")
    history_csv = Source.objects.create(key="history", kind="dataset", title="ILACS inspection history")
    report = Source.objects.create(key="report", kind="ofsted_report", title="Surrey: inspection", publisher="Ofsted")

    def guessed(published, **fields):
        fields = {"origin": "ofsted_outcomes", **fields}
        inspection = Inspection.objects.create(
            council=council, event_type="full_inspection", framework="sif", published_date=published,
            status="published", **fields,
        )  # fmt: skip
        inspection.sources.add(history_csv)
        return inspection

    review = guessed(D(2015, 8, 3))  # the board's review: the CSV's guess, nothing else
    confirmed = guessed(D(2015, 6, 3))
    confirmed.sources.add(report)
    edited = guessed(D(2015, 9, 1))
    HistoricalInspection.objects.create(
        id=edited.pk, council_id=council.pk, event_type="full_inspection", framework="sif", origin="ofsted_outcomes",
        status="published", published_date=D(2015, 9, 1), date_precision="day", history_date=datetime.datetime(2016, 1, 1, tzinfo=datetime.UTC),
        history_type="~", history_change_reason=None, created=datetime.datetime(2016, 1, 1, tzinfo=datetime.UTC),
        updated=datetime.datetime(2016, 1, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    dated = guessed(D(2014, 5, 1), start_date=D(2014, 3, 1))
    by_hand = guessed(D(2013, 1, 1), origin="manual")

    new_apps = migrate(AFTER)
    remaining = set(new_apps.get_model("inspections", "Inspection").objects.values_list("pk", flat=True))

    assert review.pk not in remaining
    assert {confirmed.pk, edited.pk, dated.pk, by_hand.pk} <= remaining
