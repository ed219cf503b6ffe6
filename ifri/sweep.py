"""Finding and removing stored files that no row refers to.

Files are written before their row commits (``ifri.filestore``), so a worker
killed in between leaves a file nothing points to, sometimes cut short; so
does a failure whose clean-up failed too. ``manage.py sweep_files`` removes
them once they are older than a grace period, so that an upload still on its
way to its commit is never taken.

Only the folders the models' file fields write to are looked at (the
``UploadTo`` folder of each FileField, in that field's storage, the renditions
of image folders beside them, and for images kept privately the folders of
their public copies, ``ifri.images.publish_copy``): whatever else an operator
keeps in the storages is left alone. A file is referenced when a row of any
model holds its name (publications, PDF versions, authors, centers...); a
rendition or manifest when its original is. Works with any storage that can
list its folders (local folders, S3 buckets).
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.db.models import FileField, ImageField

from .images import has_public_urls, public_storage
from .rendition_names import RENDITION_FOLDER, base_of_rendition_file, rendition_base
from .storage import stat
from .uploads import UploadTo

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Folder:
    storage: object
    path: str
    renditions: bool = False  # holds renditions, named after their originals


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int
    modified: datetime


@dataclass
class SweepResult:
    removed: list[StoredFile] = field(default_factory=list)  # or would be
    young: list[StoredFile] = field(default_factory=list)  # within the grace
    failed: list[StoredFile] = field(default_factory=list)  # could not delete


def file_fields() -> Iterator[FileField]:
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, FileField):
                yield model_field


def folders() -> list[Folder]:
    """Where the file fields store files, each folder once."""
    found = {}

    def add(storage, path: str, renditions: bool = False) -> None:
        # Two storages: the public one and the private one.
        key = (has_public_urls(storage), path)
        found.setdefault(key, Folder(storage, path, renditions))

    for model_field in file_fields():
        upload_to = model_field.upload_to
        if not isinstance(upload_to, UploadTo):
            continue  # not a folder of generated names: not ours to sweep
        storages = [model_field.storage]
        if isinstance(model_field, ImageField) and not has_public_urls(
            model_field.storage
        ):
            storages.append(public_storage())  # copies of published work's
        for storage in storages:
            add(storage, upload_to.folder)
            if isinstance(model_field, ImageField):
                add(storage, f"{RENDITION_FOLDER}/{upload_to.folder}", True)
    return list(found.values())


def referenced_names() -> set[str]:
    """The name of every file a row of any model refers to."""
    names = set()
    by_model = {}
    for model_field in file_fields():
        by_model.setdefault(model_field.model, []).append(model_field.attname)
    for model, attnames in by_model.items():
        rows = model._base_manager.values_list(*attnames).iterator(chunk_size=2000)
        for row in rows:
            names.update(name for name in row if name)
    return names


def stored_names(folder: Folder) -> Iterator[str]:
    """Every file under the folder, with its name in the storage."""
    pending = [folder.path]
    while pending:
        path = pending.pop()
        try:
            directories, files = folder.storage.listdir(path)
        except FileNotFoundError:  # a local folder not made yet
            continue
        yield from (f"{path}/{name}" for name in files)
        pending.extend(f"{path}/{name}" for name in directories)


def sweep(older_than: datetime, *, dry_run: bool = False) -> SweepResult:
    """Remove the files no row refers to that were last written before
    ``older_than``; with ``dry_run``, only say which."""
    result = SweepResult()
    every_folder = folders()
    referenced = referenced_names()
    originals = {rendition_base(name) for name in referenced}
    for folder in every_folder:
        for name in stored_names(folder):
            if folder.renditions:
                if base_of_rendition_file(name) in originals:
                    continue
            elif name in referenced:
                continue
            try:
                facts = stat(folder.storage, name)
            except FileNotFoundError:  # deleted meanwhile
                continue
            found = StoredFile(name, facts.size, facts.modified)
            if facts.modified >= older_than:
                result.young.append(found)
                continue
            if not dry_run:
                try:
                    folder.storage.delete(name)
                except Exception:
                    logger.exception("Could not delete %s", name)
                    result.failed.append(found)
                    continue
            result.removed.append(found)
    return result
