"""Two states of a publication side by side: what changed, field by field.

Texts are compared word by word, and the body is compared as the text a
reader sees (its paragraphs, headings and list items), not as HTML, so an
editor reads what was added and removed. Names (type, centers, authors,
related publications) are looked up in a fixed number of queries.
"""

import datetime
import difflib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePosixPath

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ifri.formats import local_datetime

from .choices import Role
from .revisions import State

# Tags after which the body's text starts a new line.
BLOCK_TAGS = {"p", "h2", "h3", "h4", "li", "blockquote", "br", "hr", "ul", "ol"}
# Words, runs of spaces and single signs: what a text diff moves.
TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
MANY_TO_MANY = ("additional_centers", "translations")


@dataclass(frozen=True)
class Segment:
    text: str
    kind: str  # "same", "added" or "removed"


@dataclass
class Change:
    label: str
    before: str
    after: str
    # Word by word, for texts; None where before and after are shown whole.
    segments: list[Segment] | None = None


def compare(before: State, after: State) -> list[Change]:
    """The differences from ``before`` to ``after``, in the form's order."""
    from .models import Publication

    names = _Names(before, after)
    changes = []
    opts = Publication._meta
    for model_field in opts.concrete_fields:
        if model_field.primary_key or not model_field.editable:
            continue
        old = before.fields.get(model_field.attname)
        new = after.fields.get(model_field.attname)
        if _comparable(old) == _comparable(new):
            continue
        changes.append(_field_change(model_field, old, new, names))
    for m2m in MANY_TO_MANY:
        old, new = before.fields.get(m2m) or [], after.fields.get(m2m) or []
        if sorted(old) != sorted(new):
            label = opts.get_field(m2m).verbose_name
            shown = names.centers if m2m == "additional_centers" else names.publications
            changes.append(
                Change(_capital(label), _listed(old, shown), _listed(new, shown))
            )
    for label, old, new in (
        (_("Authors"), _authors(before, names), _authors(after, names)),
        (_("Related links"), _links(before, names), _links(after, names)),
        (_("Topics and regions"), before.topics, after.topics),
    ):
        if old != new:
            changes.append(Change(label, "\n".join(old), "\n".join(new)))
    return changes


def _field_change(model_field, old, new, names) -> Change:
    label = _capital(model_field.verbose_name)
    if model_field.name == "body":
        old_text, new_text = body_text(old or ""), body_text(new or "")
        return Change(label, old_text, new_text, word_diff(old_text, new_text))
    if isinstance(model_field, (models.CharField, models.TextField)) and not (
        model_field.choices
    ):
        old, new = old or "", new or ""
        return Change(label, old, new, word_diff(old, new))
    return Change(
        label, _shown(model_field, old, names), _shown(model_field, new, names)
    )


def _shown(model_field, value, names) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(model_field, models.FileField):
        return PurePosixPath(value.name).name if value else "—"
    if isinstance(model_field, models.ForeignKey):
        found = names.types if model_field.name == "type" else names.centers
        return found.get(value, _("deleted (#%(id)s)") % {"id": value})
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(model_field, models.DateTimeField):
        return local_datetime(value)
    if isinstance(model_field, models.DateField):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def _comparable(value):
    """File fields compare by name; times to the millisecond, as a revision
    stores them (Django's JSON serializer), where the database keeps the
    microseconds of a default ``timezone.now``; everything else by value."""
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return getattr(value, "name", value) or None


def _capital(label) -> str:
    text = str(label)
    return text[:1].upper() + text[1:]


def _listed(ids, shown: dict) -> str:
    return "\n".join(shown.get(pk, _("deleted (#%(id)s)") % {"id": pk}) for pk in ids)


def _authors(state: State, names) -> list[str]:
    roles = dict(Role.choices)
    return [
        "{} ({})".format(
            names.authors.get(
                row["author_id"], _("deleted (#%(id)s)") % {"id": row["author_id"]}
            ),
            roles.get(row["role"], row["role"]),
        )
        for row in state.authorships
    ]


def _links(state: State, names) -> list[str]:
    shown = []
    for row in state.related_links:
        if row["target_id"]:
            title = row["title"] or names.publications.get(row["target_id"], "—")
        else:
            title = f"{row['title']} <{row['url']}>"
        shown.append(f"{row['label']}: {title}" if row["label"] else title)
    return shown


class _Names:
    """The names of everything two states refer to by id."""

    def __init__(self, *states: State):
        from authors.models import Author
        from centers.models import ResearchCenter

        from .models import Publication, PublicationType

        def ids(*keys):
            return {
                pk
                for state in states
                for key in keys
                for pk in _as_list(state.fields.get(key))
                if pk is not None
            }

        target_ids = {
            row["target_id"]
            for s in states
            for row in s.related_links
            if row["target_id"]
        }
        author_ids = {row["author_id"] for s in states for row in s.authorships}
        self.types = _lookup(PublicationType, ids("type_id"), "name")
        self.centers = _lookup(
            ResearchCenter, ids("center_id", "additional_centers"), "name"
        )
        self.publications = _lookup(
            Publication, ids("translations") | target_ids, "title"
        )
        self.authors = (
            {
                a.pk: a.full_name
                for a in Author.objects.filter(pk__in=author_ids).only(
                    "given_name", "family_name"
                )
            }
            if author_ids
            else {}
        )


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _lookup(model, ids: set, name: str) -> dict:
    if not ids:
        return {}
    return dict(model.objects.filter(pk__in=ids).values_list("pk", name))


# Texts ---------------------------------------------------------------------


def word_diff(old: str, new: str) -> list[Segment]:
    """``old`` turned into ``new``, as kept, removed and added runs of words."""
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    segments = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("".join(a[i1:i2]), "same"))
            continue
        if i2 > i1:
            segments.append(Segment("".join(a[i1:i2]), "removed"))
        if j2 > j1:
            segments.append(Segment("".join(b[j1:j2]), "added"))
    return segments


class _BodyText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("• ")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def body_text(html: str) -> str:
    """The body as readers read it: one line a paragraph, heading or item."""
    parser = _BodyText()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)
