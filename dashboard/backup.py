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
from django.core import serializers
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction

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


def _read(path):
    try:
        with _open(path, "r") as source:
            document = json.load(source)
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


def restore(path, *, replace=False, using=DEFAULT_DB_ALIAS):
    """Replace the database's rows with the backup's, in one transaction; returns the number of rows restored."""
    objects = _read(path)
    if not replace and not database_is_empty(using):
        raise BackupError("The database already holds data; restore into an empty database or use --replace.")
    connection = connections[using]
    with transaction.atomic(using=using):
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
            for item in serializers.deserialize("python", objects, using=using, handle_forward_references=True):
                # The backup holds the history itself; restoring must not write history about restoring.
                item.object.skip_history_when_saving = True
                item.save(using=using)
                if item.deferred_fields:
                    deferred.append(item)
            for item in deferred:
                item.save_deferred_fields(using=using)
        except Exception as error:
            raise BackupError(f"{path} could not be restored: {error}") from None
        sequences = connection.ops.sequence_reset_sql(no_style(), backed_up_models())
        with connection.cursor() as cursor:
            for statement in sequences:
                cursor.execute(statement)
    return len(objects)
