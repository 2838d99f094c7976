"""Caching of national aggregates (the overview's charts, the full council list, the councils' latest
grades), and the data versions that the cached aggregates and the stored pages are kept under.

Cached values are stored under keys that include versions read from the database (one small query a
request), not versions kept in the cache: each gunicorn worker may have a cache of its own (the default
LocMemCache), and a change made through one worker must show on the next request to any of them. Versions
are random tokens, so a database restored from a backup or rebuilt from scratch never meets aggregates or
pages cached from other data. There are three kinds:

* the national version (DataVersion.value), which every change changes: the national aggregates and the
  pages of national figures or of lists of every council are kept under it;
* each council's version (CouncilVersion), which changes when a row that council's pages show changes:
  the council itself, its aliases and neighbour links, its inspections with their judgements, findings
  and disagreements, its key figures, the sources these cite, the region it is in. A council's pages are
  kept under the versions of the councils they show (inspection_tracker/page_versions.py), so a report
  published for one council re-renders its pages and those that show it, and no other council's;
* the every-council version (DataVersion.councils_value), which every council's pages are kept under too:
  it changes when a writer cannot say which councils it changed.

What changes them:

* save and delete of any row of the councils and inspections apps, and changes to their many-to-many
  links (signals, connected in InspectionsConfig.ready()): the national version and the versions of the
  councils the row belongs to, before the change and after it (an inspection moved to another council
  changes both); a raw save (loading a fixture, restoring a row) changes every council's, since the rows
  it refers to may not be written yet;
* invalidate(), which bulk operations call themselves, since bulk_create, bulk_update, update() and
  raw SQL send no signals (the importers, the synthetic data generator, restore, load_data, undelete):
  with the councils they write to, or none named when they cannot say.

Inside a transaction each version changes at its first change, before the row is written (pre_save), and
once a transaction: its row stays locked until the commit, which makes the new versions and the new data
visible together. The national row is always locked first, and every change changes it, so writers queue
on it and cannot deadlock on the councils' rows (taken after it, in the order of their ids). Outside a
transaction versions change after the write (post_save): a request in between reads the old versions and
the new data, and the next one renders afresh.
"""

import datetime
import secrets
from typing import NamedTuple

from django.apps import apps as global_apps
from django.core.cache import caches
from django.db import connections, models, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from simple_history.models import HistoricalChanges

from councils.models import Council, CouncilAlias, Region, StatisticalNeighbour
from councils.signals import councils_bulk_changed

from .models import CouncilVersion, DataVersion, Disagreement, Finding, Inspection, Judgement, KeyFigure, Source

APPS = ("councils", "inspections")
TIMEOUT = 24 * 60 * 60  # keys change with the data; this only frees memory held by unused aggregates
_MISSING = object()
NATIONAL = "national"
EVERY_COUNCIL = "every council"


class _Changed:
    """A marker on the transaction's on-commit list: this version (NATIONAL, EVERY_COUNCIL or a council's id)
    has already changed in it. Each is registered where it changed, so a savepoint rolled back (which undoes
    the change) takes its marker with it."""

    def __init__(self, scope):
        self.scope = scope

    def __call__(self):
        """Nothing to do at the commit: the marker only counts until then."""


def _changed(connection):
    return {func.scope for _sids, func, _robust in connection.run_on_commit if isinstance(func, _Changed)}


class State(NamedTuple):
    version: object  # an int for the national version; a string naming each version read for a council's pages
    changed_at: object  # an aware datetime, or None before any change was recorded


def version():
    """The current national data version (0 before any change was recorded)."""
    return state().version


def state(councils=None):
    """The current national version and when the data last changed, in one query; or, given `councils` (a
    query of council ids), the versions of the pages that show those councils and when they last changed."""
    alias = router.db_for_read(DataVersion)
    connection = connections[alias]
    if connection.in_atomic_block:
        # Read inside the transaction that made a change (a test, or a view that writes and then
        # reads): the next change in it must change the versions again.
        connection.run_on_commit = [entry for entry in connection.run_on_commit if not isinstance(entry[1], _Changed)]
    versions = DataVersion.objects.using(alias).filter(pk=1)
    if councils is None:
        row = versions.values_list("value", "changed_at").first()
        return State(*row) if row else State(0, None)
    # One query: the every-council version (as council 0, no council's id) and the councils' own.
    every_council = versions.values_list(
        models.Value(0, output_field=models.BigIntegerField()), "councils_value", "councils_changed_at"
    )
    own = CouncilVersion.objects.using(alias).filter(council__in=councils).values_list("council", "value", "changed_at")
    rows = sorted(every_council.union(own, all=True))
    # A council not changed since its row was made has none: it is left out, and its first change adds it.
    return State(
        " ".join(f"{council}:{value}" for council, value, _changed_at in rows),
        max((changed_at for _council, _value, changed_at in rows if changed_at is not None), default=None),
    )


