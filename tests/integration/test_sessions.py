"""Sessions are Django's cached_db, but a write outside a transaction is one
statement: no BEGIN and COMMIT around it."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from pharmacy.core.sessions import SessionStore

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_session_update_is_one_statement_and_is_read_back():
    session = SessionStore()
    session["step"] = 1
    session.save()
    key = session.session_key

    again = SessionStore(session_key=key)
    again["step"] = 2
    with CaptureQueriesContext(connection) as queries:
        again.save()

    assert len(queries.captured_queries) == 1
    assert queries.captured_queries[0]["sql"].startswith("UPDATE")
    SessionStore(session_key=key)._cache.clear()  # read from the database
    assert SessionStore(session_key=key)["step"] == 2


def test_inside_a_transaction_it_saves_the_django_way():
    session = SessionStore()
    with transaction.atomic():
        session["step"] = 3
        session.save()
    assert SessionStore(session_key=session.session_key)["step"] == 3
