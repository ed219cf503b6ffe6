"""Receiving uploaded files: never more of one than the site accepts, and no
temporary file left behind.

``ifri.upload_gate`` decides, before anything is read, whether a request may
carry files at all; this handler then keeps each file it is given, in memory
for a small request and in a temporary file otherwise, up to the largest size
any upload may have. Past that, the bytes are counted and dropped, and what
was kept is deleted at once: the form still learns the file's real size and
refuses it with the usual "this file is too large" message.
"""

import io
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import (
    InMemoryUploadedFile,
    TemporaryUploadedFile,
    UploadedFile,
)
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

# Longest extension given to a temporary file's name: the file system's limit
# on a name's length is in bytes, and the original name can be long.
TEMPORARY_SUFFIX_MAX_BYTES = 16


def largest_upload_allowed() -> int:
    return max(settings.PDF_MAX_UPLOAD_SIZE, settings.IMAGE_MAX_UPLOAD_SIZE)


class OversizedUpload(UploadedFile):
    """A file that was too large: its size is known, its content was dropped.

    Validators compare ``size`` with their limit before reading anything, so
    the editor gets the usual "this file is too large" message.
    """

    def __init__(self, name, content_type, size, charset, content_type_extra):
        super().__init__(
            io.BytesIO(), name, content_type, size, charset, content_type_extra
        )


class LimitedUploadHandler(FileUploadHandler):
    """The only entry of FILE_UPLOAD_HANDLERS: Django's memory and temporary
    file handlers in one, with a size limit.

    A request no larger than FILE_UPLOAD_MAX_MEMORY_SIZE keeps its files in
    memory, as with Django's handlers; a larger one writes each file to a
    temporary file in FILE_UPLOAD_TEMP_DIR, which is deleted when the file is
    closed. A file larger than largest_upload_allowed() stops being kept the
    moment it passes the limit; a file the request ends before completing is
    deleted; ``close_unfinished()`` deletes whatever is still kept when the
    parsing stopped on an error.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.in_memory = False
        self.kept = None

    def handle_raw_input(
        self, input_data, META, content_length, boundary, encoding=None
    ):
        self.in_memory = content_length <= settings.FILE_UPLOAD_MAX_MEMORY_SIZE

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.close_unfinished()
        self.limit = largest_upload_allowed()
        self.received = 0
        if self.in_memory:
            self.kept = io.BytesIO()
        else:
            self.kept = TemporaryUploadedFile(
                _temporary_name(self.file_name),
                self.content_type,
                0,
                self.charset,
                self.content_type_extra,
            )

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.close_unfinished()
        elif self.kept is not None:
            self.kept.write(raw_data)
        return None

    def file_complete(self, file_size):
        kept, self.kept = self.kept, None
        if kept is None:
            return OversizedUpload(
                self.file_name,
                self.content_type,
                self.received,
                self.charset,
                self.content_type_extra,
            )
        kept.seek(0)
        if self.in_memory:
            return InMemoryUploadedFile(
                kept,
                self.field_name,
                self.file_name,
                self.content_type,
                file_size,
                self.charset,
                self.content_type_extra,
            )
        kept.name = self.file_name
        kept.size = file_size
        return kept

    def upload_interrupted(self):
        self.close_unfinished()

    def upload_complete(self):
        self.close_unfinished()

    def close_unfinished(self):
        """Close (and so delete) the file being received, if any.

        Files completed belong to request.FILES, which Django closes when the
        response is.
        """
        kept, self.kept = self.kept, None
        if kept is not None:
            kept.close()


class NoFilesUploadHandler(FileUploadHandler):
    """For requests that may not upload: every file part is skipped unread,
    kept neither in memory nor on disk; the form's other fields are read."""

    def new_file(self, *args, **kwargs):
        raise SkipFile

    def receive_data_chunk(self, raw_data, start):
        return None

    def file_complete(self, file_size):
        return None


def _temporary_name(file_name: str) -> str:
    suffix = PurePath(file_name).suffix
    if len(suffix.encode()) > TEMPORARY_SUFFIX_MAX_BYTES:
        suffix = ""
    return f"upload{suffix}"
