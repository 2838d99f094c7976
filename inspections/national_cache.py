"""Caching of national aggregates (the overview's charts, the full council list, the councils' latest
grades), invalidated whenever the data change.

Cached values are stored under keys that include a data version read from the database (one small
query a request, DataVersion), not a version kept in the cache: each gunicorn worker may have a cache
of its own (the default LocMemCache), and a change made through one worker must show on the next
request to any of them. The version is a random token, so a database restored from a backup or
rebuilt from scratch never meets aggregates cached from other data.

What changes the version:

* save and delete of any row of the councils and inspections apps, and changes to their
  many-to-many links (signals, connected in InspectionsConfig.ready());
* invalidate(), which bulk operations call themselves, since bulk_create, bulk_update, update() and
  raw SQL send no signals (the importers, the synthetic data generator, restore, load_data).

Inside a transaction the version changes at the first change, before the row is written (pre_save),
so that concurrent writers always lock the version row first and cannot deadlock on it, and once a
transaction: the version row stays locked until the commit, which makes the new version and the new
data visible together. Outside a transaction it changes after the write (post_save): a request in
between reads the old version and the new data, and the next one recomputes.
"""

import datetime
import secrets
from typing import NamedTuple

from django.apps import apps as global_apps
from django.core.cache import caches
from django.db import connections, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from simple_history.models import HistoricalChanges

from councils.signals import councils_bulk_changed

from .models import DataVersion

APPS = ("councils", "inspections")
TIMEOUT = 24 * 60 * 60  # keys change with the data; this only frees memory held by unused aggregates
_MISSING = object()


def _changed_in_transaction():
    """A marker on the transaction's on-commit list: the version has already changed in it."""


def _marked(connection):
    return any(func is _changed_in_transaction for _sids, func, _robust in connection.run_on_commit)


class State(NamedTuple):
    version: int
    changed_at: object  # an aware datetime, or None before any change was recorded


def version():
    """The current data version (0 before any change was recorded)."""
    return state().version


def state():
    """The current data version and when the data last changed, in one query."""
    alias = router.db_for_read(DataVersion)
    connection = connections[alias]
    if connection.in_atomic_block and _marked(connection):
        # Read inside the transaction that made a change (a test, or a view that writes and then
        # reads): the next change in it must change the version again.
        connection.run_on_commit = [entry for entry in connection.run_on_commit if entry[1] is not _changed_in_transaction]
    row = DataVersion.objects.using(alias).filter(pk=1).values_list("value", "changed_at").first()
    return State(*row) if row else State(0, None)


def invalidate(using=None):
    """Record that the data changed: every cached national aggregate is computed again on next use."""
    alias = using or router.db_for_write(DataVersion)
    connection = connections[alias]
    if connection.in_atomic_block:
        if _marked(connection):
            return
        transaction.on_commit(_changed_in_transaction, using=alias)
    value = secrets.randbits(62)
    with transaction.atomic(using=alias):
        versions = DataVersion.objects.using(alias).select_for_update().filter(pk=1)
        now = changed_at_after(versions.values_list("changed_at", flat=True).first())
        if not versions.update(value=value, changed_at=now):
            DataVersion.objects.using(alias).bulk_create(
                [DataVersion(pk=1, value=value, changed_at=now)], ignore_conflicts=True
            )


def changed_at_after(previous):
    """When a new version is recorded: now, in whole seconds, and at least a second after `previous`.

    Last-Modified and If-Modified-Since count whole seconds: two versions within one second would share a
    Last-Modified, and a client asking with only If-Modified-Since would get a 304 for the second one. A
    change within the same second as the one before is therefore dated the next second.
    """
    now = timezone.now().replace(microsecond=0)
    if previous is not None:
        now = max(now, previous.replace(microsecond=0) + datetime.timedelta(seconds=1))
    return now


def cached(name, compute, *, timeout=TIMEOUT, using="default"):
    """compute()'s value for this data version, from the cache `using` (an alias of CACHES) when it is there."""
    key = f"national:{name}:{version()}"
    store = caches[using]
    value = store.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        store.set(key, value, timeout)
    return value


# -- signals ------------------------------------------------------------------------------------------


def _tracked(model):
    return (
        model._meta.app_label in APPS
        and model is not DataVersion
        and not issubclass(model, HistoricalChanges)
        # Not a migration's historical model: DataVersion may not have its present columns yet, and a
        # release with a migration is a release of new code, which renders the pages afresh anyway.
        and model._meta.apps is global_apps
    )


def _before_change(sender, using=None, **kwargs):
    if _tracked(sender) and connections[using].in_atomic_block:
        invalidate(using)


def _after_change(sender, using=None, **kwargs):
    if _tracked(sender) and not connections[using].in_atomic_block:
        invalidate(using)


def _m2m_changed(sender, action, using=None, **kwargs):
    if action.startswith("pre_"):
        _before_change(sender, using=using)
    else:
        _after_change(sender, using=using)


def connect_signals():
    pre_save.connect(_before_change, dispatch_uid="national_cache_pre_save")
    pre_delete.connect(_before_change, dispatch_uid="national_cache_pre_delete")
    post_save.connect(_after_change, dispatch_uid="national_cache_post_save")
    post_delete.connect(_after_change, dispatch_uid="national_cache_post_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="national_cache_m2m_changed")
    councils_bulk_changed.connect(_bulk_changed, dispatch_uid="national_cache_councils_bulk_changed")


def _bulk_changed(sender, using="default", **kwargs):
    invalidate(using)
