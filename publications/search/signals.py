"""Every change a publication's search index reads schedules its refresh:
the publication row, its authorships, its PDF versions, its topics, and the
names of its authors and topics."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
from taggit.models import Tag

from authors.models import Author

from ..models import Authorship, PdfVersion, Publication, TaggedPublication
from .backends import backend_for
from .indexing import VECTOR_FIELDS, schedule_refresh


def _publication_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and not VECTOR_FIELDS.intersection(update_fields):
        return  # e.g. a download count
    schedule_refresh([instance.pk])


def _publication_deleted(sender, instance, using=None, **kwargs):
    # PostgreSQL's search document goes with its row; SQLite's index row
    # stays until refreshed.
    if backend_for(using or "default").refresh_on_delete:
        schedule_refresh([instance.pk])


def _authorship_changed(sender, instance, **kwargs):
    schedule_refresh([instance.publication_id])


def _pdf_version_changed(sender, instance, **kwargs):
    schedule_refresh([instance.publication_id])


def _remember_name(fields):
    """pre_save: note whether the names an index reads are changing."""

    def handler(sender, instance, raw=False, using=None, **kwargs):
        instance._search_name_changed = True
        if not backend_for(using or "default").keeps_index:
            return
        if instance.pk is not None and not raw:
            before = sender.objects.filter(pk=instance.pk).values(*fields)
            before = next(iter(before), None)
            instance._search_name_changed = before is None or any(
                before[f] != getattr(instance, f) for f in fields
            )

    return handler


def _author_saved(sender, instance, created=False, **kwargs):
    if getattr(instance, "_search_name_changed", True) and not created:
        schedule_refresh(
            Authorship.objects.filter(author=instance).values_list(
                "publication_id", flat=True
            )
        )


def _tag_saved(sender, instance, created=False, **kwargs):
    if getattr(instance, "_search_name_changed", True) and not created:
        schedule_refresh(
            TaggedPublication.objects.filter(tag=instance).values_list(
                "content_object_id", flat=True
            )
        )


def _tagged_publication_changed(sender, instance, **kwargs):
    schedule_refresh([instance.content_object_id])


def connect_signals() -> None:
    """Keep every publication's index in step with what it reads."""
    post_save.connect(_publication_saved, sender=Publication, weak=False)
    post_delete.connect(_publication_deleted, sender=Publication, weak=False)
    for signal in (post_save, post_delete):
        signal.connect(_authorship_changed, sender=Authorship, weak=False)
        signal.connect(_pdf_version_changed, sender=PdfVersion, weak=False)
        signal.connect(
            _tagged_publication_changed, sender=TaggedPublication, weak=False
        )
    pre_save.connect(
        _remember_name(("given_name", "family_name")), sender=Author, weak=False
    )
    post_save.connect(_author_saved, sender=Author, weak=False)
    pre_save.connect(_remember_name(("name",)), sender=Tag, weak=False)
    post_save.connect(_tag_saved, sender=Tag, weak=False)
