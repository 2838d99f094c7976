"""backup and restore round-trip every row exactly, history included, and refuse what they cannot use:
a row the admin would refuse, a reference to nowhere, a backup that would empty the site, a file too large."""

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from inspection_tracker.backup import backed_up_models
from inspections.groups import setup_groups
from inspections.models import KeyFigure
from tests.factories import (
    CouncilFactory,
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    KeyFigureFactory,
    SourceFactory,
    StatisticalNeighbourFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def links(through):
    """A link table's rows as pairs of natural keys where there are any (permissions get new ids on migrate)."""
    fields = [field for field in through._meta.fields if field.is_relation]
    rows = through.objects.select_related(*[field.name for field in fields])
    return sorted(
        (
            tuple(
                target.natural_key() if hasattr(target, "natural_key") else target.pk
                for target in (getattr(row, field.name) for field in fields)
            )
            for row in rows
        ),
        key=repr,
    )


def every_row():
    tables = {model._meta.label: sorted(model._default_manager.values_list(), key=repr) for model in backed_up_models()}
    for model in backed_up_models():
        for field in model._meta.local_many_to_many:
            tables[field.remote_field.through._meta.label] = links(field.remote_field.through)
    return tables


@pytest.fixture
def record():
    setup_groups()
    editor = User.objects.create_user("editor", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    judgement = JudgementFactory()
    judgement.inspection.sources.add(SourceFactory())
    FindingFactory(inspection=judgement.inspection, text="=HYPERLINK(\"x\") “quoted” ünïcode")
    figure = KeyFigureFactory(council=judgement.inspection.council, value=None, missing_code="c")
    figure.merge(KeyFigure(council=figure.council, metric=figure.metric, date=figure.date, unit=figure.unit, value=3, source=SourceFactory()))
    StatisticalNeighbourFactory(council=judgement.inspection.council)
    judgement.inspection.lead_inspector = "Changed Name"
    judgement.inspection.save()
    # A link to a row later in the backup: the former council comes before its successor.
    former = judgement.inspection.council
    former.successors.add(CouncilFactory(), CouncilFactory())
    return judgement


@pytest.mark.parametrize("name", ["backup.json", "backup.json.gz"])
def test_round_trip_restores_every_row_exactly(record, tmp_path, name, capsys):
    before = every_row()
    assert before["inspections.HistoricalInspection"], "history must be part of the round trip"
    assert before["inspections.KeyFigure_also_reported_by"] and before["inspections.HistoricalKeyFigure_also_reported_by"]
    assert KeyFigure.objects.get().source_disagreement
    assert before["councils.Council_successors"]
    path = tmp_path / name
    call_command("backup", str(path))
    call_command("restore", str(path), replace=True, with_users=True)
    assert every_row() == before
    call_command("flush", interactive=False)
    call_command("restore", str(path), with_users=True)
    assert every_row() == before
    assert "Restored" in capsys.readouterr().out


def test_restore_refuses_a_database_that_holds_data(record, tmp_path):
    path = tmp_path / "backup.json"
    call_command("backup", str(path))
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(path))


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "not a backup"),
        (b"<!DOCTYPE html><html>Not found</html>", "not a backup"),
        (b'[{"model": "councils.council"}]', "not a backup written by this app"),
        (b'{"format": "inspection-tracker-backup", "objects": 3}', "damaged"),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, content, message):
    path = tmp_path / "backup.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path))


def altered_backup(tmp_path, model, change):
    """A backup of the database with change(fields) applied to the first row of `model`."""
    path = tmp_path / "backup.json"
    call_command("backup", str(path))
    document = json.loads(path.read_text())
    row = next(row for row in document["objects"] if row["model"] == model)
    change(row["fields"])
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize(
    "model, change, message",
    [
        # Only the database's foreign key check, run at COMMIT, can see this one.
        ("inspections.judgement", lambda fields: fields.update(inspection=999_999), "999999"),
        ("inspections.inspection", lambda fields: fields.update(event_type="bogus"), "event_type: Value 'bogus'"),
        ("inspections.inspection", lambda fields: fields.update(report_url="javascript:alert(1)"), "report_url"),
        ("inspections.finding", lambda fields: fields.update(kind="rumour"), "kind: Value 'rumour'"),
    ],
)
def test_a_backup_with_a_row_the_app_would_refuse_restores_nothing(record, tmp_path, model, change, message):
    record.inspection.report_url = "https://reports.ofsted.gov.uk/provider/44/80516"
    record.inspection.save()
    before = every_row()
    path = altered_backup(tmp_path, model, change)
    with pytest.raises(CommandError, match="could not be restored") as refused:
        call_command("restore", str(path), replace=True, with_users=True)
    assert message in str(refused.value) and "\n" not in str(refused.value)
    assert every_row() == before


