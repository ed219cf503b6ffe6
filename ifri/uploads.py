"""Upload naming and image checks shared by every app that stores images."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import FileField
from django.db.models.signals import post_delete
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

# Formats Pillow must recognise, with the extensions each may carry.
IMAGE_FORMATS = {
    "JPEG": {".jpg", ".jpeg"},
    "PNG": {".png"},
    "WEBP": {".webp"},
    "GIF": {".gif"},
}
IMAGE_EXTENSIONS = sorted(set().union(*IMAGE_FORMATS.values()))
IMAGE_MAX_PIXELS = 40_000_000

# Pillow refuses anything larger than this before decoding it.
Image.MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS

MESSAGES = {
    "image_extension": _(
        "Upload a JPEG, PNG, WebP or GIF image (the file name ends in %(ext)s)."
    ),
    "image_too_large": _("This image is %(size)s; the limit is %(limit)s."),
    "image_unreadable": _("This file is not an image we can read."),
    "image_format": _(
        "This file is a %(format)s image but its name ends in %(ext)s; "
        "rename it or export it again."
    ),
    "image_pixels": _(
        "This image has too many pixels (%(pixels)s); the limit is %(limit)s."
    ),
}


@deconstructible
class UploadTo:
    """Store each upload under a generated name, keeping only its extension.

    Generated names cannot collide, leak nothing of the uploader's file system
    and are safe whatever the original name held (quotes, ``../``, scripts).
    """

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        ext = PurePath(filename).suffix.lower()
        if not ext[1:].isalnum():
            ext = ""
        return f"{self.folder}/{uuid.uuid4().hex}{ext}"

    def __eq__(self, other):
        return isinstance(other, UploadTo) and other.folder == self.folder


def validate_image(upload) -> None:
    """Refuse anything that is not a real JPEG, PNG, WebP or GIF image.

    Files already stored were checked when they arrived and are not read again.
    """
    if getattr(upload, "_committed", False):
        return
    ext = PurePath(upload.name).suffix.lower()
    if ext not in IMAGE_EXTENSIONS:
        raise ValidationError(
            MESSAGES["image_extension"],
            code="image_extension",
            params={"ext": ext or "''"},
        )
    limit = settings.IMAGE_MAX_UPLOAD_SIZE
    if upload.size > limit:
        raise ValidationError(
            MESSAGES["image_too_large"],
            code="image_too_large",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            fmt = image.format
            pixels = image.width * image.height
            image.verify()
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            MESSAGES["image_pixels"],
            code="image_pixels",
            params={"pixels": "?", "limit": f"{IMAGE_MAX_PIXELS:,}"},
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            MESSAGES["image_unreadable"], code="image_unreadable"
        ) from exc
    finally:
        upload.seek(0)
    if fmt not in IMAGE_FORMATS:
        raise ValidationError(MESSAGES["image_unreadable"], code="image_unreadable")
    if ext not in IMAGE_FORMATS[fmt]:
        raise ValidationError(
            MESSAGES["image_format"],
            code="image_format",
            params={"format": fmt, "ext": ext},
        )
    if pixels > IMAGE_MAX_PIXELS:
        raise ValidationError(
            MESSAGES["image_pixels"],
            code="image_pixels",
            params={"pixels": f"{pixels:,}", "limit": f"{IMAGE_MAX_PIXELS:,}"},
        )


ALT_TEXT_REQUIRED = _("Describe the image for readers who cannot see it.")


def missing_alt_text(instance, *fields: tuple[str, str]) -> dict:
    """Errors for each (image, alt) pair whose image has no alternative text.

    A translated alt field is edited as ``<alt>_<default language>``; the error
    goes there, since forms have no field under the bare name.
    """
    concrete = {f.name for f in instance._meta.concrete_fields}
    errors = {}
    for image, alt in fields:
        if getattr(instance, image) and not (getattr(instance, alt) or "").strip():
            localized = f"{alt}_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}"
            key = localized if localized in concrete else alt
            errors[key] = ValidationError(ALT_TEXT_REQUIRED, code="alt_required")
    return errors


class StoredFilesMixin:
    """Removes a model's files from storage once nothing refers to them.

    A file replaced by a new upload, or whose row is deleted, is deleted after
    the transaction commits, so a rolled-back save never loses the file that
    is still referenced.
    """

    def _file_fields(self):
        return [f for f in self._meta.concrete_fields if isinstance(f, FileField)]

    def save(self, *args, **kwargs):
        fields = self._file_fields()
        previous = {}
        if self.pk and fields and not kwargs.get("force_insert"):
            names = [f.attname for f in fields]
            row = type(self)._base_manager.filter(pk=self.pk).values(*names).first()
            previous = row or {}
        super().save(*args, **kwargs)
        for field in fields:
            old = previous.get(field.attname)
            if old and old != getattr(self, field.attname).name:
                _delete_on_commit(field.storage, old)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # A signal rather than delete(): bulk deletes in the admin skip delete().
        post_delete.connect(_delete_files_of_row, sender=cls, weak=False)


def _delete_files_of_row(sender, instance, **kwargs):
    for field in instance._file_fields():
        if name := getattr(instance, field.attname).name:
            _delete_on_commit(field.storage, name)


def _delete_on_commit(storage, name: str) -> None:
    transaction.on_commit(lambda: storage.delete(name))
