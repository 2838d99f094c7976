"""The Tower Hamlets record (fixtures/tower_hamlets.json) says exactly what its sources say.

Each expected value below is a fact from the sources shipped in fixtures/ (the 2010 Ofsted letter, four
news articles and three Ofsted report PDFs); see /work/shared/domain.md for the timeline.
"""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from councils.models import Council, Region
from inspections.frameworks import judgement_problem
from inspections.metrics import METRICS, metric_unit
from inspections.models import Finding, Inspection, Judgement, KeyFigure, Source
from tests.inspections.conftest import loaded_for_the_module

pytestmark = pytest.mark.django_db

D = datetime.date
TH = "tower-hamlets"

LETTER = "ofsted-letter-tower-hamlets-2010-02-24"
CYP = "cypnow-behind-the-inspection-rating-tower-hamlets"
CC_2019 = "communitycare-tower-hamlets-jumps-two-grades-to-good"
CC_2018 = "communitycare-tower-hamlets-struggle-to-articulate-practice-model"
CF = "childrenfirst-tower-hamlets-considerable-improvements-children-in-care"
R2017 = "ofsted-report-tower-hamlets-2017-04-07"
R2019 = "ofsted-report-tower-hamlets-2019-07-22"
R2025 = "ofsted-report-tower-hamlets-2025-01-13"
ODS = "ofsted-la-inspection-outcomes-as-at-2025-03-31"
CSV = "ilacs-inspection-history-scrape"

# Natural keys (event type, start date, visit number) of every event the sources state.
UNANNOUNCED_2010 = ("unannounced_inspection", D(2010, 1, 26), None)
SAFEGUARDING_2012 = ("full_inspection", D(2012, 7, 1), None)
SIF_2017 = ("full_inspection", D(2017, 1, 23), None)
VISIT_BY_JAN_2018 = ("monitoring_visit", None, None)
VISIT_AUG_2018 = ("monitoring_visit", D(2018, 8, 1), None)
VISIT_FIFTH = ("monitoring_visit", None, 5)
VISIT_SPRING_2019 = ("monitoring_visit", D(2019, 1, 1), None)
ILACS_2019 = ("standard_inspection", D(2019, 6, 10), None)
ILACS_2024 = ("short_inspection", D(2024, 11, 11), None)

ALL_EVENTS = [
    UNANNOUNCED_2010,
    SAFEGUARDING_2012,
    SIF_2017,
    VISIT_BY_JAN_2018,
    VISIT_AUG_2018,
    VISIT_FIFTH,
    VISIT_SPRING_2019,
    ILACS_2019,
    ILACS_2024,
]


@pytest.fixture(scope="module")
def loaded_record(django_db_setup, django_db_blocker):
    yield from loaded_for_the_module(django_db_blocker, "loaddata", "tower_hamlets", verbosity=0)


@pytest.fixture
def record(loaded_record, db):
    pass


def event(key):
    event_type, start_date, visit_number = key
    return Inspection.objects.get(
        council__slug=TH, event_type=event_type, start_date=start_date, visit_number=visit_number
    )


def grades(key):
    return {j.area: j.grade for j in event(key).judgements.all()}


def texts(key, kind):
    return list(event(key).findings.filter(kind=kind).order_by("order").values_list("text", flat=True))


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Region, Council, Source, Inspection, Judgement, Finding, KeyFigure, Inspection.sources.through)
    }


# --- Council and sources ------------------------------------------------------------------------------


def test_council_codes_from_the_reference_table(record):
    council = Council.objects.get(slug=TH)
    assert council.name == "Tower Hamlets"
    assert (council.ofsted_urn, council.la_code, council.ons_code) == ("80516", "211", "E09000030")
    assert (council.region.code, council.region.name) == ("E12000007", "London")
    assert council.la_type == Council.LAType.LONDON_BOROUGH
    assert council.population_0_25 == 113173
    assert council.is_current


