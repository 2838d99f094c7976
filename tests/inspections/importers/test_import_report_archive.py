"""The report archive (build_archive's JSON Lines) merged into the record: fills, never overwrites, lists conflicts."""

import datetime
import json

import pytest

from inspections.frameworks import EventType, Framework, Grade
from importing.files import ImportFileError, ImportSummary
from inspections.importers.ilacs_history_csv import import_ilacs_history_csv
from inspections.importers.inspection_writer import InspectionRecord, InspectionWriter
from inspections.importers.report_archive_jsonl import import_report_archive
from inspections.models import Disagreement, Finding, Inspection, Judgement, Origin, Source
from tests.factories import CouncilFactory, FindingFactory, InspectionFactory, SourceFactory
from tests.inspections.importers.conftest import HISTORY_COLUMNS, history_csv_row, write_csv

pytestmark = pytest.mark.django_db

D = datetime.date
SIF_LINK = "https://files.ofsted.gov.uk/v1/file/2000001"
ILACS_LINK = "https://files.ofsted.gov.uk/v1/file/5000001"


def report(urn, name, *, sha, framework, event_type, start, end, link, published="", judgements=(), findings=(), inspector="Jane Smith"):
    return {
        "path": f"{urn}_{name.lower()}/children's services inspection - {published or start}.pdf",
        "sha256": sha * 64,
        "status": "read",
        "urn": urn,
        "council_name": name,
        "title": "Inspection of services for children in need of help and protection",
        "framework": framework,
        "event_type": event_type,
        "start_date": start,
        "end_date": end,
        "published_date": None,
        "lead_inspector": inspector,
        "judgements": [list(pair) for pair in judgements],
        "not_judged": [],
        "findings": list(findings),
        "warnings": [],
        "history": {"urn": urn, "local_authority": name.lower(), "inspection_link": link, "publication_date": published},
    }


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


@pytest.fixture
def council():
    return CouncilFactory(name="Birmingham", slug="birmingham", ofsted_urn="80429")


def history_of_sif_report(tmp_path):
    """The history CSV's row for a SIF report: a publication date and Ofsted's link, nothing else."""
    row = history_csv_row("80429", "birmingham", "23/05/14", "", "", "", ("data_unreadable",) * 5, link=SIF_LINK, inspector="")
    return write_csv(tmp_path / "history.csv", HISTORY_COLUMNS, [row])


SIF_REPORT = dict(
    sha="a",
    framework="sif",
    event_type="full_inspection",
    start="2014-03-18",
    end="2014-04-10",
    link=SIF_LINK,
    published="23/05/14",
    judgements=[("overall_effectiveness", "inadequate"), ("adoption", "requires_improvement"), ("lscb", "inadequate")],
    findings=[
        {"kind": "what_needs_to_improve", "area": "", "page": 7, "text": "Reduce the neglect of children's plans."},
        {"kind": "what_needs_to_improve", "area": "lscb", "page": 41, "text": "The board should check its training."},
        {"kind": "area_for_priority_action", "area": "", "page": 6, "text": "Act at once on referrals."},
    ],
)


def test_the_report_makes_the_event_the_history_csv_could_not_type_once(tmp_path, council):
    history = history_of_sif_report(tmp_path)
    import_ilacs_history_csv(history)
    assert not Inspection.objects.exists()  # the CSV does not say what the report is of
    archive = write_jsonl(tmp_path / "report_archive.jsonl", [report("80429", "Birmingham", **SIF_REPORT)])
    summary = import_report_archive(archive)
    import_ilacs_history_csv(history)  # still no event of its own: the report's is the only one

    inspection = Inspection.objects.get()
    assert inspection.event_type == EventType.FULL_INSPECTION
    assert (inspection.start_date, inspection.end_date) == (D(2014, 3, 18), D(2014, 4, 10))
    assert inspection.framework == Framework.SIF and inspection.lead_inspector == "Jane Smith"
    assert inspection.origin == Origin.REPORT_PDF
    assert dict(inspection.judgements.values_list("area", "grade")) == {
        "overall_effectiveness": Grade.INADEQUATE,
        "adoption": Grade.REQUIRES_IMPROVEMENT,
        "lscb": Grade.INADEQUATE,
    }
    source = inspection.sources.get(kind=Source.Kind.OFSTED_REPORT)
    assert (source.url, source.sha256, source.published_date) == (SIF_LINK, "a" * 64, D(2014, 5, 23))
    assert source.file_name == "children's services inspection - 23/05/14.pdf".rsplit("/", 1)[-1]
    findings = list(inspection.findings.order_by("kind", "order").values_list("kind", "area", "order", "page"))
    assert findings == [
        ("area_for_priority_action", "", 1, 6),
        ("what_needs_to_improve", "", 1, 7),
        ("what_needs_to_improve", "lscb", 2, 41),
    ]
    assert summary.created["findings"] == 3


