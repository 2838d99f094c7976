"""Backups of every row the app holds, history included, as Django's JSON serialisation.

Content types and permissions are left out: migrate recreates them, with ids of its own, so references
to them are written as natural keys. Every other reference is written as the row's id, which stays
right for history rows whose object has since been deleted.
"""

import datetime
import gzip
import json
import os
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from simple_history.models import HistoricalChanges

from dashboard.postgresql.base import without_time_limits
from inspections import national_cache

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "inspections.dataversion"]
FORMAT_MARKER = "inspection-tracker-backup"
RECREATED_BY_MIGRATE = (ContentType, Permission)


class BackupError(Exception):
    pass


def _open(path, mode):
    return gzip.open(path, mode + "t", encoding="utf-8") if str(path).endswith(".gz") else open(path, mode, encoding="utf-8")


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
        with _open(temporary, "w") as output:
            output.write(f'{{"format": "{FORMAT_MARKER}", "objects": [\n')
            first = True
            for model in ordered_models():
                rows = model._default_manager.order_by("pk").iterator(chunk_size=2000)
                for row in BackupSerializer().serialize(rows):
                    output.write(("" if first else ",\n") + json.dumps(row, cls=ExactEncoder, ensure_ascii=False))
                    first = False
            output.write("\n]}\n")
        count = len(_read(temporary))
        # The backup appears under its name only once complete, so a failed run never leaves half a file.
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def validate(instance, number):
    """Model.full_clean(), as the admin's forms run it, except where the database itself does not insist.

    History rows point at rows that may since have been deleted (their foreign keys have no constraint in
    the database): those references are not checked, nor the history's own bookkeeping (who, why), which
    no form fills in. The recorded values themselves are checked like the live rows'. Uniqueness is the
    database's to check.
    """
    history = isinstance(instance, HistoricalChanges)
    unchecked = [
        field.name
        for field in instance._meta.concrete_fields
        if (field.is_relation and not getattr(field, "db_constraint", True))
        or (history and field.name.startswith("history_"))
    ]
    try:
        instance.full_clean(exclude=unchecked, validate_unique=False)
    except ValidationError as error:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
        raise BackupError(f"row {number:,} ({instance._meta.label_lower} {instance.pk}) is not valid: {problems}") from None


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


def _read(path):
    """The backup's rows. Read at most BACKUP_MAX_MB (after decompression), so a crafted gzip cannot fill memory."""
    limit = max_bytes()
    try:
        with _open(path, "r") as source:
            text = source.read(limit + 1)
        if len(text) > limit:
            raise BackupError(
                f"{path} holds more than {limit // 2**20} MB once decompressed, more than a backup of this app; "
                "set BACKUP_MAX_MB to restore a larger one."
            )
        document = json.loads(text)
    except FileNotFoundError:
        raise BackupError(f"There is no file {path}.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, EOFError, gzip.BadGzipFile):
        raise BackupError(f"{path} is not a backup written by this app (not readable JSON).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_MARKER:
        raise BackupError(f"{path} is not a backup written by this app.")
    if not isinstance(document.get("objects"), list):
        raise BackupError(f"{path} is damaged: it holds no list of rows.")
    return document["objects"]


def database_is_empty(using=DEFAULT_DB_ALIAS):
    return not any(model._default_manager.using(using).exists() for model in backed_up_models())


def check_essentials(path, objects):
    """A backup without councils or users would leave an app nobody can use: refused unless forced."""
    labels = {row.get("model", "").lower() for row in objects if isinstance(row, dict) and isinstance(row.get("model"), str)}
    missing = [name for label, name in (("councils.council", "councils"), ("auth.user", "users")) if label not in labels]
    if missing:
        raise BackupError(
            f"{path} holds no {' and no '.join(missing)}: restoring it would leave the site without them. "
            "Use --force if that is what you want."
        )


def restore(path, *, replace=False, force=False, using=DEFAULT_DB_ALIAS):
    """Replace the database's rows with the backup's, in one transaction; returns the number of rows restored.

    Every row is checked as the admin would check it (Model.full_clean), and the database's own checks
    (foreign keys, constraints) are run before the end of the transaction: a backup with a row the app would
    refuse restores nothing and says which row.
    """
    objects = _read(path)
    if not force:
        check_essentials(path, objects)
    if not replace and not database_is_empty(using):
        raise BackupError("The database already holds data; restore into an empty database or use --replace.")
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
            connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True))
        try:
            # Saved as they are read, like loaddata, so natural keys resolve against rows already saved.
            deferred = []
            saved = []
            for item in serializers.deserialize("python", objects, using=using, handle_forward_references=True):
                # The backup holds the history itself; restoring must not write history about restoring.
                item.object.skip_history_when_saving = True
                item.save(using=using)
                saved.append(item.object)
                if item.deferred_fields:
                    deferred.append(item)
            for item in deferred:
                item.save_deferred_fields(using=using)
            # Checked once every row is in, since rows may refer to rows saved after them.
            for number, instance in enumerate(saved, start=1):
                validate(instance, number)
            # Foreign keys are checked at COMMIT, outside this handler: asked for now instead.
            connection.check_constraints()
        except BackupError as error:
            raise BackupError(f"{path} could not be restored: {error}") from None
        except Exception as error:
            message = " ".join(str(error).split())
            raise BackupError(f"{path} could not be restored: {message}") from None
        sequences = connection.ops.sequence_reset_sql(no_style(), backed_up_models())
        with connection.cursor() as cursor:
            for statement in sequences:
                cursor.execute(statement)
    return len(objects)
