"""Oscar's review queryset (loaded by Oscar through get_class), whose bulk
writes (moderation) bump the catalogue version as a save does."""

from oscar.apps.catalogue.reviews.managers import (
    ProductReviewQuerySet as OscarProductReviewQuerySet,
)

from pharmacy.core.cache import VersionedQuerySet


class ProductReviewQuerySet(VersionedQuerySet, OscarProductReviewQuerySet):
    pass
