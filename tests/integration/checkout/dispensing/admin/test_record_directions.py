"""The review page's record form reads the directions with the one parser:
what it reads sets the dose, days of supply and the maximum-dose flag; what it
cannot read is never saved as if understood, and the page asks for the dose
and the times a day, keeping everything typed."""

from decimal import Decimal

import pytest

from checkout.dispensing import records
from checkout.dispensing.models import Prescription, PrescriptionRecord
from tests.integration.checkout.dispensing.admin.conftest import (
    html,
    messages_of,
    order_for,
    review_url,
)
from tests.integration.checkout.dispensing.admin.test_review import record_post

BLANK_DOSE = {"dose_mg": None, "doses_per_day": None}


def saved(order) -> PrescriptionRecord | None:
    return PrescriptionRecord.objects.filter(prescription__order=order).first()


def test_a_sig_code_in_tablets_is_read_into_mg_and_times_a_day(
    pharmacist_client, rx_drug
):
    order = order_for(rx_drug)

    response = pharmacist_client.post(
        review_url(order),
        record_post(
            order, directions="1 tab PO q8h PRN spasm, max 3/day", **BLANK_DOSE
        ),
        follow=True,
    )

    record = saved(order)
    assert (record.dose_mg, record.doses_per_day) == (Decimal("10"), 3)
    assert "Dose: 10 mg, 3 times a day." in " ".join(messages_of(response))
    # 30 tablets of 10 mg at 30 mg a day.
    assert "10 days" in html(pharmacist_client.get(review_url(order)))


def test_plain_english_above_the_maximum_raises_the_dose_flag(
    pharmacist_client, rx_drug
):
    order = order_for(rx_drug)

    pharmacist_client.post(
        review_url(order),
        record_post(order, directions="three tablets four times a day", **BLANK_DOSE),
    )

    page = html(pharmacist_client.get(review_url(order)))
    assert "Daily dose above the usual maximum" in page
    assert "120 mg a day" in page


def test_directions_it_cannot_read_ask_for_the_dose_and_keep_what_was_typed(
    pharmacist_client, rx_drug
):
    order = order_for(rx_drug)

    response = pharmacist_client.post(
        review_url(order),
        record_post(
            order,
            directions="5 mg TID for 3 days then 10 mg TID",
            prescriber_name="Dr Noor Haddad",
            **BLANK_DOSE,
        ),
    )

    assert response.status_code == 200
    assert saved(order) is None
    form = response.context["record_form"]
    assert form.errors["dose_mg"] == ["Enter the dose in mg each time."]
    assert form.errors["doses_per_day"] == ["Enter the times a day."]
    assert "We could not read these directions" in form.errors["directions"][0]
    page = html(response)
    assert 'value="Dr Noor Haddad"' in page
    assert "5 mg TID for 3 days then 10 mg TID" in page


def test_unreadable_directions_are_saved_with_the_dose_the_pharmacist_gives(
    pharmacist_client, rx_drug
):
    order = order_for(rx_drug)

    pharmacist_client.post(
        review_url(order),
        record_post(
            order,
            directions="5 mg TID for 3 days then 10 mg TID",
            dose_mg=Decimal("10"),
            doses_per_day=3,
        ),
    )

    record = saved(order)
    assert (record.dose_mg, record.doses_per_day) == (Decimal("10"), 3)


def test_a_dose_that_contradicts_the_directions_is_not_saved(
    pharmacist_client, rx_drug
):
    order = order_for(rx_drug)

    response = pharmacist_client.post(
        review_url(order),
        record_post(order, directions="1 tab BID", doses_per_day=3),
    )

    assert saved(order) is None
    assert response.context["record_form"].errors["doses_per_day"]
    assert "2 times a day" in response.context["record_form"].errors["directions"][0]


@pytest.mark.parametrize(
    ("directions", "dose", "saves"),
    [
        ("1 tab PO TID", BLANK_DOSE, (Decimal("10"), 3)),
        ("take as directed", BLANK_DOSE, None),
        ("take as directed", {"dose_mg": Decimal("10"), "doses_per_day": 2}, (10, 2)),
    ],
)
def test_the_service_applies_the_same_rule_without_the_form(
    rx_drug, pharmacist, directions, dose, saves
):
    order = order_for(rx_drug)
    data = {
        "directions": directions,
        "strength": rx_drug.strengths.get(mg=10),
        **dose,
    }
    prescription = Prescription.objects.get(order=order)

    if saves is None:
        with pytest.raises(records.DoseUnclear):
            records.record_save(prescription=prescription, actor=pharmacist, data=data)
        assert saved(order) is None
    else:
        record = records.record_save(
            prescription=prescription, actor=pharmacist, data=data
        )
        assert (record.dose_mg, record.doses_per_day) == saves
