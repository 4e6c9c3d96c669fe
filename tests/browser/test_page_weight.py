"""The product page, with everything it loads, stays light."""

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Page

from catalog.models import ProductImage
from catalog.services import pack_image_png

pytestmark = pytest.mark.django_db(transaction=True)

BUDGET_BYTES = 150 * 1024


def test_product_page_and_everything_it_loads_is_under_150_kb(
    page: Page, live_server, baclofen
):
    ProductImage.objects.create(
        product=baclofen.product,
        original=ContentFile(
            pack_image_png(title="Baclofen", accent="#1d5f8a"), "p.png"
        ),
    )
    loaded: dict[str, int] = {}
    page.on(
        "requestfinished", lambda r: loaded.update({r.url: len(r.response().body())})
    )

    page.goto(live_server.url + baclofen.product.get_absolute_url())
    page.wait_for_load_state("networkidle")

    assert any(".webp" in url for url in loaded), f"no thumbnail loaded: {loaded}"
    assert not any("oscar" in url for url in loaded), (
        "Oscar's bundles reached a shopper"
    )
    assert sum(loaded.values()) < BUDGET_BYTES, loaded
