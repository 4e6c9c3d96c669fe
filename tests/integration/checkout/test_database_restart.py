"""A database that drops the shop's connections (a restart, a failover,
pg_terminate_backend) costs a shopper nothing: the next request reconnects,
as Django does with CONN_HEALTH_CHECKS, and the page loads."""

import psycopg2
import pytest
from django.db import close_old_connections, connection
from django.urls import reverse

from tests.checkout_helpers import pack_add
from tests.factories import make_drug, reference_data_ensure

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def production_connections(settings):
    """The production settings' persistent, health-checked connections, and
    sessions read from the cache (so a request's first query is the shop's)."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    saved = {
        k: connection.settings_dict[k] for k in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")
    }
    connection.settings_dict.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
    connection.close()  # the next connection is made with these settings
    yield
    connection.settings_dict.update(saved)
    connection.close()


def app_sessions_end() -> int:
    """End every other session on the test database, from a connection of
    its own, as a database restart would; how many were ended."""
    params = connection.get_connection_params()
    with psycopg2.connect(**params) as admin, admin.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_basket_and_checkout_pages_load_after_the_database_drops_the_connections(
    client, production_connections
):
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's; CI runs PostgreSQL")
    reference_data_ensure()
    drug = make_drug()
    pack_add(client, drug=drug)
    for url in (reverse("basket:summary"), reverse("checkout:index")):
        assert client.get(url).status_code == 200  # connection made and reused

    # What each page shows of the guest's basket and checkout.
    shown = {
        reverse("basket:summary"): "Baclofen",
        reverse("checkout:index"): 'name="username"',
    }
    for url, text in shown.items():
        assert app_sessions_end() >= 1
        # What Django's handler does as each request starts.
        close_old_connections()
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
