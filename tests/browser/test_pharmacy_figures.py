"""The superintendent signs in, opens the pharmacy's figures from the admin's
index and reads them: orders waiting, in words, and the chart of waits."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from checkout.orders import workflow
from checkout.orders.models import OrderEvent
from pharmacy.staff.roles import SUPERINTENDENTS
from tests.browser.staff import admin_sign_in, looked_at
from tests.checkout_helpers import place_order
from tests.factories import staff_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "staff-pass-5120-figures"


def test_the_superintendent_reads_the_figures_from_the_admin_index(
    page: Page, live_server, baclofen, private_root
):
    pack = baclofen.product.children.order_by("pk").first()
    waiting, decided = place_order(product=pack), place_order(product=pack)
    now = timezone.now()
    type(waiting).objects.filter(pk=waiting.pk).update(
        date_placed=now - datetime.timedelta(hours=2, minutes=10)
    )
    type(decided).objects.filter(pk=decided.pk).update(
        date_placed=now - datetime.timedelta(days=3, hours=4),
        status=workflow.OrderStatus.APPROVED,
    )
    event = OrderEvent.objects.create(order=decided, action=workflow.APPROVE.history)
    OrderEvent.objects.filter(pk=event.pk).update(
        created_at=now - datetime.timedelta(days=3)
    )
    staff_in(SUPERINTENDENTS, username="figures-super", password=PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})

    admin_sign_in(page, live_server, username="figures-super", password=PASSWORD)
    looked_at(page, "admin-index", who="figures")
    page.get_by_role("link", name="The pharmacy's figures").click()

    expect(page.locator("#content h1")).to_have_text("The pharmacy's figures")
    expect(
        page.get_by_text("1 order waits for a pharmacist; it has waited 2 hours")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Longest wait")).to_be_visible()
    expect(page.locator(".wait-chart rect")).to_have_count(1)
    row = page.get_by_role("row").filter(has_text="4 hours")
    expect(row).to_have_count(1)
    looked_at(page, "figures", who="figures")
