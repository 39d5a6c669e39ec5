"""Pooled autocommit connections to one PostgreSQL database, opened on demand and reused."""

from __future__ import annotations

import select
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import TupleRow

Connection = psycopg.Connection[TupleRow]
IDLE_CONNECTIONS = 8  # kept open for reuse; more are opened while more threads need them


def _dropped(conn: Connection) -> bool:
    """Whether an idle connection was closed by the server (it then has unread bytes or EOF)."""
    try:
        readable, _, _ = select.select([conn.fileno()], [], [], 0)
    except (OSError, ValueError, psycopg.Error):
        return True
    return bool(readable)


class Pool:
    """Autocommit connections to one database, opened on demand and kept for reuse."""

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        self._url = url
        self._options = "-c default_transaction_read_only=on" if read_only else None
        self._lock = threading.Lock()
        self._idle: list[Connection] = []
        self._closed = False

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is not None and _dropped(conn):
            conn.close()
            conn = None
        if conn is None:
            conn = psycopg.connect(
                self._url, autocommit=True, client_encoding="UTF8", options=self._options
            )
        try:
            yield conn
        finally:
            healthy = not conn.closed and conn.info.transaction_status == TransactionStatus.IDLE
            with self._lock:
                keep = healthy and not self._closed and len(self._idle) < IDLE_CONNECTIONS
                if keep:
                    self._idle.append(conn)
            if not keep:
                conn.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
