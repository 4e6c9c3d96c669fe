import pytest

from tests.factories import make_drug


@pytest.fixture
def drug(db):
    """A prescription drug with two strengths and a few packs, plus three sections."""
    return make_drug(sections=3)


@pytest.fixture
def product(drug):
    return drug.product
