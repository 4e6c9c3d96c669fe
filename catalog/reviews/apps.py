import oscar.apps.catalogue.reviews.apps as apps


class CatalogueReviewsConfig(apps.CatalogueReviewsConfig):
    # Lives under catalog/ because Oscar's loader resolves reviews classes
    # relative to the catalogue app; the label stays Oscar's `reviews`.
    name = "catalog.reviews"
