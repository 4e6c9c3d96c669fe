"""Fixtures for the catalogue's tests."""

from decimal import Decimal

import pytest

from tests.integration.catalog.basket_helpers import add, lines, pack


@pytest.fixture
def seeded(client, drug):
    """A shopper whose basket already holds one 10 mg x 30 pack."""
    response = add(client, drug.product, strength="10", pack="30", quantity="1")
    assert response.status_code == 200
    before = lines()
    assert before == [(pack(drug, "10", 30).pk, 1, Decimal("38.70"))]
    return before
