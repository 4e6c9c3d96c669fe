"""What each role may do on every page of the admin, as data: the table that
tests/integration/test_role_table.py walks, page by page, action by action,
field by field.

Every model registered on the admin site has an entry; the test fails for a
page missing here, so whoever adds an admin page says here who may use it.
The admin's code does not read this table (it asks `roles.may`); the table is
what the pages must do, written apart so that a test can catch them drifting.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from pharmacy.staff.roles import (
    CATALOGUE_EDITORS,
    PHARMACISTS,
    PRICE_EDITORS,
    REVIEW_MODERATORS,
    STOCK_STAFF,
    SUPERINTENDENTS,
)

# Besides the staff roles: a signed-in shopper, and nobody signed in.
CUSTOMER = "Customer"
ANONYMOUS = "Anonymous"
ROLES = (
    PRICE_EDITORS,
    CATALOGUE_EDITORS,
    REVIEW_MODERATORS,
    PHARMACISTS,
    SUPERINTENDENTS,
    STOCK_STAFF,
    CUSTOMER,
    ANONYMOUS,
)

Roles = frozenset[str]
NOBODY: Roles = frozenset()
PE, CE, RM, PH, SU, ST = (
    frozenset({PRICE_EDITORS}),
    frozenset({CATALOGUE_EDITORS}),
    frozenset({REVIEW_MODERATORS}),
    frozenset({PHARMACISTS}),
    frozenset({SUPERINTENDENTS}),
    frozenset({STOCK_STAFF}),
)


@dataclass(frozen=True)
class Row:
    """One kind of row on its change page: who is offered Save, which fields
    each role may edit there (``inline.field`` for an inline's column), and
    who may delete it."""

    save: Roles = NOBODY
    fields: Mapping[str, Roles] = field(default_factory=dict)
    delete: Roles = NOBODY


@dataclass(frozen=True)
class AdminPage:
    """A model's pages: who opens the list (and each row's page, read-only
    unless its Row says more), who adds, which actions each role is offered,
    which list columns each role may edit in place, and example rows, by the
    names the test builds them under. With no example, every role is refused
    the change and delete pages."""

    view: Roles = NOBODY
    add: Roles = NOBODY
    actions: Mapping[str, Roles] = field(default_factory=dict)
    list_editable: Mapping[str, Roles] = field(default_factory=dict)
    rows: Mapping[str, Row] = field(default_factory=dict)


def _fields(roles: Roles, *names: str) -> dict[str, Roles]:
    return dict.fromkeys(names, roles)


DRUG_EDITOR_FIELDS = (
    "generic_name",
    "brand_names",
    "search_terms",
    "dosage_form",
    "route",
    "status",
)
MONOGRAPH = ("sections.position", "sections.anchor", "sections.title", "sections.body")
CLINICAL = ("prescription_required", "max_daily_dose_mg")

ADMIN_TABLE: dict[str, AdminPage] = {
    # The catalogue: prices, strengths, drugs and their clinical facts.
    "catalogue.PackPrice": AdminPage(
        view=PE | CE | PH,
        list_editable={"price": PE},
        rows={"pack": Row(save=PE, fields={"price": PE})},
    ),
    "partner.HistoricalStockRecord": AdminPage(view=PE, rows={"price change": Row()}),
    # What each pack costs us: recorded and corrected by price editors, never deleted.
    "catalogue.PackCost": AdminPage(
        view=PE,
        add=PE,
        rows={
            "cost": Row(
                save=PE, fields=_fields(PE, "acquisition_cost", "source", "is_demo")
            )
        },
    ),
    "catalogue.Strength": AdminPage(
        view=PE | CE | PH | SU,
        list_editable={"is_available": PE},
        rows={
            "strength": Row(
                save=PE | PH | SU,
                fields={"is_available": PE, "approved_markets": PH | SU},
            )
        },
    ),
    "catalogue.Drug": AdminPage(
        view=CE | PH,
        add=CE,
        rows={
            "published": Row(
                save=CE | PH,
                fields={
                    **_fields(CE, *DRUG_EDITOR_FIELDS, "sections.DELETE"),
                    **_fields(CE | PH, *MONOGRAPH),
                    **_fields(PH, *CLINICAL, "reason"),
                },
            ),
            "draft": Row(
                save=CE | PH,
                fields={
                    **_fields(CE, *DRUG_EDITOR_FIELDS),
                    **_fields(CE, "strengths.mg", "strengths.is_available"),
                    **_fields(CE | PH, *CLINICAL),
                },
                delete=CE,
            ),
        },
    ),
    "catalogue.DrugCaution": AdminPage(
        view=PH,
        add=PH,
        rows={
            "caution": Row(
                save=PH,
                fields=_fields(
                    PH, "kind", "category", "term", "advice", "reason", "remove"
                ),
            )
        },
    ),
    "catalogue.ClinicalFactChange": AdminPage(view=PH, rows={"change": Row()}),
    # Reviews, and the pharmacist's follow-up of side-effect reports.
    "reviews.ProductReview": AdminPage(
        view=RM | PH,
        actions={"approve_reviews": RM | PH, "reject_reviews": RM | PH},
        rows={"review": Row(), "side effect": Row()},
    ),
    "reviews.SideEffectFollowUp": AdminPage(view=PH, add=PH, rows={"follow-up": Row()}),
    # The pharmacist's workstation and the health data behind it.
    "checkout.QueueOrder": AdminPage(view=PH, rows={"order": Row()}),
    "order.Order": AdminPage(view=PH, rows={"order": Row()}),
    "checkout.Prescription": AdminPage(view=PH, rows={"prescription": Row()}),
    "checkout.PatientDetails": AdminPage(view=PH, rows={"patient": Row()}),
    "checkout.OrderEvent": AdminPage(view=PH, rows={"event": Row()}),
    # Lots: received by stock staff and pharmacists, never edited; who got a
    # lot and recalling it are the pharmacist's (pages of their own).
    "checkout.Lot": AdminPage(view=PH | ST, add=PH | ST, rows={"lot": Row()}),
    "refills.TransferRequest": AdminPage(
        view=PH,
        rows={
            "transfer": Row(
                save=PH,
                fields=_fields(
                    PH,
                    "decision",
                    "reason",
                    "prescriber_name",
                    "prescriber_npi",
                    "date_written",
                    "directions",
                    "dose_mg",
                    "doses_per_day",
                    "quantity_prescribed",
                    "quantity_left",
                    "refills_authorised",
                ),
            )
        },
    ),
    # E-prescriptions: an unmatched one is matched by hand, nothing else edited.
    "eprescribing.EPrescription": AdminPage(
        view=PH,
        rows={
            "unmatched": Row(save=PH, fields=_fields(PH, "customer_email")),
            "matched": Row(),
        },
    ),
    "eprescribing.ErxMessage": AdminPage(view=PH, rows={"message": Row()}),
    "pharmacy.OutboundEmail": AdminPage(
        view=PH, actions={"retry_selected": PH}, rows={"email": Row()}
    ),
    # Who saw whose health data: the superintendent's.
    "checkout.HealthDataAccess": AdminPage(view=SU),
    # Pages nobody's role opens (a superuser's only): accounts, sign-in
    # records, and Oscar's own pages that the pharmacy does not use.
    **dict.fromkeys(
        (
            "auth.Group",
            "auth.User",
            "otp_static.StaticDevice",
            "otp_totp.TOTPDevice",
            "axes.AccessAttempt",
            "axes.AccessFailureLog",
            "axes.AccessLog",
            "sites.Site",
            "flatpages.FlatPage",
            "compliance.PolicyPage",
            "compliance.StateLicence",
            "address.Country",
            "address.UserAddress",
            "analytics.ProductRecord",
            "analytics.UserProductView",
            "analytics.UserRecord",
            "analytics.UserSearch",
            "basket.Basket",
            "basket.Line",
            "basket.LineAttribute",
            "catalogue.AttributeOptionGroup",
            "catalogue.Category",
            "catalogue.Option",
            "catalogue.Product",
            "catalogue.ProductAttribute",
            "catalogue.ProductAttributeValue",
            "catalogue.ProductCategory",
            "catalogue.ProductClass",
            "catalogue.ProductImage",
            "communication.CommunicationEventType",
            "communication.Email",
            "communication.Notification",
            "customer.ProductAlert",
            "offer.Benefit",
            "offer.Condition",
            "offer.ConditionalOffer",
            "offer.Range",
            "order.BillingAddress",
            "order.CommunicationEvent",
            "order.LineAttribute",
            "order.LinePrice",
            "order.OrderDiscount",
            "order.OrderNote",
            "order.OrderStatusChange",
            "order.PaymentEvent",
            "order.PaymentEventType",
            "order.ShippingAddress",
            "order.ShippingEvent",
            "order.ShippingEventType",
            "order.Surcharge",
            "partner.Partner",
            "partner.StockRecord",
            "payment.Bankcard",
            "payment.Source",
            "payment.SourceType",
            "payment.Transaction",
            "shipping.OrderAndItemCharges",
            "shipping.WeightBased",
            "voucher.Voucher",
            "voucher.VoucherApplication",
            "wishlists.Line",
            "wishlists.WishList",
            "wishlists.WishListSharedEmail",
        ),
        AdminPage(),
    ),
}
