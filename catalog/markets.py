"""Which strengths may be sold in the store's market (settings.PHARMACY_MARKET).

A strength records the markets where it is approved (``Strength.approved_markets``,
ISO country codes). ``strength_sale_refusal`` is the one place that decides
whether a strength may be sold here; the purchase strategy, the product page,
reorders and refills all ask it.
"""

from decimal import Decimal

from django.conf import settings

# How a market reads in a sentence; any other code is shown as it is.
MARKET_NAMES = {
    "US": "the US",
    "GB": "the UK",
    "ES": "Spain",
    "AU": "Australia",
    "ZA": "South Africa",
}


def current_market() -> str:
    return settings.PHARMACY_MARKET


def market_name(market: str) -> str:
    return MARKET_NAMES.get(market, market)


def default_markets() -> str:
    """A new strength is approved in this store's market until staff say otherwise."""
    return current_market()


def parse_markets(text: str) -> set[str]:
    return {code.strip().upper() for code in (text or "").split(",") if code.strip()}


def not_sold_label(*, market: str) -> str:
    return f"Not sold in {market_name(market)}"


def strength_sale_refusal(*, strength, market: str) -> str | None:
    """Why `strength` may not be sold in `market`, or None if it may."""
    return sale_refusal(
        mg=strength.mg,
        approved_markets=strength.approved_markets,
        generic_name=strength.drug.generic_name,
        market=market,
    )


def sale_refusal(
    *, mg: Decimal, approved_markets: str, generic_name: str, market: str
) -> str | None:
    """strength_sale_refusal from a strength's columns, read without the model."""
    if market.upper() in parse_markets(approved_markets):
        return None
    return (
        f"{mg.normalize():f} mg {generic_name} tablets are not approved in "
        f"{market_name(market)}."
    )
