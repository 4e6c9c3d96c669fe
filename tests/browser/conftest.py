"""Real-browser tests: Playwright driving Debian's Chromium against live_server.

Every test in this folder is marked ``browser``. Without /usr/bin/chromium they
are skipped, unless REQUIRE_BROWSER_TESTS=1 is set, in which case they fail so a
CI run cannot pass by skipping them.
"""

import os
from pathlib import Path

import pytest

from tests.factories import make_drug

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
NO_CHROMIUM = (
    "Debian's chromium is not installed (/usr/bin/chromium): browser tests skipped"
)
HERE = Path(__file__).resolve().parent

# The real baclofen price list: {strength mg: {tablets per pack: pack price}}.
BACLOFEN_PRICES = {
    "10": {
        30: "38.70",
        60: "65.40",
        90: "85.50",
        120: "102.00",
        180: "135.00",
        270: "180.90",
        360: "219.60",
    },
    "25": {
        30: "101.70",
        60: "173.40",
        90: "224.10",
        120: "262.80",
        180: "340.20",
        270: "445.50",
        360: "536.40",
    },
}


def _browser_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER_TESTS") == "1"


def _in_this_folder(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


# Last of all the reorderings (pytest-django sorts by database use first).
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    chromium_missing = not CHROMIUM.exists()
    browser_items = []
    for item in items:
        if not _in_this_folder(item):
            continue
        browser_items.append(item)
        item.add_marker(pytest.mark.browser)
        if chromium_missing and not _browser_required():
            item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))
    # Browser tests run last: Playwright's event loop lives until the session
    # ends, and only they may touch the database beside it (see below).
    in_browser = set(browser_items)
    items[:] = [item for item in items if item not in in_browser] + browser_items


@pytest.fixture(scope="session", autouse=True)
def _allow_database_beside_playwrights_loop():
    """Playwright's sync API keeps an event loop running in the test thread from
    its first use to the end of the session; without this switch Django refuses
    database access there (SynchronousOnlyOperation). Set only once a browser
    test starts, and those run last, so no other test runs with it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before any fixture (the session-scoped browser included) is set up.
    if _in_this_folder(item) and not CHROMIUM.exists() and _browser_required():
        pytest.fail(
            "REQUIRE_BROWSER_TESTS=1 but Debian's chromium is not installed "
            "(/usr/bin/chromium): install it with `apt-get install -y chromium`",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options, pointed at Debian's Chromium."""
    incoming_args = list(browser_type_launch_args.get("args", []))
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": incoming_args + [a for a in CHROMIUM_ARGS if a not in incoming_args],
    }


@pytest.fixture
def baclofen(transactional_db):
    """Baclofen as sold: 10 and 25 mg, packs of 30 to 360, with a short monograph."""
    return make_drug(title="Baclofen", prices=BACLOFEN_PRICES, sections=3)


@pytest.fixture
def product_url(live_server, baclofen):
    return live_server.url + baclofen.product.get_absolute_url()