def test_sources(record):
    expected = {
        LETTER: ("ofsted_letter", "Ofsted", D(2010, 2, 24), "sources/seeds/004_686f96d9771e34e4.txt", ""),
        CYP: ("news_article", "Children & Young People Now", None, "sources/seeds/000_9b9630288f5ee7a1.txt", ""),
        CC_2019: ("news_article", "Community Care", None, "sources/seeds/001_5a2ab5dda8ab634d.txt", ""),
        CC_2018: ("news_article", "Community Care", None, "sources/seeds/002_2c8da04a0aaf79fa.txt", ""),
        CF: ("news_article", "Children First / WillisPalmer", None, "sources/seeds/003_2ce07d26d9d99a6e.txt", ""),
        R2017: (
            "ofsted_report",
            "Ofsted",
            D(2017, 4, 7),
            "reports/tower-hamlets/tower-hamlets_published-2017-04-07.pdf",
            "https://files.ofsted.gov.uk/v1/file/2760740",
        ),
        R2019: (
            "ofsted_report",
            "Ofsted",
            D(2019, 7, 22),
            "reports/tower-hamlets/tower-hamlets_published-2019-07-22.pdf",
            "https://files.ofsted.gov.uk/v1/file/50094564",
        ),
        R2025: (
            "ofsted_report",
            "Ofsted",
            D(2025, 1, 13),
            "reports/tower-hamlets/tower-hamlets_published-2025-01-13.pdf",
            "https://files.ofsted.gov.uk/v1/file/50266090",
        ),
        ODS: (
            "ofsted_statistics",
            "Ofsted",
            D(2025, 9, 25),
            "data/ofsted/LA_Inspection_Outcomes_as_at_31_March_2025.ods",
            "",
        ),
        CSV: ("dataset", "JT-39/ofsted-ilacs-scrape-tool", None, "data/ofsted/ilacs_inspection_history.csv", ""),
    }
    actual = {
        s.key: (s.kind, s.publisher, s.published_date, s.document, s.url) for s in Source.objects.all()
    }
    assert actual == expected
    for s in Source.objects.all():
        assert s.title
        assert (Path(settings.FIXTURES_DIR) / s.document).is_file(), s.document
        if s.published_date is not None:
            assert s.date_precision == "day"


def test_source_titles(record):
    titles = dict(Source.objects.values_list("key", "title"))
    assert titles[CYP] == "Behind the Inspection Rating: Staff investment reaps rewards"
    assert titles[CC_2019] == (
        "Ofsted pleased by \u2018transformed culture\u2019 as London borough jumps two grades to \u2018good\u2019"
    )
    assert titles[CC_2018].startswith("Social workers \u2018struggle to articulate\u2019 new practice model")
    assert titles[CF] == "Considerable improvements noted for children in care at Tower Hamlets"
    assert titles[LETTER].startswith("Annual unannounced inspection of contact, referral and assessment")
    assert titles[R2019] == "London Borough of Tower Hamlets: Inspection of children's social care services"
    assert titles[R2025] == "Inspection of Tower Hamlets local authority children's services"


# --- Inspections and visits ---------------------------------------------------------------------------


def test_exactly_the_events_the_sources_state(record):
    keys = {(i.event_type, i.start_date, i.visit_number) for i in Inspection.objects.filter(council__slug=TH)}
    assert keys == set(ALL_EVENTS)
    assert Inspection.objects.count() == 9
    assert Inspection.objects.filter(event_type="monitoring_visit").count() == 4


def test_natural_keys_are_unique(record):
    for model in (Inspection, Judgement, Finding, KeyFigure):
        keys = [obj.natural_key() for obj in model.objects.all()]
        assert len(keys) == len(set(keys)), model.__name__
    for obj in Inspection.objects.all():
        assert Inspection.objects.get_by_natural_key(*obj.natural_key()) == obj


