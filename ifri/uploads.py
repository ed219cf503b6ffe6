"""Upload naming, image checks and file clean-up shared by every app."""

import re
import uuid
import weakref
from functools import partial
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import FileField, ImageField
from django.db.models.fields.files import FieldFile
from django.db.models.signals import class_prepared, post_delete
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from .filestore import files_removed_on_error, store_upload
from .images import (
    IMAGE_MAX_PIXELS,
    clean_image,
    delete_image,
    prepare_renditions,
)

# Formats Pillow must recognise, with the extensions each may carry.
IMAGE_FORMATS = {
    "JPEG": {".jpg", ".jpeg"},
    "PNG": {".png"},
    "WEBP": {".webp"},
    "GIF": {".gif"},
}
IMAGE_EXTENSIONS = sorted(set().union(*IMAGE_FORMATS.values()))
SVG_EXTENSIONS = {".svg", ".svgz"}
# Longest extension a generated name keeps (dot included): any accepted file
# has a short one, and the name must fit the field's max_length.
STORED_EXTENSION_MAX_LENGTH = 10

MESSAGES = {
    "image_extension": _(
        "Upload a JPEG, PNG, WebP or GIF image (the file name ends in %(ext)s)."
    ),
    "image_svg": _(
        "SVG drawings are not accepted: they can carry scripts. Export the "
        "drawing as PNG and upload that file."
    ),
    "image_too_large": _("This image is %(size)s; the limit is %(limit)s."),
    "image_unreadable": _("This file is not an image we can read."),
    "image_damaged": _(
        "This image is damaged or incomplete (the file may have been cut short). "
        "Export it again and upload the new file."
    ),
    "image_format": _(
        "This file is a %(format)s image but its name ends in %(ext)s; "
        "rename it or export it again."
    ),
    "image_pixels": _(
        "This image has too many pixels (%(pixels)s); the limit is %(limit)s."
    ),
    "image_animated": _(
        "Animated images are not accepted: pages show still pictures. Upload a "
        "single frame as PNG or JPEG."
    ),
}


@deconstructible
class UploadTo:
    """Store each upload under a generated name, keeping only its extension.

    Generated names cannot collide, leak nothing of the uploader's file system
    and are safe whatever the original name held (quotes, ``../``, scripts)
    and however long it was.
    """

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        ext = PurePath(filename).suffix.lower()
        if not ext[1:].isalnum() or len(ext) > STORED_EXTENSION_MAX_LENGTH:
            ext = ""
        return f"{self.folder}/{uuid.uuid4().hex}{ext}"

    def __eq__(self, other):
        return isinstance(other, UploadTo) and other.folder == self.folder


def uploaded_file(upload) -> File:
    """The uploaded file itself, under the FieldFile a model wraps it in: the
    one object a form field, the model's validators and its save all see."""
    if isinstance(upload, FieldFile):
        return upload.file
    return upload if isinstance(upload, File) else File(upload)


# Uploads validate_image accepted, so that it reads each one once.
checked_images: weakref.WeakSet[File] = weakref.WeakSet()


def validate_image(upload) -> None:
    """Refuse anything that is not a real, whole, still JPEG, PNG, WebP or GIF.

    The image is decoded (at reduced scale for JPEG), so a truncated or damaged
    file is refused here rather than failing later. Files already stored were
    checked when they arrived and are not read again, nor is an upload that
    passed once (the form field, the model's validator and its save all ask).
    """
    if not is_new_upload(upload):
        return
    source = uploaded_file(upload)
    if source in checked_images:
        return
    ext = PurePath(upload.name).suffix.lower()
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if ext in SVG_EXTENSIONS or _looks_like_svg(head):
        raise ValidationError(MESSAGES["image_svg"], code="image_svg")
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
        _check_image(upload, ext)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(_pixels_in(exc)) from exc
    finally:
        upload.seek(0)
    checked_images.add(source)


