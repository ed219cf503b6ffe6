"""Citations of a publication, all derived from one CSL-JSON record.

``csl_json()`` is the only function here that reads a publication; every
citation style, export and piece of scholarly metadata starts from its result.
It reads the authorships, type and tags a ``for_detail()`` or ``for_listing()``
queryset has already loaded, so it runs no query of its own.
"""

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import CitationType, Role

# Roles of the people credited, as CSL name variables.
CSL_ROLES = {
    Role.AUTHOR: "author",
    Role.EDITOR: "editor",
    Role.TRANSLATOR: "translator",
    Role.INTERVIEWER: "interviewer",
}


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def csl_json(publication) -> dict:
    """The publication as a CSL-JSON item (citeproc's input format)."""
    kind = publication.type.citation_type
    item = {
        "id": publication.slug,
        "type": kind,
        "title": publication.full_title,
        "issued": {"date-parts": [_date_parts(publication.publication_date)]},
        "URL": absolute_url(publication.get_absolute_url()),
        "language": publication.language,
        "abstract": publication.teaser,
    }
    for credit in publication.credited:
        person = {
            "family": credit.author.family_name,
            "given": credit.author.given_name,
        }
        item.setdefault(CSL_ROLES[credit.role], []).append(person)
    if publication.is_external:
        item["container-title"] = publication.publisher
        for field, variable in (
            ("volume", "volume"),
            ("issue", "issue"),
            ("pages", "page"),
        ):
            if value := getattr(publication, field):
                item[variable] = value
    if not publication.is_external or kind in (CitationType.REPORT, CitationType.BOOK):
        item["publisher"] = publication.publisher or settings.CITATION_PUBLISHER
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


def _name_list(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return _("%(first)s and %(last)s") % {"first": names[0], "last": names[1]}
    return _("%(list)s, and %(last)s") % {
        "list": ", ".join(names[:-1]),
        "last": names[-1],
    }


def plain_citation(publication) -> str:
    """A Chicago-like notes-bibliography reference as plain text."""
    item = csl_json(publication)
    authors = item.get("author", [])
    names = [
        f"{a['family']}, {a['given']}" if i == 0 else f"{a['given']} {a['family']}"
        for i, a in enumerate(authors)
    ]
    parts = []
    if names:
        parts.append(_name_list(names).rstrip(".") + ".")
    parts.append(f"“{item['title']}.”")
    when = date_format(publication.publication_date, "DATE_FORMAT")
    if "container-title" in item:
        venue = item["container-title"]
        if "volume" in item:
            venue += f" {item['volume']}"
        if "issue" in item:
            venue += f", no. {item['issue']}"
        venue += f" ({when})"
        if "page" in item:
            venue += f": {item['page']}"
        parts.append(venue + ".")
    else:
        parts.append(
            f"{item.get('genre', '')}, {item['publisher']}, {when}.".lstrip(", ")
        )
    if "DOI" in item:
        parts.append(f"https://doi.org/{item['DOI']}.")
    return " ".join(parts)
