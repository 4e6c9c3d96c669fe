"""Who got a lot (exactly), recalling it (emails through the outbox, no more
fills), openFDA recall notices, and returns."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from checkout.dispensing.models import HealthDataAccess
from checkout.dispensing.stock import recalls, returns
from checkout.dispensing.stock.models import LotRecall, StockReturn
from checkout.orders import actions
from checkout.orders.actions import OrderActionRefused
from pharmacy.core.models import OutboundEmail
from tests.integration.checkout.dispensing.stock.conftest import lot
from tests.integration.checkout.orders.conftest import place, stock_of

FIXTURE = Path(__file__).parents[4] / "fixtures" / "openfda_enforcement_recall.json"


def filled_from(the_lot, pack, pharmacist):
    order = place(pack)
    actions.order_approve(order=order, actor=pharmacist)
    line = order.lines.get()
    actions.order_fill(order=order, actor=pharmacist, picks={line.pk: the_lot.pk})
    return order


@pytest.fixture
def two_lots(pack, pharmacist):
    recalled = lot(pack, pharmacist, ndc="9920700101", lot_number="RCL-1", packs=6)
    neighbour = lot(pack, pharmacist, ndc="9920700101", lot_number="RCL-2", packs=6)
    return recalled, neighbour


def test_who_got_a_lot_is_exactly_its_fills(two_lots, pack, pharmacist):
    recalled, neighbour = two_lots
    first = filled_from(recalled, pack, pharmacist)
    filled_from(neighbour, pack, pharmacist)
    second = filled_from(recalled, pack, pharmacist)

    got = recalls.lot_recipients(lot=recalled)

    assert [(r.order_number, r.tablets) for r in got] == [
        (first.number, 60),
        (second.number, 60),
    ]
    assert got[0].patient_name == first.patient.full_name


def test_the_who_got_it_page_records_each_patient_shown(
    two_lots, pack, pharmacist, pharmacist_client
):
    recalled, _ = two_lots
    order = filled_from(recalled, pack, pharmacist)

    page = pharmacist_client.get(
        reverse("admin:checkout_lot_recipients", args=[recalled.pk])
    )

    assert order.patient.full_name in page.content.decode()
    assert HealthDataAccess.objects.filter(
        order=order, subject="lot_recipients", user=pharmacist
    ).exists()


def test_recalling_a_lot_emails_its_patients_and_stops_filling_it(
    two_lots, pack, pharmacist, pharmacist_client, django_capture_on_commit_callbacks
):
    recalled, neighbour = two_lots
    got_it = filled_from(recalled, pack, pharmacist)
    filled_from(neighbour, pack, pharmacist)

    with django_capture_on_commit_callbacks(execute=False):
        pharmacist_client.post(
            reverse("admin:checkout_lot_recall", args=[recalled.pk]),
            {"reason": "Maker's recall D-0999-2026"},
        )

    recall = LotRecall.objects.get(lot=recalled)
    assert (recall.recalled_by, recall.patients_emailed) == (pharmacist, 1)
    (email,) = OutboundEmail.objects.filter(subject__contains="recalled")
    assert email.to == [got_it.email]
    assert got_it.number in email.body and "RCL-1" in email.body
    assert "+1 555 0100" in email.body and "Keep the pack" in email.body
    assert "aclofen" not in email.body + email.subject  # no health data
    assert stock_of(pack).num_in_stock == 4  # only the neighbour's packs
    with pytest.raises(OrderActionRefused, match="RCL-1 is recalled"):
        filled_from(recalled, pack, pharmacist)


def test_a_recall_needs_a_reason_and_happens_once(two_lots, pharmacist):
    recalled, _ = two_lots
    with pytest.raises(recalls.RecallRefused, match="why"):
        recalls.lot_recall(lot=recalled, actor=pharmacist, reason=" ")
    recalls.lot_recall(lot=recalled, actor=pharmacist, reason="Maker's notice")
    with pytest.raises(recalls.RecallRefused, match="already"):
        recalls.lot_recall(lot=recalled, actor=pharmacist, reason="Again")


def test_an_openfda_notice_flags_the_lots_it_names_and_no_other(
    two_lots, pack, pharmacist
):
    recalled, neighbour = two_lots
    other_ndc = lot(pack, pharmacist, ndc="1111100101", lot_number="RCL-3")

    call_command("import_recall_notices", str(FIXTURE))

    for each in (recalled, neighbour, other_ndc):
        each.refresh_from_db()
    assert recalled.recall_notice == "D-0999-2026"
    assert (neighbour.recall_notice, other_ndc.recall_notice) == ("", "")
    with pytest.raises(OrderActionRefused, match="recall notice D-0999-2026"):
        filled_from(recalled, pack, pharmacist)
    assert json.loads(FIXTURE.read_text())["results"][0]["recall_number"]


def test_an_undelivered_package_goes_back_to_its_lot(two_lots, pack, pharmacist):
    long_dated = lot(pack, pharmacist, days=800, packs=4)
    order = filled_from(long_dated, pack, pharmacist)

    result = returns.fill_return(order=order, actor=pharmacist, delivered=False)

    long_dated.refresh_from_db()
    assert (result.refused, result.restocked, long_dated.quantity_left) == ("", 2, 4)
    assert stock_of(pack).num_in_stock == 16  # 6 + 6 + 4


def test_an_undelivered_package_from_a_lot_expiring_within_a_year_is_destroyed(
    pack, pharmacist
):
    short = lot(pack, pharmacist, days=200, packs=4)
    order = filled_from(short, pack, pharmacist)

    result = returns.fill_return(order=order, actor=pharmacist, delivered=False)

    short.refresh_from_db()
    assert short.quantity_left == 2
    (returned,) = result.returns
    assert returned.outcome == StockReturn.Outcome.DESTROYED
    assert "within a year of the fill" in returned.reason


def test_a_return_after_delivery_is_refused_and_recorded_as_destroyed(pack, pharmacist):
    long_dated = lot(pack, pharmacist, days=800, packs=4)
    order = filled_from(long_dated, pack, pharmacist)

    result = returns.fill_return(order=order, actor=pharmacist, delivered=True)

    long_dated.refresh_from_db()
    assert long_dated.quantity_left == 2
    assert "never goes back into stock" in result.refused
    assert [r.outcome for r in result.returns] == [StockReturn.Outcome.DESTROYED]
    with pytest.raises(returns.ReturnRefused, match="is recorded"):
        returns.fill_return(order=order, actor=pharmacist, delivered=False)
