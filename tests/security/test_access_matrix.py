"""Every URL in the URLconf × anonymous, viewer, editor and superuser: who may read, and who may write.

The expectations come from the access policy written out below (POLICY), not from what the code happens
to do, and inspections/groups.py must grant exactly that:

* public pages, exports and /healthz: everyone reads them (drafts: see test_drafts_never_public.py);
* the admin: nobody signed out (sent to the login page); viewers see the record; editors keep it current
  but delete only judgements and findings (an inspection's inlines), never councils, inspections, sources
  or key figures; councils' codes, users and groups, and login records stay with superusers;
* writes (POST) to the admin without the permission are refused and change nothing.

Every URL pattern must be covered: a new view with no expectation here fails
test_every_url_pattern_has_an_expectation, naming it.
"""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from councils.models import CouncilAlias
from inspections.exports import DATASETS
from inspections.groups import EDITORS, GROUP_PERMISSIONS, VIEWERS
from tests.factories import DisagreementFactory
from tests.security.conftest import ROLES

pytestmark = pytest.mark.django_db

GROUP_OF = {"viewer": VIEWERS, "editor": EDITORS}

VIEW, EDIT, EDIT_AND_DELETE = {"view"}, {"view", "add", "change"}, {"view", "add", "change", "delete"}
# What each group may do to each model; a model not named here is for superusers only.
POLICY = {
    "viewer": {
        "inspections.inspection": VIEW, "inspections.judgement": VIEW, "inspections.finding": VIEW,
        "inspections.source": VIEW, "inspections.keyfigure": VIEW, "councils.council": VIEW,
        "councils.region": VIEW, "councils.councilalias": VIEW, "councils.statisticalneighbour": VIEW,
        "inspections.disagreement": VIEW,
    },
    "editor": {
        "inspections.inspection": EDIT, "inspections.judgement": EDIT_AND_DELETE,
        "inspections.finding": EDIT_AND_DELETE, "inspections.source": EDIT, "inspections.keyfigure": EDIT,
        "councils.council": VIEW, "councils.region": VIEW, "councils.councilalias": VIEW,
        "councils.statisticalneighbour": VIEW, "inspections.disagreement": VIEW,
    },
}  # fmt: skip

# Admin views beyond each model's changelist/add/change/delete/history, and what each needs.
CUSTOM_ADMIN_VIEWS = {
    "admin:inspections_inspection_deleted": ("inspections.inspection", "add"),
    "admin:inspections_inspection_import_report": ("inspections.inspection", "add"),
}


# django-axes' records of logins: written by axes alone; superusers may read and delete them (to lift a
# lockout), nobody may add one, and their every field is read-only.
LOGIN_RECORDS = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
# Where sources disagree, as the importers found it: nobody adds or edits one in the admin (an editor
# corrects the inspection instead); superusers may delete one.
IMPORTED_RECORDS = {"inspections.disagreement"}


def may(role, model_label, action):
    """Whether the policy lets `role` do `action` (view/add/change/delete) to the model."""
    if model_label in LOGIN_RECORDS and action == "add":
        return False
    if model_label in IMPORTED_RECORDS and action in ("add", "change"):
        return False
    if role == "superuser":
        return True
    if role == "anonymous":
        return False
    return action in POLICY[role].get(model_label, set())


def admin_status(role, allowed):
    if role == "anonymous":
        return 302  # to the login page
    return 200 if allowed else 403


def all_url_names():
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"

    return set(walk(get_resolver().url_patterns))


