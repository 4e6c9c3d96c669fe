"""The role table, walked: every role against every page of the admin (the
list, add, change and delete pages of each registered model), every action
and every editable field of each change form, checked against
pharmacy/staff/admin_table.py.

A model registered on the admin site and missing from the table fails here,
so a new admin page is entered in the table with who may do what on it.
One client per role, one set of rows for all of them.
"""

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from catalog import clinical_facts
from catalog.costs.models import PackCost
from catalog.models import (
    ClinicalFactChange,
    Drug,
    DrugCaution,
    DrugStatus,
    PackPrice,
    Strength,
)
from catalog.partner.models import StockRecord
from catalog.reviews import services as reviews
from catalog.reviews.models import ProductReview
from checkout.dispensing.eprescribing import receiving
from checkout.dispensing.eprescribing.models import EPrescription
from checkout.dispensing.refills.models import TransferRequest
from pharmacy.core.models import OutboundEmail
from pharmacy.staff.admin_table import ADMIN_TABLE, ANONYMOUS, CUSTOMER, ROLES
from pharmacy.staff.groups import staff_groups_ensure
from tests import erx
from tests.checkout_helpers import lot_of, place_order
from tests.factories import UserFactory, make_drug

pytestmark = pytest.mark.django_db

# Form controls that are the page's machinery, not a field of the row.
MACHINERY = re.compile(
    r"^(csrfmiddlewaretoken|_save|_continue|_addanother|_popup|_to_field|"
    r"initial-.*|.*-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS|.*__prefix__.*)$"
)
LIST_ROW = re.compile(r"^form-\d+-(?P<field>\w+)$")
INLINE_ROW = re.compile(r"^(?P<prefix>[\w]+)-\d+-(?P<field>\w+)$")


