"""Machine-readable metadata of the article page, all derived from CSL-JSON.

Search engines, Google Scholar, reference managers and social networks each
read their own vocabulary: Highwire Press ``citation_*`` tags, Dublin Core,
Open Graph, Twitter cards and schema.org JSON-LD. Every builder here is a pure
function of the publication's CSL-JSON item (names, order, title, dates,
container, DOI, keywords, language, abstract) and of the few page facts CSL
does not carry (image, PDF, timestamps, author pages), read from data a
``for_detail()`` queryset has already loaded: no builder runs a query.
Addresses are absolute from ``base_url``, the site's address that
``ifri.site.site_url()`` gives for the request.

The metadata describes the canonical page: the publication in its own
language, whatever the language of the interface it is viewed in.
"""

import json
import re

from django.conf import settings
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from .citations import CSL_ROLES, canonical_url, csl_json
from .models import CitationType

DESCRIPTION_LENGTH = 300

# schema.org types for CSL item types; anything else is a plain Article.
SCHEMA_TYPES = {
    CitationType.JOURNAL_ARTICLE: "ScholarlyArticle",
    CitationType.REPORT: "Report",
    CitationType.BOOK: "Book",
    CitationType.CHAPTER: "Chapter",
    # The institute's newspaper pieces are its researchers' op-eds.
    CitationType.NEWSPAPER_ARTICLE: "OpinionNewsArticle",
}

OG_LOCALES = {"en": "en_GB", "fr": "fr_FR"}

# What must not appear raw inside <script>: "</script>" or "<!--" would end
# or change the script element whatever the JSON around them.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


# Reading the CSL item


def keywords(item: dict) -> list[str]:
    """The item's keywords; CSL keeps them as one comma-separated string."""
    return [word for word in item.get("keyword", "").split(", ") if word]


def names(item: dict, variable: str = "author") -> list[str]:
    """Display names ("Given Family") of one CSL name variable, in order."""
    return [
        " ".join(part for part in (person.get("given"), person.get("family")) if part)
        for person in item.get(variable, [])
    ]


def inverted_names(item: dict, variable: str = "author") -> list[str]:
    """Names as "Family, Given", the form Google Scholar asks for."""
    return [
        ", ".join(part for part in (person.get("family"), person.get("given")) if part)
        for person in item.get(variable, [])
    ]


def issued(item: dict, separator: str = "-") -> str:
    """The issued date as YYYY-MM-DD (or YYYY-MM, YYYY when less is known)."""
    parts = item["issued"]["date-parts"][0]
    widths = (4, 2, 2)
    return separator.join(
        f"{part:0{width}d}" for part, width in zip(parts, widths, strict=False)
    )


def page_range(item: dict) -> tuple[str, str]:
    """First and last page from "45-67" or "45–67"; the last may be empty."""
    first, _, last = re.sub(r"\s*[-‐‑–—]+\s*", "-", item.get("page", "")).partition("-")
    return first.strip(), last.strip()


def is_journal_article(item: dict) -> bool:
    return item["type"] == CitationType.JOURNAL_ARTICLE and "container-title" in item


# Reading the page facts CSL does not carry


def alternates(publication, base_url: str) -> list[tuple[str, str]]:
    """hreflang alternates: the publication and its public translations."""
    pages = [publication, *publication.translations.all()]
    return [(page.language, canonical_url(page, base_url)) for page in pages]


def media_url(url: str, base_url: str) -> str:
    """An absolute address for a file URL; object storage gives absolute ones."""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return f"https:{url}"
    return f"{base_url}{url}"


def image_url(publication, base_url: str) -> str:
    if not publication.main_image:
        return ""
    return media_url(publication.main_image.url, base_url)


def pdf_url(publication, base_url: str) -> str:
    return f"{base_url}{publication.get_pdf_url()}" if publication.pdf else ""


def credited_people(publication, variable: str = "author") -> list:
    """The Author rows behind one CSL name variable, in the same order."""
    return [
        credit.author
        for credit in publication.credited
        if CSL_ROLES[credit.role] == variable
    ]