@pytest.fixture
def record(history):
    """One row of every model the admin shows, including login records and a history entry."""
    CouncilAlias.objects.create(council=history.council, kind=CouncilAlias.Kind.NAME, value="LBTH")
    DisagreementFactory(inspection=history.short)
    client = Client()
    User.objects.create_user("someone", password="correct horse battery staple", is_staff=True)
    client.post(reverse("admin:login"), {"username": "nobody", "password": "wrong"})
    client.post(reverse("admin:login"), {"username": "someone", "password": "correct horse battery staple"})
    # The successful login cleared the failed attempt from the same address: record one from elsewhere.
    login = {"username": "nobody", "ip_address": "192.0.2.1", "user_agent": "", "http_accept": "", "path_info": "/"}
    AccessAttempt.objects.create(**login, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.get_or_create(**login)
    return history


def object_of(model):
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"no {model._meta.label} to test: add one to the `record` fixture"
    return obj


def admin_cases(record):
    """(description, method, url, data, expected status per role)."""
    cases = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        info = model._meta.app_label, model._meta.model_name
        obj = object_of(model)

        def case(action, url, method="GET", data=None, label=label):
            expected = {role: admin_status(role, may(role, label, action)) for role in ROLES}
            return (f"{method} {url}", method, url, data, expected)

        cases.append(case("view", reverse("admin:%s_%s_changelist" % info)))
        cases.append(case("add", reverse("admin:%s_%s_add" % info)))
        cases.append(case("view", reverse("admin:%s_%s_change" % info, args=[obj.pk])))
        cases.append(case("delete", reverse("admin:%s_%s_delete" % info, args=[obj.pk])))
        cases.append(case("view", reverse("admin:%s_%s_history" % info, args=[obj.pk])))
        # Writes with the wrong permission are refused before the form is read; with the right one the
        # empty form is shown again with its errors (200), and nothing is written either way.
        cases.append(case("add", reverse("admin:%s_%s_add" % info), "POST", {}))
        change = case("change", reverse("admin:%s_%s_change" % info, args=[obj.pk]), "POST", {})
        if label in LOGIN_RECORDS:  # nothing to edit: saving changes nothing and goes back to the list
            change[4]["superuser"] = 302
        cases.append(change)
        if hasattr(model, "history"):
            entry = model.history.filter(id=obj.pk).order_by("history_id").first()
            if entry is not None:
                url = reverse("admin:%s_%s_simple_history" % info, args=[obj.pk, entry.history_id])
                cases.append(case("view", url))
    for name, (label, action) in CUSTOM_ADMIN_VIEWS.items():
        url = reverse(name)
        expected = {role: admin_status(role, may(role, label, action)) for role in ROLES}
        cases.append((f"GET {url}", "GET", url, None, expected))
    staff = {"anonymous": 302, "viewer": 200, "editor": 200, "superuser": 200}
    for url in [reverse("admin:index"), reverse("admin:password_change"), reverse("admin:password_change_done"),
                reverse("admin:jsi18n")]:  # fmt: skip
        cases.append((f"GET {url}", "GET", url, None, staff))
    for app_label in ["auth", "axes", "councils", "inspections"]:
        url = reverse("admin:app_list", args=[app_label])
        # An app the user may see nothing of does not exist for them.
        seen = {"councils": 200, "inspections": 200}.get(app_label, 404)
        expected = {"anonymous": 302, "viewer": seen, "editor": seen, "superuser": 200}
        cases.append((f"GET {url}", "GET", url, None, expected))
    url = reverse("admin:autocomplete") + "?app_label=inspections&model_name=inspection&field_name=council&term=Tow"
    cases.append((f"GET {url}", "GET", url, None, staff))
    # Signed in, the login page sends staff on to the admin; signed out, it is the login form.
    url = reverse("admin:login")
    cases.append((f"GET {url}", "GET", url, None, {"anonymous": 200, "viewer": 302, "editor": 302, "superuser": 302}))
    url = reverse("admin:logout")
    # Logging out is a POST; signed out, the admin sends everyone to its login page first.
    cases.append((f"GET {url}", "GET", url, None, {"anonymous": 302, "viewer": 405, "editor": 405, "superuser": 405}))
    url = "/admin/no-such-page/"
    cases.append((f"GET {url}", "GET", url, None, {"anonymous": 302, "viewer": 404, "editor": 404, "superuser": 404}))
    # Django's "view on site" link: a redirect to the public page, which itself shows only published rows.
    inspection_type = ContentType.objects.get_for_model(record.short)
    url = reverse("admin:view_on_site", args=[inspection_type.pk, record.short.pk])
    cases.append((f"GET {url}", "GET", url, None, dict.fromkeys(ROLES, 302)))
    return cases


def public_cases(record):
    urls = [
        reverse("overview"),
        reverse("council-list"),
        reverse("council-detail", args=[record.council.slug]),
        reverse("inspection-detail", args=[record.short.pk]),
        reverse("finding-search"),
        reverse("coverage"),
        reverse("export-index"),
        *(reverse("export-csv", args=[name]) for name in DATASETS),
        reverse("feed-england", args=["atom"]),
        reverse("feed-region", args=[record.council.region.code, "rss"]),
        reverse("feed-council", args=[record.council.slug, "atom"]),
        reverse("healthz"),
        *api_urls(record),
    ]
    cases = [(f"GET {url}", "GET", url, None, dict.fromkeys(ROLES, 200)) for url in urls]
    # The JSON API only reads, whoever asks (it has no sign-in: a session changes nothing).
    for url in api_urls(record):
        cases.append((f"POST {url}", "POST", url, {}, dict.fromkeys(ROLES, 405)))
    url = "/api/no-such-list/"
    cases.append((f"GET {url}", "GET", url, None, dict.fromkeys(ROLES, 404)))
    # Drafts are nobody's public page, not even a superuser's (they are read in the admin).
    url = reverse("inspection-detail", args=[record.draft.pk])
    cases.append((f"GET {url}", "GET", url, None, dict.fromkeys(ROLES, 404)))
    # Shipped copies of sources are served to everyone, only for sources registered with a document
    # (tests/dashboard/test_finding_a_council.py); an unknown one is nobody's.
    url = reverse("source-document", args=["no-such-source"])
    cases.append((f"GET {url}", "GET", url, None, dict.fromkeys(ROLES, 404)))
    return cases


def api_urls(record):
    return [
        reverse("api-root"),
        reverse("api-schema"),
        reverse("api-schema-json"),
        reverse("api-docs"),
        reverse("api-council-list"),
        reverse("api-council-detail", args=[record.council.slug]),
        reverse("api-inspection-list"),
        reverse("api-inspection-detail", args=[record.short.pk]),
        reverse("api-judgement-list"),
        reverse("api-finding-list"),
        reverse("api-key-figure-list"),
    ]


def test_the_groups_grant_exactly_the_policy():
    for role, group in GROUP_OF.items():
        granted = {label: set(actions) for label, actions in GROUP_PERMISSIONS[group].items()}
        assert granted == POLICY[role], role


def test_every_url_pattern_has_an_expectation():
    covered = {
        "overview", "council-list", "council-detail", "inspection-detail", "finding-search", "coverage", "export-index",
        "export-csv", "feed-england", "feed-region", "feed-council", "source-document", "healthz",
        "api-root", "api-schema", "api-schema-json", "api-docs", "api-council-list", "api-council-detail",
        "api-inspection-list", "api-inspection-detail", "api-judgement-list", "api-finding-list", "api-key-figure-list",
        "api-not-found", "admin:index", "admin:login", "admin:logout", "admin:password_change",
        "admin:password_change_done", "admin:autocomplete", "admin:jsi18n", "admin:view_on_site", "admin:app_list",
        "admin:auth_user_password_change", *CUSTOM_ADMIN_VIEWS,
    }  # fmt: skip
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        actions = ("changelist", "add", "change", "delete", "history")
        covered |= {f"admin:{info[0]}_{info[1]}_{action}" for action in actions}
        if hasattr(model, "history"):
            covered.add(f"admin:{info[0]}_{info[1]}_simple_history")
    unnamed_admin = {name for name in all_url_names() if name.startswith("admin:<unnamed")}
    missing = all_url_names() - covered - unnamed_admin
    assert missing == set(), f"URLs with no access expectation in {__file__}: {sorted(missing)}"
    # The unnamed admin patterns are the redirects from <id>/ to <id>/change/ and the catch-all (tested above).
    assert all("object_id" in name or ".*" in name for name in unnamed_admin), unnamed_admin


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(record, role_clients, role):
    client = role_clients[role]
    # Redirects that go somewhere other than the login page: logging out, and "view on site".
    external_redirects = {reverse("admin:logout"), reverse("admin:view_on_site", args=[0, 0]).rsplit("/0/0/", 1)[0]}
    problems = []
    for description, method, url, data, expected in [*public_cases(record), *admin_cases(record)]:
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data)
        if response.status_code != expected[role]:
            problems.append(f"{description}: {response.status_code}, expected {expected[role]}")
        elif role == "anonymous" and expected[role] == 302 and not url.startswith(tuple(external_redirects)):
            assert response["Location"].startswith(reverse("admin:login")), description
    assert problems == [], f"{role}:\n" + "\n".join(problems)