class _Controls(HTMLParser):
    """The names of the form controls a page offers, and its action choices."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self.hidden: set[str] = set()
        self.actions: set[str] = set()
        self._in_action_select = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "select" and name == "action":
            self._in_action_select = True
            return
        if tag == "option" and self._in_action_select and attrs.get("value"):
            self.actions.add(attrs["value"])
        if tag in ("input", "select", "textarea") and name:
            if attrs.get("type") in ("submit", "button"):
                return
            (self.hidden if attrs.get("type") == "hidden" else self.names).add(name)

    def handle_endtag(self, tag):
        if tag == "select":
            self._in_action_select = False


def controls(html: str) -> _Controls:
    parser = _Controls()
    parser.feed(html)
    return parser


def editable_fields(html: str) -> set[str]:
    """A change form's editable fields: ``field``, or ``inline.field`` for a
    row of an inline (its id and parent key left out)."""
    found = set()
    for name in controls(html).names:
        if MACHINERY.match(name) or name.startswith("action"):
            continue
        row = INLINE_ROW.match(name)
        if row:
            if row["field"] in ("id", "drug", "product", "review", "order"):
                continue
            name = f"{row['prefix']}.{row['field']}"
        found.add(name)
    return found


def _label(model) -> str:
    return model._meta.label


@pytest.fixture
def rows(db, settings, tmp_path):
    """One row of each kind the table gives examples of, shared by all roles."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    staff_groups_ensure()
    drug = make_drug(sections=1)
    draft = make_drug(title="Tizanidine", prices={"2": {30: "18.00"}})
    Drug.objects.filter(pk=draft.pk).update(status=DrugStatus.DRAFT)
    draft.refresh_from_db()
    pharmacist = UserFactory(is_staff=True, username="table-pharmacist")
    pharmacist.groups.add(Group.objects.get(name="Pharmacists"))
    caution = DrugCaution.objects.create(
        drug=drug, kind="interaction", category="Opioids", term="oxycodone"
    )
    clinical_facts.drug_clinical_facts_set(
        drug=drug, actor=pharmacist, reason="Label", max_daily_dose_mg=80
    )
    review = ProductReview.objects.create(
        product=drug.product, score=4, title="Fine", body="Fine.", email="a@b.c"
    )
    side_effect = ProductReview.objects.create(
        product=drug.product,
        score=2,
        title="Dizzy",
        body="Dizzy.",
        email="d@b.c",
        side_effect_reported=True,
    )
    follow_up = reviews.side_effect_follow_up_record(
        review=side_effect, actor=pharmacist, notes="Called."
    )
    customer = UserFactory(username="table-customer")
    order = place_order(product=drug.product.children.first(), owner=customer)
    transfer = TransferRequest.objects.create(
        user=customer,
        drug=drug,
        strength=Strength.objects.filter(drug=drug).first(),
        pharmacy_name="Corner Drugstore",
        pharmacy_phone="+1 217 555 0199",
        prescription_number="CD-1",
    )
    email = OutboundEmail.objects.create(
        from_email="orders@pharmacy.invalid",
        to=["someone@example.com"],
        subject="Hello",
        body="Body",
    )
    stock = StockRecord.objects.filter(product__parent=drug.product).first()
    settings.ERX_INTERMEDIARIES = {erx.INTERMEDIARY: erx.PASSWORD}
    # The customer's order is for the fixture's patient: the first matches on
    # arrival; the second, born another day, waits to be matched.
    for message_id, born in (
        ("table-rx-1", "1980-05-17"),
        ("table-rx-2", "1981-01-01"),
    ):
        receiving.script_receive(
            intermediary=erx.INTERMEDIARY,
            body=erx.new_rx(
                values={
                    "Header/MessageID": message_id,
                    "Body/NewRx/Patient/HumanPatient/DateOfBirth/Date": born,
                }
            ),
            content_type="application/xml",
        )
    matched, unmatched = EPrescription.objects.order_by("pk")
    examples = {
        "catalogue.Drug": {"published": drug, "draft": draft},
        "catalogue.Strength": {"strength": Strength.objects.filter(drug=drug).first()},
        "catalogue.PackPrice": {"pack": PackPrice.objects.get(pk=stock.pk)},
        "catalogue.PackCost": {
            "cost": PackCost.objects.create(
                pack=stock.product, acquisition_cost=Decimal("1.35")
            )
        },
        "catalogue.DrugCaution": {"caution": caution},
        "catalogue.ClinicalFactChange": {"change": ClinicalFactChange.objects.first()},
        "partner.HistoricalStockRecord": {
            "price change": StockRecord.history.model.objects.first()
        },
        "reviews.ProductReview": {"review": review, "side effect": side_effect},
        "reviews.SideEffectFollowUp": {"follow-up": follow_up},
        "order.Order": {"order": order},
        "checkout.QueueOrder": {"order": order},
        "checkout.Prescription": {"prescription": order.prescription},
        "checkout.PatientDetails": {"patient": order.patient},
        "checkout.OrderEvent": {"event": order.events.first()},
        "refills.TransferRequest": {"transfer": transfer},
        "pharmacy.OutboundEmail": {"email": email},
        "eprescribing.EPrescription": {"unmatched": unmatched, "matched": matched},
        "eprescribing.ErxMessage": {"message": unmatched.message},
        "checkout.Lot": {"lot": lot_of(product=stock.product, actor=pharmacist)},
    }
    return examples


def clients(rows) -> dict[str, Client]:
    found = {}
    for role in ROLES:
        client = Client()
        if role == CUSTOMER:
            client.force_login(UserFactory(username="table-shopper"))
        elif role != ANONYMOUS:
            user = UserFactory(
                is_staff=True, username=f"table-{role}".replace(" ", "-")
            )
            user.groups.add(Group.objects.get(name=role))
            client.force_login(user)
        found[role] = client
    return found


LOGIN = reverse("admin:login")
MISSING_PK = "987654"


def opened(response) -> bool:
    """Whether the page let this role in: a 200, or a redirect elsewhere than
    the sign-in page (a missing row's redirect to the index)."""
    if response.status_code == 302:
        return not response["Location"].startswith(LOGIN)
    # A health-data list may answer 404 to those who may not see it.
    assert response.status_code in (200, 403, 404), response.status_code
    return response.status_code == 200


