"""Backups of every row the app holds, history included, as Django's JSON serialisation.

Content types and permissions are left out: migrate recreates them, with ids of its own, so references
to them are written as natural keys. Every other reference is written as the row's id, which stays
right for history rows whose object has since been deleted.
"""

import datetime
import gzip
import itertools
import json
import os
import tempfile
import zlib
from pathlib import Path

import ijson

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections, transaction

from simple_history.models import HistoricalChanges

from inspection_tracker.postgresql.base import without_time_limits
from inspections import national_cache

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "inspections.dataversion", "inspections.councilversion"]
FORMAT_MARKER = "inspection-tracker-backup"
RECREATED_BY_MIGRATE = (ContentType, Permission)


class BackupError(Exception):
    pass


def backed_up_models():
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    excluded_models = {label for label in EXCLUDED if "." in label}
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in excluded_apps and model._meta.label_lower not in excluded_models
    ]


def backup(path):
    """Write every row to path (JSON, gzipped when it ends in .gz); returns the number of rows written."""
    path = Path(path)
    if not path.parent.is_dir():
        raise BackupError(f"There is no folder {path.parent} to write the backup in.")
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".backup-", suffix=path.suffix)
    os.close(handle)
    try:
        opened = gzip.open(temporary, "wt", encoding="utf-8") if path.suffix == ".gz" else open(temporary, "w", encoding="utf-8")
        with opened as output:
            output.write(f'{{"format": "{FORMAT_MARKER}", "objects": [\n')
            count = 0
            for model in ordered_models():
                rows = model._default_manager.order_by("pk").iterator(chunk_size=2000)
                for row in BackupSerializer().serialize(rows):
                    output.write((",\n" if count else "") + json.dumps(row, cls=ExactEncoder, ensure_ascii=False))
                    count += 1
            output.write("\n]}\n")
        # The backup appears under its name only once complete, so a failed run never leaves half a file.
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def unchecked_fields(instance, *, relations=False):
    """What restore does not check of a row, besides, with relations=True, every reference (checked once
    every row is in).

    History rows point at rows that may since have been deleted (their foreign keys have no constraint in
    the database): those references are not checked, nor the history's own bookkeeping (who, why), which
    no form fills in. The recorded values themselves are checked like the live rows'.
    """
    history = isinstance(instance, HistoricalChanges)
    return [
        field.name
        for field in instance._meta.concrete_fields
        if (field.is_relation and (relations or not getattr(field, "db_constraint", True)))
        or (history and field.name.startswith("history_"))
    ]


