"""Django's PostgreSQL backend, giving up on a server that does not answer.

A server that is alive but frozen (stopped processes, a stalled disk, a hung host whose kernel still
acknowledges packets) leaves psycopg2 waiting for ever: TCP keepalives are answered and the server's own
statement_timeout never fires. Here every statement Django runs, and the health check of a kept
connection, is watched: if the server has not answered within settings.DATABASE_RESPONSE_TIMEOUT (or the
shorter limit of `response_limit()`, which /healthz uses), the connection's socket is shut down, psycopg2
raises OperationalError (a 503 page, inspection_tracker/middleware.py) and Django opens a new connection for the
next request, so the app recovers by itself when the server does.
"""

import contextlib
import contextvars
import heapq
import itertools
import os
import socket
import threading
import time

from django.conf import settings
from django.db import OperationalError
from django.db.backends.postgresql import base

_limit = contextvars.ContextVar("database_response_limit", default=None)


@contextlib.contextmanager
def response_limit(seconds):
    """Wait at most `seconds` for each answer from the server within the block (e.g. a health check); 0 for
    as long as it takes."""
    token = _limit.set(seconds)
    try:
        yield
    finally:
        _limit.reset(token)


def current_limit():
    seconds = _limit.get()
    return settings.DATABASE_RESPONSE_TIMEOUT if seconds is None else seconds or None


@contextlib.contextmanager
def without_time_limits(connection):
    """Inside a transaction: no statement timeout, no response limit, for work that is long by nature (a
    restore's constraint check). Nothing to do on other databases."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
    with response_limit(0):
        yield


class Watch:
    """One watched wait; `cut` says whether the watchdog gave up on it."""

    def __init__(self, fileno):
        self.fileno = fileno
        self.cut = False


class Watchdog:
    """One thread that shuts down the socket of any watched connection still waiting past its deadline."""

    def __init__(self):
        self._condition = threading.Condition()
        self._deadlines = []  # heap of (deadline, number)
        self._watched = {}  # number -> Watch
        self._numbers = itertools.count()
        self._thread = None

    @contextlib.contextmanager
    def watch(self, fileno, seconds):
        number = next(self._numbers)
        watch = Watch(fileno)
        with self._condition:
            if self._thread is None or not self._thread.is_alive():  # started lazily: after gunicorn forks
                self._thread = threading.Thread(target=self._run, name="database-watchdog", daemon=True)
                self._thread.start()
            self._watched[number] = watch
            heapq.heappush(self._deadlines, (time.monotonic() + seconds, number))
            self._condition.notify()
        try:
            yield watch
        finally:
            with self._condition:
                self._watched.pop(number, None)

    def _run(self):
        with self._condition:
            while True:
                while self._deadlines and self._deadlines[0][1] not in self._watched:
                    heapq.heappop(self._deadlines)  # finished in time
                if not self._deadlines:
                    self._condition.wait()
                    continue
                deadline, number = self._deadlines[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._condition.wait(wait)
                    continue
                heapq.heappop(self._deadlines)
                watch = self._watched.pop(number)
                watch.cut = True
                cut(watch.fileno)


def cut(fileno):
    """Shut the socket down: the thread blocked reading it gets end-of-file, which psycopg2 reports as an error."""
    try:
        with socket.socket(fileno=os.dup(fileno)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


watchdog = Watchdog()


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(self._watched_execute)

    @contextlib.contextmanager
    def _watched(self):
        seconds = current_limit()
        try:
            fileno = self.connection.fileno() if seconds and self.connection is not None else None
        except Exception:  # a closed connection: psycopg2 raises as soon as it is used, nothing to watch
            fileno = None
        if fileno is None:
            yield None
            return
        with watchdog.watch(fileno, seconds) as watch:
            yield watch

    def _watched_execute(self, execute, sql, params, many, context):
        with self._watched():
            return execute(sql, params, many, context)

    def is_usable(self):
        with self._watched():
            return super().is_usable()

    def close_if_health_check_failed(self):
        """Django's check of a kept connection before a request uses it, but a server that did not answer it
        in time is a 503 now. The cut connection is kept until the request ends (errors_occurred closes it
        then), so that nothing else in this request waits on a new one."""
        if self.pool or self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        with self._watched() as watch:  # Django's own check, unwatched: the watch is this one, to read `cut`
            usable = base.DatabaseWrapper.is_usable(self)
        self.health_check_done = True
        if usable:
            return
        if watch is not None and watch.cut:
            self.errors_occurred = True
            raise OperationalError(f"The database did not answer within {current_limit()} s.")
        self.close()
