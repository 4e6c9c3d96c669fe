import pytest

from tests.factories import reference_data_ensure


@pytest.fixture(autouse=True)
def _reference_data(db):
    # Demo licences and policy pages come from a data migration; an earlier
    # transactional test's flush may have emptied them.
    reference_data_ensure()
