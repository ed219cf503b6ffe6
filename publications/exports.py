"""Citation exports for reference managers: BibTeX, RIS and CSL-JSON.

Each format is built from CSL-JSON items (``citations.csl_json()``), never
from the models: one publication (``cite.bib``) or the results of a list or
search page (``export.bib?...``), which reuse the pages' own filters.
"""

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import bibtexparser
import rispy
from bibtexparser.model import Entry, Field
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from ifri.site import site_url

from .citations import csl_json
from .filters import PublicationFilter
from .metadata import keywords, page_range
from .models import Publication
from .search import search

# --- BibTeX -----------------------------------------------------------------

BIBTEX_TYPES = {
    "report": "techreport",
    "article-journal": "article",
    "article-newspaper": "article",
    "book": "book",
    "chapter": "incollection",
}

LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "$": r"\$",
    "&": r"\&",
    "_": r"\_",
    "#": r"\#",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_TABLE = str.maketrans(LATEX_SPECIAL)
# BibTeX counts every brace, escaped or not, to find the end of a value: when
# a value's braces do not pair up, they become commands instead of \{ \}.
_UNPAIRED_BRACES_TABLE = str.maketrans(
    {**LATEX_SPECIAL, "{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
)
VERBATIM_TABLE = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C"})

MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
LANGIDS = {"en": "english", "fr": "french"}

# Words skipped when a citation key takes the first word of the title.
KEY_STOP_WORDS = {
    *"a an the of on in to for and".split(),
    *"le la les l un une des de du d et en au aux".split(),
}


def _one_line(value) -> str:
    return " ".join(str(value).split())


def _braces_pair_up(text: str) -> bool:
    depth = 0
    for char in text:
        if char in "{}":
            depth += 1 if char == "{" else -1
            if depth < 0:
                return False
    return depth == 0


def latex_escape(value) -> str:
    text = _one_line(value)
    if _braces_pair_up(text):
        return text.translate(_LATEX_TABLE)
    return text.translate(_UNPAIRED_BRACES_TABLE)


def _verbatim(value) -> str:
    """A DOI or URL: biblatex reads these fields verbatim, so no escaping.

    Only what would unbalance the value is percent-encoded, as in a URL.
    """
    if not value:
        return ""
    return _one_line(value).translate(VERBATIM_TABLE)


def _bibtex_name(person: dict) -> str:
    if "literal" in person:
        return "{" + latex_escape(person["literal"]) + "}"
    parts = []
    for part in (person.get("family", ""), person.get("given", "")):
        part = latex_escape(part)
        # A comma or a lone "and" inside a part would split the name.
        if "," in part or re.search(r"\band\b", part, re.IGNORECASE):
            part = "{" + part + "}"
        if part:
            parts.append(part)
    return ", ".join(parts)


def _bibtex_names(people: list[dict]) -> str:
    return " and ".join(_bibtex_name(person) for person in people)


def _ascii_words(text: str) -> list[str]:
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    return re.findall(r"[A-Za-z0-9]+", ascii_text)


def citation_key(item: dict) -> str:
    """e.g. ``lefevre2024energy``: first author's family name, year, title word.

    ASCII letters and digits only, as every BibTeX tool accepts; names in
    other scripts fall back to the title, then to the publication's slug.
    """
    people = item.get("author") or item.get("editor") or []
    name = ""
    if people:
        first = people[0]
        name = "".join(_ascii_words(first.get("family") or first.get("literal", "")))
    year = str(item["issued"]["date-parts"][0][0])
    words = [w for w in _ascii_words(item.get("title", "")) if len(w) > 1]
    word = next((w for w in words if w.lower() not in KEY_STOP_WORDS), "")
    if not word and not name:
        word = "".join(_ascii_words(str(item["id"]))[:1])
    return (name + year + word).lower()


def _unique_keys(items: list[dict]) -> list[str]:
    keys, seen = [], set()
    for item in items:
        key = base = citation_key(item)
        number = 1
        while key in seen:
            number += 1
            key = f"{base}-{number}"
        seen.add(key)
        keys.append(key)
    return keys


def _bibtex_entry(item: dict, key: str) -> Entry:
    kind = item["type"]
    entry_type = BIBTEX_TYPES.get(kind, "misc")
    fields = []

    def add(name, value, escape=True):
        if value:
            fields.append(Field(name, latex_escape(value) if escape else value))

    for role in ("author", "editor", "translator"):
        if item.get(role):
            add(role, _bibtex_names(item[role]), escape=False)
    add("title", item.get("title"))
    container = item.get("container-title")
    if entry_type == "article":
        add("journal", container)
    elif entry_type == "incollection":
        add("booktitle", container)
    elif entry_type == "misc":
        add("howpublished", container)
    add(
        "institution" if entry_type == "techreport" else "publisher",
        item.get("publisher"),
    )
    add("address", item.get("publisher-place"))
    add("type", item.get("genre"))
    year, month, *_ = [*item["issued"]["date-parts"][0], None, None]
    add("year", str(year))
    if month:
        # The month macro, unbraced, which every style prints in its language.
        fields.append(Field("month", MONTHS[month - 1], enclosing="no-enclosing"))
    add("volume", item.get("volume"))
    add("number", item.get("issue"))
    if item.get("page"):
        add("pages", "--".join(part for part in page_range(item) if part))
    add("doi", _verbatim(item.get("DOI")), escape=False)
    add("url", _verbatim(item.get("URL")), escape=False)
    add("abstract", item.get("abstract"))
    add("keywords", item.get("keyword"))
    add("langid", LANGIDS.get(item.get("language", "")))
    return Entry(entry_type, key, fields)


def bibtex(items: list[dict]) -> str:
    library = bibtexparser.Library()
    for item, key in zip(items, _unique_keys(items), strict=True):
        library.add(_bibtex_entry(item, key))
    return bibtexparser.write_string(library)


# --- RIS --------------------------------------------------------------------

RIS_TYPES = {
    "report": "RPRT",
    "article-journal": "JOUR",
    "article-newspaper": "NEWS",
    "book": "BOOK",
    "chapter": "CHAP",
}


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its "1." line before each record.

    That line is not RIS: readers expect a record to start with "TY  - ".
    """

    def set_header(self, count: int) -> str:
        return ""


def _ris_name(person: dict) -> str:
    if "literal" in person:
        return _one_line(person["literal"])
    return ", ".join(
        _one_line(part) for part in (person.get("family"), person.get("given")) if part
    )


def _ris_record(item: dict) -> dict:
    record = {"type_of_reference": RIS_TYPES.get(item["type"], "GEN")}
    for role, key in (
        ("author", "authors"),
        ("editor", "secondary_authors"),
        ("interviewer", "secondary_authors"),
        ("translator", "subsidiary_authors"),
    ):
        if item.get(role):
            record.setdefault(key, []).extend(_ris_name(p) for p in item[role])
    record["title"] = _one_line(item["title"])
    if item.get("container-title"):
        record["secondary_title"] = _one_line(item["container-title"])
    parts = item["issued"]["date-parts"][0]
    record["year"] = str(parts[0])
    record["date"] = "/".join(f"{part:02d}" for part in parts)
    for variable, key in (
        ("volume", "volume"),
        ("issue", "number"),
        ("publisher", "publisher"),
        ("publisher-place", "place_published"),
        ("genre", "type_of_work"),
        ("DOI", "doi"),
        ("language", "language"),
        ("abstract", "abstract"),
    ):
        if item.get(variable):
            record[key] = _one_line(item[variable])
    if item.get("page"):
        first, last = page_range(item)
        record["start_page"] = _one_line(first)
        if last:
            record["end_page"] = _one_line(last)
    if item.get("URL"):
        record["urls"] = [item["URL"]]
    if words := keywords(item):
        record["keywords"] = [_one_line(word) for word in words]
    return record


def ris(items: list[dict]) -> str:
    return rispy.dumps([_ris_record(item) for item in items], implementation=_RisWriter)


# --- CSL-JSON ---------------------------------------------------------------


def csl_json_list(items: list[dict]) -> str:
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


# --- Views ------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFormat:
    extension: str
    content_type: str
    build: Callable[[list[dict]], str]


FORMATS = {
    export.extension: export
    for export in (
        ExportFormat("bib", "application/x-bibtex; charset=utf-8", bibtex),
        ExportFormat("ris", "application/x-research-info-systems; charset=utf-8", ris),
        ExportFormat(
            "json",
            "application/vnd.citationstyles.csl+json; charset=utf-8",
            csl_json_list,
        ),
    )
}


def _export_format(name: str) -> ExportFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise Http404("Unknown citation format.") from None


def _attachment(items: list[dict], export: ExportFormat, name: str) -> HttpResponse:
    response = HttpResponse(export.build(items), content_type=export.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{name}.{export.extension}"
    )
    # Files for reference managers, not pages for search engines.
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def cite(request, slug, format):
    """One visible publication in one export format."""
    export = _export_format(format)
    publication = get_object_or_404(
        Publication.objects.published().for_citation(), slug=slug
    )
    item = csl_json(publication, site_url(request))
    return _attachment([item], export, publication.slug)


def _export_many(
    request, publications, export: ExportFormat, name: str
) -> HttpResponse:
    limit = settings.CITATION_EXPORT_LIMIT
    base_url = site_url(request)
    items = [csl_json(p, base_url) for p in publications.for_citation()[:limit]]
    return _attachment(items, export, name)


@require_safe
def export_list(request, format):
    """The publications of the list page, with the same filters."""
    export = _export_format(format)
    filterset = PublicationFilter(request.GET, queryset=Publication.objects.published())
    return _export_many(request, filterset.filtered(), export, "publications")


@require_safe
def export_search(request, format):
    """The results of a search, as the search page finds them: the same
    query, facets and order."""
    export = _export_format(format)
    params = request.GET
    results = search(params.get("q", ""), params, params.get("sort", ""))
    if not results.has_criteria:
        return _export_many(
            request, Publication.objects.none(), export, "search-results"
        )
    with results.index_scans():
        found = results.in_order(settings.CITATION_EXPORT_LIMIT)
        return _export_many(request, found, export, "search-results")
