"""Countries we ship to: reference data read on every checkout page that
shows an address."""

from oscar.core.loading import get_model

Country = get_model("address", "Country")


def country_get(*, code: str):
    """The country with this ISO 3166-1 alpha-2 code (raises DoesNotExist)."""
    return Country.objects.get(pk=code)


def address_country_attach(address) -> None:
    """Give an address built from stored fields its country."""
    if address is not None and address.country_id:
        address.country = country_get(code=address.country_id)
