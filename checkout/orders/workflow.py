"""The order's life, declared once.

Every action on an order is a row of ``ACTIONS``: the statuses it may start
from, the status it ends in, who may take it, the payment states it tolerates,
what happens to the money, and its effects (stock, the prescription, the
customer's email). Everything else reads this table:

- checkout/orders/actions.py runs an action, and is the only code that changes
  an order's status: the review page, the Stripe webhook and return page,
  reconciliation, management commands and tasks all call it;
- the settings derive Oscar's status pipeline from it (``status_pipeline``);
- the review page offers the actions whose row allows them;
- the customer's timeline (tracking.py) shows what each action's row says.

Plain values only: the settings import this module before Django is set up.
"""

import enum
from dataclasses import dataclass

from django.db import models

from checkout.payments.states import PaymentState
from pharmacy.staff.roles import Perm


class OrderStatus(models.TextChoices):
    """Every status an order can have."""

    AWAITING_REVIEW = "Awaiting prescription review"
    # The pharmacist is waiting for the prescriber; the customer is told why.
    ON_HOLD = "On hold"
    # The customer gave the prescriber's details; we asked them for the script.
    PRESCRIPTION_REQUESTED = "Prescription requested from prescriber"
    APPROVED = "Approved"
    # Filled from named lots and labelled; only now may it leave.
    FILLED = "Filled"
    DISPATCHED = "Dispatched"
    REJECTED = "Rejected"
    CANCELLED = "Cancelled"


# Orders a pharmacist may still decide on.
UNDECIDED = (
    OrderStatus.AWAITING_REVIEW,
    OrderStatus.ON_HOLD,
    OrderStatus.PRESCRIPTION_REQUESTED,
)
CLOSED = (OrderStatus.DISPATCHED, OrderStatus.REJECTED, OrderStatus.CANCELLED)


class HoldReason(models.TextChoices):
    """Why the pharmacist put an order on hold; the label is what staff pick,
    ``HOLD_REASON_WORDS`` what the customer is told."""

    PRESCRIBER_TO_CONFIRM = "prescriber", "Prescriber to confirm"
    UNCLEAR_IMAGE = "unclear_image", "Unclear image"
    DOSE_TO_CHECK = "dose", "Dose to check"
    OTHER = "other", "Other (say what below)"


# Plain words for the customer: the email and the order's status page. No
# health data: the pharmacist's own words follow, written for the customer.
HOLD_REASON_WORDS = {
    HoldReason.PRESCRIBER_TO_CONFIRM: "Our pharmacist needs your prescriber to "
    "confirm the prescription.",
    HoldReason.UNCLEAR_IMAGE: "The photo or scan of your prescription is hard to read.",
    HoldReason.DOSE_TO_CHECK: "Our pharmacist needs to check the dose with your "
    "prescriber.",
    HoldReason.OTHER: "",
}


def hold_reason_text(*, reason: str, words: str = "") -> str:
    """The one line the customer is told about a hold: the reason in plain
    words, then the pharmacist's (on one line: the history's first line is
    the customer's). Raises ValueError, saying why, for an unknown reason or
    "other" without words."""
    if reason not in HoldReason.values:
        raise ValueError("Please choose why the order is on hold.")
    words = " ".join((words or "").split())
    if reason == HoldReason.OTHER and not words:
        raise ValueError("Please say in a few words why the order is on hold.")
    return " ".join(p for p in (HOLD_REASON_WORDS[HoldReason(reason)], words) if p)


class Money(enum.StrEnum):
    """What an action does to the order's payment."""

    # Nothing: the payment stays where it is.
    NONE = "none"
    # A card authorisation (or an invoice due) is recorded for the order.
    AUTHORISE = "authorise"
    # Card: capture the authorisation. Invoice: issue it.
    TAKE = "take"
    # Card: release the hold, or refund it if it was charged. Invoice: void it.
    RELEASE = "release"
    # Card: refund the charge. Invoice: void it.
    REFUND = "refund"
    # Stripe will not give the money: the hold lapsed, or the capture failed.
    PROBLEM = "problem"
    # Money received against an invoice: recorded by staff, or paid by card.
    RECEIVE = "receive"


class Effect(enum.StrEnum):
    """What else an action does when it completes (after the money moved)."""

    # The tablets are taken from what is left on the prescription, which is
    # marked approved by the pharmacist.
    SUPPLY_TAKEN = "supply taken"
    # The prescription is marked rejected, with the reason.
    PRESCRIPTION_REJECTED = "prescription rejected"
    # The packs held for the order go back on the shelf.
    STOCK_RELEASED = "stock released"
    # The packs are taken from the lots the pharmacist picked, and the fill
    # (who, when, which lots, how many tablets) is recorded.
    LOTS_TAKEN = "lots taken"
    # The filled package leaves: a shipping event with the tracking reference.
    STOCK_SHIPPED = "stock shipped"
    # An approval whose card capture is still in flight is withdrawn, so its
    # late answer cannot move the order past this action.
    APPROVAL_WITHDRAWN = "approval withdrawn"
    # The customer's new upload, or their prescriber's details, replace the
    # order's prescription.
    PRESCRIPTION_REPLACED = "prescription replaced"


