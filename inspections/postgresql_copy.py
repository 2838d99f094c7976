"""Streaming a queryset as CSV with PostgreSQL's own COPY, chunk by chunk, in flat memory.

psycopg2 can only hand COPY's output to a file object's write(), so the COPY runs in a helper thread
on the request's own connection (psycopg2 connections may be shared between threads, and the request
thread does nothing else meanwhile), and a small bounded queue passes the chunks back: when the client
reads slowly the COPY waits, and when the client goes away the server is asked to cancel the COPY, inside
a savepoint so that the connection and any surrounding transaction stay usable.
"""

import queue
import threading

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction

CHUNK_BYTES = 256 * 1024
QUEUED_CHUNKS = 8
_DONE = object()


class _ChunkWriter:
    """The file object COPY writes its rows to: gathers them into chunks for the queue."""

    def __init__(self, chunks, cancelled):
        self.chunks = chunks
        self.cancelled = cancelled
        self.parts = []
        self.size = 0

    def write(self, data):
        # psycopg2 writes one whole row per call, as bytes, so joined rows always decode cleanly.
        self.parts.append(data)
        self.size += len(data)
        if self.size >= CHUNK_BYTES:
            self.flush()

    def flush(self):
        if not self.parts:
            return
        chunk = b"".join(self.parts).decode("utf-8")
        self.parts, self.size = [], 0
        while not self.cancelled.is_set():
            try:
                self.chunks.put(chunk, timeout=0.5)
                return
            except queue.Full:
                continue


def copy_csv(queryset):
    """Yield the rows of a values_list queryset as CSV text (no header, lines ending in \\n), written by COPY."""
    connection = connections[queryset.db]
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # a filter Django knows matches nothing (an empty list of councils): no rows
        return
    chunks = queue.Queue(maxsize=QUEUED_CHUNKS)
    cancelled = threading.Event()
    with transaction.atomic(using=queryset.db), connection.cursor() as cursor:
        raw = cursor.cursor
        # One statement for the whole file, as long as the client takes to read it: no statement timeout.
        cursor.execute("SET LOCAL statement_timeout = 0")
        statement = "COPY (" + raw.mogrify(sql, params).decode() + ") TO STDOUT WITH (FORMAT csv)"

        def run():
            writer = _ChunkWriter(chunks, cancelled)
            try:
                raw.copy_expert(statement, writer)
                writer.flush()
                outcome = _DONE
            except BaseException as error:  # handed to the reading thread, which raises it
                outcome = error
            while not cancelled.is_set():
                try:
                    chunks.put(outcome, timeout=0.5)
                    return
                except queue.Full:
                    continue

        worker = threading.Thread(target=run, name="csv-copy", daemon=True)
        worker.start()
        finished = False
        try:
            while True:
                chunk = chunks.get()
                if chunk is _DONE:
                    finished = True
                    return
                if isinstance(chunk, BaseException):
                    raise chunk
                yield chunk
        finally:
            if not finished:
                cancelled.set()
                raw.connection.cancel()
            worker.join()
