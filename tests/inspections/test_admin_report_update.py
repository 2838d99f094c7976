"""Re-importing a report in admin matches the recorded inspection, never duplicates it, and applies what the editor ticks."""

import dataclasses
import datetime

import pytest
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.admin import ReadingForm
from inspections.frameworks import Area, EventType, Framework, Grade
from inspections.importers import report_import
from inspections.importers.report_import import (
    import_report,
    matching_inspections,
    read_report,
)
from inspections.importers.report_pdf import parse_report
from inspections.models import Finding, Inspection, Judgement, Source
from tests.factories import (
    CouncilFactory,
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

REPORTS = settings.FIXTURES_DIR / "reports"
KENT_2017 = REPORTS / "sample" / "kent_published-2017-06-13.pdf"
BLACKPOOL_2026 = REPORTS / "sample" / "blackpool_published-2026-07-28.pdf"
SHIPPED = sorted(path for path in REPORTS.rglob("*.pdf") if path.name != "birmingham_published-2012-10-19.pdf")
UPLOAD = "admin:inspections_inspection_import_report"


def upload(client, path):
    return client.post(reverse(UPLOAD), {"report": SimpleUploadedFile(path.name, path.read_bytes(), "application/pdf")})


def reading_of(response):
    return response.context["reading"]


def apply(client, response, *keys, reading=None):
    return client.post(
        reverse(UPLOAD), {"step": "apply", "reading": reading or reading_of(response), "apply": list(keys)}
    )


def offered(response):
    """The differences shown, by key, with whether they can be applied."""
    return {difference.key: difference.can_apply for difference in response.context["differences"]}


@pytest.fixture
def kent():
    return CouncilFactory(name="Kent", slug="kent", ofsted_urn="80476")


@pytest.fixture
def undated_kent_sif(kent):
    """Kent's 2017 inspection as the history file gives it: a SIF full inspection without dates or grades."""
    return InspectionFactory(
        council=kent,
        event_type=EventType.FULL_INSPECTION,
        framework=Framework.SIF,
        start_date=None,
        published_date=None,
        not_before=datetime.date(2016, 1, 1),
        date_precision="year",  # as imprecise as a record can be: applying the report's dates makes it "day"
        lead_inspector="",
        status=Inspection.Status.PUBLISHED,
    )


@pytest.fixture
def blackpool():
    return CouncilFactory(name="Blackpool", slug="blackpool", ofsted_urn="80431")


def test_kent_2017_matches_the_undated_inspection_and_applying_dates_and_grades_fills_it(
    editor_client, undated_kent_sif
):
    response = upload(editor_client, KENT_2017)

    assert response.context["inspection"] == undated_kent_sif
    assert Inspection.objects.count() == 1
    assert offered(response)["start_date"] and offered(response)["judgement:overall_effectiveness"]
    keys = ["start_date", "end_date", *(f"judgement:{area}" for area, _grade in read_report(KENT_2017).report.judgements)]
    applied = apply(editor_client, response, *keys)

    assert applied.status_code == 302
    assert applied["Location"] == reverse("admin:inspections_inspection_change", args=[undated_kent_sif.pk])
    inspection = Inspection.objects.get()
    assert (inspection.start_date, inspection.end_date) == (datetime.date(2017, 3, 6), datetime.date(2017, 3, 30))
    assert inspection.date_precision == "day"
    assert dict(inspection.judgements.values_list("area", "grade")) == {
        Area.OVERALL_EFFECTIVENESS: Grade.GOOD,
        Area.HELP_AND_PROTECTION: Grade.REQUIRES_IMPROVEMENT,
        Area.LOOKED_AFTER_AND_PERMANENCE: Grade.GOOD,
        Area.ADOPTION: Grade.GOOD,
        Area.CARE_LEAVERS: Grade.GOOD,
        Area.LEADERSHIP: Grade.GOOD,
        Area.LSCB: Grade.REQUIRES_IMPROVEMENT,
    }
    source = inspection.sources.get()
    assert {judgement.source for judgement in inspection.judgements.all()} == {source}
    assert source.sha256 and source.file_name == KENT_2017.name
    # Not ticked, so not applied.
    assert inspection.lead_inspector == "" and inspection.published_date is None and not inspection.findings.exists()


def test_applying_records_the_editor_and_the_report_in_the_history(editor_client, undated_kent_sif):
    response = upload(editor_client, KENT_2017)
    apply(editor_client, response, "start_date", "end_date", "judgement:leadership", "lead_inspector")

    latest = undated_kent_sif.history.latest()
    assert latest.history_user.username == "editors"
    assert latest.history_change_reason == "Applied from Ofsted's report (published 13 June 2017)"
    judgement = Judgement.objects.get()
    assert judgement.history.latest().history_user.username == "editors"
    assert judgement.history.latest().history_change_reason == latest.history_change_reason


def test_blackpool_2026_points_to_improve_are_offered_and_applying_replaces_them(editor_client, blackpool):
    inspection = InspectionFactory(
        council=blackpool, start_date=datetime.date(2026, 6, 8), end_date=datetime.date(2026, 6, 19), published_date=None
    )
    kept = FindingFactory(inspection=inspection, kind=Finding.Kind.STRENGTH, text="A strength, not a point.", order=1)
    FindingFactory(inspection=inspection, text="An old point.", order=1)
    FindingFactory(inspection=inspection, text="Another old point.", order=2)

    response = upload(editor_client, BLACKPOOL_2026)
    points = next(d for d in response.context["differences"] if d.key == "findings:what_needs_to_improve")
    assert points.can_apply
    assert points.listed_in_database == ("An old point.", "Another old point.")
    assert points.listed_in_report[0].startswith("Planning and reviews for children and young people")
    page = response.content.decode()
    assert "An old point." in page and "Planning and reviews for children and young people" in page

    apply(editor_client, response, "findings:what_needs_to_improve")

    findings = list(inspection.findings.filter(kind=Finding.Kind.WHAT_NEEDS_TO_IMPROVE))
    assert [(f.order, f.page) for f in findings] == [(1, 2)]
    assert findings[0].text.startswith("Planning and reviews for children and young people")
    assert findings[0].source == inspection.sources.get()
    assert list(inspection.findings.filter(kind=Finding.Kind.STRENGTH)) == [kept]
    assert Inspection.objects.count() == 1


def test_a_grade_the_reader_did_not_read_is_shown_but_cannot_be_applied(editor_client, blackpool, monkeypatch):
    read = parse_report(BLACKPOOL_2026)
    missed = dataclasses.replace(read, judgements=tuple(pair for pair in read.judgements if pair[0] != Area.LEADERSHIP))
    monkeypatch.setattr(report_import, "parse_report_bounded", lambda data: missed)
    inspection = InspectionFactory(
        council=blackpool, start_date=datetime.date(2026, 6, 8), end_date=datetime.date(2026, 6, 19), published_date=None
    )
    JudgementFactory(inspection=inspection, area=Area.LEADERSHIP, grade=Grade.GOOD)

    response = upload(editor_client, BLACKPOOL_2026)

    assert offered(response)["judgement:leadership"] is False
    assert offered(response)["judgement:help_and_protection"] is True
    assert 'value="judgement:leadership"' not in response.content.decode()
    assert "did not read a grade for this area" in response.content.decode()
    apply(editor_client, response, "judgement:leadership", "judgement:help_and_protection")
    assert dict(inspection.judgements.values_list("area", "grade")) == {
        Area.LEADERSHIP: Grade.GOOD,
        Area.HELP_AND_PROTECTION: Grade.GOOD,
    }


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_every_shipped_report_uploaded_again_offers_an_update_and_adds_no_row(editor_client, path):
    council = read_report_council(path)
    first = import_report(path)
    assert first.created
    inspection = first.inspection
    inspection.lead_inspector, inspection.summary = "Someone Else", ""
    inspection.save()
    rows = (Inspection.objects.count(), Judgement.objects.count(), Finding.objects.count(), Source.objects.count())

    response = upload(editor_client, path)

    assert response.status_code == 200
    assert response.context["inspection"] == inspection
    assert offered(response)["lead_inspector"] is True
    assert 'value="lead_inspector"' in response.content.decode()
    assert (Inspection.objects.count(), Judgement.objects.count(), Finding.objects.count(), Source.objects.count()) == rows
    assert council.inspections.count() == 1


def read_report_council(path):
    """A council the report's printed name finds (the names are the sample files' own)."""
    slug = path.name.split("_published-")[0]
    return CouncilFactory(name=slug.replace("-", " ").title().replace(" And ", " and ").replace(" Of ", " of "), slug=slug)


def test_a_report_matches_by_its_file_before_anything_else(kent):
    # Dated far from the report and of another kind: only the file's SHA-256 ties them.
    linked = InspectionFactory(council=kent, event_type=EventType.FOCUSED_VISIT, start_date=datetime.date(2012, 1, 9))
    uploaded = read_report(KENT_2017)
    linked.sources.add(SourceFactory(sha256=uploaded.sha256))
    InspectionFactory(council=kent, event_type=EventType.FULL_INSPECTION, framework=Framework.SIF, start_date=None)

    assert matching_inspections(uploaded) == [linked]


def test_several_undated_candidates_are_offered_and_nothing_is_made_until_the_editor_chooses(editor_client, kent):
    first, second = (
        InspectionFactory(council=kent, event_type=EventType.FULL_INSPECTION, framework=Framework.SIF, start_date=None)
        for _ in range(2)
    )
    # Published before the report's inspection ended: not a candidate.
    InspectionFactory(
        council=kent, event_type=EventType.FULL_INSPECTION, framework=Framework.SIF, start_date=None,
        published_date=datetime.date(2014, 1, 1),
    )  # fmt: skip

    response = upload(editor_client, KENT_2017)

    assert response.context["candidates"] == [first, second]
    page = response.content.decode()
    assert f'value="{first.pk}"' in page and f'value="{second.pk}"' in page and 'value="new"' in page
    assert Inspection.objects.count() == 3
    reading = reading_of(response)
    chosen = editor_client.post(reverse(UPLOAD), {"step": "choose", "reading": reading, "inspection": second.pk})
    assert chosen.context["inspection"] == second and "start_date" in offered(chosen)
    assert Inspection.objects.count() == 3

    made = editor_client.post(reverse(UPLOAD), {"step": "choose", "reading": reading, "inspection": "new"})
    draft = Inspection.objects.exclude(pk__in=[first.pk, second.pk]).get(start_date=datetime.date(2017, 3, 6))
    assert made["Location"] == reverse("admin:inspections_inspection_change", args=[draft.pk])
    assert Inspection.objects.count() == 4


def test_the_command_reports_several_candidates_and_saves_nothing(kent):
    for _ in range(2):
        InspectionFactory(council=kent, event_type=EventType.FULL_INSPECTION, framework=Framework.SIF, start_date=None)

    result = import_report(KENT_2017)

    assert result.inspection is None and len(result.candidates) == 2
    assert "nothing saved" in result.describe()
    assert Inspection.objects.count() == 2


def test_a_tampered_reading_is_refused_and_changes_nothing(editor_client, undated_kent_sif):
    response = upload(editor_client, KENT_2017)
    reading = reading_of(response)
    data = signing.loads(reading, salt="inspections.report-import")
    data["inspections"] = [InspectionFactory().pk]
    forged = signing.dumps(data, salt="inspections.report-import-forged", compress=True)
    forgeries = [forged, reading[:-3] + "AAA", "not a reading"]

    for forgery in forgeries:
        refused = apply(editor_client, response, "start_date", reading=forgery)
        assert refused.status_code == 200
        assert "upload the report again" in refused.content.decode()
    undated_kent_sif.refresh_from_db()
    assert undated_kent_sif.start_date is None


def test_an_expired_reading_is_refused(editor_client, undated_kent_sif, monkeypatch):
    response = upload(editor_client, KENT_2017)
    monkeypatch.setattr("inspections.admin.ReadingForm.MAX_AGE", -1)

    refused = apply(editor_client, response, "start_date")

    assert "more than six hours old" in refused.content.decode()
    undated_kent_sif.refresh_from_db()
    assert undated_kent_sif.start_date is None


def test_a_change_the_model_refuses_saves_nothing_and_says_why(editor_client, undated_kent_sif):
    response = upload(editor_client, KENT_2017)

    # Grades without the dates: an undated inspection cannot be graded; the lead inspector is not saved either.
    refused = apply(editor_client, response, "lead_inspector", "judgement:leadership")

    assert refused.status_code == 200
    assert "Nothing was saved" in refused.content.decode() and "start date" in refused.content.decode()
    undated_kent_sif.refresh_from_db()
    assert undated_kent_sif.lead_inspector == "" and not Judgement.objects.exists()
    assert not undated_kent_sif.sources.exists()


def test_viewers_cannot_apply(viewer_client, undated_kent_sif):
    reading = ReadingForm.sign(read_report(KENT_2017), [undated_kent_sif], "apply")

    refused = viewer_client.post(reverse(UPLOAD), {"step": "apply", "reading": reading, "apply": ["start_date"]})

    assert refused.status_code == 403
    undated_kent_sif.refresh_from_db()
    assert undated_kent_sif.start_date is None


def test_a_new_draft_carries_the_report_url_and_summary(editor_client, blackpool):
    upload(editor_client, BLACKPOOL_2026)

    draft = Inspection.objects.get()
    assert draft.report_url == "https://files.ofsted.gov.uk/v1/file/50308110"  # the history file's row
    assert draft.summary.startswith("Since the last inspection, leaders have continued to deliver sustained")
    assert draft.summary.endswith("services that respond to and meet their needs effectively.")


def test_a_new_draft_takes_the_report_url_from_the_archive_source_first(editor_client, blackpool):
    uploaded = read_report(BLACKPOOL_2026)
    SourceFactory(sha256=uploaded.sha256, url="https://files.ofsted.gov.uk/v1/file/archived")

    upload(editor_client, BLACKPOOL_2026)

    assert Inspection.objects.get().report_url == "https://files.ofsted.gov.uk/v1/file/archived"


def test_a_new_ilacs_draft_takes_the_publication_date_the_history_file_gives(editor_client, blackpool):
    # ILACS reports do not print when they were published; the history file's row for the report says.
    assert parse_report(BLACKPOOL_2026).published_date is None

    upload(editor_client, BLACKPOOL_2026)

    draft = Inspection.objects.get()
    assert draft.published_date == datetime.date(2026, 7, 28)
    assert draft.sources.get().published_date == datetime.date(2026, 7, 28)


def test_importing_the_report_again_fills_an_empty_publication_date(editor_client, blackpool):
    inspection = InspectionFactory(
        council=blackpool, start_date=datetime.date(2026, 6, 8), end_date=datetime.date(2026, 6, 19), published_date=None
    )

    response = upload(editor_client, BLACKPOOL_2026)
    assert offered(response)["published_date"] is True
    apply(editor_client, response, "published_date")

    inspection.refresh_from_db()
    assert inspection.published_date == datetime.date(2026, 7, 28)