class Check(enum.StrEnum):
    """What must hold before an action is taken, beyond its statuses and
    payment states (each refusal says why)."""

    # The delivery state is one the pharmacy is licensed in, read from the
    # table at that moment.
    STATE_LICENSED = "state licensed"
    # A prescription is given; the pharmacist's record of it is complete and
    # matches the order; every clinical flag is acknowledged.
    PRESCRIPTION_READY = "prescription ready"
    # The customer gave the prescriber's details.
    PRESCRIBER_GIVEN = "prescriber given"
    # The prescription was approved and counselling (given or declined) is
    # recorded.
    DISPENSING_DONE = "dispensing done"
    # An invoice is paid, when the setting INVOICE_DISPATCH_WAITS_FOR_PAYMENT
    # says dispatch waits for it.
    INVOICE_PAID = "invoice paid"
    # Each line has a lot that may be filled: the same drug and strength as
    # the record, not recalled, enough packs left, and not expiring before the
    # patient's supply runs out.
    LOTS_PICKED = "lots picked"


@dataclass(frozen=True)
class Action:
    name: str
    label: str  # what staff press
    done: str  # "approved": for messages
    starts_from: tuple[OrderStatus, ...]  # empty: a new order
    ends_in: OrderStatus | None  # None: the status does not change
    # Who may take it; None: the customer or the store itself (checkout,
    # Stripe's answer, reconciliation), never a staff role.
    permission: Perm | None
    payment_states: frozenset[PaymentState]
    money: Money
    checks: tuple[Check, ...] = ()
    effects: tuple[Effect, ...] = ()
    email: str | None = None  # the Oscar communication type sent
    # The OrderEvent action recorded (the order's history).
    history: str = ""
    # Refused without one; the message says so.
    reason_required: str | None = None
    # What the customer's order page shows for it: (title, tone).
    customer_sees: tuple[str, str] | None = None

    def may_start(self, *, status: str) -> bool:
        return status in self.starts_from


_ANY_UNSETTLED = frozenset(
    {
        PaymentState.AUTHORISED,
        PaymentState.CAPTURE_FAILED,
        PaymentState.CAPTURED,
        PaymentState.INVOICE_DUE,
    }
)

