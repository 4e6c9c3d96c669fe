from pathlib import Path

import pytest

from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PRICE_EDITORS
from tests import db_reuse
from tests.factories import UserFactory, make_drug


def pytest_configure(config):
    """--reuse-db (what `make test` passes locally) becomes --create-db when a
    migration, an installed app or the lock file changed since the database
    was made (tests/db_reuse.py)."""
    from django.conf import settings

    if (
        config.getoption("reuse_db", False)
        and not config.getoption("create_db")
        and not db_reuse.reused_database_is_current(Path(settings.BASE_DIR))
    ):
        config.option.create_db = True


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup, django_db_keepdb, django_db_createdb, django_db_blocker
):
    """pytest-django's database set-up; a kept database (--reuse-db) is noted
    with its schema and first rows when made, and given those rows back when
    reused (tests/db_reuse.py)."""
    from django.conf import settings
    from django.db import connection

    base_dir = Path(settings.BASE_DIR)
    if django_db_keepdb:
        with django_db_blocker.unblock():
            if django_db_createdb:
                contents = connection.creation.serialize_db_to_string()
                db_reuse.remember_schema(base_dir, contents=contents)
            else:
                contents = db_reuse.fresh_contents(base_dir)
                if not db_reuse.contents_intact(contents):
                    db_reuse.contents_restore(contents)
    yield


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: ids are reused after a rollback, so a
    cached page could otherwise belong to another test's data."""
    from django.core.cache import caches

    for alias in ("default", "catalog"):
        caches[alias].clear()
    yield


@pytest.fixture(autouse=True)
def _staff_force_login_is_otp_verified(request, monkeypatch):
    """The admin lets in only sessions that entered a TOTP code (see
    pharmacy/admin_site.py). Most tests are about something else and sign
    staff in with ``client.force_login``; for them, force_login of a staff
    user also gives the account a confirmed TOTP device and marks the session
    verified, as a real sign-in with a code would. Tests that prove the code
    is required opt out with ``@pytest.mark.no_auto_otp``."""
    if request.node.get_closest_marker("no_auto_otp"):
        yield
        return
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if user.is_staff:
            from tests.two_factor import otp_verify_session

            otp_verify_session(client=self, user=user)

    monkeypatch.setattr(Client, "force_login", force_login)
    yield


@pytest.fixture
def private_root(tmp_path, settings):
    """Prescription files go to a fresh folder per test, never the shared one
    (the prescriptions storage follows the setting)."""

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    yield settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def drug(db):
    """A prescription drug with two strengths and a few packs, plus three sections."""
    return make_drug(sections=3)


@pytest.fixture
def product(drug):
    return drug.product


@pytest.fixture
def price_editor(db):
    user = UserFactory(is_staff=True)
    user.groups.add(staff_groups_ensure()[PRICE_EDITORS])
    return user


@pytest.fixture
def editor_client(client, price_editor):
    client.force_login(price_editor)
    return client