def _check_image(upload, ext: str) -> None:
    try:
        image = Image.open(upload)
    except UnidentifiedImageError as exc:
        raise ValidationError(
            MESSAGES["image_unreadable"], code="image_unreadable"
        ) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:  # cut in its header
        raise ValidationError(MESSAGES["image_damaged"], code="image_damaged") from exc
    with image:
        if image.format not in IMAGE_FORMATS:
            raise ValidationError(MESSAGES["image_unreadable"], code="image_unreadable")
        if ext not in IMAGE_FORMATS[image.format]:
            raise ValidationError(
                MESSAGES["image_format"],
                code="image_format",
                params={"format": image.format, "ext": ext},
            )
        if image.width * image.height > IMAGE_MAX_PIXELS:
            raise _too_many_pixels(image.width * image.height)
        try:
            if getattr(image, "is_animated", False):
                raise ValidationError(MESSAGES["image_animated"], code="image_animated")
            # Decoding is what finds a file cut short; JPEG decodes at 1/8 scale.
            image.draft(None, (image.width // 8 or 1, image.height // 8 or 1))
            image.load()
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ValidationError(
                MESSAGES["image_damaged"], code="image_damaged"
            ) from exc


def _looks_like_svg(head: bytes) -> bool:
    """XML that mentions <svg, whatever the file is called."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(b"<") and b"<svg" in text


def _pixels_in(exc: Exception) -> int | None:
    """The pixel count Pillow's message gives, e.g. "Image size (900 pixels)"."""
    found = re.search(r"\((\d+) pixels\)", str(exc))
    return int(found[1]) if found else None


def _too_many_pixels(pixels: int | None) -> ValidationError:
    return ValidationError(
        MESSAGES["image_pixels"],
        code="image_pixels",
        params={
            "pixels": number_format(pixels, force_grouping=True) if pixels else "?",
            "limit": number_format(IMAGE_MAX_PIXELS, force_grouping=True),
        },
    )


class ImageUploadField(forms.ImageField):
    """The image input of admin forms, with validate_image's messages.

    Django's own field tries to open the file first and answers anything Pillow
    cannot open (an SVG, a pixel bomb, a damaged file) with one generic message;
    this one runs validate_image before it, so the editor learns what is wrong.
    """

    default_validators = []  # validate_image covers the extension

    def __init__(self, *, max_length=None, **kwargs):
        # The model field's max_length is for the stored name, which UploadTo
        # generates: the name the file had on the editor's computer may be
        # as long as it likes.
        super().__init__(**kwargs)

    def to_python(self, data):
        if data not in self.empty_values:
            validate_image(data)
        return super().to_python(data)


# For ModelAdmin.formfield_overrides.
IMAGE_FORM_FIELDS = {ImageField: {"form_class": ImageUploadField}}


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
    """Cleans a model's new images and removes files nothing refers to any more.

    A new image upload is checked and re-encoded without its metadata before it
    is stored (clean_image), whoever saves it: the admin, an import, a script.
    Its renditions are made once the transaction commits.

    New files are written through ``ifri.filestore``: a write that fails (a
    full disk) leaves nothing and raises FileNotStored, and files written for
    a row that then fails to save are deleted.

    A file replaced by a new upload, or whose row is deleted, is deleted after
    the transaction commits, with its renditions, so a rolled-back save never
    loses the file that is still referenced. Fields named in
    ``keep_replaced_files`` are left out of that: another row (a version kept
    in a history) still refers to their replaced files and deletes them itself.
    """

    keep_replaced_files: tuple[str, ...] = ()

    @property
    def new_file_fields(self) -> set[str]:
        """The attnames of file fields given a file since the row was read
        or saved (NewFileTracker keeps it)."""
        return vars(self).setdefault(NEW_FILE_FIELDS, set())

    def _file_fields(self):
        return [f for f in self._meta.concrete_fields if isinstance(f, FileField)]

    def save(self, *args, **kwargs):
        fields = self._file_fields()
        update_fields = kwargs.get("update_fields")
        self._clean_new_images(update_fields)
        previous = {}
        if self.pk and fields and not kwargs.get("force_insert"):
            names = [f.attname for f in fields]
            row = type(self)._base_manager.filter(pk=self.pk).values(*names).first()
            previous = row or {}
        with files_removed_on_error():
            self._store_new_files(update_fields)
            super().save(*args, **kwargs)
        for field in fields:
            old = previous.get(field.attname)
            name = getattr(self, field.attname).name
            if isinstance(field, ImageField) and name and name != old:
                # A new image, an upload cleaned above or a file other code
                # stored (a PDF's first page): renditions missing are made.
                transaction.on_commit(partial(prepare_renditions, field.storage, name))
            if field.name in self.keep_replaced_files:
                continue
            if old and old != name:
                _delete_on_commit(field, old)

    def _new_uploads(self, update_fields):
        """(field, file) of each file field given a file since the last save."""
        for field in self._file_fields():
            if update_fields is not None and field.name not in update_fields:
                continue
            upload = getattr(self, field.attname)
            if upload and is_new_upload(upload):
                yield field, upload

    def _clean_new_images(self, update_fields) -> None:
        """Replace each image uploaded since the last save by its clean copy.

        Raises ValidationError, before anything is stored, for a file that
        validate_image refuses.
        """
        for field, upload in list(self._new_uploads(update_fields)):
            if isinstance(field, ImageField):
                validate_image(upload)
                setattr(self, field.attname, clean_image(upload))

    def _store_new_files(self, update_fields) -> None:
        """Store each new file as the model's save would, but through
        store_upload(): a write that fails (a full disk) leaves no file, and
        the enclosing block deletes them if the row then fails to save."""
        for field, upload in list(self._new_uploads(update_fields)):
            store_upload(self, field, upload.file, upload.name)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # A signal rather than delete(): bulk deletes in the admin skip delete().
        post_delete.connect(_delete_files_of_row, sender=cls, weak=False)
        class_prepared.connect(_track_new_files, sender=cls, weak=False)


# Where a StoredFilesMixin instance lists its fields given a file (a name
# no model field can have).
NEW_FILE_FIELDS = "stored_files:new"


class NewFileTracker:
    """A file field's descriptor, which also notes when the field is given a
    file to store rather than the name of a stored one.

    Django's FieldFile keeps that only in a private flag; this is what tells
    StoredFilesMixin and the validators which files are new.
    """

    def __init__(self, descriptor):
        self.descriptor = descriptor
        self.field = descriptor.field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self.descriptor
        return self.descriptor.__get__(instance, owner)

    def __set__(self, instance, value):
        # A FieldFile (a form giving back the file it showed, another row's
        # file) is new only if it was new where it came from.
        fresh = is_new_upload(value)
        self.descriptor.__set__(instance, value)
        new = vars(instance).setdefault(NEW_FILE_FIELDS, set())
        (new.add if fresh else new.discard)(self.field.attname)


def _track_new_files(sender, **kwargs):
    for field in sender._meta.concrete_fields:
        descriptor = vars(sender).get(field.attname)  # a proxy has its parent's
        if isinstance(field, FileField) and descriptor is not None:
            setattr(sender, field.attname, NewFileTracker(descriptor))


def is_new_upload(value) -> bool:
    """Whether ``value`` is a file to store: an upload or a file made by code,
    as given to a form field or to a model's file field; False for a stored
    file."""
    if isinstance(value, FieldFile):
        new_file_fields = getattr(value.instance, "new_file_fields", ())
        return value.field.attname in new_file_fields
    return isinstance(value, File)


def _delete_files_of_row(sender, instance, **kwargs):
    for field in instance._file_fields():
        if name := getattr(instance, field.attname).name:
            _delete_on_commit(field, name)


def _delete_on_commit(field, name: str) -> None:
    def delete():
        if isinstance(field, ImageField):
            delete_image(field.storage, name)  # with its renditions and copies
        else:
            field.storage.delete(name)

    transaction.on_commit(delete)
