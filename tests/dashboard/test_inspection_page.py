"""The inspection page: judgements with their change, findings by kind, sources, previous and next."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def get_page(client, inspection):
    response = client.get(reverse("inspection-detail", args=[inspection.pk]))
    assert response.status_code == 200
    return response, response.content.decode()


def test_judgements_with_change_from_previous_full_inspection(client, history):
    response, html = get_page(client, history.standard)
    assert response.context["previous_full"] == history.sif  # visits in between are not graded
    rows = {row["area"]: row for row in response.context["judgements"]}
    overall = rows["Overall effectiveness"]
    assert overall["previous"].grade == "inadequate" and overall["change"] == "improved"
    leaders = rows["The impact of leaders on social work practice with children and families"]
    assert leaders["change"] == "improved"
    joint = rows["The experiences and progress of children in care and care leavers"]
    # SIF's "looked after and achieving permanence" is the judgement ILACS's joint one replaced.
    assert joint["previous"].area == "looked_after_and_permanence" and joint["change"] == "improved"
    assert joint["compared_with_other_area"]
    assert "Children looked after and achieving permanence" in html
    assert ">Improved</strong>" in html


def test_split_care_judgements_compare_with_the_joint_one(client, history):
    response, html = get_page(client, history.short)
    rows = {row["area"]: row for row in response.context["judgements"]}
    care_leavers = rows["The experiences and progress of care leavers"]
    assert care_leavers["previous"].grade == "good" and care_leavers["compared_with_other_area"]
    assert care_leavers["change"] == "improved"
    assert rows["The experiences and progress of children in care"]["change"] == "unchanged"
    assert "The experiences and progress of children in care and care leavers" in html


def test_first_graded_inspection_has_no_previous(client, history):
    response, html = get_page(client, history.safeguarding)
    assert response.context["previous_full"] is None
    assert "No earlier grade in the record" in html


def test_visit_is_not_graded_and_shows_theme(client, history):
    _response, html = get_page(client, history.monitoring_4)
    assert "is not graded" in html
    assert "Front door" in html


def test_findings_by_kind_and_sources(client, history):
    response, html = get_page(client, history.short)
    assert [kind for kind, _ in response.context["findings"]] == ["What needs to improve"]
    assert "Help care leavers to find suitable homes." in html
    assert "(Care leavers)" in html
    assert history.source.title in html and 'href="https://reports.ofsted.gov.uk/example"' in html
    assert "Amanda Maxwell" in html and 'href="https://files.ofsted.gov.uk/v1/file/2024-report"' in html


def test_previous_and_next_follow_the_timeline(client, history):
    response, html = get_page(client, history.monitoring_5)
    assert response.context["previous"] == history.monitoring_4
    assert response.context["next"] == history.standard
    assert f'href="{history.monitoring_4.get_absolute_url()}" rel="prev"' in html
    assert f'href="{history.standard.get_absolute_url()}" rel="next"' in html
    assert f'href="/councils/tower-hamlets/#inspection-{history.monitoring_5.pk}"' in html


def test_first_and_last_have_one_neighbour_and_drafts_are_skipped(client, history):
    first, _ = get_page(client, history.unannounced)
    assert first.context["previous"] is None and first.context["next"] == history.safeguarding
    last, html = get_page(client, history.short)
    assert last.context["next"] is None  # the later draft is not public
    assert 'rel="next"' not in html


def test_draft_inspection_is_not_found(client, history):
    response = client.get(reverse("inspection-detail", args=[history.draft.pk]))
    assert response.status_code == 404
    assert "Secret draft theme" not in response.content.decode()