@pytest.mark.parametrize(
    "key, framework, end_date, precision, published, lead",
    [
        (UNANNOUNCED_2010, "unannounced_2009", D(2010, 1, 27), "day", D(2010, 2, 24), "Karen McKeown"),
        (SAFEGUARDING_2012, "safeguarding_lac_2009", None, "month", None, ""),
        (SIF_2017, "sif", D(2017, 2, 16), "day", D(2017, 4, 7), "Brenda McLaughlin"),
        (VISIT_BY_JAN_2018, "", None, "day", None, ""),
        (VISIT_AUG_2018, "", None, "month", None, ""),
        (VISIT_FIFTH, "", None, "day", None, ""),
        (VISIT_SPRING_2019, "", None, "year", None, ""),
        (ILACS_2019, "ilacs", D(2019, 6, 21), "day", D(2019, 7, 22), "Marcie Taylor"),
        (ILACS_2024, "ilacs", D(2024, 11, 15), "day", D(2025, 1, 13), "Amanda Maxwell"),
    ],
)
def test_dates_frameworks_and_lead_inspectors(record, key, framework, end_date, precision, published, lead):
    inspection = event(key)
    assert inspection.framework == framework
    assert inspection.end_date == end_date
    assert inspection.date_precision == precision
    assert inspection.published_date == published
    assert inspection.lead_inspector == lead
    assert inspection.status == "published"
    assert inspection.origin == "manual"
    assert inspection.summary


def test_report_urls(record):
    assert event(SIF_2017).report_url == "https://files.ofsted.gov.uk/v1/file/2760740"
    assert event(ILACS_2019).report_url == "https://files.ofsted.gov.uk/v1/file/50094564"
    assert event(ILACS_2024).report_url == "https://files.ofsted.gov.uk/v1/file/50266090"
    assert event(UNANNOUNCED_2010).report_url == ""


def test_2012_date_conflict_is_noted(record):
    inspection = event(SAFEGUARDING_2012)
    assert inspection.dates_display == "July 2012"
    assert "June 2012" in inspection.notes
    assert set(inspection.sources.values_list("key", flat=True)) == {R2017, CYP}


def test_monitoring_visits(record):
    assert event(VISIT_FIFTH).visit_number == 5
    assert "timely permanence" in event(VISIT_FIFTH).theme
    assert event(VISIT_AUG_2018).dates_display == "August 2018"
    assert event(VISIT_BY_JAN_2018).dates_display == "date not known (after 7 April 2017; before 26 January 2018)"
    assert event(VISIT_FIFTH).not_before == datetime.date(2018, 8, 1)
    assert not Judgement.objects.filter(inspection__event_type="monitoring_visit").exists()
    # Everything known of the visits comes from news articles: the press's words, not Ofsted's findings.
    visit_findings = Finding.objects.filter(inspection__event_type="monitoring_visit")
    assert set(visit_findings.values_list("kind", flat=True)) == {"press_report"}
    assert set(visit_findings.values_list("source__kind", flat=True)) == {"news_article"}
    assert len(texts(VISIT_BY_JAN_2018, "press_report")) == 7
    assert len(texts(VISIT_FIFTH, "press_report")) == 16
    assert len(texts(VISIT_SPRING_2019, "press_report")) == 1
    assert texts(VISIT_AUG_2018, "press_report") == []
    assert any("180 children did not have a current assessment" in t for t in texts(VISIT_FIFTH, "press_report"))


def test_every_statement_from_a_news_article_is_a_press_report(record):
    from_articles = Finding.objects.filter(source__kind="news_article")
    assert from_articles.exists()
    assert not from_articles.exclude(kind="press_report").exists()
    for finding in Finding.objects.select_related("source"):
        finding.full_clean()


# --- Judgements ---------------------------------------------------------------------------------------


def test_every_grade(record):
    assert grades(UNANNOUNCED_2010) == {}
    assert grades(SAFEGUARDING_2012) == {"safeguarding_overall": "good", "looked_after_overall": "good"}
    assert grades(SIF_2017) == {
        "overall_effectiveness": "inadequate",
        "help_and_protection": "inadequate",
        "looked_after_and_permanence": "requires_improvement",
        "adoption": "requires_improvement",
        "care_leavers": "requires_improvement",
        "leadership": "inadequate",
        "lscb": "inadequate",
    }
    assert grades(ILACS_2019) == {
        "overall_effectiveness": "good",
        "leadership": "good",
        "help_and_protection": "good",
        "children_in_care_and_care_leavers": "good",
    }
    assert grades(ILACS_2024) == {
        "overall_effectiveness": "outstanding",
        "leadership": "outstanding",
        "help_and_protection": "good",
        "children_in_care": "good",
        "care_leavers": "outstanding",
    }
    assert Judgement.objects.count() == 18


