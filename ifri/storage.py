"""Where uploads are kept: local folders by default, S3-compatible object storage
when the environment configures it (see the STORAGES block in settings.py).

Two storages matter:

- ``storages["default"]``: public files (authors' and centers' images, the
  public copies of published work's images). Local ``MEDIA_ROOT``, or
  ``PublicS3Storage`` (plain, unsigned URLs).
- ``storages["private"]``: full-analysis PDFs and publications' images.
  ``PRIVATE_MEDIA_ROOT`` outside ``MEDIA_ROOT``, or ``PrivateS3Storage``
  (private ACL, signed URLs only). No public address reaches these files:
  views check visibility first, then stream them, or hand a PDF to nginx or
  to a short-lived signed URL.

``private_storage`` is what the model field holds. A ``FileField`` calls its
storage callable once, when models are imported; a proxy that resolves
``storages["private"]`` on use (and again after ``STORAGES`` changes, e.g. with
``override_settings`` in tests) keeps the field and the settings in step.

Both private backends also answer two questions the download view asks without
reading the whole file: ``stat(name)`` (size and modification time in one
``stat()`` or one ``HEAD``) and ``open_range(name, start, length)`` (a readable
stream of those bytes only).
"""

import os
from dataclasses import dataclass
from datetime import UTC, datetime

from botocore.exceptions import ClientError
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from storages.backends.s3 import S3Storage
from storages.utils import clean_name, safe_join


@dataclass(frozen=True)
class FileStat:
    size: int
    modified: datetime  # aware, UTC


class PrivateFileSystemStorage(FileSystemStorage):
    """Local files kept outside MEDIA_ROOT, in PRIVATE_MEDIA_ROOT.

    Nothing serves this folder: its files reach readers only through views
    that check permissions first (or through nginx's X-Accel-Redirect, from
    an ``internal`` location).
    """

    public_urls = False  # pages never link here (ifri.images.has_public_urls)

    def __init__(self, location=None, **kwargs):
        super().__init__(location=location, **kwargs)
        self.fixed_location = location

    # Read on each use, as FileSystemStorage follows MEDIA_ROOT: a changed
    # PRIVATE_MEDIA_ROOT (each test has its own) is seen at once.
    @property
    def location(self):
        return os.path.abspath(self.fixed_location or settings.PRIVATE_MEDIA_ROOT)

    def url(self, name):
        raise ValueError("Private files have no public URL.")

    def stat(self, name) -> FileStat:
        result = os.stat(self.path(name))
        return FileStat(
            size=result.st_size,
            modified=datetime.fromtimestamp(result.st_mtime, tz=UTC),
        )

    def open_range(self, name, start: int, length: int):
        """The file positioned at ``start``; the caller reads ``length`` bytes.

        A real file, so that gunicorn can hand it to sendfile().
        """
        handle = open(self.path(name), "rb")  # the response closes it
        handle.seek(start)
        return handle


class PublicS3Storage(S3Storage):
    """Public uploads (images) in a bucket readers may fetch directly."""

    querystring_auth = False


class PrivateS3Storage(S3Storage):
    """Full-analysis PDFs in a private bucket: never an unsigned URL.

    Objects are written with a private ACL and never overwritten (each upload
    has a generated name); ``url()`` is always signed and expires after
    ``PDF_SIGNED_URL_TTL`` seconds unless told otherwise.
    """

    public_urls = False  # pages never link here (ifri.images.has_public_urls)
    default_acl = "private"
    querystring_auth = True
    file_overwrite = False

    def get_default_settings(self):
        return {
            **super().get_default_settings(),
            "querystring_expire": settings.PDF_SIGNED_URL_TTL,
            "signature_version": "s3v4",
        }

    def _object(self, name):
        return self.bucket.Object(safe_join(self.location, clean_name(name)))

    def stat(self, name) -> FileStat:
        obj = self._object(name)
        try:
            obj.load()  # one HEAD request
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                raise FileNotFoundError(name) from error
            raise
        return FileStat(size=obj.content_length, modified=obj.last_modified)

    def open_range(self, name, start: int, length: int):
        """A stream of the object's bytes ``start`` to ``start + length - 1``.

        S3File would first copy the whole object into memory or a temporary
        file; a ranged GET streams only what the reader asked for.
        """
        params = {}
        if length > 0:
            params["Range"] = f"bytes={start}-{start + length - 1}"
        try:
            return self._object(name).get(**params)["Body"]
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                raise FileNotFoundError(name) from error
            raise


def stat(storage, name) -> FileStat:
    """Size and modification time of a stored file, from any storage."""
    if hasattr(storage, "stat"):
        return storage.stat(name)
    return FileStat(
        size=storage.size(name),
        modified=storage.get_modified_time(name).astimezone(UTC),
    )


def open_range(storage, name, start: int, length: int):
    """A readable stream starting at ``start``, from any storage."""
    if hasattr(storage, "open_range"):
        return storage.open_range(name, start, length)
    handle = storage.open(name, "rb")
    handle.seek(start)
    return handle


class PrivateStorage(LazyObject):
    """``storages["private"]``, looked up when first used."""

    def _setup(self):  # LazyObject's hook for subclasses
        self._wrapped = storages["private"]

    def reset(self):
        """Look ``storages["private"]`` up again on next use."""
        self._wrapped = empty


private_storage = PrivateStorage()


@receiver(setting_changed)
def _reset_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage.reset()
