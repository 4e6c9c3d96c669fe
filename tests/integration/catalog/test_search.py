"""Search finds drugs (not packs) by generic name, brand name and what they
treat, shows them as catalogue cards, and costs the same queries however many
drugs the catalogue holds. Runs on SQLite (plain match) and on PostgreSQL
(ranked full-text search)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog import search
from tests.factories import make_drug, many_packs

pytestmark = pytest.mark.django_db

BACLOFEN_TERMS = "spasticity, muscle relaxant, multiple sclerosis"


@pytest.fixture
def baclofen():
    return make_drug(
        title="Baclofen",
        brand_names="Lioresal",
        search_terms=BACLOFEN_TERMS,
        prices={
            "10": {30: "38.70", 90: "85.50", 360: "219.60"},
            "25": {30: "101.70", 360: "536.40"},
        },
    )


@pytest.fixture
def tizanidine():
    return make_drug(
        title="Tizanidine",
        brand_names="Zanaflex",
        search_terms="spasticity, muscle relaxant",
        prices={"4": {30: "30.00"}},
    )


def search_page(client, q: str):
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return response, response.content.decode()


def card_titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a [^>]*>([^<]+)</a>', html)


def test_search_counts_and_shows_drugs_not_their_packs(client, baclofen):
    response, html = search_page(client, "baclofen")
    assert "Found 1 medicine." in html
    assert card_titles(html) == ["Baclofen"]
    assert response.context["results"].count == 1


def test_search_card_shows_the_badge_the_cheapest_per_tablet_price_and_strengths(
    client, baclofen
):
    _, html = search_page(client, "baclofen")
    assert "Prescription only" in html
    # 219.60 / 360 = 0.61, the lowest per-tablet price, not the dearest pack.
    assert re.search(r"from <strong>\$0\.61</strong> per tablet", html)
    assert "$536.40" not in html
    assert "Strengths: 10 mg, 25 mg" in html


def test_search_card_is_the_catalogue_card(client, baclofen):
    _, found = search_page(client, "baclofen")
    listing = client.get(reverse("catalogue:index")).content.decode()
    card = re.search(r'<article class="card">.*?</article>', listing, re.S).group(0)
    assert card in found


@pytest.mark.parametrize("q", ["Lioresal", "lioresal", "LIORESAL"])
def test_search_finds_a_brand_name(client, baclofen, q):
    _, html = search_page(client, q)
    assert card_titles(html) == ["Baclofen"]


@pytest.mark.parametrize("q", ["spasticity", "muscle relaxant", "multiple sclerosis"])
def test_search_finds_what_the_drug_is_for(client, baclofen, tizanidine, q):
    _, html = search_page(client, q)
    assert "Baclofen" in card_titles(html)


def test_every_word_must_match(client, baclofen, tizanidine):
    _, html = search_page(client, "spasticity sclerosis")
    assert card_titles(html) == ["Baclofen"]


def test_search_with_no_match_shows_a_helpful_empty_state(client, baclofen):
    _, html = search_page(client, "paracetamol")
    assert "No medicines match “paracetamol”" in html
    assert "Check the spelling" in html
    assert reverse("catalogue:index") in html
    assert card_titles(html) == []


def test_an_empty_query_invites_a_search(client, baclofen):
    _, html = search_page(client, "  ")
    assert "Type a medicine's name" in html


def test_punctuation_is_not_an_error(client, baclofen):
    _, html = search_page(client, "baclofen & | ! :* ' (")
    assert card_titles(html) == ["Baclofen"]


def test_every_page_has_a_search_box(client, baclofen):
    for url in ("/", reverse("catalogue:index"), baclofen.product.get_absolute_url()):
        html = client.get(url).content.decode()
        assert 'role="search"' in html
        assert f'action="{reverse("search")}"' in html


def test_an_edited_drug_is_found_by_its_new_terms(client, baclofen):
    baclofen.search_terms = "hiccups"
    baclofen.save()
    _, html = search_page(client, "hiccups")
    assert card_titles(html) == ["Baclofen"]


def test_search_queries_do_not_grow_with_the_catalogue(client):
    for i in range(3):
        make_drug(
            title=f"Relaxant {i}",
            search_terms="spasticity",
            prices=many_packs(strengths=1, pack_sizes=2),
        )
    client.get(reverse("search"), {"q": "spasticity"})
    with CaptureQueriesContext(connection) as few:
        search_page(client, "spasticity")
    for i in range(3, 15):
        make_drug(
            title=f"Relaxant {i}",
            search_terms="spasticity",
            prices=many_packs(strengths=3, pack_sizes=5),
        )
    with CaptureQueriesContext(connection) as many:
        _, html = search_page(client, "spasticity")
    assert "Found 15 medicines." in html
    assert len(card_titles(html)) == 15
    assert len(many) == len(few)


def test_ranked_search_puts_the_name_match_first():
    if connection.vendor != "postgresql":
        pytest.skip("ranking is PostgreSQL's full-text search")
    make_drug(title="Zeta", search_terms="baclofen alternative")
    make_drug(title="Baclofen")
    results = search.products_search(text="baclofen")
    assert [p.title for p, _ in results.cards] == ["Baclofen", "Zeta"]