def problems(error):
    return shorten(
        "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    )


def validate(instance):
    """Model.full_clean(), as the admin's forms run it, on a restored row, except where the database itself
    does not insist (unchecked_fields); uniqueness is the database's to check. Its values were checked
    field by field before it was saved: what is left are its references and the model's own rules."""
    values = [field.name for field in instance._meta.concrete_fields if not field.is_relation]
    try:
        instance.full_clean(exclude=unchecked_fields(instance) + values, validate_unique=False)
    except ValidationError as error:
        raise BackupError(f"{instance._meta.label_lower} {instance.pk} is not valid: {problems(error)}") from None


class BackupSerializer(PythonSerializer):
    """Natural keys for content types and permissions only; ids for everything the backup holds."""

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in RECREATED_BY_MIGRATE
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = field.remote_field.model in RECREATED_BY_MIGRATE
        super().handle_m2m_field(obj, field)


class ExactEncoder(DjangoJSONEncoder):
    """Django's encoder, but keeping microseconds, which it rounds away and a backup must not."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def ordered_models():
    """Models in an order where every row comes after the rows it refers to by natural key."""
    models = backed_up_models()
    return serializers.sort_dependencies([(None, models)], allow_cycles=True)


def max_bytes():
    return getattr(settings, "BACKUP_MAX_MB", 512) * 1024 * 1024


# A backup's deepest value is a permission's natural key: row > fields > list of keys > key.
ROW_MAX_DEPTH = 4
# Far above any row the app writes (a finding's text, a key figure's notes), far below what memory allows:
# a row is built whole in memory before it is checked.
ROW_MAX_BYTES = 1024 * 1024
HEADER = [("start_map", None), ("map_key", "format"), ("string", FORMAT_MARKER), ("map_key", "objects")]


class BoundedReader:
    """The backup's bytes, decompressed as they are read, refused past BACKUP_MAX_MB in all or past
    ROW_MAX_BYTES within one row: a crafted file never gets more than that into memory."""

    def __init__(self, path, raw):
        self.path = path
        self.raw = raw
        self.total = 0
        self.since_row = 0

    def read(self, size):
        chunk = self.raw.read(size)  # ijson asks for 64 KB at a time
        self.total += len(chunk)
        self.since_row += len(chunk)
        if self.total > max_bytes():
            raise BackupError(
                f"{self.path} holds more than {max_bytes() // 2**20} MB once decompressed, more than a backup of "
                "this app; set BACKUP_MAX_MB to restore a larger one."
            )
        if self.since_row > ROW_MAX_BYTES + 64 * 1024:
            raise BackupError(
                f"{self.path} holds more than {ROW_MAX_BYTES // 2**20} MB without a complete row, "
                "more than any row a backup writes."
            )
        return chunk


def read_rows(path):
    """The backup's rows, one at a time, read as a stream (ijson's events, without the paths it would build
    for every value: those cost the square of the nesting): memory stays bounded whatever the file holds."""
    try:
        with gzip.open(path, "rb") if str(path).endswith(".gz") else open(path, "rb") as raw:
            source = BoundedReader(path, raw)
            events = ijson.basic_parse(source, use_float=True)
            if list(itertools.islice(events, len(HEADER))) != HEADER:
                raise BackupError(f"{path} is not a backup written by this app.")
            if next(events, None) != ("start_array", None):
                raise BackupError(f"{path} is damaged: it holds no list of rows.")
            depth = 0
            for event, value in events:
                if depth == 0:
                    if event == "end_array":
                        break
                    row = ijson.ObjectBuilder()
                row.event(event, value)
                if event in ("start_map", "start_array"):
                    depth += 1
                    if depth > ROW_MAX_DEPTH:
                        raise BackupError(f"{path} nests values deeper than a backup ever does.")
                elif event in ("end_map", "end_array"):
                    depth -= 1
                if depth == 0:
                    yield row.value
                    source.since_row = 0
            if list(itertools.islice(events, 2)) != [("end_map", None)]:  # and then the end of the file
                raise BackupError(f"{path} is damaged: it holds more than a list of rows.")
    except FileNotFoundError:
        raise BackupError(f"There is no file {path}.") from None
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ijson.JSONError):
        raise BackupError(f"{path} is not a backup written by this app (not readable JSON).") from None


def database_is_empty(using=DEFAULT_DB_ALIAS):
    return not any(model._default_manager.using(using).exists() for model in backed_up_models())


def check_essentials(path, labels):
    """A backup without councils or users would leave an app nobody can use: refused unless forced."""
    essentials = (("councils.council", "councils"), ("auth.user", "users"))
    missing = [name for label, name in essentials if label not in labels]
    if missing:
        raise BackupError(
            f"{path} holds no {' and no '.join(missing)}: restoring it would leave the site without them. "
            "Use --force if that is what you want."
        )


def shorten(text, length=300):
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1] + "…"


def as_written(value):
    """A value as the backup's JSON holds it, to compare without 1 passing for true or "5" for 5."""
    return json.dumps(value, cls=ExactEncoder, ensure_ascii=False, sort_keys=True)


def _written_row(instance, names):
    return json.loads(json.dumps(BackupSerializer().serialize([instance], fields=names)[0], cls=ExactEncoder))


def _check_types(row, number, item):
    """Each value must be exactly what backup writes for the value the field reads from it (the field's own
    to_python, then the serializer): a JSON object is no council name, "5" no number, 1 no yes/no."""
    instance = item.object
    concrete = [field.name for field in instance._meta.concrete_fields if field.serialize]
    written = _written_row(instance, concrete)
    wrong = [
        name
        for name in concrete
        if name in row["fields"] and as_written(row["fields"][name]) != as_written(written["fields"][name])
    ]
    if as_written(row["pk"]) != as_written(written["pk"]) or row["pk"] is None:
        wrong.insert(0, "pk")
    if wrong:
        raise BackupError(
            f"row {number:,} ({row['model']} {shorten(row['pk'], 40)}) holds a value of the wrong type for {', '.join(wrong)}."
        )


def _check_links(row, number, item):
    """Many-to-many values: a list of keys without repeats, each as _check_types would have it, or, for
    permissions, a list of natural keys (which deserializing has found)."""
    wrong = []
    for field in item.object._meta.many_to_many:
        if field.name not in row["fields"]:
            continue
        value = row["fields"][field.name]
        if field.remote_field.model in RECREATED_BY_MIGRATE:
            right = isinstance(value, list) and all(
                isinstance(key, list) and all(isinstance(part, str) for part in key) for key in value
            )
        else:
            keys = item.m2m_data[field.name]
            right = isinstance(value, list) and list(map(as_written, value)) == list(map(as_written, keys))
        if not right or len(set(map(as_written, value))) != len(value):
            wrong.append(field.name)
    if wrong:
        raise BackupError(
            f"row {number:,} ({row['model']} {row['pk']}) holds a value of the wrong type for {', '.join(wrong)}."
        )