@pytest.mark.parametrize(
    "objects, missing",
    [
        ([], "no councils and no users"),
        ([{"model": "auth.user", "pk": 1, "fields": {"username": "editor", "password": "!"}}], "no councils"),
    ],
)
def test_a_backup_without_councils_or_users_is_refused_unless_forced(record, tmp_path, objects, missing):
    before = every_row()
    path = tmp_path / "backup.json"
    path.write_text(json.dumps({"format": "inspection-tracker-backup", "objects": objects}))
    with pytest.raises(CommandError, match=missing):
        call_command("restore", str(path), replace=True, with_users=True)
    assert every_row() == before


def test_an_empty_backup_restores_when_forced(record, tmp_path):
    path = tmp_path / "backup.json"
    path.write_text('{"format": "inspection-tracker-backup", "objects": []}')
    call_command("restore", str(path), replace=True, force=True)
    assert not any(every_row().values())


def test_a_backup_larger_than_the_limit_once_decompressed_is_refused(record, tmp_path, settings):
    """A small gzip of whitespace must not be inflated into memory whole."""
    settings.BACKUP_MAX_MB = 1
    path = tmp_path / "backup.json.gz"
    with gzip.open(path, "wb") as output:
        output.write(b'{"format": "inspection-tracker-backup", "objects": []' + b" " * 2 * 2**20 + b"}")
    assert path.stat().st_size < 10_000
    before = every_row()
    with pytest.raises(CommandError, match="more than 1 MB once decompressed"):
        call_command("restore", str(path), replace=True, force=True)
    assert every_row() == before


def test_backup_into_a_missing_folder_is_a_one_line_error(tmp_path):
    with pytest.raises(CommandError, match="no folder"):
        call_command("backup", str(tmp_path / "missing" / "backup.json"))


def test_every_app_model_is_backed_up():
    labels = {model._meta.label for model in backed_up_models()}
    for app_label in ("councils", "inspections"):
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.label in ("inspections.DataVersion", "inspections.CouncilVersion"):  # cache state, not data
                assert model._meta.label not in labels
                continue
            assert model._meta.label in labels


def test_history_of_a_deleted_inspection_and_undated_inspections_round_trip(tmp_path):
    undated = [InspectionFactory(start_date=None, end_date=None, published_date=None) for _ in range(2)]
    council = undated[0].council
    InspectionFactory(council=council, start_date=None, end_date=None, published_date=None)
    gone = JudgementFactory()
    gone_inspection = gone.inspection
    gone.delete()
    gone_inspection.delete()
    before = every_row()
    path = tmp_path / "backup.json"
    call_command("backup", str(path))
    call_command("restore", str(path), replace=True, force=True)  # forced: this record has no users
    assert every_row() == before


# -- tampered backups: each is refused with one line, and the database is left as it was ------------------


def tampered_backup(tmp_path, change, name="backup.json"):
    """A backup of the database with change(objects) applied to its list of rows."""
    path = tmp_path / name
    call_command("backup", str(path))
    document = json.loads(path.read_text())
    change(document["objects"])
    (tmp_path / name).write_text(json.dumps(document))
    return path


def first(objects, model):
    return next(row for row in objects if row["model"] == model)


def refused(path, **options):
    with pytest.raises(CommandError) as refusal:
        call_command("restore", str(path), replace=True, **options)
    message = str(refusal.value)
    assert "\n" not in message and len(message) < 600, message
    return message


def added_superuser(objects):
    objects.append(
        {
            "model": "auth.user",
            "pk": 999,
            "fields": {
                "username": "intruder",
                "password": make_password("known"),
                "is_superuser": True,
                "is_staff": True,
                "is_active": True,
            },
        }
    )