def test_official_statistics_stand_and_the_conflict_is_listed_and_kept(tmp_path, council):
    statistics = SourceFactory(kind=Source.Kind.OFSTED_STATISTICS, title="Local authority inspection outcomes")
    writer = InspectionWriter(statistics, ImportSummary("outcomes.ods"), official=True)
    writer.apply(
        InspectionRecord(
            council=council,
            event_type=EventType.STANDARD_INSPECTION,
            framework=Framework.ILACS,
            start_date=D(2019, 1, 7),
            published_date=D(2019, 3, 1),
            grades={"overall": Grade.GOOD, "leaders": Grade.GOOD},
        )
    )
    writer.finish()
    record = report(
        "80429", "Birmingham", sha="b", framework="ilacs", event_type="standard_inspection", start="2019-01-07",
        end="2019-01-18", link=ILACS_LINK, published="01/03/19",
        judgements=[("overall_effectiveness", "requires_improvement"), ("leadership", "good"), ("help_and_protection", "good")],
        findings=[{"kind": "what_needs_to_improve", "area": "", "page": 3, "text": "Supervision of social workers."}],
    )
    summary = import_report_archive(write_jsonl(tmp_path / "report_archive.jsonl", [record]))

    inspection = Inspection.objects.get()
    assert inspection.origin == Origin.OFSTED_OUTCOMES  # the official statistics' inspection stays theirs
    grades = dict(inspection.judgements.values_list("area", "grade"))
    assert grades["overall_effectiveness"] == Grade.GOOD  # not overwritten
    assert grades["help_and_protection"] == Grade.GOOD  # filled: the official row lacked it
    assert inspection.lead_inspector == "Jane Smith" and inspection.end_date == D(2019, 1, 18)
    assert any("Overall effectiveness is Good in Ofsted's official statistics" in c for c in summary.conflicts)
    disagreement = Disagreement.objects.get()
    assert (disagreement.subject, disagreement.kept_value, disagreement.other_value) == (
        "overall_effectiveness",
        "Good",
        "Requires improvement to be good",
    )
    assert disagreement.kept_source == statistics
    assert disagreement.other_source.sha256 == "b" * 64
    assert inspection.findings.get().page == 3


def test_a_hand_entered_inspection_is_never_changed(tmp_path, council):
    inspection = InspectionFactory(
        council=council, event_type=EventType.FULL_INSPECTION, framework=Framework.SIF, start_date=D(2014, 3, 18),
        end_date=D(2014, 4, 10), lead_inspector="Mary Jones", origin=Origin.MANUAL,
    )
    FindingFactory(inspection=inspection, kind=Finding.Kind.WHAT_NEEDS_TO_IMPROVE, order=1, text="As entered.")
    summary = import_report_archive(write_jsonl(tmp_path / "report_archive.jsonl", [report("80429", "Birmingham", **SIF_REPORT)]))

    inspection.refresh_from_db()
    assert inspection.lead_inspector == "Mary Jones"
    assert not inspection.judgements.exists()
    assert list(inspection.findings.values_list("text", flat=True)) == ["As entered."]
    assert not inspection.sources.exists()
    assert any("lead inspector Mary Jones in the database, Jane Smith in the file" in c for c in summary.conflicts)
    disagreement = Disagreement.objects.get(subject="lead_inspector")
    assert (disagreement.kept_value, disagreement.kept_source, disagreement.other_value) == ("Mary Jones", None, "Jane Smith")


def test_a_second_run_changes_nothing(tmp_path, council):
    archive = write_jsonl(tmp_path / "report_archive.jsonl", [report("80429", "Birmingham", **SIF_REPORT)])
    import_report_archive(archive)
    counts = [model.objects.count() for model in (Inspection, Judgement, Finding, Source, Disagreement)]
    history = Inspection.history.count()

    summary = import_report_archive(archive)

    assert not summary.changed
    assert [model.objects.count() for model in (Inspection, Judgement, Finding, Source, Disagreement)] == counts
    assert Inspection.history.count() == history


def test_refused_reports_and_invalid_grades_are_counted_and_skipped(tmp_path, council):
    refused = {"path": "80429_birmingham/x.pdf", "sha256": "c" * 64, "status": "refused", "reason": "This is a web page."}
    # The same page saved where another council's report was (Birmingham, Blackpool, Bromley, Rotherham 2012).
    same_page = {**refused, "path": "80431_blackpool/y.pdf"}
    record = report(
        "80429", "Birmingham", sha="d", framework="sif", event_type="full_inspection", start="2016-09-12",
        end="2016-10-06", link=SIF_LINK,
        judgements=[("overall_effectiveness", "inadequate"), ("children_in_care", "good"), ("leadership", "adequate")],
    )
    summary = import_report_archive(write_jsonl(tmp_path / "report_archive.jsonl", [refused, same_page, record]))

    assert summary.skipped["report refused by the reader"] == 2 and "report listed twice" not in summary.skipped
    assert sum(n for reason, n in summary.skipped.items() if reason.startswith("grade not stored")) == 2
    assert Inspection.objects.count() == 1
    assert list(Judgement.objects.values_list("area", flat=True)) == ["overall_effectiveness"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("{not json\n", "line 1 is not JSON"),
        ('{"path": "x.pdf", "sha256": "e", "status": "read"}\n', "line 1 is not a report record: no framework"),
        ("<!DOCTYPE html><html></html>", "is an HTML page"),
    ],
)
def test_a_bad_file_is_refused_in_one_line_before_anything_is_written(tmp_path, council, text, message):
    path = tmp_path / "report_archive.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFileError, match=message):
        import_report_archive(path)
    assert not Inspection.objects.exists() and not Source.objects.exists()


