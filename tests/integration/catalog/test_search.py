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
from catalog.models import Drug
from catalog.synthetic import synthetic_catalogue_generate, synthetic_name
from tests.factories import make_drug, many_packs

pytestmark = pytest.mark.django_db

BACLOFEN_TERMS = "spasticity, muscle relaxant, multiple sclerosis"
# The page with its count of every match, images, packs, strengths.
SEARCH_QUERIES = 4


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


@pytest.mark.parametrize("word", ["Lioresal", "spasticity", "relaxant", "sclerosis"])
def test_every_prefix_of_a_word_finds_the_drug_while_typing(client, baclofen, word):
    for end in range(1, len(word) + 1):
        _, html = search_page(client, word[:end])
        assert "Baclofen" in card_titles(html), word[:end]


@pytest.mark.parametrize(
    ("title", "typed"),
    [("Theophylline", "the"), ("Ondansetron", "on"), ("Nortriptyline", "nor")],
)
def test_a_name_that_starts_like_a_common_word_is_found_as_typed(client, title, typed):
    make_drug(title=title)
    _, html = search_page(client, typed)
    assert card_titles(html) == [title]


@pytest.mark.parametrize("q", ["relaxants", "muscles"])
def test_a_plural_finds_the_singular(client, baclofen, q):
    if connection.vendor != "postgresql":
        pytest.skip("stemming is PostgreSQL's full-text search")
    _, html = search_page(client, q)
    assert card_titles(html) == ["Baclofen"]


def test_a_page_past_the_last_still_counts_the_matches(client, baclofen):
    html = client.get(reverse("search"), {"q": "baclofen", "page": 3}).content.decode()
    assert "Found 1 medicine." in html
    assert card_titles(html) == []
    assert "Previous page" in html


def test_generated_drugs_are_found_by_name_and_brand_name(client):
    synthetic_catalogue_generate(drugs=3)
    name = synthetic_name(1)
    for q in (name, f"{name}ex", name[:3]):
        _, html = search_page(client, q)
        assert card_titles(html) == [name], q


def search_term_for_every_drug(*, term: str) -> None:
    """Generated drugs have no search terms: give them all one (an update
    sends no post_save, so index them too)."""
    Drug.objects.update(search_terms=term)
    search.drugs_search_index()


def test_search_costs_the_same_queries_with_3_and_43_generated_drugs(client):
    synthetic_catalogue_generate(drugs=3)
    search_term_for_every_drug(term="spasticity")
    client.get(reverse("search"), {"q": "spasticity"})
    with CaptureQueriesContext(connection) as few:
        _, html = search_page(client, "spasticity")
    assert "Found 3 medicines." in html

    synthetic_catalogue_generate(drugs=40)
    search_term_for_every_drug(term="spasticity")
    with CaptureQueriesContext(connection) as many:
        _, first = search_page(client, "spasticity")
    with CaptureQueriesContext(connection) as last:
        response = client.get(reverse("search"), {"q": "spasticity", "page": 3})
    last_page = response.content.decode()

    assert "Found 43 medicines." in first
    assert len(card_titles(first)) == 20
    assert "Next page" in first
    assert "Found 43 medicines." in last_page
    assert len(card_titles(last_page)) == 3
    assert len(few) == len(many) == len(last) == SEARCH_QUERIES


def test_search_with_no_match_costs_one_query(client, baclofen):
    client.get(reverse("search"), {"q": "paracetamol"})
    with CaptureQueriesContext(connection) as queries:
        search_page(client, "paracetamol")
    assert len(queries) == 1
