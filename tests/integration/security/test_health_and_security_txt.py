"""/healthz reports readiness (database and cache), /livez only liveness;
/.well-known/security.txt says whom to tell."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_when_database_and_cache_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content.decode().split() == ["database:", "ok", "cache:", "ok"]


def test_healthz_is_503_when_the_database_is_down(client):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert "database: down" in response.content.decode()


def test_healthz_is_503_when_the_cache_is_down(client):
    from django.core.cache.backends.locmem import LocMemCache

    with mock.patch.object(LocMemCache, "set", side_effect=ConnectionError("down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert "cache: down" in response.content.decode()


def test_livez_answers_without_touching_database_or_cache(client):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/livez")

    assert response.status_code == 200
    assert response.content == b"ok"


def test_security_txt_names_the_contact_and_expires_a_year_ahead(client, settings):
    settings.SECURITY_CONTACT = "mailto:security@shop.example"

    response = client.get("/.well-known/security.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    fields = dict(
        line.split(": ", 1) for line in response.content.decode().splitlines()
    )
    assert fields["Contact"] == "mailto:security@shop.example"
    assert fields["Preferred-Languages"] == "en"
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=UTC
    )
    assert timedelta(days=364) < expires - datetime.now(UTC) <= timedelta(days=366)
