"""Oscar's catalogue querysets (loaded by Oscar through get_class), whose bulk
writes bump the catalogue version as a save does (pharmacy/core/cache.py)."""

from oscar.apps.catalogue.managers import *  # noqa: F403
from oscar.apps.catalogue.managers import ProductQuerySet as OscarProductQuerySet

from pharmacy.core.cache import VersionedQuerySet


class ProductQuerySet(VersionedQuerySet, OscarProductQuerySet):
    pass
