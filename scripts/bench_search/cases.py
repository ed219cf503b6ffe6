"""What is measured: the cases, their targets, the values and URLs they use."""

import urllib.parse
from dataclasses import dataclass, field

from .database import search_function

TARGETS_MS = {"search": 50.0, "list": 100.0, "autocomplete": 20.0}
PAGE_SIZE = 12  # what the search page shows; search() results are cut the same


@dataclass
class Case:
    kind: str  # search, search(), list, autocomplete, autocomplete()
    name: str
    path: str = ""  # the URL, or the function call for function-level cases
    status: int | None = None
    error: str = ""
    runs: int = 0
    p50_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None
    queries: str = ""
    results: int | None = None
    suggestion: str = ""
    target_ms: float | None = None
    passed: bool | None = None
    slowest_sql: list = field(default_factory=list)


def pick_values() -> dict:
    """Slugs and names that exist in the generated catalogue."""
    from django.db.models import Count
    from taggit.models import Tag

    from authors.models import Author
    from centers.models import ResearchCenter
    from publications.models import Publication, PublicationType

    visible = Publication.objects.published()
    # An accented family name readers type without its accents: Lefèvre.
    author = (
        Author.objects.filter(family_name__regex="[éèêëàâäîïôöùûüçñáíóú]")
        .annotate(n=Count("authorships"))
        .order_by("-n", "pk")
        .first()
    ) or Author.objects.first()
    type_ = (
        PublicationType.objects.annotate(n=Count("publications"))
        .order_by("-n", "pk")
        .first()
    )
    center = (
        ResearchCenter.objects.annotate(n=Count("publications"))
        .order_by("-n", "pk")
        .first()
    )
    tag = Tag.objects.filter(name__in=["Sahel", "Energy", "China"]).first()
    latest = visible.order_by("-publication_date").first()
    year = latest.publication_date.year - 1 if latest else 2024
    return {
        "author_query": plain(f"{author.given_name} {author.family_name}").lower(),
        "author_family": plain(author.family_name).lower(),
        "author_slug": author.slug,
        "type": type_.slug,
        "center": center.slug,
        "tag": tag.slug if tag else "",
        "year": year,
    }


def plain(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_cases(v: dict) -> list[tuple[str, dict]]:
    """The 20 typical searches: (label, query-string parameters)."""
    return [
        ("word (en)", {"q": "sanctions"}),
        ("frequent word (en)", {"q": "security"}),
        ("word (en)", {"q": "deterrence"}),
        ("word (fr)", {"q": "dissuasion"}),
        ("word (fr), accented", {"q": "sécurité"}),
        ("word (fr), no accents", {"q": "energetique"}),
        ("author, no accents", {"q": v["author_family"]}),
        ("author full name, no accents", {"q": v["author_query"]}),
        ("tag", {"q": "Brexit"}),
        ("quoted phrase (en)", {"q": '"nuclear deterrence"'}),
        ("quoted phrase (fr)", {"q": '"transition énergétique"'}),
        ("prefix", {"q": "nucl*"}),
        ("prefix (fr)", {"q": "énerg*"}),
        ("two words (en)", {"q": "energy security"}),
        ("two words (en)", {"q": "china taiwan"}),
        ("two words (fr)", {"q": "politique étrangère"}),
        (
            "facets",
            {"q": "security", "type": v["type"], "lang": "en", "year": v["year"]},
        ),
        ("facet", {"q": "climate", "center": v["center"]}),
        ("sorted by date", {"q": "sanctions", "sort": "date"}),
        ("misspelling", {"q": "sanctoins"}),
    ]


def list_cases(v: dict) -> list[tuple[str, str, dict]]:
    """The publication list, and the search page browsed by facets alone
    (no query: every visible publication, with the facet counts)."""
    both = {"type": v["type"], "center": v["center"], "lang": "en", "year": v["year"]}
    return [
        ("list: no filter", "/en/publications/", {}),
        ("list: type", "/en/publications/", {"type": v["type"]}),
        (
            "list: center + year",
            "/en/publications/",
            {"center": v["center"], "year": v["year"]},
        ),
        ("list: tag", "/en/publications/", {"tag": v["tag"]}),
        ("list: author", "/en/publications/", {"author": v["author_slug"]}),
        ("list: language, page 5", "/en/publications/", {"lang": "fr", "page": 5}),
        ("list: four filters", "/en/publications/", both),
        ("facets: type", "/en/search/", {"type": v["type"]}),
        ("facets: year", "/en/search/", {"year": v["year"]}),
        ("facets: tag", "/en/search/", {"tag": v["tag"]}),
        ("facets: four filters", "/en/search/", both),
    ]


AUTOCOMPLETE_TERMS = ["sec", "nuc", "lef", "ener", "séc", "sah", "chi", "dis"]


def label(name: str, params: dict) -> str:
    """ "word (en): sanctions", with the filters: "facets: security type=..."."""
    extra = " ".join(f"{k}={v}" for k, v in params.items() if k != "q")
    return f"{name}: {params.get('q', '')}" + (f" {extra}" if extra else "")


def url(path: str, params: dict) -> str:
    return path + ("?" + urllib.parse.urlencode(params) if params else "")


def run_search(params: dict):
    """search() as the page uses it: its first page, count, facets, suggestion."""
    from django.http import QueryDict

    search = search_function("search")
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if key not in ("q", "sort"):
            query[key] = str(value)
    results = search(params.get("q", ""), query, sort=params.get("sort", "relevance"))
    with results.index_scans():
        found = results.total
        results.page(0, min(PAGE_SIZE, found))
        for values in results.facets.values():
            list(values)
    return None if found else results.suggestion
