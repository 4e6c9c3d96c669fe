"""Staff roles: the one table of who may do what.

Each role is a Django group holding exactly the permissions its job needs;
accounts get their powers only through these groups. Code asks by name
(``may(user, Perm.REVIEW_PRESCRIPTIONS)``), never by spelling a permission
string: the order workflow (checkout/orders/workflow.py) names the one each
action needs, and the admin pages ask the same names.
"""

import enum


class Perm(enum.StrEnum):
    """What a staff member may do, by name, and the Django permission that
    grants it (held only through a role below)."""

    # Approve, hold, reject or cancel an order; see and record health data.
    REVIEW_PRESCRIPTIONS = "checkout.review_prescription"
    # Hand an approved order to the carrier.
    DISPATCH_ORDERS = "checkout.dispatch_order"
    # Record money received against an invoice (the order's ledger).
    RECORD_PAYMENTS = "checkout.record_invoice_payment"
    # Read who saw whose health data.
    READ_ACCESS_LOG = "checkout.view_healthdataaccess"
    # Receive lots of stock (typed or scanned) into the shop.
    RECEIVE_STOCK = "checkout.add_lot"
    # Recall a lot, and see which patients and orders got it.
    RECALL_LOTS = "checkout.recall_lot"
    # Publish or reject customer reviews.
    MODERATE_REVIEWS = "reviews.moderate_review"
    # Record the follow-up of a review that describes a side effect; only
    # then may it be published (catalog/reviews/services.py).
    FOLLOW_UP_SIDE_EFFECTS = "reviews.add_sideeffectfollowup"
    # Switch a strength on or off (hides its packs; deletes nothing).
    SWITCH_STRENGTHS = "catalogue.switch_strength"
    # Decide in which markets a strength may be sold: a regulatory decision.
    APPROVE_MARKETS = "catalogue.approve_strength_markets"
    # Add drugs and edit them: names, what they treat, packs, monograph; a
    # draft's clinical facts too, before shoppers have seen it.
    EDIT_DRUGS = "catalogue.change_drug"
    # Delete a draft drug that shoppers have never seen.
    DELETE_DRAFTS = "catalogue.delete_drug"
    # Change a published drug's clinical facts (prescription-only, maximum
    # daily dose, cautions), giving a reason (catalog/clinical_facts.py).
    CHANGE_CLINICAL_FACTS = "catalogue.change_clinical_facts"
    # See the pharmacy's figures in the admin: orders waiting, how long they
    # waited, card holds, payment problems, failed emails (counts only).
    VIEW_PHARMACY_FIGURES = "checkout.view_pharmacy_figures"


def may(user, permission: Perm) -> bool:
    """Whether this account may do it now: active and holding the permission
    (through its role, or as a superuser)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm(permission)
    )


def staff_may(user, permission: Perm) -> bool:
    """``may``, for the admin's pages, which only staff accounts reach."""
    return may(user, permission) and user.is_staff


PRICE_EDITORS = "Price editors"
PHARMACISTS = "Pharmacists"
REVIEW_MODERATORS = "Review moderators"
SUPERINTENDENTS = "Superintendent"
CATALOGUE_EDITORS = "Catalogue editors"
STOCK_STAFF = "Stock staff"

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    # Prices, and switching a strength on or off; nothing else: not where a
    # strength is approved, no deleting, no users, no orders.
    PRICE_EDITORS: [
        ("catalogue", "view_packprice"),
        ("catalogue", "change_packprice"),
        ("catalogue", "view_strength"),
        ("catalogue", "switch_strength"),
        ("catalogue", "view_historicalstrength"),
        ("partner", "view_historicalstockrecord"),
        # What each pack costs us (catalog/costs/): recorded, corrected, never deleted.
        ("catalogue", "view_packcost"),
        ("catalogue", "add_packcost"),
        ("catalogue", "change_packcost"),
        ("catalogue", "view_historicalpackcost"),
    ],
    # Prescription review, dispatch, and the orders and health data behind them.
    PHARMACISTS: [
        ("checkout", "review_prescription"),
        ("checkout", "dispatch_order"),
        # The pharmacy's own bookkeeping: who paid an invoice, when and how.
        ("checkout", "record_invoice_payment"),
        ("checkout", "view_prescription"),
        ("checkout", "view_patientdetails"),
        ("checkout", "view_orderevent"),
        ("checkout", "view_lot"),
        ("checkout", "add_lot"),
        ("checkout", "recall_lot"),
        ("refills", "view_transferrequest"),
        ("refills", "change_transferrequest"),
        # E-prescriptions and every message received (matching by hand).
        ("eprescribing", "view_eprescription"),
        ("eprescribing", "change_eprescription"),
        ("eprescribing", "view_erxmessage"),
        ("order", "view_order"),
        # Customer emails that could not be sent, to resend or phone instead.
        ("pharmacy", "view_outboundemail"),
        # Side-effect reports arrive as reviews; the pharmacist follows them up.
        ("reviews", "view_productreview"),
        ("reviews", "moderate_review"),
        ("reviews", "view_sideeffectfollowup"),
        ("reviews", "add_sideeffectfollowup"),
        ("catalogue", "view_packprice"),
        ("catalogue", "view_drug"),
        ("catalogue", "view_monographsection"),
        ("catalogue", "change_monographsection"),
        ("catalogue", "view_strength"),
        ("catalogue", "view_historicalstrength"),
        # The clinical and regulatory facts of a drug, each change recorded.
        ("catalogue", "approve_strength_markets"),
        ("catalogue", "change_clinical_facts"),
        ("catalogue", "view_clinicalfactchange"),
        ("catalogue", "view_drugcaution"),
        ("catalogue", "add_drugcaution"),
        ("catalogue", "change_drugcaution"),
    ],
    # Receiving deliveries: lots in, nothing about patients or orders.
    STOCK_STAFF: [
        ("checkout", "view_lot"),
        ("checkout", "add_lot"),
    ],
    REVIEW_MODERATORS: [
        ("reviews", "view_productreview"),
        ("reviews", "moderate_review"),
    ],
    # Answers for who saw whose health data: the access log, read-only. Seeing
    # the health data itself still takes the pharmacist role.
    SUPERINTENDENTS: [
        ("checkout", "view_healthdataaccess"),
        # Where each strength may be sold is the superintendent's decision too.
        ("catalogue", "view_strength"),
        ("catalogue", "approve_strength_markets"),
        ("catalogue", "view_historicalstrength"),
        # The figures page: how long orders wait and what needs following up.
        ("checkout", "view_pharmacy_figures"),
    ],
    # Adding drugs (with their packs, monograph and image), finishing drafts,
    # deleting a draft and publishing; prices of published packs stay with the
    # price editors, and a published drug's clinical facts with the pharmacist.
    CATALOGUE_EDITORS: [
        ("catalogue", "view_drug"),
        ("catalogue", "add_drug"),
        ("catalogue", "change_drug"),
        ("catalogue", "delete_drug"),
        ("catalogue", "view_strength"),
        ("catalogue", "add_strength"),
        ("catalogue", "change_strength"),
        ("catalogue", "view_monographsection"),
        ("catalogue", "add_monographsection"),
        ("catalogue", "change_monographsection"),
        ("catalogue", "delete_monographsection"),
        ("catalogue", "view_packprice"),
    ],
}