def test_judgements_carry_their_inspection_fields_and_are_valid(record):
    for judgement in Judgement.objects.select_related("inspection", "source"):
        inspection = judgement.inspection
        assert judgement.framework == inspection.framework
        assert judgement.inspection_start_date == inspection.start_date
        assert judgement_problem(judgement.framework, judgement.area, judgement.grade, judgement.inspection_start_date) is None
        assert judgement.source is not None
        assert judgement.source in inspection.sources.all()
    assert set(Judgement.objects.filter(inspection=event(SAFEGUARDING_2012)).values_list("source__key", flat=True)) == {
        R2017
    }


# --- Findings -----------------------------------------------------------------------------------------


def test_2010_letter_items(record):
    letter = event(UNANNOUNCED_2010)
    assert texts(UNANNOUNCED_2010, "area_for_priority_action") == []
    done = texts(UNANNOUNCED_2010, "done_satisfactorily")
    strengths = texts(UNANNOUNCED_2010, "strength")
    development = texts(UNANNOUNCED_2010, "area_for_development")
    assert (len(done), len(strengths), len(development)) == (9, 8, 5)
    assert letter.findings.count() == 22
    assert done[0].startswith("Referrals are allocated promptly")
    assert done[-1].startswith("Effective communication between the hospital social work team")
    assert strengths[0].startswith("Senior managers effectively manage the strategic direction")
    assert strengths[4].endswith("to work with mobile or uncooperative families.")
    assert strengths[-1].startswith("The council, including elected members, supports the service well")
    assert development[0].startswith("Planning for children who are in need of support services")
    assert development[-1].endswith("which result in unrealistically high caseloads.")
    assert set(letter.findings.values_list("source__key", flat=True)) == {LETTER}


def test_2017_recommendations(record):
    recommendations = event(SIF_2017).findings.filter(kind="what_needs_to_improve").order_by("order")
    assert recommendations.count() == 20
    assert [f.order for f in recommendations] == list(range(1, 21))
    assert [f.area for f in recommendations] == [""] * 15 + ["lscb"] * 5
    assert recommendations[0].text.startswith("Take immediate action to ensure that work with children")
    assert recommendations[14].text.startswith("Implement the workforce strategy as swiftly as possible")
    assert recommendations[15].text.startswith("Urgently review monitoring and governance arrangements")
    assert recommendations[19].text.endswith("risks to sexually exploited children.")
    assert event(SIF_2017).findings.exclude(kind="what_needs_to_improve").count() == 0


def test_ilacs_what_needs_to_improve(record):
    assert texts(ILACS_2019, "what_needs_to_improve") == [
        "The quality of plans for children in need across the family support and protection teams in order to "
        "ensure that they are consistently good or better.",
        "The response and oversight of work in relation to allegations made against professionals.",
        "The quality and coordination of plans to support children returning home from care to remain with "
        "their families.",
    ]
    assert texts(ILACS_2024, "what_needs_to_improve") == [
        "Focus and in-depth understanding of the impact of family culture on a child\u2019s lived experience.",
        "The impact of plans when parental engagement is inconsistent and children are subject to longer "
        "periods of child protection planning.",
    ]
    assert event(ILACS_2019).findings.count() == 3
    assert event(ILACS_2024).findings.count() == 2


def test_findings_are_numbered_from_one_under_each_heading(record):
    for inspection in Inspection.objects.all():
        for kind in set(inspection.findings.values_list("kind", flat=True)):
            orders = list(inspection.findings.filter(kind=kind).order_by("order").values_list("order", flat=True))
            assert orders == list(range(1, len(orders) + 1)), (inspection, kind)
    assert Finding.objects.count() == 22 + 20 + 7 + 16 + 1 + 3 + 2


# The one repair made to a source's text: a line-break hyphen lost in the letter's text copy.
REPAIRS = {"better information-sharing": "better informationsharing"}


