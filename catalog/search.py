"""Finding medicines by what shoppers type: the generic name, a brand name, or
what the drug is for (its search terms).

On PostgreSQL each drug keeps a stored, weighted search vector (name and
brand names weighted highest, then the search terms), indexed with GIN, and
results are ranked. Each word is stored twice: as written, so that every
prefix of it finds it while the shopper types ("spastici", "lioresa"); and
stemmed, so that "relaxants" finds "relaxant". On SQLite a plain
case-insensitive match over the same fields stands in. Either way a search
costs the same few queries however many drugs the catalogue holds.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Window

from catalog import selectors
from catalog.models import Drug, Product

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
# As written: no stemming, no stop words ("nor" starts Norbalol).
WORDS_CONFIG = "simple"
STEMS_CONFIG = "english"


def _uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def query_words(*, text: str) -> list[str]:
    """The words of a query, lower-cased, without punctuation: safe to pass to a
    raw tsquery and to icontains alike."""
    return re.findall(r"\w+", text[:MAX_QUERY_LENGTH].lower())[:MAX_WORDS]


def drug_search_vector() -> SearchVector:
    vector = None
    for config in (WORDS_CONFIG, STEMS_CONFIG):
        part = (
            SearchVector("generic_name", weight="A", config=config)
            + SearchVector("brand_names", weight="A", config=config)
            + SearchVector("search_terms", weight="B", config=config)
        )
        vector = part if vector is None else vector + part
    return vector


def _words_query(*, words: list[str]) -> SearchQuery:
    """Every word, each either as a prefix of a word as written ("lior" finds
    Lioresal while typing) or as a stem ("relaxants" finds relaxant)."""
    query = None
    for word in words:
        either = SearchQuery(
            f"{word}:*", search_type="raw", config=WORDS_CONFIG
        ) | SearchQuery(word, search_type="plain", config=STEMS_CONFIG)
        query = either if query is None else query & either
    return query


def drugs_search_index(*, drug_ids: list[int] | None = None) -> None:
    """Refresh the stored search vector of these drugs (all when None). One
    UPDATE; does nothing on SQLite, which searches the fields directly."""
    if not _uses_full_text():
        return
    drugs = Drug.objects.all()
    if drug_ids is not None:
        drugs = drugs.filter(pk__in=drug_ids)
    drugs.update(search_vector=drug_search_vector())


def _matching_products(*, words: list[str]) -> QuerySet[Product]:
    products = Product.objects.browsable().filter(drug__isnull=False)
    if _uses_full_text():
        query = _words_query(words=words)
        return (
            products.filter(drug__search_vector=query)
            .annotate(rank=SearchRank(F("drug__search_vector"), query))
            .order_by("-rank", "title")
        )
    for word in words:
        products = products.filter(
            Q(title__icontains=word)
            | Q(drug__generic_name__icontains=word)
            | Q(drug__brand_names__icontains=word)
            | Q(drug__search_terms__icontains=word)
        )
    return products.order_by("title")


@dataclass
class SearchResults:
    query: str
    count: int
    cards: list[tuple[Product, selectors.PriceTable]]


def products_search(*, text: str, limit: int = 20, offset: int = 0) -> SearchResults:
    """The drugs matching ``text``, best first, each with its price table for
    the catalogue card. Four queries however many match: the page (which
    counts every match as it goes), images, packs, withdrawn strengths; one
    when nothing matches."""
    words = query_words(text=text)
    if not words:
        return SearchResults(query=text, count=0, cards=[])
    matches = _matching_products(words=words)
    page = list(
        matches.select_related("drug", "product_class")
        # Never shown, and the largest column of a drug.
        .defer("drug__search_vector")
        .prefetch_related("images")
        .annotate(match_count=Window(Count("pk")))[offset : offset + limit]
    )
    if not page:
        # Past the last page the window counts nothing: count apart.
        count = matches.count() if offset else 0
        return SearchResults(query=text, count=count, cards=[])
    tables = selectors.price_tables_for(products=page)
    return SearchResults(
        query=text,
        count=page[0].match_count,
        cards=[(p, tables[p.pk]) for p in page],
    )
