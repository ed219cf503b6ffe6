"""Storing files so that a failure leaves none behind.

A row and its files are saved together or not at all, but only rows roll back
with their transaction. So every upload and every derived file is written
through ``save_file()``, which deletes what a failed write left (a disk that
fills up halfway leaves a partial file, one that was already full an empty
file), inside ``files_removed_on_error()``, which deletes the files written in
the block when the block raises. What still escapes both, a worker killed
between writing a file and committing its row, is removed later by
``manage.py sweep_files`` (``ifri.sweep``).
"""

import errno
import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# The storage has no room left: full disk, quota reached, file too large.
NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})

MESSAGES = {
    "storage_full": _(
        "The server has no room left to store files (its disk is full). Nothing "
        "was saved: everything stays as it was before. Tell the web team, and "
        "once they have made room, choose the files again and save."
    ),
    "storage_failed": _(
        "A file could not be stored (the storage answered with an error). Nothing "
        "was saved: everything stays as it was before. Choose the files again "
        "and save; tell the web team if it happens again."
    ),
}


class FileNotStored(Exception):
    """Writing a file failed; whatever the write left has been deleted.

    ``full`` is True when the storage had no room left.
    """

    def __init__(self, name: str, *, full: bool):
        super().__init__(name)
        self.name = name
        self.full = full

    @property
    def code(self) -> str:
        return "storage_full" if self.full else "storage_failed"

    @property
    def message(self) -> str:
        return MESSAGES[self.code]


def save_file(storage, name: str, content, max_length: int | None = None) -> str:
    """``storage.save()``, leaving no file behind when it fails.

    The name is chosen before the write so that a write cut short can be
    deleted; raises FileNotStored (from the storage's error) on failure.
    """
    chosen = None
    try:
        chosen = storage.get_available_name(name, max_length=max_length)
        return storage.save(chosen, content, max_length=max_length)
    except Exception as error:
        logger.error("Could not store %s", chosen or name, exc_info=True)
        if chosen is not None:
            delete_quietly(storage, chosen)
        full = isinstance(error, OSError) and error.errno in NO_ROOM
        raise FileNotStored(chosen or name, full=full) from error


def store_upload(instance, field, content, filename: str) -> str:
    """Store ``content`` as the file of ``instance``'s FileField ``field``.

    What ``FieldFile.save(save=False)`` does, through save_file(): the name
    comes from the field's ``upload_to``, the instance then refers to the
    stored file, and the enclosing files_removed_on_error() block deletes it
    if the save goes on to fail.
    """
    name = field.generate_filename(instance, filename)
    stored = save_file(field.storage, name, content, max_length=field.max_length)
    setattr(instance, field.attname, stored)
    remember(field.storage, stored)
    return stored


def delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:
        # Left for sweep_files; the error that led here matters more.
        logger.exception("Could not delete %s", name)


_stored_files: ContextVar[list | None] = ContextVar("stored_files", default=None)


@contextmanager
def files_removed_on_error():
    """Delete the files stored inside the block if the block raises.

    Rows roll back with their transaction; files do not. Blocks nest: files
    stored by an inner block that succeeded are the outer block's to delete if
    the outer one fails later (e.g. the admin saving the inlines).
    """
    stored = []
    outer = _stored_files.get()
    token = _stored_files.set(stored)
    try:
        yield
    except BaseException:
        for storage, name in stored:
            delete_quietly(storage, name)
        raise
    else:
        if outer is not None:
            outer.extend(stored)
    finally:
        _stored_files.reset(token)


def remember(storage, name: str) -> None:
    """Count a stored file as the enclosing block's, if there is one."""
    if (stored := _stored_files.get()) is not None:
        stored.append((storage, name))
