"""Stop keeping an uploaded file's bytes once it is larger than any upload
the site accepts, while the request is still being read."""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


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


class SizeLimitUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: passes chunks on until the limit, then
    counts and drops them, so neither memory nor the temporary file grows
    past the largest size the site accepts (settings.PDF_MAX_UPLOAD_SIZE)."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.limit = largest_upload_allowed()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            return None  # the handlers after this one never see it
        return raw_data

    def file_complete(self, file_size):
        if self.received > self.limit:
            return OversizedUpload(
                self.file_name,
                self.content_type,
                self.received,
                self.charset,
                self.content_type_extra,
            )
        return None
