"""Countries we ship to are reference data read on every checkout page that
shows an address: they come from the catalogue cache, renewed on any change."""

from oscar.core.loading import get_model

from pharmacy.core import cache as catalog_cache

Country = get_model("address", "Country")


def country_get(*, code: str):
    """The country with this ISO 3166-1 alpha-2 code (raises DoesNotExist)."""
    return catalog_cache.cached(
        name=f"country:{code}",
        scopes=[catalog_cache.rows_scope(model=Country)],
        compute=lambda: Country.objects.get(pk=code),
        every_request=True,
    )


def address_country_attach(address) -> None:
    """Give an address built from stored fields its country without a query."""
    if address is not None and address.country_id:
        address.country = country_get(code=address.country_id)