# The vocabularies


def highwire_tags(item: dict, publication, base_url: str) -> list[tuple[str, str]]:
    """Google Scholar's Highwire Press tags."""
    tags = [("citation_title", item["title"])]
    tags += [("citation_author", name) for name in inverted_names(item)]
    tags.append(("citation_publication_date", issued(item, "/")))
    online = timezone.localtime(publication.publish_at)
    tags.append(("citation_online_date", online.strftime("%Y/%m/%d")))
    if is_journal_article(item):
        tags.append(("citation_journal_title", item["container-title"]))
        for name, variable in (
            ("citation_volume", "volume"),
            ("citation_issue", "issue"),
        ):
            if variable in item:
                tags.append((name, item[variable]))
        first, last = page_range(item)
        if first:
            tags.append(("citation_firstpage", first))
        if last:
            tags.append(("citation_lastpage", last))
    if "publisher" in item:
        tags.append(("citation_publisher", item["publisher"]))
        if item["type"] == CitationType.REPORT:
            tags.append(("citation_technical_report_institution", item["publisher"]))
    if "DOI" in item:
        tags.append(("citation_doi", item["DOI"]))
    tags.append(("citation_language", item["language"]))
    tags += [("citation_keywords", word) for word in keywords(item)]
    tags.append(("citation_abstract_html_url", item["URL"]))
    if url := pdf_url(publication, base_url):
        tags.append(("citation_pdf_url", url))
    return tags


def dublin_core_tags(item: dict, publication) -> list[tuple[str, str]]:
    tags = [("DC.title", item["title"])]
    tags += [("DC.creator", name) for name in names(item)]
    for variable in ("editor", "translator"):
        tags += [("DC.contributor", name) for name in names(item, variable)]
    tags.append(("DC.date", issued(item)))
    tags.append(("DC.language", item["language"]))
    if "publisher" in item:
        tags.append(("DC.publisher", item["publisher"]))
    if "DOI" in item:
        tags.append(("DC.identifier", f"https://doi.org/{item['DOI']}"))
    if item.get("abstract"):
        tags.append(("DC.description", item["abstract"]))
    return tags


def open_graph_tags(item: dict, publication, base_url: str) -> list[tuple[str, str]]:
    language = item["language"]
    tags = [
        ("og:type", "article"),
        ("og:title", item["title"]),
        ("og:description", description(item)),
        ("og:url", item["URL"]),
        ("og:site_name", settings.SITE_NAME),
        ("og:locale", OG_LOCALES.get(language, language)),
    ]
    tags += [
        ("og:locale:alternate", OG_LOCALES.get(other, other))
        for other, _url in alternates(publication, base_url)
        if other != language
    ]
    if url := image_url(publication, base_url):
        tags.append(("og:image", url))
        if publication.main_image_alt:
            tags.append(("og:image:alt", publication.main_image_alt))
    tags.append(("article:published_time", issued(item)))
    tags.append(("article:modified_time", publication.updated_at.isoformat()))
    # Open Graph wants profiles (pages) for authors, not names.
    tags += [
        ("article:author", f"{base_url}{author.get_absolute_url()}")
        for author in credited_people(publication)
    ]
    tags += [("article:tag", word) for word in keywords(item)]
    return tags


def twitter_tags(item: dict, publication) -> list[tuple[str, str]]:
    """Twitter reads title, description and image from Open Graph."""
    card = "summary_large_image" if publication.main_image else "summary"
    return [("twitter:card", card)]


def _institute(base_url: str) -> dict:
    return {
        "@type": "Organization",
        "name": settings.CITATION_PUBLISHER,
        "url": base_url,
    }


