from decimal import Decimal
from types import SimpleNamespace

from catalog import markets


def strength(mg: str, approved: str):
    return SimpleNamespace(
        mg=Decimal(mg),
        approved_markets=approved,
        drug=SimpleNamespace(generic_name="baclofen"),
    )


def test_a_strength_approved_in_the_market_may_be_sold():
    assert (
        markets.strength_sale_refusal(strength=strength("10", "US,GB"), market="US")
        is None
    )


def test_a_strength_not_approved_in_the_market_is_refused_with_the_reason():
    refusal = markets.strength_sale_refusal(
        strength=strength("25.00", "ES, AU,za"), market="US"
    )
    assert refusal == "25 mg baclofen tablets are not approved in the US."


def test_market_codes_are_read_loosely():
    assert markets.parse_markets(" es, AU,,za ") == {"ES", "AU", "ZA"}
    assert (
        markets.strength_sale_refusal(strength=strength("25", "es"), market="ES")
        is None
    )


def test_the_label_names_the_market():
    assert markets.not_sold_label(market="US") == "Not sold in the US"
    assert markets.not_sold_label(market="FR") == "Not sold in FR"
