"""Staff roles: what a price editor may and may not do in the admin, and the demo
staff accounts."""

from decimal import Decimal
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from catalog.models import PackPrice, Strength
from catalog.partner.models import StockRecord
from pharmacy.staff.demo_accounts import DEMO_ACCOUNTS, demo_staff_create
from pharmacy.staff.groups import staff_groups_ensure
from pharmacy.staff.roles import (
    CATALOGUE_EDITORS,
    PHARMACISTS,
    PRICE_EDITORS,
    REVIEW_MODERATORS,
    ROLE_PERMISSIONS,
    STOCK_STAFF,
    SUPERINTENDENTS,
)
from tests.factories import UserFactory, make_drug, strength_switch
from tests.two_factor import totp_code_from_secret

STRENGTHS = reverse("admin:catalogue_strength_changelist")


class _FormInputs(HTMLParser):
    """The inputs of the admin changelist form, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "changelist-form":
            self._in_form = True
        elif tag == "input" and self._in_form and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("submit", "button"):
                return
            if kind == "checkbox" and "checked" not in attrs:
                return
            self.data[attrs["name"]] = attrs.get("value") or (
                "on" if kind == "checkbox" else ""
            )

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False


def _changelist_form(response) -> dict[str, str]:
    parser = _FormInputs()
    parser.feed(response.content.decode())
    return parser.data


def _strength_radios(response) -> list[str]:
    html = response.content.decode()
    return sorted(
        value for value in ("10", "25") if f'name="strength" value="{value}"' in html
    )


@pytest.fixture
def drug(db):
    return make_drug(prices={"10": {30: "38.70"}, "25": {30: "101.70", 90: "224.10"}})


def _pack_price(drug, mg: str, tablets: int) -> StockRecord:
    return StockRecord.objects.get(product__upc=f"{drug.product.upc}-{mg}-{tablets}")


# What a price editor may do.


def test_price_editor_may_view_and_change_prices_and_availability(price_editor):
    for perm in (
        "catalogue.view_packprice",
        "catalogue.change_packprice",
        "catalogue.view_strength",
        "catalogue.switch_strength",
    ):
        assert price_editor.has_perm(perm), perm


def test_price_editor_opens_the_price_list_and_the_strengths(editor_client, drug):
    assert (
        editor_client.get(reverse("admin:catalogue_packprice_changelist")).status_code
        == 200
    )
    assert editor_client.get(STRENGTHS).status_code == 200


def test_price_editor_changes_a_price_on_its_change_page(editor_client, drug):
    record = _pack_price(drug, "10", 30)
    url = reverse("admin:catalogue_packprice_change", args=[record.pk])
    assert 'name="price"' in editor_client.get(url).content.decode()

    response = editor_client.post(url, {"price": "39.90", "_save": "Save"})

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.price == Decimal("39.90")


def test_price_editor_changes_availability_on_a_strength_page(editor_client, drug):
    strength = Strength.objects.get(drug=drug, mg=25)
    url = reverse("admin:catalogue_strength_change", args=[strength.pk])
    assert 'name="approved_markets"' not in editor_client.get(url).content.decode()

    # The checkbox left unticked; a market added by hand to the POST.
    response = editor_client.post(url, {"_save": "Save", "approved_markets": "US,ES"})

    assert response.status_code == 302
    strength.refresh_from_db()
    assert strength.is_available is False
    assert strength.approved_markets == "US"  # the markets are not theirs
    (change,) = strength.history.filter(history_type="~")
    assert str(change.history_user_id) == editor_client.session["_auth_user_id"]


# What a price editor may not do.


def test_price_editor_lacks_every_other_permission(price_editor):
    for perm in (
        "catalogue.delete_packprice",
        "catalogue.add_packprice",
        "catalogue.delete_strength",
        "catalogue.add_strength",
        "catalogue.change_strength",
        "catalogue.approve_strength_markets",
        "catalogue.change_product",
        "catalogue.change_drug",
        "catalogue.change_monographsection",
        "partner.change_stockrecord",
        "partner.delete_historicalstockrecord",
        "auth.view_user",
        "auth.change_user",
        "auth.change_group",
        "order.view_order",
    ):
        assert not price_editor.has_perm(perm), perm


def test_price_editor_cannot_delete_a_pack_price(editor_client, drug):
    record = _pack_price(drug, "10", 30)
    url = reverse("admin:catalogue_packprice_delete", args=[record.pk])

    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert StockRecord.objects.filter(pk=record.pk).exists()


def test_price_editor_cannot_bulk_delete_pack_prices(editor_client, drug):
    record = _pack_price(drug, "10", 30)
    changelist = reverse("admin:catalogue_packprice_changelist")

    response = editor_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )

    assert "delete_selected" not in editor_client.get(changelist).content.decode()
    assert response.status_code in (200, 302, 403)
    assert StockRecord.objects.filter(pk=record.pk).exists()


def test_price_editor_cannot_delete_a_strength(editor_client, drug):
    strength = Strength.objects.get(drug=drug, mg=25)
    url = reverse("admin:catalogue_strength_delete", args=[strength.pk])

    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert Strength.objects.filter(pk=strength.pk).exists()
    response = editor_client.post(
        STRENGTHS,
        {"action": "delete_selected", "_selected_action": [strength.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302, 403)
    assert Strength.objects.filter(pk=strength.pk).exists()


@pytest.mark.parametrize(
    "url_name", ["admin:catalogue_packprice_add", "admin:catalogue_strength_add"]
)
def test_price_editor_cannot_add(editor_client, drug, url_name):
    count = PackPrice.objects.count(), Strength.objects.count()

    assert editor_client.get(reverse(url_name)).status_code == 403
    assert editor_client.post(reverse(url_name), {"price": "1.00"}).status_code == 403
    assert (PackPrice.objects.count(), Strength.objects.count()) == count


@pytest.mark.parametrize("path", ["/admin/auth/user/", "/admin/auth/group/"])
def test_price_editor_cannot_open_users_or_groups(editor_client, path):
    assert editor_client.get(path).status_code == 403


def test_price_editor_cannot_open_their_own_account(editor_client, price_editor):
    url = reverse("admin:auth_user_change", args=[price_editor.pk])

    assert editor_client.get(url).status_code == 403


def test_price_editor_cannot_change_products(editor_client, drug):
    product = drug.product
    url = f"/admin/catalogue/product/{product.pk}/change/"

    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"title": "Renamed"}).status_code == 403
    product.refresh_from_db()
    assert product.title == "Baclofen"


def test_price_editor_cannot_change_the_drug_or_its_monograph(editor_client, drug):
    url = reverse("admin:catalogue_drug_change", args=[drug.pk])

    assert editor_client.get(url).status_code == 403


def test_price_editor_cannot_see_orders(editor_client):
    assert editor_client.get("/admin/order/order/").status_code in (403, 404)


def test_price_editor_admin_index_lists_only_their_models(editor_client, drug):
    html = editor_client.get("/admin/").content.decode()

    assert reverse("admin:catalogue_packprice_changelist") in html
    assert "/admin/auth/user/" not in html
    assert "/admin/order/order/" not in html
    assert "/admin/catalogue/product/" not in html


def test_staff_without_a_role_cannot_open_the_price_list(client, drug):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:catalogue_packprice_changelist"))

    assert response.status_code == 403


# Switching a strength off.


def test_strength_switched_off_in_the_list_leaves_the_product_page(
    editor_client, client, drug
):
    page_url = drug.product.get_absolute_url()
    assert _strength_radios(client.get(page_url)) == ["10", "25"]
    strength = Strength.objects.get(drug=drug, mg=25)
    data = _changelist_form(editor_client.get(STRENGTHS))
    row = next(
        name.removesuffix("-id")
        for name, value in data.items()
        if name.endswith("-id") and value == str(strength.pk)
    )
    assert data.pop(f"{row}-is_available") == "on"  # untick the box

    response = editor_client.post(STRENGTHS, {**data, "_save": "Save"})

    assert response.status_code == 302
    strength.refresh_from_db()
    assert strength.is_available is False
    assert Strength.objects.get(drug=drug, mg=10).is_available is True
    assert _strength_radios(client.get(page_url)) == ["10"]


def test_packs_of_a_switched_off_strength_cannot_be_added(client, drug):
    add_url = reverse(
        "catalogue:add-variant",
        kwargs={"product_slug": drug.product.slug, "pk": drug.product.pk},
    )
    pack = {"strength": "25", "pack": "30", "quantity": "1"}
    client.post(add_url, pack)
    assert client.get(reverse("basket:summary")).context["basket"].num_items == 1
    client.cookies.clear()
    Strength.objects.filter(drug=drug, mg=25).update(is_available=False)

    response = client.post(add_url, pack, follow=True)

    assert response.context["basket"].num_items == 0
    assert "not available" in response.content.decode()


def test_basket_line_of_a_strength_switched_off_later_cannot_be_bought(client, drug):
    add_url = reverse(
        "catalogue:add-variant",
        kwargs={"product_slug": drug.product.slug, "pk": drug.product.pk},
    )
    client.post(add_url, {"strength": "25", "pack": "30", "quantity": "1"})
    strength_switch(drug=drug, mg=25, available=False)

    basket = client.get(reverse("basket:summary")).context["basket"]

    (line,) = basket.all_lines()
    assert not line.purchase_info.availability.is_available_to_buy


# Roles and demo accounts.


def test_pharmacist_group_exists_with_read_mostly_powers(db):
    staff_groups_ensure()
    pharmacist = UserFactory(is_staff=True)
    pharmacist.groups.add(Group.objects.get(name=PHARMACISTS))

    assert pharmacist.has_perm("catalogue.view_packprice")
    assert pharmacist.has_perm("catalogue.change_monographsection")
    assert not pharmacist.has_perm("catalogue.change_packprice")
    assert not pharmacist.has_perm("catalogue.change_strength")


def test_staff_groups_ensure_is_repeatable_and_resets_extra_powers(db):
    groups = staff_groups_ensure()
    extra = groups[PRICE_EDITORS].permissions.model.objects.get(
        content_type__app_label="auth", codename="change_user"
    )
    groups[PRICE_EDITORS].permissions.add(extra)

    again = staff_groups_ensure()

    assert Group.objects.filter(name__in=[PRICE_EDITORS, PHARMACISTS]).count() == 2
    assert again[PRICE_EDITORS].pk == groups[PRICE_EDITORS].pk
    assert not again[PRICE_EDITORS].permissions.filter(pk=extra.pk).exists()


def test_demo_staff_create_makes_a_price_editor_a_pharmacist_and_a_moderator(db):
    accounts = {a.username: a for a in demo_staff_create()}

    assert {(a.username, a.role) for a in accounts.values()} == {
        ("price-editor", PRICE_EDITORS),
        ("pharmacist", PHARMACISTS),
        ("review-moderator", REVIEW_MODERATORS),
        ("superintendent", SUPERINTENDENTS),
        ("catalogue-editor", CATALOGUE_EDITORS),
        ("stock-staff", STOCK_STAFF),
    }
    users = get_user_model().objects
    for account in accounts.values():
        user = users.get(username=account.username)
        assert user.is_staff and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [account.role]
        assert account.password and len(account.password) >= 12
        assert user.check_password(account.password)
        assert account.password not in user.password  # stored only as a hash
    assert accounts["price-editor"].password != accounts["pharmacist"].password


def test_demo_staff_passwords_differ_run_to_run(db):
    first = {a.username: a.password for a in demo_staff_create()}
    get_user_model().objects.filter(username__in=first).delete()

    second = {a.username: a.password for a in demo_staff_create()}

    assert set(first) == set(second)
    for username in first:
        assert first[username] != second[username]


def test_demo_staff_can_sign_in_to_the_admin(client, db):
    accounts = demo_staff_create()

    for account in accounts:
        # The code comes from the secret printed once with the password.
        secret = parse_qs(urlparse(account.otpauth_uri).query)["secret"][0]
        code = totp_code_from_secret(secret)
        client.post(
            "/admin/login/",
            {
                "username": account.username,
                "password": account.password,
                "otp_token": code,
            },
        )
        assert client.get("/admin/").status_code == 200
        client.logout()


def test_create_demo_staff_prints_new_passwords_once(db):
    out = StringIO()
    call_command("create_demo_staff", stdout=out)
    users = get_user_model().objects
    first = out.getvalue()
    for username, _role in DEMO_ACCOUNTS:
        assert f"username {username!r}" in first
    hashes = dict(users.values_list("username", "password"))

    again = StringIO()
    call_command("create_demo_staff", stdout=again)

    second = again.getvalue()
    assert "already exists" in second
    assert dict(users.values_list("username", "password")) == hashes
    printed = [
        line.split("password ", 1)[1].split()[0].strip("'")
        for line in first.splitlines()
        if "password '" in line
    ]
    assert len(printed) == len(DEMO_ACCOUNTS)
    for password in printed:
        assert password not in second
    for (username, _role), password in zip(DEMO_ACCOUNTS, printed, strict=True):
        assert users.get(username=username).check_password(password)


def test_second_demo_staff_run_keeps_a_changed_password(db):
    demo_staff_create()
    user = get_user_model().objects.get(username="price-editor")
    user.set_password("chosen-by-the-owner")
    user.save()

    accounts = {a.username: a for a in demo_staff_create()}

    assert accounts["price-editor"].password is None
    user.refresh_from_db()
    assert user.check_password("chosen-by-the-owner")


def _group_perms() -> dict[str, set[tuple[str, str]]]:
    return {
        group.name: set(
            group.permissions.values_list("content_type__app_label", "codename")
        )
        for group in Group.objects.filter(name__in=ROLE_PERMISSIONS)
    }


def test_every_install_has_the_role_groups_after_migrate(db):
    expected = {role: set(perms) for role, perms in ROLE_PERMISSIONS.items()}
    # Made by the test database's own migrate: no demo command has run.
    assert _group_perms() == expected
    Group.objects.filter(name__in=ROLE_PERMISSIONS).delete()
    assert _group_perms() == {}

    call_command("migrate", verbosity=0)

    assert _group_perms() == expected
