"""Looking at a page as a reviewer would: axe, no sideways scroll, and (with
SHOTS_DIR set, never inside the repository) a screenshot at 360 and 1280 px."""

import os
from pathlib import Path

from playwright.sync_api import Page

from tests.browser.axe import assert_no_serious_violations


def looked_at(page: Page, name: str, *, phone: bool = True) -> None:
    """``phone``: the page must fit 360 px (the back office need only fit
    1280). Leaves the page at 1280 px."""
    assert_no_serious_violations(page)
    shots = os.environ.get("SHOTS_DIR")
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=Path(shots) / f"{name}-{width}.png", full_page=True)
        if width == 1280 or phone:
            assert overflow <= 0, f"{name} scrolls sideways at {width} px"
