"""Querysets compiled once: the same rows as the ORM, for each call's own
parameters, without compiling again."""

import itertools
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from catalog.models import Product
from pharmacy.core import compiled
from tests.factories import make_drug

pytestmark = pytest.mark.django_db

_keys = itertools.count()


def new_key() -> str:
    return f"test:{next(_keys)}"


def packs_of(parent_id: int):
    return (
        Product.objects.filter(parent_id=parent_id)
        .select_related("parent")
        .order_by("pk")
    )


def test_each_call_gets_the_rows_of_its_own_parameters():
    first, second = make_drug(), make_drug(title="Tizanidine")
    key = new_key()

    for drug in (first, second, first):
        got = compiled.rows(key=key, build=packs_of, params=[drug.product.pk])
        assert [p.pk for p in got] == [p.pk for p in packs_of(drug.product.pk)]
        assert {p.parent.pk for p in got} == {drug.product.pk}


def test_the_sql_is_compiled_once_and_each_call_still_asks_the_database():
    drug = make_drug()
    key = new_key()
    compiled.rows(key=key, build=packs_of, params=[drug.product.pk])
    Product.objects.filter(parent_id=drug.product.pk).update(title="Renamed")

    with (
        mock.patch.object(SQLCompiler, "as_sql", autospec=True) as as_sql,
        CaptureQueriesContext(connection) as ctx,
    ):
        got = compiled.rows(key=key, build=packs_of, params=[drug.product.pk])

    as_sql.assert_not_called()
    assert len(ctx.captured_queries) == 1
    assert got and all(p.title == "Renamed" for p in got)
    # The parent came with each pack, in that one query.
    assert got[0].parent.pk == drug.product.pk


def test_a_queryset_whose_sql_takes_other_parameters_is_refused():
    # The filter on the title adds a parameter the caller did not give.
    with pytest.raises(compiled.CompiledQueryError):
        compiled.rows(
            key=new_key(),
            build=lambda pk: Product.objects.filter(parent_id=pk, title="Baclofen"),
            params=[1],
        )


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_query_is_prepared_once_per_database_session():
    drug = make_drug()
    key = new_key()
    compiled.rows(key=key, build=packs_of, params=[drug.product.pk])

    with CaptureQueriesContext(connection) as ctx:
        got = compiled.rows(key=key, build=packs_of, params=[drug.product.pk])
    assert [q["sql"].split(" (")[0] for q in ctx.captured_queries] == [
        f"EXECUTE {key.replace(':', '_')}"
    ]

    # A new database session has no prepared statements: it prepares again.
    connection.close()
    again = compiled.rows(key=key, build=packs_of, params=[drug.product.pk])
    assert [p.pk for p in again] == [p.pk for p in got]


def test_with_prepared_statements_off_the_sql_itself_runs(settings):
    settings.DB_PREPARED_STATEMENTS = False
    drug = make_drug()
    key = new_key()
    compiled.rows(key=key, build=packs_of, params=[drug.product.pk])

    with CaptureQueriesContext(connection) as ctx:
        got = compiled.rows(key=key, build=packs_of, params=[drug.product.pk])

    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["SELECT"]
    assert [p.pk for p in got] == [p.pk for p in packs_of(drug.product.pk)]


@postgresql_only
def test_a_failed_transaction_refuses_with_djangos_database_error():
    drug = make_drug()
    with pytest.raises(DatabaseError), transaction.atomic():
        with pytest.raises(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SELECT 1/0")
        # The transaction is aborted: preparing a new statement fails, as a
        # Django database error.
        compiled.rows(key=new_key(), build=packs_of, params=[drug.product.pk])