def test_the_user_password_form_is_for_superusers_only(record, role_clients):
    url = reverse("admin:auth_user_password_change", args=[User.objects.get(username="someone").pk])
    statuses = {role: role_clients[role].get(url).status_code for role in ROLES}
    assert statuses == {"anonymous": 302, "viewer": 403, "editor": 403, "superuser": 200}


@pytest.mark.parametrize("role", ["anonymous", "viewer", "editor"])
def test_refused_writes_change_nothing(record, role_clients, role):
    """Deletes, publishing and edits a role may not make leave every row as it was."""
    from councils.models import Council
    from inspections.models import Inspection

    client = role_clients[role]
    council = record.council
    def state():
        return Council.objects.count(), Inspection.objects.count(), sorted(Inspection.objects.values_list("pk", "status"))

    before = state()
    # Editors may not delete councils or inspections; viewers and visitors nothing at all.
    for model, obj in [(Council, council), (Inspection, record.short)]:
        info = model._meta.app_label, model._meta.model_name
        response = client.post(reverse("admin:%s_%s_delete" % info, args=[obj.pk]), {"post": "yes"})
        assert response.status_code in (302, 403), response.status_code
    response = client.post(
        reverse("admin:councils_council_change", args=[council.pk]), {"name": "Renamed", "slug": "renamed"}
    )
    assert response.status_code in (302, 403)
    if role != "editor":  # editors may publish; the others may not
        response = client.post(
            reverse("admin:inspections_inspection_changelist"),
            {"action": "publish", "_selected_action": [record.draft.pk], "index": 0},
        )
        assert response.status_code in (200, 302, 403)
    assert state() == before
    council.refresh_from_db()
    assert council.name == "Tower Hamlets"
    record.draft.refresh_from_db()
    assert record.draft.status == Inspection.Status.DRAFT


def test_public_pages_accept_no_writes(record):
    """POSTs to public pages without a CSRF token are refused (403), and there is no form there to post."""
    client = Client(enforce_csrf_checks=True)
    for url in [reverse("overview"), reverse("council-list"), reverse("export-csv", args=["councils"])]:
        assert client.post(url, {"q": "x"}).status_code == 403
