"""Reads of the public pages and exports go to the read replica, when there is one (DATABASE_REPLICA_URL).

ReadReplicaMiddleware (middleware.py) marks a GET or HEAD request for a public page (public_pages.py: the
pages, the CSV exports, the feeds and the JSON API, which only read, and a replica a moment behind is good
enough); while it is served (a streamed export included) this router sends reads of the record to "replica".
Everything else reads and writes the default database: the admin, logins and sessions, management
commands, and any read of a request that is not a public page. A replica is a copy made by the database
server itself (e.g. PostgreSQL streaming replication), so Django never migrates it.
"""

import contextvars

from django.conf import settings

REPLICA = "replica"

# The record. Sessions, users, login attempts and the like are always read where they are written.
REPLICATED_APPS = frozenset({"councils", "inspections"})

_reading_from_replica = contextvars.ContextVar("reading_from_replica", default=False)


def replica_configured():
    return REPLICA in settings.DATABASES


def use_replica(flag):
    """Send this context's reads of the record to the replica (True) or the default database (False)."""
    _reading_from_replica.set(bool(flag))


def read_alias():
    """The database this context reads the record from."""
    return REPLICA if _reading_from_replica.get() and replica_configured() else "default"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading_from_replica.get() and model._meta.app_label in REPLICATED_APPS and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the default database.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == REPLICA:
            return False
        return None
