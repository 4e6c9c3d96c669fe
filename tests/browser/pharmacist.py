"""The pharmacist's steps in the admin workstation, shared by browser tests."""

import re

from playwright.sync_api import Page, expect


def open_queue(page: Page) -> None:
    """The queue: where a pharmacist lands on signing in, else by its link."""
    heading = page.get_by_role("heading", name="Pharmacist's queue")
    if not heading.is_visible():
        page.get_by_role("link", name="Pharmacist's queue").first.click()
    expect(heading).to_be_visible()


def open_order(page: Page, number: str) -> None:
    page.locator("#result_list").get_by_role("link", name=number, exact=True).click()
    expect(
        page.get_by_role("heading", name=f"Order {number}", exact=True)
    ).to_be_visible()


def transcribe(page: Page, *, tablets: int, strength: str = "baclofen 10 mg") -> None:
    """Fill in the prescription record from the prescription and save it."""
    record = page.locator("form").filter(
        has=page.get_by_role("button", name="Save prescription record")
    )
    record.get_by_label("Prescriber name").fill("Dr Jane Smith")
    record.get_by_label("Prescriber NPI").fill("1234567893")
    record.get_by_label("Date written").fill("2026-11-20")
    record.get_by_label("Drug").select_option(label="baclofen")
    record.get_by_label("Strength").select_option(label=strength)
    record.get_by_label("Quantity prescribed").fill(str(tablets))
    record.get_by_label("Directions").fill("10 mg three times a day")
    record.get_by_label("Refills authorised").fill("0")
    record.get_by_role("button", name="Save prescription record").click()
    expect(page.locator(".messagelist .success")).to_have_text(
        re.compile(r"^Prescription record saved\.")
    )


def decide(page: Page, button: str, confirm: str, **fields) -> None:
    """Open a decision's confirmation step, fill in its fields (True ticks a
    choice), confirm."""
    page.get_by_role("link", name=f"{button}…").click()
    for label, value in fields.items():
        field = page.get_by_label(label)
        field.check() if value is True else field.fill(value)
    page.get_by_role("button", name=confirm).click()


def status_heading(page: Page, status: str):
    return page.get_by_role("heading", name=re.compile(f": {re.escape(status)}$"))
