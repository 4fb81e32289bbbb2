"""One model row read with a plain statement, for the few reads that run on every request.

The ORM spends several times longer building a query than the database spends running it
(docs/benchmarks.md, "Meetings"). For the lookups on a meeting day's hot path (the session's user,
the meeting being checked in to, the member's attendance row), :func:`fetch_one` runs a fixed
``SELECT`` of the model's columns and builds the instance as the ORM would: the backend's and the
fields' converters are applied (SQLite returns datetimes as text), and ``from_db`` marks it as
loaded, so ``save()`` and lazy relations behave as usual.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models

M = TypeVar("M", bound=models.Model)
# Prepare hot statements on PostgreSQL (off behind a pooler that cannot keep them: CHIBO_PG_PREPARE=false).
PREPARE = bool(getattr(settings, "CHIBO_PG_PREPARE", True))


@cache
def _plan(model: type[models.Model], vendor: str) -> tuple[str, list[str], list[tuple[int, list[Callable[..., Any]], Any]]]:
    """The column list, attribute names and converters of ``model`` for this database vendor."""
    fields = list(model._meta.concrete_fields)
    table = model._meta.db_table
    qn = connection.ops.quote_name
    columns = ", ".join(f"{qn(table)}.{qn(str(f.column))}" for f in fields)
    converters = []
    for i, field in enumerate(fields):
        col = field.get_col(table)
        convs = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if convs:
            converters.append((i, convs, col))
    return columns, [f.attname for f in fields], converters


def columns(model: type[models.Model]) -> str:
    """The model's columns, qualified by its table, for ``SELECT {columns} FROM {table} ...``."""
    return _plan(model, connection.vendor)[0]


def fetch_one(model: type[M], sql: str, params: Sequence[Any]) -> tuple[M, tuple[Any, ...]] | None:
    """Run ``sql`` (which selects :func:`columns` of ``model`` first) and build the first row's instance.

    Returns the instance and any extra columns selected after the model's own, or None.
    """
    return instance(model, execute(sql, params, fetch="one"))


def db() -> Any:
    """The default connection itself (each attribute read through Django's ``connection`` proxy is a
    context-local lookup; the hot path reads many)."""
    return connections[DEFAULT_DB_ALIAS]


def instance(model: type[M], row: Sequence[Any] | None) -> tuple[M, tuple[Any, ...]] | None:
    """The model instance of a row that starts with :func:`columns` of ``model``, and the rest of the row."""
    conn = db()
    _columns, attnames, converters = _plan(model, conn.vendor)
    if row is None:
        return None
    values = list(row[: len(attnames)])
    for i, convs, col in converters:
        value = values[i]
        for convert in convs:
            value = convert(value, col, conn)
        values[i] = value
    return model.from_db(conn.alias, attnames, values), tuple(row[len(attnames):])


def execute(sql: str, params: Sequence[Any] = (), *, fetch: str = "") -> Any:
    """Run one statement of a hot path: ``fetch`` is "one", "all", "none" or "" (the row count).

    On PostgreSQL the statement is prepared once per connection (server-side binding, psycopg's
    ``prepare=True``) so the server neither parses nor plans it again; elsewhere Django's cursor
    runs it. Statements are added to ``connection.queries`` like any other when queries are logged.
    Inside ``transaction.atomic`` the statement is part of the transaction, as with Django's cursor.
    """
    started = time.perf_counter()
    db = connections[DEFAULT_DB_ALIAS]  # once: each attribute of the ``connection`` proxy is a lookup
    if db.vendor == "postgresql":
        import psycopg

        db.ensure_connection()
        with psycopg.Cursor(db.connection) as cursor:
            cursor.execute(sql, params, prepare=PREPARE)
            result = _result(cursor, fetch)
        if db.queries_logged:  # as Django's debug cursor would
            db.queries_log.append({"sql": f"{sql} -- {list(params)!r}", "time": f"{time.perf_counter() - started:.3f}"})
        return result
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return _result(cursor, fetch)


class Submitted:
    """A statement sent with :func:`submit`; its rows are read when asked for (in a pipeline,
    asking waits for the results sent so far)."""

    def __init__(self, cursor: Any = None, rows: list[Any] | None = None) -> None:
        self._cursor = cursor
        self._rows = rows

    def one(self) -> Any:
        rows = self.all()
        return rows[0] if rows else None

    def all(self) -> list[Any]:
        if self._rows is None:
            self._rows = self._cursor.fetchall()
            self._cursor.close()
        return self._rows


def submit(sql: str, params: Sequence[Any] = ()) -> Submitted:
    """Send a statement whose rows are read later. Inside :func:`pipeline` on PostgreSQL several
    such statements travel together and the first read waits for all of them; elsewhere the
    statement runs at once."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor == "postgresql":
        import psycopg

        started = time.perf_counter()
        db.ensure_connection()
        pg_cursor = psycopg.Cursor(db.connection)
        pg_cursor.execute(sql, params, prepare=PREPARE)
        if db.queries_logged:
            db.queries_log.append({"sql": f"{sql} -- {list(params)!r}", "time": f"{time.perf_counter() - started:.3f}"})
        return Submitted(cursor=pg_cursor)
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return Submitted(rows=list(cursor.fetchall()) if cursor.description else [])


@contextmanager
def pipeline() -> Iterator[None]:
    """Statements run inside are sent together (PostgreSQL's pipeline mode): no waiting for each
    result. Use :func:`submit` for statements whose rows are read, and ``execute(fetch="none")``
    for the others; an error in any of them is raised at the next read or when the block ends.
    Elsewhere, a plain block. Only these helpers may run statements inside it."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        yield
        return
    db.ensure_connection()
    with db.connection.pipeline():
        yield


def _result(cursor: Any, fetch: str) -> Any:
    if fetch == "one":
        return cursor.fetchone()
    if fetch == "all":
        return cursor.fetchall()
    if fetch == "none":
        return None
    return cursor.rowcount
