"""Citations of a publication, built from its data alone (no queries)."""

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _


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
    """A Chicago-like notes-bibliography reference as plain text.

    Authors are taken in their reader order from the prefetched authorships.
    """
    authors = publication.author_list
    names = [
        f"{a.family_name}, {a.given_name}" if i == 0 else a.full_name
        for i, a in enumerate(authors)
    ]
    parts = []
    if names:
        parts.append(_name_list(names).rstrip(".") + ".")
    title = publication.title
    if publication.subtitle:
        title = f"{title}: {publication.subtitle}"
    parts.append(f"“{title}.”")
    when = date_format(publication.publication_date, "DATE_FORMAT")
    if publication.is_external:
        venue = publication.publisher
        if publication.volume:
            venue += f" {publication.volume}"
        if publication.issue:
            venue += f", no. {publication.issue}"
        venue += f" ({when})"
        if publication.pages:
            venue += f": {publication.pages}"
        parts.append(venue + ".")
    else:
        parts.append(f"{publication.type.name}, {settings.SITE_NAME}, {when}.")
    if publication.doi:
        parts.append(f"https://doi.org/{publication.doi}.")
    return " ".join(parts)
