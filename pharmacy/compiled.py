"""Querysets compiled to SQL once per thread, for the few reads that every
basket and checkout request makes: the basket, its lines, its patient.

The ORM compiles a queryset afresh each time it is evaluated. For the basket
lines (two joined tables) that compiling took longer than PostgreSQL took to
answer (py-spy over a whole guest order; README › Performance). Here the
queryset is built and compiled the first time; later evaluations reuse its
SQL with their own parameters, and the ORM turns the rows into instances as
it always does (select_related, converters and prefetches included).

Only for a queryset whose SQL depends on nothing but its parameters: the same
filters, joins and ordering every time, each parameter used once, in the
order given. `rows` checks that when it compiles, and refuses otherwise."""

import threading
from collections.abc import Callable, Sequence

from django.db.models import Model, QuerySet

_local = threading.local()


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
    # The compiler keeps what the first compile worked out (columns, joins,
    # converters); only its SQL's parameters change. Threads never share it.
    compiler.as_sql = lambda *args, **kwargs: (sql, bound)
    run = queryset._chain()
    run.query.get_compiler = lambda *args, **kwargs: compiler
    return list(run)


def forget() -> None:
    """Drop this thread's compiled SQL (tests that change the schema or the
    database connection's settings)."""
    _local.compiled = {}
