"""The directions parser, case by case: what prescribers write, and what it
reads (tablets or mg each time, times a day, as needed), or that it could not."""

from decimal import Decimal

import pytest

from checkout.dispensing.directions import NotUnderstood, Reading, directions_read

D = Decimal
NOT_UNDERSTOOD = None

CASES = [
    # Plain English.
    ("one tablet three times a day", Reading(3, tablets=D(1))),
    ("Take 2 tablets twice daily", Reading(2, tablets=D(2))),
    ("half a tablet at bedtime", Reading(1, tablets=D("0.5"))),
    ("Take one and a half tablets twice a day", Reading(2, tablets=D("1.5"))),
    ("1/2 tablet in the morning and at bedtime", Reading(2, tablets=D("0.5"))),
    ("10 mg three times a day", Reading(3, mg=D(10))),
    ("Take 20mg 4 times daily", Reading(4, mg=D(20))),
    ("2.5 mg twice a day", Reading(2, mg=D("2.5"))),
    ("25 mg once daily", Reading(1, mg=D(25))),
    ("10 mg daily", Reading(1, mg=D(10))),
    ("1 tablet (10 mg) three times a day", Reading(3, tablets=D(1), mg=D(10))),
    ("take one tablet every 8 hours", Reading(3, tablets=D(1))),
    ("1 tablet 3x/day for 30 days", Reading(3, tablets=D(1))),
    ("take 1 tablet up to three times a day", Reading(3, tablets=D(1), as_needed=True)),
    (
        "Take 1 tablet three times a day, do not take more than 3 a day",
        Reading(3, tablets=D(1)),
    ),
    # Sig codes.
    ("1 tab PO TID", Reading(3, tablets=D(1))),
    ("1 tab po BID", Reading(2, tablets=D(1))),
    ("2 tabs QID", Reading(4, tablets=D(2))),
    ("5 mg t.i.d.", Reading(3, mg=D(5))),
    ("1 PO BID", Reading(2, tablets=D(1))),
    ("1 tab q8h", Reading(3, tablets=D(1))),
    ("1 tab PO q12h", Reading(2, tablets=D(1))),
    ("1 tab qHS", Reading(1, tablets=D(1))),
    ("20 mg qd", Reading(1, mg=D(20))),
    ("1 tab PO TID x 30 days", Reading(3, tablets=D(1))),
    ("1 tab PO q8h PRN spasm, max 3/day", Reading(3, tablets=D(1), as_needed=True)),
    ("1 tab q4h prn max 4/day", Reading(4, tablets=D(1), as_needed=True)),
    ("1 tab PRN spasm, max 3 tabs/day", Reading(3, tablets=D(1), as_needed=True)),
    (
        "2 tabs PRN, not to exceed 8 tablets a day",
        Reading(4, tablets=D(2), as_needed=True),
    ),
    ("10 mg p.r.n., max 30 mg/day", Reading(3, mg=D(10), as_needed=True)),
    # Ambiguous or unreadable: the pharmacist is asked.
    ("", NOT_UNDERSTOOD),
    ("10 mg", NOT_UNDERSTOOD),  # how often?
    ("one tablet as needed", NOT_UNDERSTOOD),  # as needed, no maximum
    ("1 tab PRN spasm", NOT_UNDERSTOOD),
    ("BID", NOT_UNDERSTOOD),  # no dose
    ("Take as directed", NOT_UNDERSTOOD),
    ("1-2 tablets three times a day", NOT_UNDERSTOOD),  # a range
    ("1 to 2 tabs q8h", NOT_UNDERSTOOD),
    ("1 or 2 tablets TID", NOT_UNDERSTOOD),
    ("5 mg TID for 3 days then increase to 10 mg TID", NOT_UNDERSTOOD),
    ("1 tab in the morning and 2 tabs at bedtime", NOT_UNDERSTOOD),
    ("1 tab TID, twice daily", NOT_UNDERSTOOD),  # two different times a day
    ("1 tab q5h", NOT_UNDERSTOOD),  # does not divide a day
    ("1 tab every other day", NOT_UNDERSTOOD),
    ("2 tabs PRN max 5 tabs/day", NOT_UNDERSTOOD),  # 2.5 doses
    ("1 tab 3 TID", NOT_UNDERSTOOD),  # a number that is no dose
    ("1 capsule twice a day", NOT_UNDERSTOOD),  # not tablets
    ("1 tab q8-12h", NOT_UNDERSTOOD),
]


@pytest.mark.parametrize(
    ("text", "expected"), CASES, ids=[c[0] or "empty" for c in CASES]
)
def test_directions_are_read_or_said_to_be_not_understood(text, expected):
    reading = directions_read(text=text)

    if expected is NOT_UNDERSTOOD:
        assert isinstance(reading, NotUnderstood)
        assert not reading.understood and reading.reason
    else:
        assert reading == expected


def test_a_dose_in_tablets_is_in_mg_once_the_strength_is_known():
    reading = directions_read(text="half a tablet at bedtime")

    assert reading.dose_mg(strength_mg=D(10)) == D(5)
    assert reading.dose_mg(strength_mg=None) is None


def test_a_dose_written_in_mg_stays_in_mg_whatever_the_strength():
    assert directions_read(text="10 mg TID").dose_mg(strength_mg=D(25)) == D(10)


def test_a_reading_says_what_it_read_in_words():
    reading = directions_read(text="1 tab PO q8h PRN spasm, max 3/day")

    assert reading.describe() == "1 tablet as needed, at most 3 times a day"