def restore_row(row, number, *, models, with_users, using):
    """Check one row of the backup and insert it (never over an earlier row with the same key)."""
    if not (isinstance(row, dict) and set(row) == {"model", "pk", "fields"} and isinstance(row["fields"], dict)):
        raise BackupError(f"row {number:,} is not a row of a backup.")
    model = models.get(row["model"]) if isinstance(row["model"], str) else None
    if model is None:
        raise BackupError(f"row {number:,} is of {shorten(repr(row['model']), 80)}, a table no backup holds.")
    if model is User and not with_users:
        raise BackupError(
            "it holds user accounts, which may sign in: restore them only with --with-users, "
            "which lists every account and its permissions first."
        )
    try:
        item = next(serializers.deserialize("python", [row], using=using))
    except DeserializationError as error:
        raise BackupError(
            f"row {number:,} ({row['model']} {shorten(row['pk'], 40)}) is not valid: {shorten(error)}"
        ) from None
    _check_types(row, number, item)
    _check_links(row, number, item)
    # Field by field before saving (a database may round a decimal or keep an over-long text); references
    # and the model's own rules once every row is in (validate), since rows may refer to rows after them.
    try:
        item.object.clean_fields(exclude=unchecked_fields(item.object, relations=True))
    except ValidationError as error:
        raise BackupError(f"row {number:,} ({row['model']} {row['pk']}) is not valid: {problems(error)}") from None
    # The backup holds the history itself; restoring must not write history about restoring.
    item.object.skip_history_when_saving = True
    try:
        item.save(using=using, force_insert=True)
    except IntegrityError as error:  # a key an earlier row has (not written over it), or a broken constraint
        raise BackupError(f"row {number:,} ({row['model']} {row['pk']}) is refused by the database: {shorten(error)}") from None
    return model


def account_lines(using):
    """Every account restored, with what it may do: what --with-users lets in."""
    yield "User accounts in the backup, which will be able to sign in:"
    for user in User.objects.using(using).order_by("username").prefetch_related("groups"):
        flags = [
            name for name, on in (("active", user.is_active), ("staff", user.is_staff), ("superuser", user.is_superuser)) if on
        ]
        if user.is_superuser:
            permissions = "every permission"
        else:
            permissions = ", ".join(sorted(user.get_all_permissions())) or "none"
        groups = ", ".join(group.name for group in user.groups.all()) or "none"
        yield f"{user.username}: {', '.join(flags) or 'inactive'}; groups: {groups}; permissions: {permissions}"


def restore(path, *, replace=False, force=False, with_users=False, show_accounts=None, using=DEFAULT_DB_ALIAS):
    """Replace the database's rows with the backup's, in one transaction; returns the number of rows restored.

    Only the tables a backup writes are restored, user accounts only when asked for (their list goes to
    show_accounts before the transaction ends); every value must have the type its field writes, every key
    must be new, and every row is checked as the admin would check it (Model.full_clean), with the
    database's own checks (foreign keys, constraints) run before the end of the transaction: a backup with a
    row the app would refuse restores nothing and says which row.
    """
    try:
        empty = database_is_empty(using)
    except DatabaseError:
        raise BackupError("The database lacks the app's tables: run migrate before restoring.") from None
    if not replace and not empty:
        raise BackupError("The database already holds data; restore into an empty database or use --replace.")
    models = {model._meta.label_lower: model for model in backed_up_models()}
    connection = connections[using]
    # A large backup takes longer than a page's statements may (DATABASE_STATEMENT_TIMEOUT).
    with transaction.atomic(using=using), without_time_limits(connection):
        national_cache.invalidate(using)  # the flush below sends no signals
        if replace:
            tables = [model._meta.db_table for model in backed_up_models()]
            tables += [
                field.remote_field.through._meta.db_table
                for model in backed_up_models()
                for field in model._meta.local_many_to_many
                if field.remote_field.through._meta.auto_created
            ]
            connection.ops.execute_sql_flush(
                connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
            )
        try:
            count = 0
            restored = set()
            for count, row in enumerate(read_rows(path), start=1):
                restored.add(restore_row(row, count, models=models, with_users=with_users, using=using)._meta.label_lower)
            if not force:
                check_essentials(path, restored)
            for model in backed_up_models():
                for instance in model._base_manager.using(using).order_by("pk").iterator(chunk_size=2000):
                    validate(instance)
            # Foreign keys are checked at COMMIT, outside this handler: asked for now instead.
            connection.check_constraints()
        except BackupError as error:
            message = str(error)
            prefixed = message if message.startswith(str(path)) else f"{path} could not be restored: {message}"
            raise BackupError(prefixed) from None
        except Exception as error:
            raise BackupError(f"{path} could not be restored: {shorten(error)}") from None
        sequences = connection.ops.sequence_reset_sql(no_style(), backed_up_models())
        with connection.cursor() as cursor:
            for statement in sequences:
                cursor.execute(statement)
        if with_users and show_accounts:
            for line in account_lines(using):
                show_accounts(line)
    return count
