"""The pharmacist's whole flow in a real browser: the queue, one order's
review page (the PDF page image, the prescription record, an interaction flag
acknowledged), approval with confirmation; then hold, reject and dispatch on
other orders. Every screen passes axe and fits 1280 px without scrolling
sideways."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from catalog.cautions import cautions_ensure
from catalog.models import Drug, DrugCaution, Product
from checkout.dispensing.models import PatientDetails
from checkout.orders import actions
from checkout.orders.workflow import OrderStatus
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests.browser.axe import assert_no_serious_violations
from tests.browser.pharmacist import open_queue, transcribe
from tests.browser.staff import admin_sign_in
from tests.checkout_helpers import fill, pdf_upload, place_order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pharmacist-test-pass-5531"


@pytest.fixture
def pharmacist(transactional_db):
    user = UserFactory(username="rph", is_staff=True, password=PASSWORD)
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


@pytest.fixture
def orders(baclofen, private_root, pharmacist):
    Drug.objects.filter(pk=baclofen.pk).update(max_daily_dose_mg=Decimal("80"))
    cautions_ensure(drug=baclofen, caution_model=DrugCaution)
    pack = Product.objects.get(upc=f"{baclofen.product.upc}-10-30")
    first = place_order(
        product=pack, checked=False, prescription_file=pdf_upload(pages=1)
    )
    PatientDetails.objects.filter(order=first).update(
        current_medicines="Oxycodone 5 mg at night",
        counselling_wanted=True,
        counselling_phone="+1 217 555 0199",
        counselling_best_time="Weekdays after 5 pm",
    )
    to_hold = place_order(product=pack, checked=False)
    to_reject = place_order(product=pack, checked=False)
    to_dispatch = place_order(product=pack)
    actions.order_approve(order=to_dispatch, actor=pharmacist)
    fill(order=to_dispatch, actor=pharmacist)
    return {
        "first": first,
        "hold": to_hold,
        "reject": to_reject,
        "dispatch": to_dispatch,
    }


def check_screen(page: Page) -> None:
    assert_no_serious_violations(page)
    fits = page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert fits, f"{page.url} scrolls sideways at 1280 px"


def open_review(page: Page, live_server, number: str, queue: str = "review") -> None:
    page.goto(f"{live_server.url}/admin/checkout/queueorder/?queue={queue}")
    page.get_by_role("link", name=number, exact=True).click()
    expect(
        page.get_by_role("heading", name=f"Order {number}", exact=True)
    ).to_be_visible()


def decide(page: Page, button: str, confirm: str, **fields) -> None:
    page.get_by_role("link", name=f"{button}…").click()
    for label, value in fields.items():
        field = page.get_by_label(label)
        field.check() if value is True else field.fill(value)
    check_screen(page)
    page.get_by_role("button", name=confirm).click()


def test_pharmacist_reviews_approves_holds_rejects_and_dispatches(
    page: Page, live_server, orders
):
    page.set_viewport_size({"width": 1280, "height": 900})
    admin_sign_in(page, live_server, username="rph", password=PASSWORD)
    first = orders["first"]

    # The queue, where a pharmacist lands: oldest first, with who asked for
    # counselling.
    open_queue(page)
    row = page.locator("#result_list tbody tr").filter(has_text=first.number)
    expect(row).to_contain_text("Asked to speak to a pharmacist")
    expect(row).to_contain_text("Interaction with baclofen: Opioids")
    check_screen(page)

    # The order's review page, with the PDF shown as a page image.
    row.get_by_role("link", name=first.number).click()
    image = page.get_by_role("img", name=re.compile("The uploaded prescription"))
    expect(image).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    expect(page.get_by_text("Approval is refused until")).to_be_visible()
    check_screen(page)

    # Transcribe the prescription.
    transcribe(page, tablets=30)
    expect(page.get_by_text("10 days")).to_be_visible()

    # The interaction flag, acknowledged with a note.
    flag = page.locator(".rx-flag").filter(has_text="Opioids")
    expect(flag).to_contain_text("oxycodone")
    flag.get_by_label("Why the order may go ahead").fill(
        "Prescriber aware; patient counselled on drowsiness."
    )
    page.get_by_role("button", name=re.compile("^Acknowledge")).click()
    expect(page.locator(".rx-flag").filter(has_text="Opioids")).to_contain_text(
        "Acknowledged by rph"
    )
    check_screen(page)

    # Approve, with a confirmation naming the order and the invoice.
    page.get_by_role("link", name="Approve…").click()
    expect(page.get_by_text(re.compile("An invoice for .* is issued"))).to_be_visible()
    check_screen(page)
    page.get_by_role("button", name=f"Yes, approve order {first.number}").click()
    expect(page.locator(".messagelist .success")).to_have_text(
        f"Order {first.number} approved."
    )
    expect(
        page.get_by_role("heading", name=f"Order {first.number}: Approved")
    ).to_be_visible()

    # Hold another order, telling the customer why.
    open_review(page, live_server, orders["hold"].number)
    decide(
        page,
        "Put on hold",
        f"Yes, put on hold order {orders['hold'].number}",
        **{"Prescriber to confirm": True, "Words for the customer": "We have called."},
    )
    expect(page.get_by_role("heading", name=re.compile(": On hold$"))).to_be_visible()

    # Reject a third.
    open_review(page, live_server, orders["reject"].number)
    decide(
        page,
        "Reject",
        f"Yes, reject order {orders['reject'].number}",
        **{"Reason (emailed to the customer)": "The prescription has expired."},
    )
    expect(page.get_by_role("heading", name=re.compile(": Rejected$"))).to_be_visible()

    # Dispatch an approved one from the dispatch queue.
    open_review(page, live_server, orders["dispatch"].number, queue="dispatch")
    decide(
        page,
        "Dispatch",
        f"Yes, dispatch order {orders['dispatch'].number}",
        Carrier="USPS",
        **{"Tracking reference": "9400 1000 0000 0000 0000 00"},
    )
    expect(
        page.get_by_role("heading", name=re.compile(": Dispatched$"))
    ).to_be_visible()
    check_screen(page)

    statuses = {key: type(o).objects.get(pk=o.pk).status for key, o in orders.items()}
    assert statuses == {
        "first": OrderStatus.APPROVED,
        "hold": OrderStatus.ON_HOLD,
        "reject": OrderStatus.REJECTED,
        "dispatch": OrderStatus.DISPATCHED,
    }
