"""The store's side of the restore drill (tools/pitr_drill.py): the project's
own code, on the drill's private database (DATABASE_URL).

    pitr_store.py fill   migrate, load the catalogue, place 3 orders, approve 1
    pitr_store.py more   place 2 more orders and approve a second of the first 3
    pitr_store.py read   every order's number and status, every prescription
                         file's digest, and the row count of each table that
                         an order writes

Each prints one line of JSON. Orders are placed through the same services a
checkout uses (tests/checkout_helpers.py builds the checkout without the
views), and approved through the order workflow as a pharmacist.
"""

import hashlib
import json
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oscar.apps.order.models import Line, Order  # noqa: E402

from catalog.models import Product  # noqa: E402
from checkout.dispensing.models import (  # noqa: E402
    PatientDetails,
    Prescription,
    StoredFile,
)
from checkout.orders import actions  # noqa: E402
from checkout.orders.models import OrderEvent  # noqa: E402
from pharmacy.staff.groups import staff_groups_ensure  # noqa: E402
from pharmacy.staff.roles import PHARMACISTS  # noqa: E402
from tests.checkout_helpers import place_order  # noqa: E402

PHARMACIST = "drill-pharmacist"


def _pack() -> Product:
    return (
        Product.objects.filter(parent__isnull=False, stockrecords__num_in_stock__gt=5)
        .order_by("pk")
        .first()
    )


def _pharmacist():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username=PHARMACIST,
        defaults={"is_staff": True, "email": "drill@pharmacy.invalid"},
    )
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


def _place(count: int) -> list[Order]:
    pack = _pack()
    return [place_order(product=pack) for _ in range(count)]


def fill() -> dict:
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_catalog", verbosity=0)
    orders = _place(3)
    actions.order_approve(order=orders[0], actor=_pharmacist())
    return {"placed": [o.number for o in orders]}


def more() -> dict:
    second = (
        Order.objects.filter(status=settings.OSCAR_INITIAL_ORDER_STATUS)
        .order_by("pk")
        .first()
    )
    orders = _place(2)
    actions.order_approve(order=second, actor=_pharmacist())
    return {"placed": [o.number for o in orders], "approved": second.number}


def read() -> dict:
    statuses: dict[str, int] = {}
    for status in Order.objects.values_list("status", flat=True):
        statuses[status] = statuses.get(status, 0) + 1
    return {
        "orders": dict(
            Order.objects.order_by("number").values_list("number", "status")
        ),
        "statuses": statuses,
        "files": StoredFile.objects.count(),
        "file_sha256": {
            f.name: hashlib.sha256(bytes(f.content)).hexdigest()
            for f in StoredFile.objects.order_by("name")
        },
        "rows": {
            model.__name__: model.objects.count()
            for model in (Order, Line, Prescription, PatientDetails, OrderEvent)
        },
    }


if __name__ == "__main__":
    action = {"fill": fill, "more": more, "read": read}[sys.argv[1]]
    print(json.dumps(action(), sort_keys=True))
