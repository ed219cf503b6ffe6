"""A publication's images are as private as the publication.

The main image, the cover image and the PDF's first page (``pdf_thumbnail``,
and each ``PdfVersion.thumbnail``) are stored in the private storage, with
their renditions (ifri/images.py). While the publication is visible to all
(``Publication.objects.published()``), a copy of each image the publication
shows, and of its renditions, is kept in the public storage under the same
names: pages link to those, and the web server, the bucket or a CDN serves
them. Otherwise nothing of them is there, and pages link to
``publication_image``, a view that applies the visibility rule (staff allowed
to preview see drafts), so a stranger who has a draft's address, or derives
one from its stored name, gets 404.

``sync_images`` publishes or withdraws the copies once a save or an admin
action has committed; the ``sync_publication_images`` command does it for
publications that went live at their publish-at time, without a save.
Until it has, their pages link to the view, which serves everyone then.
"""

import hashlib
import logging
import mimetypes
from functools import partial

from django.apps import apps
from django.db import models, transaction
from django.db.models.fields.files import ImageFieldFile
from django.db.models.signals import post_save
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from ifri.images import (
    get_renditions,
    link,
    make_renditions,
    publish_copy,
    withdraw_copy,
)
from ifri.rendition_names import rendition_width

logger = logging.getLogger(__name__)

# The images a publication shows: on its page, on its cards, as its cover.
IMAGE_FIELDS = ("main_image", "cover_image", "pdf_thumbnail")
# Browsers and shared caches may keep an image the view served this long: the
# publication may be unpublished meanwhile.
VISIBLE_MAX_AGE = 60 * 60
IMAGE_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"


class PublicationImageFieldFile(ImageFieldFile):
    """A publication's image, addressed as its publication's visibility says."""

    @property
    def url(self):
        if not self:
            raise ValueError(f"The '{self.field.name}' attribute has no file.")
        # Only where the image is: showing an address makes no rendition.
        return link(self, get_renditions(self, make=False))(self.name)

    @property
    def links_publicly(self) -> bool:
        """Whether pages may link to the public copy, when there is one."""
        publication = self.instance
        if {"status", "publish_at"} & publication.get_deferred_fields():
            return True  # rows read in part come from published()
        return publication.is_visible

    def private_url(self, name: str) -> str:
        return reverse(
            "publications:image", kwargs={"slug": self.instance.slug, "name": name}
        )


class PublicationImageField(models.ImageField):
    attr_class = PublicationImageFieldFile


# Public copies ---------------------------------------------------------------


def sync_images(publication_id: int) -> bool:
    """Publish or withdraw the public copies of a publication's images, as its
    visibility says now; return whether any file changed.

    The row stays locked meanwhile: a save that follows waits, and its own
    sync runs after this one, never beside it.
    """
    from .models import PdfVersion, Publication

    changed = False
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update()
            .only("slug", "status", "publish_at", *IMAGE_FIELDS)
            .filter(pk=publication_id)
            .first()
        )
        if publication is None:  # deleted: StoredFilesMixin deletes its files
            return False
        shown = images_of(publication)
        for image in shown:
            if publication.is_visible:
                changed |= _safely(publish_copy, image.storage, image.name)
            else:
                changed |= _safely(withdraw_copy, image.name)
        # Earlier PDFs' first pages stay private, for their versions.
        earlier = (
            PdfVersion.objects.filter(publication_id=publication_id)
            .exclude(thumbnail="")
            .exclude(thumbnail__in=[image.name for image in shown])
            .values_list("thumbnail", flat=True)
        )
        for name in earlier:
            changed |= _safely(withdraw_copy, name)
    return changed


def _safely(action, *args) -> bool:
    """One image's failure (a storage error) must not stop the others."""
    try:
        return action(*args)
    except Exception:
        logger.exception("Could not %s %s", action.__name__, args[-1])
        return False


def images_of(publication) -> list[PublicationImageFieldFile]:
    return [image for field in IMAGE_FIELDS if (image := getattr(publication, field))]


def sync_after_commit(publication_ids) -> None:
    """Sync the images of these publications once the transaction commits."""
    for publication_id in publication_ids:
        transaction.on_commit(partial(_sync, publication_id), robust=True)


def _sync(publication_id: int) -> None:
    from .caching import invalidate

    if sync_images(publication_id):
        # Cached pages link to the view, or to copies no longer there.
        invalidate()


def _publication_saved(sender, instance, **kwargs):
    sync_after_commit([instance.pk])


def connect_signals() -> None:
    from .models import Publication

    # Proxies too: a save through one sends its signals with the proxy.
    for model in apps.get_models():
        if issubclass(model, Publication):
            post_save.connect(_publication_saved, sender=model, weak=False)


# The view ----------------------------------------------------------------------


@require_safe
def publication_image(request, slug, name):
    """A publication's image or one of its renditions, for readers who may see
    the publication (pages link here while they link to no public copy)."""
    from .models import Publication

    publication = get_object_or_404(
        Publication.objects.visible_to(request.user).only(
            "slug", "status", "publish_at", *IMAGE_FIELDS
        ),
        slug=slug,
    )
    image = next(
        (
            image
            for image in images_of(publication)
            if name == image.name or rendition_width(image.name, name)
        ),
        None,
    )
    if image is None:
        raise Http404
    # Names are generated and never reused: the name identifies the bytes.
    etag = f'"{hashlib.sha256(name.encode()).hexdigest()[:32]}"'
    validators = _protect(HttpResponse(), publication, etag)
    answer = get_conditional_response(request, etag=etag, response=validators)
    if answer is not validators:  # 304 Not Modified
        return answer
    try:
        handle = _open(image, name)
    except FileNotFoundError as error:
        raise Http404 from error
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return _protect(FileResponse(handle, content_type=content_type), publication, etag)


def _open(image, name: str):
    """The file; a rendition missing from the private storage is made first."""
    try:
        return image.storage.open(name, "rb")
    except FileNotFoundError:
        if name == image.name:
            raise
    try:
        make_renditions(image.storage, image.name)
    except Exception as error:  # an unreadable original has no renditions
        logger.warning("No renditions for %s", image.name, exc_info=True)
        raise FileNotFoundError(name) from error
    return image.storage.open(name, "rb")


def _protect(response, publication, etag: str):
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = IMAGE_CONTENT_SECURITY_POLICY
    if publication.is_visible:
        patch_cache_control(response, public=True, max_age=VISIBLE_MAX_AGE)
    else:
        # A staff preview: never stored anywhere.
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
    return response