def invalidate(using=None, councils=None):
    """Record that the data changed: the national aggregates and pages, and the pages of `councils` (ids of
    the councils changed; None when the writer cannot say: every council), are computed again on next use."""
    alias = using or router.db_for_write(DataVersion)
    connection = connections[alias]
    scopes = {NATIONAL, EVERY_COUNCIL} if councils is None else {NATIONAL, *(pk for pk in councils if pk is not None)}
    if connection.in_atomic_block:
        scopes -= _changed(connection)
        if not scopes:
            return
        for scope in scopes:
            transaction.on_commit(_Changed(scope), using=alias)
    with transaction.atomic(using=alias):
        # The national row first, always: see the module's docstring.
        versions = DataVersion.objects.using(alias).select_for_update().filter(pk=1)
        national = versions.values("changed_at", "councils_value", "councils_changed_at").first()
        now = national["changed_at"] if national else None
        fields = {}
        if NATIONAL in scopes:
            now = changed_at_after(now)
            fields.update(value=secrets.randbits(62), changed_at=now)
        if EVERY_COUNCIL in scopes:
            fields.update(councils_value=secrets.randbits(62), councils_changed_at=now)
        if fields and not versions.update(**fields):
            DataVersion.objects.using(alias).bulk_create([DataVersion(pk=1, **fields)], ignore_conflicts=True)
        council_ids = sorted(scope for scope in scopes if scope not in (NATIONAL, EVERY_COUNCIL))
        if council_ids:
            CouncilVersion.objects.using(alias).bulk_create(
                [CouncilVersion(council_id=pk, value=secrets.randbits(62), changed_at=now) for pk in council_ids],
                update_conflicts=True,
                unique_fields=["council"],
                update_fields=["value", "changed_at"],
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


# Which councils' pages show a row, by model: the paths from the row to those councils' ids (one query for
# all). A model not listed changes every council's version, so a model added later is never left stale.
_COUNCIL_PATHS = {
    Region: lambda pks: [Council.objects.filter(region__in=pks).values_list("pk")],
    Council: lambda pks: [Council.objects.filter(pk__in=pks).values_list("pk")],
    CouncilAlias: lambda pks: [CouncilAlias.objects.filter(pk__in=pks).values_list("council")],
    StatisticalNeighbour: lambda pks: [StatisticalNeighbour.objects.filter(pk__in=pks).values_list("council")],
    Inspection: lambda pks: [Inspection.objects.filter(pk__in=pks).values_list("council")],
    Judgement: lambda pks: [Judgement.objects.filter(pk__in=pks).values_list("inspection__council")],
    Finding: lambda pks: [Finding.objects.filter(pk__in=pks).values_list("inspection__council")],
    Disagreement: lambda pks: [Disagreement.objects.filter(pk__in=pks).values_list("inspection__council")],
    KeyFigure: lambda pks: [KeyFigure.objects.filter(pk__in=pks).values_list("council")],
    # A source shows on the pages of what cites it.
    Source: lambda pks: [
        Inspection.objects.filter(sources__in=pks).values_list("council"),
        Judgement.objects.filter(source__in=pks).values_list("inspection__council"),
        Finding.objects.filter(source__in=pks).values_list("inspection__council"),
        Disagreement.objects.filter(models.Q(kept_source__in=pks) | models.Q(other_source__in=pks)).values_list(
            "inspection__council"
        ),
        KeyFigure.objects.filter(models.Q(source__in=pks) | models.Q(also_reported_by__in=pks)).values_list("council"),
    ],
}


def councils_of(model, pks, using):
    """The ids of the councils whose pages show these rows of `model`, as they are in the database; None
    for every council (a model whose councils are not known)."""
    paths = _COUNCIL_PATHS.get(model)
    if paths is None:
        return None
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return set()
    first, *rest = [query.using(using).order_by() for query in paths(pks)]
    return {pk for (pk,) in (first.union(*rest) if rest else first)} - {None}


def _tracked(model):
    return (
        model._meta.app_label in APPS
        and model not in (DataVersion, CouncilVersion)
        and not issubclass(model, HistoricalChanges)
        # Not a migration's historical model: DataVersion may not have its present columns yet, and a
        # release with a migration is a release of new code, which renders the pages afresh anyway.
        and model._meta.apps is global_apps
    )


def _union(*councils):
    return None if any(ids is None for ids in councils) else set().union(*councils)


def _before_change(sender, instance, using=None, raw=False, **kwargs):
    if not _tracked(sender):
        return
    # A row a fixture or a backup loads may refer to rows not loaded yet: its councils cannot be read.
    councils = None if raw else councils_of(sender, [instance.pk], using)
    if connections[using].in_atomic_block:
        invalidate(using, councils)
    else:
        # Changed after the write (see the module's docstring), with the councils the row belonged to.
        instance._councils_before_change = councils


def _after_change(sender, instance, using=None, raw=False, deleted=False, **kwargs):
    if not _tracked(sender):
        return
    before = getattr(instance, "_councils_before_change", set())
    instance._councils_before_change = set()
    after = None if raw else set() if deleted else councils_of(sender, [instance.pk], using)
    if connections[using].in_atomic_block:
        # Locked and changed before the write; a row just made, or moved, may belong to others now.
        invalidate(using, after)
    else:
        invalidate(using, _union(before, after))


def _after_delete(sender, **kwargs):
    _after_change(sender, deleted=True, **kwargs)  # a row deleted belongs to no council any more


def _m2m_changed(sender, instance, action, model, pk_set, using=None, **kwargs):
    if not _tracked(sender) or not action.startswith("pre_"):
        return  # changed before the links are (m2m changes always run in a transaction)
    # A link shows on the pages of both its ends, but a source's: a source shows on the pages citing it.
    ends = []
    if not (isinstance(instance, Source) and pk_set is not None):
        ends.append(councils_of(type(instance), [instance.pk], using))
    if model is not Source and pk_set is not None:
        ends.append(councils_of(model, pk_set, using))
    invalidate(using, _union(*ends))


def connect_signals():
    pre_save.connect(_before_change, dispatch_uid="national_cache_pre_save")
    pre_delete.connect(_before_change, dispatch_uid="national_cache_pre_delete")
    post_save.connect(_after_change, dispatch_uid="national_cache_post_save")
    post_delete.connect(_after_delete, dispatch_uid="national_cache_post_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="national_cache_m2m_changed")
    councils_bulk_changed.connect(_bulk_changed, dispatch_uid="national_cache_councils_bulk_changed")


def _bulk_changed(sender, using="default", **kwargs):
    invalidate(using)
