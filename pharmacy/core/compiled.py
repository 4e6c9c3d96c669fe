"""Querysets compiled to SQL once per thread, and on PostgreSQL prepared once
per connection, for the few reads that every basket and checkout request
makes: the basket, its lines, its patient.

The ORM compiles a queryset afresh each time it is evaluated. For the basket
lines (two joined tables) that compiling took longer than PostgreSQL took to
answer, and PostgreSQL spent most of its answer planning the query (py-spy
over a whole guest order, and the server's statement durations; README ›
Performance). Here the queryset is built and compiled the first time; later
evaluations reuse its SQL with their own parameters, as a prepared statement
on PostgreSQL, and the ORM turns the rows into instances as it always does
(select_related, converters and prefetches included).

Only for a queryset whose SQL depends on nothing but its parameters: the same
filters, joins and ordering every time, each parameter used once, in the
order given. `rows` checks that when it compiles, and refuses otherwise.
Prepared statements last for a database session, which a pooler in
transaction mode (pgbouncer) does not keep: DB_PREPARED_STATEMENTS=0 turns
them off."""

import re
import threading
import weakref
from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import connections, router
from django.db.models import Model, QuerySet

_local = threading.local()
# Each database connection (Django's wrapper) -> the client connection its
# statements were prepared on, and their names; a reconnection prepares again.
_prepared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class CompiledQueryError(ValueError):
    """The queryset's SQL does not take exactly the given parameters."""


def rows(*, key: str, build: Callable[..., QuerySet], params: Sequence) -> list[Model]:
    """The instances build(*params) would give, with its SQL compiled once
    per thread under `key`."""
    compiled = getattr(_local, "compiled", None)
    if compiled is None:
        compiled = _local.compiled = {}
    entry = compiled.get(key)
    if entry is None:
        queryset = build(*params)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, compiled_params = compiler.as_sql()
        if list(compiled_params) != list(params):
            raise CompiledQueryError(
                f"{key}: the SQL takes {compiled_params!r}, not {params!r}"
            )
        entry = compiled[key] = (queryset, compiler, sql)
    queryset, compiler, sql = entry
    bound = tuple(params)
    statement = execute_statement(
        connection=compiler.connection, name=key, sql=sql, count=len(bound)
    )
    # The compiler keeps what the first compile worked out (columns, joins,
    # converters); only its SQL's parameters change. Threads never share it.
    compiler.as_sql = lambda *args, **kwargs: (statement, bound)
    run = queryset._chain()
    run.query.get_compiler = lambda *args, **kwargs: compiler
    return list(run)


def execute_statement(
    *, connection, name: str, sql: str, count: int, types: str | None = None
) -> str:
    """SQL that runs `sql` (with `count` %s placeholders) on this connection:
    on PostgreSQL an EXECUTE of it, prepared the first time on each database
    session, so that PostgreSQL parses and plans it once; elsewhere `sql`.
    `types`: the parameters' SQL types, where PostgreSQL cannot infer them."""
    if connection.vendor != "postgresql" or not settings.DB_PREPARED_STATEMENTS:
        return sql
    statement = re.sub(r"\W", "_", name)
    connection.ensure_connection()
    session, names = _prepared.get(connection, (None, set()))
    if session is not connection.connection:
        session, names = connection.connection, set()
        _prepared[connection] = (session, names)
    if statement not in names:
        # Session setup, as the backend's own is: not a query of the request,
        # so not logged as one; its errors are Django's, as a query's are.
        with connection.wrap_database_errors, session.cursor() as setup:
            setup.execute(
                f"PREPARE {statement} {f'({types}) ' if types else ''}"
                f"AS {_numbered(sql)}"
            )
        names.add(statement)
    placeholders = ", ".join(["%s"] * count)
    return f"EXECUTE {statement} ({placeholders})" if count else f"EXECUTE {statement}"


def _numbered(sql: str) -> str:
    """%s placeholders as PostgreSQL's $1, $2, ..."""
    parts = sql.split("%s")
    return "".join(f"{part}${n}" for n, part in enumerate(parts[:-1], 1)) + parts[-1]


def pk_fits(*, model, value: int) -> bool:
    """Whether `value` can be a key of `model` in its database: positive and
    within the key column's range. A number outside it can name no row, and
    the database would refuse it rather than find nothing."""
    connection = connections[router.db_for_read(model)]
    high = connection.ops.integer_field_range(model._meta.pk.get_internal_type())[1]
    return value > 0 and (high is None or value <= high)
