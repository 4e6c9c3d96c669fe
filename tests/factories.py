"""Small, explicit test data, built per test; never the demo fixture."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from catalog.models import (
    Drug,
    MonographSection,
    Product,
    ProductClass,
    Strength,
)
from catalog.partner.models import Partner, StockRecord
from catalog.selectors import STRENGTH_ATTR, TABLETS_ATTR
from catalog.services import product_class_ensure_pack_attributes, variant_title


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("name",)

    name = "Dispensary"


class ProductClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductClass
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = "Prescription tablets"
    slug = "prescription-tablets"
    track_stock = True

    @factory.post_generation
    def attributes(obj, create, extracted, **kwargs):
        product_class_ensure_pack_attributes(product_class=obj)


class ParentProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    structure = Product.PARENT
    title = factory.Sequence(lambda n: f"Testdrug {n}")
    slug = factory.LazyAttribute(lambda o: o.title.lower().replace(" ", "-"))
    upc = factory.Sequence(lambda n: f"DRUG{n}")
    product_class = factory.SubFactory(ProductClassFactory)
    description = "A test medicine."


class DrugFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Drug

    product = factory.SubFactory(ParentProductFactory)
    generic_name = factory.LazyAttribute(lambda o: o.product.title.lower())
    brand_names = "Brandex"
    dosage_form = "tablet"
    route = "oral"
    prescription_required = True


class MonographSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonographSection

    drug = factory.SubFactory(DrugFactory)
    position = factory.Sequence(int)
    anchor = factory.Sequence(lambda n: f"section-{n}")
    title = factory.Sequence(lambda n: f"Section {n}")
    body = "First paragraph.\n\n- one\n- two"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "correct-horse-battery")
        if create:
            obj.save(update_fields=["password"])


def make_pack(
    *, drug: Drug, mg: str, tablets: int, price: str, stock: int = 100
) -> Product:
    """One sellable pack (an Oscar child product) with its stock record."""
    parent = drug.product
    child = Product(
        structure=Product.CHILD,
        parent=parent,
        upc=f"{parent.upc}-{mg}-{tablets}",
        title=variant_title(drug_title=parent.title, mg=Decimal(mg), tablets=tablets),
    )
    child.attr.initialize()
    setattr(child.attr, STRENGTH_ATTR, float(mg))
    setattr(child.attr, TABLETS_ATTR, tablets)
    child.save()
    StockRecord.objects.create(
        product=child,
        partner=PartnerFactory(),
        partner_sku=child.upc,
        price=Decimal(price),
        price_currency="USD",
        num_in_stock=stock,
    )
    return child


def make_drug(
    *,
    title: str = "Baclofen",
    prices: dict[str, dict[int, str]] | None = None,
    withdrawn: tuple[str, ...] = (),
    sections: int = 0,
    stock: int = 100,
    brand_names: str = "Brandex",
    search_terms: str = "",
) -> Drug:
    """A drug with a pack for each {strength: {tablets: pack price}}.

    The default is a two-strength drug priced like the real catalog's extremes.
    """
    prices = prices or {
        "10": {30: "38.70", 60: "65.40", 360: "219.60"},
        "25": {30: "101.70", 90: "224.10"},
    }
    drug = DrugFactory(
        product=ParentProductFactory(title=title, slug=title.lower().replace(" ", "-")),
        brand_names=brand_names,
        search_terms=search_terms,
    )
    for mg, packs in prices.items():
        Strength.objects.create(
            drug=drug, mg=Decimal(mg), is_available=mg not in withdrawn
        )
        for tablets, price in packs.items():
            make_pack(drug=drug, mg=mg, tablets=tablets, price=price, stock=stock)
    for i in range(sections):
        MonographSectionFactory(
            drug=drug, position=i, anchor=f"part-{i}", title=f"Part {i}"
        )
    return drug


def many_packs(*, strengths: int, pack_sizes: int) -> dict[str, dict[int, str]]:
    """A price grid of strengths x pack sizes, cheaper per tablet in bigger packs."""
    return {
        str(5 * (s + 1)): {
            30
            * (
                p + 1
            ): f"{Decimal(30 * (p + 1)) * (Decimal('2.00') - Decimal(p) / 100):.2f}"
            for p in range(pack_sizes)
        }
        for s in range(strengths)
    }


def reference_data_ensure() -> None:
    """The rows our data migrations create (the US as shipping country, the order
    email types, the demo state licences and policy pages). A transactional
    test's flush empties every table, so tests that commit call this instead
    of trusting the migrations ran just before."""
    from importlib import import_module

    from django.apps import apps

    for migration in (
        "checkout.migrations.0002_us_shipping_and_order_emails",
        "checkout.migrations.0003_order_cancelled_email",
        "checkout.migrations.0005_order_on_hold_email",
        "pharmacy.compliance.migrations.0002_demo_licences_and_policy_texts",
        "checkout.dispensing.refills.migrations.0002_refill_and_transfer_emails",
        "checkout.dispensing.refills.migrations.0004_transfer_received_email",
    ):
        import_module(migration).forwards(apps, None)


def strength_switch(*, drug, mg: str | Decimal, available: bool) -> None:
    """Switch a strength on or off the way staff do in the admin: a save, so
    the cache hears of it."""
    strength = Strength.objects.get(drug=drug, mg=Decimal(str(mg)))
    strength.is_available = available
    strength.save()


def staff_in(role: str, **fields):
    """A staff account in one role of pharmacy/staff/roles.py."""
    from pharmacy.staff.groups import staff_groups_ensure

    user = UserFactory(is_staff=True, **fields)
    user.groups.add(staff_groups_ensure()[role])
    return user


def signed_in(user):
    """A test client signed in as ``user`` (staff: with the second factor)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
