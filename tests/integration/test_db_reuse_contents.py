"""A reused test database gets back the rows its migrations made."""

from django.db import connection
from oscar.apps.address.models import Country

from tests import db_reuse


def test_rows_lost_to_a_flush_are_noticed_and_put_back(db):
    fresh = connection.creation.serialize_db_to_string()
    assert db_reuse.contents_intact(fresh)

    Country.objects.all().delete()  # what a transactional test's flush does
    assert not db_reuse.contents_intact(fresh)

    db_reuse.contents_restore(fresh)

    assert Country.objects.filter(iso_3166_1_a2="US").exists()
    assert db_reuse.contents_intact(fresh)