PLACE = Action(
    name="place",
    label="Place order",
    done="placed",
    starts_from=(),
    ends_in=OrderStatus.AWAITING_REVIEW,
    permission=None,
    payment_states=frozenset(),
    money=Money.AUTHORISE,
    checks=(Check.STATE_LICENSED,),
    email="ORDER_PLACED",
    history="placed",
)
APPROVE = Action(
    name="approve",
    label="Approve",
    done="approved",
    starts_from=UNDECIDED,
    ends_in=OrderStatus.APPROVED,
    permission=Perm.REVIEW_PRESCRIPTIONS,
    # A capture already requested may be pressed again after a timeout; a
    # card charged while the order was on hold needs no second capture.
    payment_states=_ANY_UNSETTLED | {PaymentState.CAPTURE_REQUESTED},
    money=Money.TAKE,
    checks=(Check.PRESCRIPTION_READY,),
    effects=(Effect.SUPPLY_TAKEN,),
    email="ORDER_APPROVED",
    history="approved",
    customer_sees=("Approved by our pharmacist", "good"),
)
HOLD = Action(
    name="hold",
    label="Put on hold",
    done="put on hold",
    starts_from=(OrderStatus.AWAITING_REVIEW, OrderStatus.PRESCRIPTION_REQUESTED),
    ends_in=OrderStatus.ON_HOLD,
    permission=Perm.REVIEW_PRESCRIPTIONS,
    payment_states=_ANY_UNSETTLED | {PaymentState.CAPTURE_REQUESTED},
    money=Money.NONE,
    effects=(Effect.APPROVAL_WITHDRAWN,),
    email="ORDER_ON_HOLD",
    history="put on hold",
    reason_required="Please tell the customer why the order is on hold.",
    customer_sees=("On hold", "neutral"),
)
# The customer answers a hold from the order's status page: a new upload, or
# the prescriber's details; the order goes back to the pharmacist's queue.
SUPPLY_PRESCRIPTION = Action(
    name="supply_prescription",
    label="Send to our pharmacist",
    done="sent back to the pharmacist",
    starts_from=(OrderStatus.ON_HOLD,),
    ends_in=OrderStatus.AWAITING_REVIEW,
    permission=None,  # the customer, on their own order's status page
    payment_states=_ANY_UNSETTLED | {PaymentState.CAPTURE_REQUESTED},
    money=Money.NONE,
    effects=(Effect.PRESCRIPTION_REPLACED,),
    history="prescription supplied",
    customer_sees=("You sent what our pharmacist asked for", "neutral"),
)
ASK_PRESCRIBER = Action(
    name="ask_prescriber",
    label="Prescription requested from prescriber",
    done="marked as waiting for the prescriber",
    starts_from=(OrderStatus.AWAITING_REVIEW, OrderStatus.ON_HOLD),
    ends_in=OrderStatus.PRESCRIPTION_REQUESTED,
    permission=Perm.REVIEW_PRESCRIPTIONS,
    payment_states=_ANY_UNSETTLED | {PaymentState.CAPTURE_REQUESTED},
    money=Money.NONE,
    checks=(Check.PRESCRIBER_GIVEN,),
    effects=(Effect.APPROVAL_WITHDRAWN,),
    history="prescription requested",
)
RESUME = Action(
    name="resume",
    label="Back to review",
    done="put back in review",
    starts_from=(OrderStatus.ON_HOLD, OrderStatus.PRESCRIPTION_REQUESTED),
    ends_in=OrderStatus.AWAITING_REVIEW,
    permission=Perm.REVIEW_PRESCRIPTIONS,
    payment_states=_ANY_UNSETTLED | {PaymentState.CAPTURE_REQUESTED},
    money=Money.NONE,
    history="back to review",
)
REJECT = Action(
    name="reject",
    label="Reject",
    done="rejected",
    starts_from=UNDECIDED,
    ends_in=OrderStatus.REJECTED,
    permission=Perm.REVIEW_PRESCRIPTIONS,
    # Already requested: the same decision pressed again after a timeout.
    # Invoiced: approved, then sent back when the prescriber cancelled.
    payment_states=_ANY_UNSETTLED
    | {
        PaymentState.RELEASE_REQUESTED,
        PaymentState.REFUND_REQUESTED,
        PaymentState.INVOICED,
    },
    money=Money.RELEASE,
    effects=(Effect.PRESCRIPTION_REJECTED, Effect.STOCK_RELEASED),
    email="ORDER_REJECTED",
    history="rejected",
    reason_required="Please give the customer a reason for the rejection.",
    customer_sees=("Not approved by our pharmacist", "bad"),
)
CANCEL = Action(
    name="cancel",
    label="Cancel at the customer's request",
    done="cancelled",
    starts_from=UNDECIDED,
    ends_in=OrderStatus.CANCELLED,
    permission=Perm.REVIEW_PRESCRIPTIONS,
    payment_states=REJECT.payment_states,
    money=Money.RELEASE,
    effects=(Effect.STOCK_RELEASED,),
    email="ORDER_CANCELLED",
    history="cancelled",
    reason_required="Please record why the order is cancelled.",
    customer_sees=("Cancelled", "bad"),
)
REFUND = Action(
    name="refund",
    label="Cancel at the customer's request",
    done="cancelled",
    starts_from=(OrderStatus.APPROVED,),
    ends_in=OrderStatus.CANCELLED,
    permission=Perm.REVIEW_PRESCRIPTIONS,
    payment_states=frozenset(
        {PaymentState.CAPTURED, PaymentState.INVOICED, PaymentState.REFUND_REQUESTED}
    ),
    money=Money.REFUND,
    effects=(Effect.STOCK_RELEASED,),
    email="ORDER_CANCELLED",
    history="cancelled",
    reason_required="Please record why the order is cancelled.",
    customer_sees=("Cancelled", "bad"),
)
FILL = Action(
    name="fill",
    label="Fill",
    done="filled",
    starts_from=(OrderStatus.APPROVED,),
    ends_in=OrderStatus.FILLED,
    permission=Perm.REVIEW_PRESCRIPTIONS,
    # Charged or invoiced; an unpaid invoice may be filled (dispatch is what
    # may wait for the payment).
    payment_states=frozenset(
        {PaymentState.CAPTURED, PaymentState.INVOICED, PaymentState.INVOICE_PAID}
    ),
    money=Money.NONE,
    checks=(Check.DISPENSING_DONE, Check.LOTS_PICKED),
    effects=(Effect.LOTS_TAKEN,),
    history="filled",
    customer_sees=("Prepared and labelled by our pharmacist", "good"),
)
DISPATCH = Action(
    name="dispatch",
    label="Dispatch",
    done="dispatched",
    # Nothing leaves unfilled: the label names the lot.
    starts_from=(OrderStatus.FILLED,),
    ends_in=OrderStatus.DISPATCHED,
    permission=Perm.DISPATCH_ORDERS,
    # Charged or invoiced, and no refund on its way; whether an invoice must
    # be paid first is a setting (Check.INVOICE_PAID).
    payment_states=frozenset(
        {PaymentState.CAPTURED, PaymentState.INVOICED, PaymentState.INVOICE_PAID}
    ),
    money=Money.NONE,
    checks=(Check.DISPENSING_DONE, Check.INVOICE_PAID),
    effects=(Effect.STOCK_SHIPPED,),
    email="ORDER_DISPATCHED",
    history="dispatched",
    customer_sees=("Dispatched", "good"),
)
RECORD_PAYMENT = Action(
    name="record_payment",
    label="Record a payment received",
    done="recorded as paid",
    starts_from=(OrderStatus.APPROVED, OrderStatus.FILLED, OrderStatus.DISPATCHED),
    ends_in=None,
    permission=Perm.RECORD_PAYMENTS,
    payment_states=frozenset({PaymentState.INVOICED}),
    money=Money.RECEIVE,
    history="payment received",
    customer_sees=("Payment received: thank you", "good"),
)
# The prescriber cancelled the prescription (an e-prescription's CancelRx)
# after approval and before dispatch: back to the pharmacist's queue, to reject
# or cancel it (which refunds or voids the payment). Approval is refused while
# the prescription is withdrawn (records.approval_refusals).
PRESCRIPTION_WITHDRAWN = Action(
    name="prescription_withdrawn",
    label="Prescription cancelled by the prescriber",
    done="sent back for review",
    starts_from=(OrderStatus.APPROVED,),
    ends_in=OrderStatus.AWAITING_REVIEW,
    permission=None,  # the store, on the prescriber's message
    payment_states=frozenset(
        {PaymentState.CAPTURED, PaymentState.INVOICED, PaymentState.INVOICE_PAID}
    ),
    money=Money.NONE,
    history="prescriber cancelled",
    customer_sees=("Your prescriber cancelled the prescription", "bad"),
)
CARD_PAYMENT = Action(
    name="card_payment",
    label="Invoice paid by card",
    done="paid by card",
    starts_from=RECORD_PAYMENT.starts_from,
    ends_in=None,
    # The store, on Stripe's word: the customer paid through the invoice's
    # "Pay by card" link (payments/fulfilment.invoice_card_fulfil).
    permission=None,
    payment_states=RECORD_PAYMENT.payment_states,
    money=Money.RECEIVE,
    history="paid by card",
    customer_sees=("Paid by card: thank you", "good"),
)
PAY_AGAIN = Action(
    name="pay_again",
    label="Pay again",
    done="paid again",
    starts_from=UNDECIDED,
    ends_in=None,
    permission=None,  # the customer, through the signed link emailed to them
    payment_states=frozenset({PaymentState.CAPTURE_FAILED}),
    money=Money.AUTHORISE,
    history="paid again",
)
PAYMENT_PROBLEM = Action(
    name="payment_problem",
    label="Payment problem",
    done="marked as a payment problem",
    starts_from=UNDECIDED,
    ends_in=None,
    # The store, on Stripe's word: a capture declined (finishing an approval),
    # or a hold that lapsed (found by reconciliation).
    permission=None,
    payment_states=frozenset({PaymentState.AUTHORISED, PaymentState.CAPTURE_REQUESTED}),
    money=Money.PROBLEM,
    email="ORDER_PAY_AGAIN",
    history="payment problem",
)

ACTIONS: dict[str, Action] = {
    action.name: action
    for action in (
        PLACE,
        APPROVE,
        HOLD,
        SUPPLY_PRESCRIPTION,
        ASK_PRESCRIBER,
        RESUME,
        REJECT,
        CANCEL,
        REFUND,
        FILL,
        DISPATCH,
        RECORD_PAYMENT,
        PRESCRIPTION_WITHDRAWN,
        CARD_PAYMENT,
        PAY_AGAIN,
        PAYMENT_PROBLEM,
    )
}


def status_pipeline() -> dict[str, tuple[str, ...]]:
    """Oscar's OSCAR_ORDER_STATUS_PIPELINE: for each status, the statuses one
    action can move an order to."""
    pipeline: dict[str, list[str]] = {status: [] for status in OrderStatus.values}
    for action in ACTIONS.values():
        if action.ends_in is None:
            continue
        for status in action.starts_from:
            if action.ends_in.value not in pipeline[status]:
                pipeline[status].append(action.ends_in.value)
    return {status: tuple(after) for status, after in pipeline.items()}


def action_for_history(history: str) -> Action | None:
    """The action an OrderEvent's ``action`` names, if it is one of ours."""
    return next((a for a in ACTIONS.values() if a.history == history), None)