# Lead inspectors' names, as the report prints them -----------------------------------------------------------------


def import_history_then_report(tmp_path, *, history_name, report_name):
    row = history_csv_row(
        "80429", "birmingham", "01/03/19", "standard", "07/01/2019", "18/01/2019", ("",) * 5, link=ILACS_LINK,
        inspector=history_name,
    )
    import_ilacs_history_csv(write_csv(tmp_path / "history.csv", HISTORY_COLUMNS, [row]))
    record = report(
        "80429", "Birmingham", sha="b", framework="ilacs", event_type="standard_inspection", start="2019-01-07",
        end="2019-01-18", link=ILACS_LINK, published="01/03/19", inspector=report_name,
    )
    return import_report_archive(write_jsonl(tmp_path / "report_archive.jsonl", [record]))


def test_a_name_split_at_its_hyphen_by_the_history_csv_is_joined(tmp_path, council):
    # The history CSV gives "Paula Thomson -Jones" (Rochdale 2018, Trafford, Oldham and Wirral 2019).
    import_history_then_report(tmp_path, history_name="Paula Thomson -Jones", report_name="Paula Thomson-Jones")

    assert Inspection.objects.get().lead_inspector == "Paula Thomson-Jones"
    assert not Disagreement.objects.exists()  # the same name, once its spacing is repaired


def test_the_reports_spelling_of_a_name_stands_over_the_history_csvs_and_the_other_is_kept(tmp_path, council):
    summary = import_history_then_report(tmp_path, history_name="Jenny-Ellen Scotland", report_name="Jenny-ellen Scotland")

    assert Inspection.objects.get().lead_inspector == "Jenny-ellen Scotland"  # as printed in the report
    disagreement = Disagreement.objects.get(subject="lead_inspector")
    assert (disagreement.kept_value, disagreement.other_value) == ("Jenny-ellen Scotland", "Jenny-Ellen Scotland")
    assert disagreement.kept_source.kind == Source.Kind.OFSTED_REPORT
    assert any("lead inspector" in conflict for conflict in summary.conflicts)


def test_events_that_judge_one_part_are_made_with_their_own_type_and_grades(tmp_path, council):
    looked_after = report(
        "80429", "Birmingham", sha="d", framework="looked_after_children", event_type="looked_after_inspection",
        start="2013-07-15", end="2013-07-19", link="https://files.ofsted.gov.uk/v1/file/50004249", published="23/08/13",
        judgements=[("looked_after_overall", "adequate"), ("looked_after_capacity", "good")],
        findings=[{"kind": "what_needs_to_improve", "area": "", "page": 8, "text": "improve the timeliness of care proceedings."}],
    )  # fmt: skip
    review = report(
        "80429", "Birmingham", sha="e", framework="sif", event_type="lscb_review", start="2015-06-15",
        end="2015-06-17", link="https://files.ofsted.gov.uk/v1/file/50004302", published="03/08/15",
        judgements=[("lscb", "requires_improvement"), ("overall_effectiveness", "good")],
    )  # fmt: skip
    summary = import_report_archive(write_jsonl(tmp_path / "report_archive.jsonl", [looked_after, review]))

    made = {i.event_type: i for i in Inspection.objects.all()}
    assert set(made) == {EventType.LOOKED_AFTER_INSPECTION, EventType.LSCB_REVIEW}
    assert made[EventType.LOOKED_AFTER_INSPECTION].framework == Framework.LOOKED_AFTER_CHILDREN
    assert dict(made[EventType.LOOKED_AFTER_INSPECTION].judgements.values_list("area", "grade")) == {
        "looked_after_overall": Grade.ADEQUATE,
        "looked_after_capacity": Grade.GOOD,
    }
    assert made[EventType.LOOKED_AFTER_INSPECTION].findings.count() == 1
    # A review judges the board alone: any other grade in its record is refused, not stored.
    assert dict(made[EventType.LSCB_REVIEW].judgements.values_list("area", "grade")) == {"lscb": Grade.REQUIRES_IMPROVEMENT}
    assert any("not judged in this kind of event" in reason for reason in summary.skipped)
