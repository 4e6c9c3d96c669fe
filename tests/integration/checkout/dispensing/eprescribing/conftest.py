import pytest

from catalog.models import Product
from checkout.dispensing.eprescribing.models import EPrescription
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import PHARMACISTS
from tests import erx
from tests.checkout_helpers import place_order
from tests.factories import UserFactory, reference_data_ensure


@pytest.fixture(autouse=True)
def _intermediary(settings, private_root, db):
    settings.ERX_INTERMEDIARIES = {erx.INTERMEDIARY: erx.PASSWORD}
    reference_data_ensure()


@pytest.fixture
def pack(drug) -> Product:
    return Product.objects.get(upc=f"{drug.product.upc}-10-30")


@pytest.fixture
def customer(pack):
    """Alex Rivera, born 1980-05-17, phone 217 555 0100 (tests/checkout_helpers):
    a customer with one order behind them, under another email than the
    prescriber has."""
    user = UserFactory(username="alex", email="alex.r@example.net")
    place_order(product=pack, owner=user)
    return user


@pytest.fixture
def pharmacist(db):
    user = UserFactory(username="pharm", is_staff=True)
    user.groups.add(staff_groups_ensure()[PHARMACISTS])
    return user


@pytest.fixture
def received(client, customer, django_capture_on_commit_callbacks):
    """The fixture's NewRx, received and matched to the customer."""
    with django_capture_on_commit_callbacks(execute=True):
        response = erx.post(client, erx.new_rx())
    assert erx.error_of(response) is None
    return EPrescription.objects.get()


def order_from(*, record, customer):
    """An order filled from the e-prescription, through the refill service
    (the email's link) and placed as checkout would, with no upload."""
    from catalog.partner.strategy import Selector
    from checkout.basket.models import Basket
    from checkout.dispensing.refills import services
    from checkout.orders import placing
    from tests.checkout_helpers import checkout_attempt

    basket = Basket.objects.create(owner=customer)
    basket.strategy = Selector().strategy()
    services.refill_to_basket(record=record, basket=basket)
    attempt = checkout_attempt(basket=basket, with_prescription=False)
    return placing.order_place(attempt_id=attempt.pk)
