"""axe-core in the test browser: serious and critical violations fail the test."""

import json

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING = ("serious", "critical")


def assert_no_serious_violations(page: Page) -> None:
    results = Axe().run(page)
    violations = [
        v for v in results.response["violations"] if v.get("impact") in BLOCKING
    ]
    report = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "helpUrl": v.get("helpUrl"),
            "nodes": [
                {
                    "target": n["target"],
                    "html": n["html"],
                    "summary": n.get("failureSummary"),
                }
                for n in v["nodes"]
            ],
        }
        for v in violations
    ]
    assert not violations, (
        f"axe found serious/critical violations on {page.url}:\n"
        + json.dumps(report, indent=2)
    )


def violations(page: Page, *, impacts: tuple[str, ...]) -> list[dict]:
    """axe's violations of these impacts, summarised for a failure message."""
    results = Axe().run(page)
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in results.response["violations"]
        if v.get("impact") in impacts
    ]