def _normalise(text):
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _document_text(document, cache={}):  # noqa: B006 - deliberate per-process cache
    if document not in cache:
        path = Path(settings.FIXTURES_DIR) / document
        if path.suffix == ".pdf":
            from pypdf import PdfReader

            text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
        else:
            text = path.read_text(encoding="utf-8")
        cache[document] = _normalise(text)
    return cache[document]


def test_finding_texts_are_verbatim_from_their_source(record):
    for finding in Finding.objects.select_related("source"):
        text = finding.text
        for repaired, original in REPAIRS.items():
            text = text.replace(repaired, original)
        assert _normalise(text) in _document_text(finding.source.document), finding.text[:80]


# --- Key figures --------------------------------------------------------------------------------------


def figure(metric, date, source):
    return KeyFigure.objects.get(council__slug=TH, metric=metric, date=date, source__key=source)


@pytest.mark.parametrize(
    "metric, date, precision, source, value",
    [
        ("children_looked_after", D(2012, 6, 1), "month", CYP, 298),
        ("child_protection_plans", D(2012, 6, 1), "month", CYP, 305),
        ("children_population_0_to_18", D(2012, 1, 1), "year", CYP, 60000),
        ("council_reported_turnover_rate", D(2018, 6, 1), "month", CC_2019, 33),
        ("council_reported_turnover_rate", D(2019, 5, 1), "month", CC_2019, 9),
        ("children_in_care_without_current_assessment", D(2018, 8, 1), "month", CF, 180),
        ("children_population", D(2017, 1, 1), "year", R2017, 65000),
        ("children_in_need", D(2017, 1, 31), "day", R2017, 3149),
        ("children_in_need", D(2016, 3, 31), "day", R2017, 2895),
        ("child_protection_plans", D(2017, 1, 31), "day", R2017, 401),
        ("child_protection_plan_rate", D(2017, 1, 31), "day", R2017, 62),
        ("child_protection_plans", D(2016, 3, 31), "day", R2017, 298),
        ("child_protection_plan_rate", D(2016, 3, 31), "day", R2017, 46),
        ("children_looked_after", D(2017, 1, 31), "day", R2017, 333),
        ("children_looked_after_rate", D(2017, 1, 31), "day", R2017, 51),
        ("children_looked_after", D(2016, 3, 31), "day", R2017, 305),
        ("children_looked_after_rate", D(2016, 3, 31), "day", R2017, 47),
    ],
)
def test_key_figures(record, metric, date, precision, source, value):
    kf = figure(metric, date, source)
    assert kf.value == Decimal(value)
    assert kf.missing_code == ""
    assert kf.date_precision == precision
    assert kf.unit == metric_unit(metric)
    assert kf.origin == "manual"


def test_no_other_key_figures(record):
    assert KeyFigure.objects.count() == 17
    assert all(kf.metric in METRICS for kf in KeyFigure.objects.all())


# --- Provenance and idempotence -----------------------------------------------------------------------


def test_everything_has_a_source(record):
    for inspection in Inspection.objects.all():
        assert inspection.sources.exists(), inspection
    for finding in Finding.objects.select_related("inspection"):
        assert finding.source_id is not None
        assert finding.source in finding.inspection.sources.all()
    assert not KeyFigure.objects.filter(source__isnull=True).exists()
    assert set(event(SIF_2017).sources.values_list("key", flat=True)) >= {R2017, CSV}
    assert set(event(ILACS_2019).sources.values_list("key", flat=True)) >= {R2019, ODS, CSV}
    assert set(event(ILACS_2024).sources.values_list("key", flat=True)) >= {R2025, ODS, CSV}


def test_loading_twice_changes_nothing(record):
    before = row_counts()
    assert before == {
        "Region": 1,
        "Council": 1,
        "Source": 10,
        "Inspection": 9,
        "Judgement": 18,
        "Finding": 71,
        "KeyFigure": 17,
        "Inspection_sources": 19,
    }
    call_command("loaddata", "tower_hamlets", verbosity=0)
    assert row_counts() == before
