"""A publication's revisions: what each save records, and restoring one.

django-reversion records a revision on every save made in the admin: the
publication's own fields (its files by name, its centers and translations)
with its authorships, related links and topics, which it follows. A
``State`` is that whole picture at one moment, read from a revision or from
the rows as they are now; ``restore()`` makes a revision's state current again
and records that as a new revision, so history is never rewritten.
"""

from dataclasses import dataclass, field

import reversion
from django.db import models, transaction
from django.utils.translation import gettext as _
from reversion.models import Version
from taggit.models import Tag

from ifri.formats import local_datetime

# Counted by delivery.py with atomic increments: a restore must not roll them
# back, and they are no editor's work.
NOT_RECORDED = ("download_count",)
# The publishing state is the workflow's, not the content's: restoring an
# earlier text of a published publication keeps it published, and restoring
# never publishes.
NOT_RESTORED = {"status", "publish_at", "updated_by", "created_at", "updated_at"}
AUTHORSHIP_FIELDS = ("author_id", "role", "order")
LINK_FIELDS = ("target_id", "url", "title", "label", "order")


def register_models() -> None:
    """Called once the app registry is ready (PublicationsConfig.ready)."""
    from .models import Authorship, Publication, RelatedLink, TaggedPublication

    reversion.register(
        Publication,
        exclude=NOT_RECORDED,
        follow=("authorships", "related_links", "tagged_items"),
    )
    reversion.register(Authorship)
    reversion.register(RelatedLink)
    reversion.register(TaggedPublication, follow=("tag",))
    if not reversion.is_registered(Tag):
        reversion.register(Tag)


@dataclass
class State:
    """What an editor sees of a publication at one moment: its fields by
    attname (many-to-many ones as lists of ids), its authorships and related
    links in order, and its topics' names."""

    fields: dict
    authorships: list[dict] = field(default_factory=list)
    related_links: list[dict] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)


def current_state(publication) -> State:
    """The publication as it is stored now."""
    opts = publication._meta
    fields = {f.attname: getattr(publication, f.attname) for f in opts.concrete_fields}
    for m2m in ("additional_centers", "translations"):
        fields[m2m] = list(
            getattr(publication, m2m).order_by("pk").values_list("pk", flat=True)
        )
    return State(
        fields=fields,
        authorships=list(
            publication.authorships.order_by("order", "pk").values(*AUTHORSHIP_FIELDS)
        ),
        related_links=list(
            publication.related_links.order_by("order", "pk").values(*LINK_FIELDS)
        ),
        topics=sorted(publication.tags.values_list("name", flat=True)),
    )


def revision_state(publication, revision) -> State:
    """The publication as ``revision`` recorded it."""
    from .models import Authorship, Publication, RelatedLink, TaggedPublication

    by_model: dict[type, list[Version]] = {}
    for version in revision.version_set.all():
        by_model.setdefault(version._model, []).append(version)
    own = next(
        v for v in by_model.get(Publication, []) if v.object_id == str(publication.pk)
    )

    def rows(model, names):
        found = [v.field_dict for v in by_model.get(model, [])]
        found = [row for row in found if _belongs(row, publication.pk)]
        found.sort(key=lambda row: (row.get("order", 0), row["id"]))
        return [{name: row.get(name) for name in names} for row in found]

    tag_names = {int(v.object_id): v.field_dict["name"] for v in by_model.get(Tag, [])}
    tag_ids = [
        row["tag_id"]
        for row in (v.field_dict for v in by_model.get(TaggedPublication, []))
        if row["content_object_id"] == publication.pk
    ]
    missing = [pk for pk in tag_ids if pk not in tag_names]
    if missing:  # a revision recorded before its topics were followed
        tag_names.update(Tag.objects.filter(pk__in=missing).values_list("pk", "name"))
    fields = dict(own.field_dict)
    for m2m in ("additional_centers", "translations"):
        fields[m2m] = sorted(fields.get(m2m) or [])
    return State(
        fields=fields,
        authorships=rows(Authorship, AUTHORSHIP_FIELDS),
        related_links=rows(RelatedLink, LINK_FIELDS),
        topics=sorted(tag_names[pk] for pk in tag_ids if pk in tag_names),
    )


def _belongs(row: dict, publication_pk) -> bool:
    return row.get("publication_id") == publication_pk