def observe(client, model, examples) -> dict:
    """What one role finds on one model's pages."""
    info = model._meta
    name = f"admin:{info.app_label}_{info.model_name}"
    listing = client.get(reverse(f"{name}_changelist"))
    listed = controls(listing.text) if listing.status_code == 200 else _Controls()
    seen = {
        "view": opened(listing),
        "add": opened(client.get(reverse(f"{name}_add"))),
        "actions": listed.actions,
        "list_editable": {
            m["field"]
            for n in listed.names
            if (m := LIST_ROW.match(n)) and m["field"] != "id"
        },
        "examples": {},
    }
    for label, obj in (examples or {"(none)": None}).items():
        pk = obj.pk if obj is not None else MISSING_PK
        page = client.get(reverse(f"{name}_change", args=[pk]))
        seen["examples"][label] = {
            "open": opened(page),
            "save": page.status_code == 200 and 'name="_save"' in page.text,
            "fields": editable_fields(page.text) if page.status_code == 200 else set(),
            "delete": opened(client.get(reverse(f"{name}_delete", args=[pk]))),
        }
    return seen


def expected(page, role) -> dict:
    examples = page.rows or {"(none)": None}
    return {
        "view": role in page.view,
        "add": role in page.add,
        "actions": {a for a, roles in page.actions.items() if role in roles},
        "list_editable": {
            f for f, roles in page.list_editable.items() if role in roles
        },
        "examples": {
            label: {
                "open": role in page.view,
                "save": row is not None and role in row.save,
                "fields": set()
                if row is None
                else {f for f, roles in row.fields.items() if role in roles},
                "delete": row is not None and role in row.delete,
            }
            for label, row in examples.items()
        },
    }


def stored(model, examples) -> list[dict]:
    return [model._default_manager.filter(pk=o.pk).values().first() for o in examples]


def forged_posts_refused(client, role, model, page, examples) -> list[str]:
    """A POST of what the page did not offer changes nothing: a change form's
    Save from one who may only read it, an action from one not offered it."""
    info = model._meta
    name = f"admin:{info.app_label}_{info.model_name}"
    problems = []
    for label, row in page.rows.items():
        if role in row.save:
            continue
        obj = examples[label]
        before = stored(model, [obj])
        client.post(reverse(f"{name}_change", args=[obj.pk]), {"_save": "Save"})
        if stored(model, [obj]) != before:
            problems.append(f"{role} changed {label} of {info.label} by a forged POST")
    for action, roles in page.actions.items():
        if role in roles or not examples:
            continue
        before = stored(model, examples.values())
        client.post(
            reverse(f"{name}_changelist"),
            {
                "action": action,
                "_selected_action": [str(o.pk) for o in examples.values()],
                "index": "0",
            },
        )
        if stored(model, examples.values()) != before:
            problems.append(f"{role} ran {action} on {info.label} by a forged POST")
    return problems


def test_every_admin_page_is_in_the_role_table():
    registered = {_label(model) for model in admin.site._registry}

    missing = sorted(registered - set(ADMIN_TABLE))
    stale = sorted(set(ADMIN_TABLE) - registered)

    assert not missing, f"Admin pages the role table does not mention: {missing}"
    assert not stale, f"The role table names pages that do not exist: {stale}"


def test_each_role_does_on_every_admin_page_what_the_table_says(rows):
    problems = []
    for role, client in clients(rows).items():
        for model in sorted(admin.site._registry, key=_label):
            label = _label(model)
            page = ADMIN_TABLE[label]
            examples = rows.get(label, {})
            assert set(examples) == set(page.rows), (
                f"{label}: the table's example rows {sorted(page.rows)} are not "
                f"the rows this test builds {sorted(examples)}"
            )
            seen = observe(client, model, examples)
            wanted = expected(page, role)
            if seen != wanted:
                problems.append(f"{label}, {role}: saw {seen}, table says {wanted}")
            problems += forged_posts_refused(client, role, model, page, examples)
    assert not problems, "\n".join(problems)
