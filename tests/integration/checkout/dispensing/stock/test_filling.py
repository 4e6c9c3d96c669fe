"""Filling an approved order from lots: what is refused (with the dates), what
is recorded, and the shop's stock count derived from lots."""

import pytest
from django.urls import reverse

from catalog.models import Product
from checkout.dispensing.stock import counts, filling
from checkout.dispensing.stock.models import Fill
from checkout.orders import actions
from checkout.orders.actions import OrderActionRefused
from checkout.orders.workflow import OrderStatus
from tests.integration.checkout.dispensing.stock.conftest import in_days, lot
from tests.integration.checkout.orders.conftest import fresh, stock_of


def fill_from(order, actor, the_lot):
    line = order.lines.get()
    return actions.order_fill(order=order, actor=actor, picks={line.pk: the_lot.pk})


def test_a_fill_records_who_when_which_lot_and_tablets_and_takes_the_packs(
    approved, pharmacist, pack
):
    chosen = lot(pack, pharmacist, packs=10)
    counts.stock_counts_sync(product_ids=[pack.pk])

    fill_from(approved, pharmacist, chosen)

    fill = Fill.objects.get(order=approved)
    (line,) = fill.lines.all()
    assert (fill.filled_by, fill.days_of_supply) == (pharmacist, 20)
    assert (line.lot, line.packs, line.tablets) == (chosen, 2, 60)
    chosen.refresh_from_db()
    assert chosen.quantity_left == 8
    record = stock_of(pack)
    assert (record.num_in_stock, record.num_allocated) == (8, 0)
    assert fresh(approved).status == OrderStatus.FILLED


def test_a_lot_expiring_before_the_supply_runs_out_is_refused_with_the_dates(
    approved, pharmacist, pack
):
    short = lot(pack, pharmacist, days=10)

    with pytest.raises(OrderActionRefused) as refused:
        fill_from(approved, pharmacist, short)

    assert str(refused.value) == (
        f"Lot {short.lot_number} expires on {in_days(10):%Y-%m-%d}, before the "
        f"patient's supply runs out on {in_days(20):%Y-%m-%d}: pick a later lot."
    )
    assert fresh(approved).status == OrderStatus.APPROVED
    short.refresh_from_db()
    assert short.quantity_left == 10
    assert not Fill.objects.exists()


def test_a_lot_of_another_strength_is_refused(approved, pharmacist, drug):
    stronger = Product.objects.get(upc=f"{drug.product.upc}-25-30")
    other = lot(stronger, pharmacist)

    with pytest.raises(
        OrderActionRefused, match="is 25 mg, but the prescription is for 10 mg"
    ):
        fill_from(approved, pharmacist, other)

    assert fresh(approved).status == OrderStatus.APPROVED


def test_a_lot_with_too_few_packs_or_none_picked_is_refused(approved, pharmacist, pack):
    with pytest.raises(OrderActionRefused, match="Pick or scan a lot"):
        actions.order_fill(order=approved, actor=pharmacist, picks={})
    with pytest.raises(OrderActionRefused, match="has 1 pack"):
        fill_from(approved, pharmacist, lot(pack, pharmacist, packs=1))


def test_the_first_expiring_lot_that_lasts_the_supply_is_suggested(
    approved, pharmacist, pack
):
    lot(pack, pharmacist, days=10)  # runs out first: not suggested
    later = lot(pack, pharmacist, days=100)
    lot(pack, pharmacist, days=400)

    (row,) = filling.lines_to_fill(order=approved)

    assert row.suggested == later
    assert [x.expires_on for x in row.lots] == [in_days(10), in_days(100), in_days(400)]


def test_the_stock_count_is_the_packs_in_unexpired_lots(pharmacist, pack):
    lot(pack, pharmacist, days=1, packs=5)
    lot(pack, pharmacist, days=300, packs=7)

    counts.stock_counts_sync(product_ids=[pack.pk])
    assert stock_of(pack).num_in_stock == 12

    counts.stock_counts_sync(today=in_days(2))
    assert stock_of(pack).num_in_stock == 7


def test_dispatch_waits_for_the_fill_and_the_review_page_offers_it(
    approved, pharmacist, pharmacist_client, pack
):
    review = reverse("admin:checkout_queueorder_review", args=[approved.pk])
    fill_url = reverse("admin:checkout_queueorder_fill", args=[approved.pk])
    assert fill_url in pharmacist_client.get(review).content.decode()

    with pytest.raises(OrderActionRefused):
        actions.order_dispatch(order=approved, actor=pharmacist, tracking_reference="1")

    chosen = lot(pack, pharmacist)
    page = pharmacist_client.get(fill_url).content.decode()
    assert f'value="{chosen.pk}" selected' in page
    line = approved.lines.get()
    pharmacist_client.post(fill_url, {f"lot-{line.pk}": chosen.pk})
    actions.order_dispatch(order=approved, actor=pharmacist, tracking_reference="1")

    assert fresh(approved).status == OrderStatus.DISPATCHED


def test_a_scan_naming_no_received_lot_keeps_what_was_typed(
    approved, pharmacist_client
):
    fill_url = reverse("admin:checkout_queueorder_fill", args=[approved.pk])
    line = approved.lines.get()
    scan = "(01)00399207001010(17)301231(10)NOPE"

    page = pharmacist_client.post(fill_url, {f"scan-{line.pk}": scan})

    html = page.content.decode()
    assert "No lot NOPE of NDC 9920700101 has been received." in html
    assert 'value="(01)00399207001010(17)301231(10)NOPE"' in html
    assert fresh(approved).status == OrderStatus.APPROVED