def _person(person: dict, author, base_url: str) -> dict:
    data = {
        "@type": "Person",
        "name": " ".join(p for p in (person.get("given"), person.get("family")) if p),
        "familyName": person.get("family", ""),
    }
    if person.get("given"):
        data["givenName"] = person["given"]
    data["url"] = f"{base_url}{author.get_absolute_url()}"
    if author.job_title:
        data["jobTitle"] = author.job_title
    # Outside contributors name their own institution; staff belong to ours.
    data["affiliation"] = (
        {"@type": "Organization", "name": author.affiliation}
        if author.affiliation
        else _institute(base_url)
    )
    if author.orcid:
        data["sameAs"] = author.orcid_url
    return data


def _people(item: dict, publication, variable: str, base_url: str) -> list[dict]:
    """The CSL names with the Author rows behind them (both in credit order)."""
    return [
        _person(person, author, base_url)
        for person, author in zip(
            item.get(variable, []), credited_people(publication, variable), strict=True
        )
    ]


def _container(item: dict) -> dict | None:
    """The journal (with its volume and issue), newspaper or book it is part of."""
    if "container-title" not in item:
        return None
    kind = "Book" if item["type"] == CitationType.CHAPTER else "Periodical"
    container = {"@type": kind, "name": item["container-title"]}
    if kind == "Periodical" and "volume" in item:
        container = {
            "@type": "PublicationVolume",
            "volumeNumber": item["volume"],
            "isPartOf": container,
        }
    if kind == "Periodical" and "issue" in item:
        container = {
            "@type": "PublicationIssue",
            "issueNumber": item["issue"],
            "isPartOf": container,
        }
    return container


def json_ld(item: dict, publication, base_url: str) -> dict:
    """The publication as a schema.org object."""
    url = item["URL"]
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(item["type"], "Article"),
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": item["title"],
        "name": item["title"],
        "description": item.get("abstract", ""),
        "datePublished": issued(item),
        "dateModified": publication.updated_at.isoformat(),
        "inLanguage": item["language"],
        "isAccessibleForFree": True,
    }
    for variable in ("author", "editor", "translator"):
        if people := _people(item, publication, variable, base_url):
            data[variable] = people
    publisher = item.get("publisher", settings.CITATION_PUBLISHER)
    data["publisher"] = (
        _institute(base_url)
        if publisher == settings.CITATION_PUBLISHER
        else {"@type": "Organization", "name": publisher}
    )
    if words := keywords(item):
        data["keywords"] = words
    if container := _container(item):
        data["isPartOf"] = container
    if "page" in item:
        data["pagination"] = item["page"]
        first, last = page_range(item)
        if first:
            data["pageStart"] = first
        if last:
            data["pageEnd"] = last
    if "DOI" in item:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "DOI",
            "value": item["DOI"],
        }
        data["sameAs"] = f"https://doi.org/{item['DOI']}"
    if image := image_url(publication, base_url):
        data["image"] = {"@type": "ImageObject", "url": image}
        if publication.main_image_credit:
            data["image"]["creditText"] = publication.main_image_credit
    if pdf := pdf_url(publication, base_url):
        data["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": pdf,
            "encodingFormat": "application/pdf",
        }
        if publication.pdf_size:
            data["encoding"]["contentSize"] = f"{publication.pdf_size} B"
    return data


def description(item: dict) -> str:
    return Truncator(item.get("abstract", "")).chars(DESCRIPTION_LENGTH)


def script_json(data) -> SafeString:
    """JSON safe to place between <script> tags, as Django's json_script does."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))  # noqa: S308


def page_metadata(publication, base_url: str) -> dict:
    """Everything includes/publication_meta.html writes in the page's head."""
    with translation.override(publication.language):
        item = csl_json(publication, base_url)
        return {
            "canonical": item["URL"],
            "alternates": alternates(publication, base_url),
            "description": description(item),
            "highwire": highwire_tags(item, publication, base_url),
            "dublin_core": dublin_core_tags(item, publication),
            "open_graph": open_graph_tags(item, publication, base_url),
            "twitter": twitter_tags(item, publication),
            "json_ld": script_json(json_ld(item, publication, base_url)),
        }