def revisions_of(publication):
    """The publication's revisions, newest first, with who made them."""
    return (
        Version.objects.get_for_object(publication)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def restore(publication, revision, user) -> list[str]:
    """Make ``revision``'s state the publication's again, as a new revision.

    What can no longer be restored (a file deleted since, an author or a
    related publication removed, a slug now taken) stays as it is; the
    returned messages name each such thing. The publishing state (status,
    go-live time) is kept.
    """
    from .models import Publication

    state = revision_state(publication, revision)
    kept: list[str] = []
    with transaction.atomic(), reversion.create_revision():
        publication = Publication.objects.select_for_update().get(pk=publication.pk)
        kept += _restore_fields(publication, state.fields)
        kept += _restore_pdf(publication, state.fields)
        kept += _restore_rows(publication, state)
        publication.updated_by = user
        publication.save()
        for m2m in ("additional_centers", "translations"):
            model = publication._meta.get_field(m2m).related_model
            ids = model.objects.filter(pk__in=state.fields.get(m2m) or [])
            getattr(publication, m2m).set(ids.values_list("pk", flat=True))
        publication.tags.set(state.topics)
        reversion.add_to_revision(publication)
        reversion.set_user(user)
        reversion.set_comment(
            _("Restored the revision of %(date)s.")
            % {"date": local_datetime(revision.date_created)}
        )
    return kept


def _restore_fields(publication, values: dict) -> list[str]:
    kept = []
    for model_field in publication._meta.concrete_fields:
        name = model_field.attname
        if (
            model_field.primary_key
            or not model_field.editable
            or name in NOT_RESTORED
            or name == "pdf"
            or name not in values
        ):
            continue
        value = values[name]
        problem = _unusable(publication, model_field, value)
        if problem:
            kept.append(problem)
            continue
        if isinstance(model_field, models.FileField):
            value = value.name if value else ""
        setattr(publication, name, value)
    return kept


def _unusable(publication, model_field, value) -> str | None:
    """Why ``value`` cannot be put back in ``model_field`` now, or None."""
    label = model_field.verbose_name
    if isinstance(model_field, models.FileField):
        if value and not model_field.storage.exists(value.name):
            return _("The %(field)s of that revision is no longer stored.") % {
                "field": label
            }
    elif isinstance(model_field, models.ForeignKey) and value is not None:
        if not model_field.related_model.objects.filter(pk=value).exists():
            return _("The %(field)s of that revision no longer exists.") % {
                "field": label
            }
    elif model_field.unique and value != getattr(publication, model_field.attname):
        others = type(publication).objects.exclude(pk=publication.pk)
        if others.filter(**{model_field.attname: value}).exists():
            return _(
                "The %(field)s “%(value)s” is now used by another publication."
            ) % {
                "field": label,
                "value": value,
            }
    return None


def _restore_pdf(publication, values: dict) -> list[str]:
    from .documents import make_current, point_to_version

    name = values["pdf"].name if values.get("pdf") else ""
    if name == publication.pdf.name:
        return []
    if not name:
        publication.pdf = ""  # the save marks its versions as not current
        return []
    version = publication.pdf_versions.filter(file=name).first()
    if version is None:
        return [_("The PDF of that revision is no longer kept.")]
    point_to_version(publication, version)
    make_current(version)
    return []


def _restore_rows(publication, state: State) -> list[str]:
    """Put back the revision's authorships and related links, leaving out
    those whose author or publication has been deleted since."""
    from authors.models import Author

    from .models import Authorship, Publication, RelatedLink

    kept = []
    author_ids = set(
        Author.objects.filter(
            pk__in=[row["author_id"] for row in state.authorships]
        ).values_list("pk", flat=True)
    )
    publication.authorships.all().delete()
    authorships = [row for row in state.authorships if row["author_id"] in author_ids]
    if len(authorships) < len(state.authorships):
        kept.append(_("An author of that revision has been deleted since."))
    Authorship.objects.bulk_create(
        Authorship(publication=publication, **row) for row in authorships
    )
    target_ids = set(
        Publication.objects.filter(
            pk__in=[row["target_id"] for row in state.related_links if row["target_id"]]
        ).values_list("pk", flat=True)
    )
    publication.related_links.all().delete()
    links = [
        row
        for row in state.related_links
        if not row["target_id"] or row["target_id"] in target_ids
    ]
    if len(links) < len(state.related_links):
        kept.append(_("A related publication of that revision has been deleted since."))
    RelatedLink.objects.bulk_create(
        RelatedLink(publication=publication, **row) for row in links
    )
    return kept
