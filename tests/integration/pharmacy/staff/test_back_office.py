"""The back office as staff meet it: the pharmacy's name and icon, a
pharmacist landing on the queue with each queue's count, and list titles and
counts that read as English."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from catalog.models import Product
from checkout.orders import actions
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS, REVIEW_MODERATORS
from tests.checkout_helpers import place_order
from tests.factories import UserFactory, make_drug
from tests.two_factor import totp_code, totp_device_for

pytestmark = pytest.mark.django_db
PASSWORD = "back-office-test-pass-7781"
QUEUE = reverse("admin:checkout_queueorder_changelist")


def staff_in(role: str):
    user = UserFactory(is_staff=True, password=PASSWORD)
    user.groups.add(staff_groups_ensure()[role])
    return user


def sign_in(client: Client, user, *, next_page: str = "/admin/"):
    """As the sign-in form posts it: the page asked for, else the index."""
    return client.post(
        "/admin/login/",
        {
            "username": user.username,
            "password": PASSWORD,
            "otp_token": totp_code(totp_device_for(user)),
            "next": next_page,
        },
    )


def text_of(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    return " ".join(found.group(1).split()) if found else ""


@pytest.mark.no_auto_otp
def test_a_pharmacist_signing_in_lands_on_the_queue(client):
    assert sign_in(client, staff_in(PHARMACISTS))["Location"] == QUEUE


@pytest.mark.no_auto_otp
def test_a_pharmacist_asking_for_a_page_gets_that_page(client):
    wanted = reverse("admin:checkout_patientdetails_changelist")

    assert sign_in(client, staff_in(PHARMACISTS), next_page=wanted)["Location"] == (
        wanted
    )


@pytest.mark.no_auto_otp
def test_other_staff_land_on_the_back_offices_home(client):
    assert sign_in(client, staff_in(REVIEW_MODERATORS))["Location"] == "/admin/"


def test_the_queue_counts_each_queue_and_says_what_it_lists(private_root):
    drug = make_drug()
    pack = Product.objects.get(upc=f"{drug.product.upc}-10-30")
    pharmacist = staff_in(PHARMACISTS)
    for _ in range(3):
        place_order(product=pack)
    actions.order_approve(order=place_order(product=pack), actor=pharmacist)
    client = Client()
    client.force_login(pharmacist)

    page = client.get(QUEUE).content.decode()
    dispatch = client.get(QUEUE, {"queue": "dispatch"}).content.decode()

    assert "Awaiting review (3)" in page
    assert "Approved, to fill and dispatch (1)" in page
    assert "On hold or waiting for the prescriber (0)" in page
    assert "All orders (4)" in page
    assert text_of(page, r'<p class="paginator">(.*?)</p>') == "3 orders to review"
    assert text_of(dispatch, r'<p class="paginator">(.*?)</p>') == "1 order to dispatch"


# Every list a pharmacist can open: (title, how an empty one counts).
PHARMACIST_LISTS = {
    "eprescribing.eprescription": ("E-prescriptions", "0 e-prescriptions"),
    "eprescribing.erxmessage": ("E-prescription messages", "0 e-prescription messages"),
    "catalogue.clinicalfactchange": (
        "Clinical fact changes",
        "0 clinical fact changes",
    ),
    "catalogue.drugcaution": ("Drug cautions", "0 drug cautions"),
    "reviews.sideeffectfollowup": (
        "Side-effect follow-ups",
        "0 side-effect follow-ups",
    ),
    "catalogue.drug": ("Drugs", "0 drugs"),
    "catalogue.packprice": ("Price list", "0 packs"),
    "catalogue.strength": ("Strengths", "0 strengths"),
    "reviews.productreview": ("Product reviews", "0 product reviews"),
    "order.order": ("Orders", "0 orders"),
    "pharmacy.outboundemail": ("Outgoing emails", "0 outgoing emails"),
    "checkout.orderevent": ("Order events", "0 order events"),
    "checkout.lot": ("Lots", "0 lots"),
    "checkout.patientdetails": ("Patient details", "0 patients"),
    "checkout.queueorder": ("Pharmacist's queue", "0 orders to review"),
    "refills.transferrequest": (
        "Prescription transfer requests",
        "0 prescription transfer requests",
    ),
}


def test_every_list_a_pharmacist_sees_is_titled_and_counted_in_english():
    client = Client()
    client.force_login(staff_in(PHARMACISTS))
    index = client.get("/admin/")

    seen = {}
    for app in index.context["app_list"]:
        for model in app["models"]:
            html = client.get(model["admin_url"]).content.decode()
            title = text_of(html, r"<h1>(.*?)</h1>").replace("&#x27;", "'")
            count = text_of(html, r'<p class="paginator">(.*?)</p>')
            seen[f"{app['app_label']}.{model['object_name'].lower()}"] = (
                title,
                count,
            )

    assert seen == PHARMACIST_LISTS


def test_the_back_office_carries_the_pharmacys_name_and_its_icon(settings):
    settings.OSCAR_SHOP_NAME = "Hilltop Pharmacy"
    client = Client()
    client.force_login(staff_in(REVIEW_MODERATORS))

    html = client.get("/admin/").content.decode()

    assert "Hilltop Pharmacy: back office" in text_of(
        html, r'id="site-name">(.*?)</div>'
    )
    assert text_of(html, r"<title>(.*?)</title>") == "Back office | Hilltop Pharmacy"
    assert "Django" not in html
    icon = re.search(r'<link rel="icon" href="/static/([^"]+)"', html)
    assert icon and finders.find(icon.group(1))
