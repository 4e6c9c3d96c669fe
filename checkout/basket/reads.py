"""The reads every basket and checkout request makes, with their SQL compiled
once (pharmacy/compiled.py): the guest's basket from its cookie, with the
patient and prescription given at checkout, and the basket's lines."""

from django.db.models import prefetch_related_objects
from oscar.core.loading import get_model

from catalog import selectors
from pharmacy.core import compiled

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")
LineAttribute = get_model("basket", "LineAttribute")

# What each checkout step asks of a basket comes with it: who the medicine is
# for and the prescription (with the record a refill is of).
CHECKOUT_RELATIONS = ("patient", "prescription__refill_of")


def open_guest_basket(*, basket_id: int) -> "Basket | None":
    """The open, ownerless basket with this id, or None."""
    if not compiled.pk_fits(model=Basket, value=basket_id):
        return None
    found = compiled.rows(
        key="basket:open-guest",
        build=lambda pk, status: Basket.objects.select_related(
            *CHECKOUT_RELATIONS
        ).filter(pk=pk, status=status, owner=None),
        params=[basket_id, Basket.OPEN],
    )
    return found[0] if found else None


def basket_lines(*, basket) -> list:
    """The basket's lines, oldest first, each with its stock record and pack.
    The pack's drug comes from the catalogue cache (basket/packs.py), its
    option values from line_attributes_attach."""
    lines = compiled.rows(
        key="basket:lines",
        build=lambda basket_id: (
            Line.objects.filter(basket_id=basket_id)
            .select_related("stockrecord", "product")
            .order_by("pk")
        ),
        params=[basket.pk],
    )
    return _lines_of(lines, basket=basket)


def basket_lines_fresh(*, basket) -> list:
    """The lines as basket_lines gives them, with each pack's drug (its class
    and drug facts) and pack facts read from the database as well: what
    placing an order reads, never from a cache."""
    lines = compiled.rows(
        key="basket:lines-fresh",
        # The attribute codes are the pack-fact subqueries' own parameters,
        # which come first in the SQL.
        build=lambda _strength, _tablets, basket_id: (
            Line.objects.filter(basket_id=basket_id)
            .select_related(
                "stockrecord",
                "product",
                "product__parent__product_class",
                "product__parent__drug",
            )
            .annotate(**selectors.pack_fact_subqueries("product"))
            .order_by("pk")
        ),
        params=[selectors.STRENGTH_ATTR, selectors.TABLETS_ATTR, basket.pk],
    )
    return _lines_of(lines, basket=basket)


def _lines_of(lines: list, *, basket) -> list:
    basket_field = Line._meta.get_field("basket")
    for line in lines:
        basket_field.set_cached_value(line, basket)
    return lines


def line_attributes_attach(*, lines: list, with_attributes: bool) -> None:
    """Each line's option values, in one query; without options in the shop
    no line has any, and nothing is read."""
    if with_attributes:
        prefetch_related_objects(lines, "attributes")
        return
    none = LineAttribute.objects.none()
    none._result_cache, none._prefetch_done = [], True
    for line in lines:
        line._prefetched_objects_cache = {"attributes": none}
