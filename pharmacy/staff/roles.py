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
    # Read who saw whose health data.
    READ_ACCESS_LOG = "checkout.view_healthdataaccess"
    # Publish or reject customer reviews.
    MODERATE_REVIEWS = "reviews.moderate_review"


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

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    # Prices and availability, nothing else: no deleting, no users, no orders.
    PRICE_EDITORS: [
        ("catalogue", "view_packprice"),
        ("catalogue", "change_packprice"),
        ("catalogue", "view_strength"),
        ("catalogue", "change_strength"),
        ("catalogue", "view_historicalstrength"),
        ("partner", "view_historicalstockrecord"),
    ],
    # Prescription review, dispatch, and the orders and health data behind them.
    PHARMACISTS: [
        ("checkout", "review_prescription"),
        ("checkout", "dispatch_order"),
        ("checkout", "view_prescription"),
        ("checkout", "view_patientdetails"),
        ("checkout", "view_orderevent"),
        ("refills", "view_transferrequest"),
        ("refills", "change_transferrequest"),
        ("order", "view_order"),
        # Customer emails that could not be sent, to resend or phone instead.
        ("pharmacy", "view_outboundemail"),
        # Side-effect reports arrive as reviews; the pharmacist follows them up.
        ("reviews", "view_productreview"),
        ("reviews", "moderate_review"),
        ("catalogue", "view_packprice"),
        ("catalogue", "view_drug"),
        ("catalogue", "view_monographsection"),
        ("catalogue", "change_monographsection"),
        ("catalogue", "view_strength"),
    ],
    REVIEW_MODERATORS: [
        ("reviews", "view_productreview"),
        ("reviews", "moderate_review"),
    ],
    # Answers for who saw whose health data: the access log, read-only. Seeing
    # the health data itself still takes the pharmacist role.
    SUPERINTENDENTS: [
        ("checkout", "view_healthdataaccess"),
    ],
    # Adding drugs (with their packs, monograph and image) and publishing them;
    # prices of existing packs stay with the price editors.
    CATALOGUE_EDITORS: [
        ("catalogue", "view_drug"),
        ("catalogue", "add_drug"),
        ("catalogue", "change_drug"),
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
