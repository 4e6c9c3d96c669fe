"""Staff sessions end after 30 idle minutes and 12 hours in all; customers'
sessions are unchanged."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_staff_session_ends_after_thirty_idle_minutes(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(staff)
        assert client.get("/admin/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/admin/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=60), tick=False):
        assert client.get("/admin/").status_code == 302


def test_a_busy_staff_session_still_ends_after_twelve_hours(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(staff)
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get("/admin/").status_code == 200, minutes
    with time_machine.travel(start + timedelta(hours=12, minutes=5), tick=False):
        assert client.get("/admin/").status_code == 302


def test_a_customer_stays_signed_in_after_an_idle_hour(client):
    customer = UserFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(customer)
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        response = client.get("/accounts/profile/")
    assert response.status_code == 200
    assert response.wsgi_request.user == customer