def test_user_accounts_are_restored_only_when_asked_for(record, tmp_path):
    before = every_row()
    path = tampered_backup(tmp_path, added_superuser)
    assert "--with-users" in refused(path)
    assert every_row() == before
    assert not User.objects.filter(username="intruder").exists()


def test_with_users_lists_every_account_and_its_permissions(record, tmp_path, capsys):
    path = tampered_backup(tmp_path, added_superuser)
    call_command("restore", str(path), replace=True, with_users=True)
    lines = capsys.readouterr().out.splitlines()
    assert "intruder: active, staff, superuser; groups: none; permissions: every permission" in lines
    editor = next(line for line in lines if line.startswith("editor: "))
    assert editor.startswith("editor: active, staff; groups: Editors; permissions: ")
    assert "inspections.change_inspection" in editor


@pytest.mark.parametrize(
    "change, message",
    [
        # Backups never hold sessions: a restored one would be a signed-in session.
        (
            lambda objects: objects.append(
                {"model": "sessions.session", "pk": "x" * 32, "fields": {"session_data": "e30", "expire_date": "2099-01-01T00:00:00Z"}}
            ),
            "'sessions.session', a table no backup holds",
        ),
        (lambda objects: objects.append({"model": "auth.permission", "pk": 999, "fields": {}}), "a table no backup holds"),
        (lambda objects: first(objects, "councils.council")["fields"].update(name={"$gt": ""}), "wrong type for name"),
        (lambda objects: first(objects, "councils.council")["fields"].update(name=["Barnsley"]), "wrong type for name"),
        (lambda objects: first(objects, "inspections.inspection").update(pk=str(first(objects, "inspections.inspection")["pk"])), "wrong type for pk"),
        (lambda objects: first(objects, "inspections.finding")["fields"].update(inspection=[1]), "(inspections.finding "),
        (lambda objects: first(objects, "inspections.inspection")["fields"].update(sources=[{"$ne": 0}]), "inspections.inspection"),
        (lambda objects: first(objects, "inspections.inspection")["fields"].update(sources="1"), "wrong type for sources"),
        # The later row must not silently win: SQLite's words, then PostgreSQL's.
        (
            lambda objects: objects.append(dict(first(objects, "councils.council"))),
            re.compile(r"UNIQUE constraint failed: councils_council\.id|councils_council_pkey"),
        ),
        (lambda objects: objects.append({}), "is not a row of a backup"),
        (lambda objects: first(objects, "councils.council").update(extra=1), "is not a row of a backup"),
    ],
)
def test_a_tampered_row_restores_nothing(record, tmp_path, change, message):
    before = every_row()
    path = tampered_backup(tmp_path, change)
    refusal = refused(path, with_users=True)
    assert message.search(refusal) if isinstance(message, re.Pattern) else message in refusal, refusal
    assert every_row() == before


def write_backup(path, text):
    with gzip.open(path, "wt") if path.suffix == ".gz" else open(path, "w") as output:
        output.write(text)
    return path


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"format": "inspection-tracker-backup", "objects": [' + "[" * 100_000 + "]" * 100_000 + "]}", "nests values deeper"),
        (
            '{"format": "inspection-tracker-backup", "objects": [{"model": "councils.council", "pk": 1, "fields": {"name": "'
            + "x" * 2 * 2**20
            + '"}}]}',
            "more than 1 MB without a complete row",
        ),
        ('{"format": "inspection-tracker-backup", "objects": [' + "{}, " * 100_000 + "{}]}", "row 1 is not a row"),
        ('{"format": "inspection-tracker-backup", "objects": []} trailing', "not readable JSON"),
    ],
    ids=["deep nesting", "huge row", "many empty objects", "trailing text"],
)
@pytest.mark.parametrize("name", ["backup.json", "backup.json.gz"])
def test_a_crafted_file_is_refused_with_one_line(record, tmp_path, text, message, name):
    before = every_row()
    assert message in refused(write_backup(tmp_path / name, text), with_users=True)
    assert every_row() == before


def test_restore_into_a_database_never_migrated_is_a_one_line_error(tmp_path):
    backup = write_backup(tmp_path / "backup.json", '{"format": "inspection-tracker-backup", "objects": []}')
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(backup), "--force"],
        cwd=Path(__file__).resolve().parents[2],
        env={**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == ["CommandError: The database lacks the app's tables: run migrate before restoring."]
