"""Pillow work on uploaded images: cleaning them, and the copies pages show.

An upload is re-encoded before it is stored (``clean_image``): turned upright
according to its EXIF orientation, then saved again with nothing but its pixels
and colour profile, so no GPS position, camera make, model or serial number,
date, XMP or IPTC block, comment or appended payload reaches the public site.

Pages never send the original. Every stored image gets WebP *renditions* at a
ladder of widths, never wider than the original, under names derived from the
original's: ``covers/4f2a….jpg`` -> ``renditions/covers/4f2a…-640.webp``, in the
original's storage (the names: ifri/rendition_names.py). A small JSON manifest
beside them records the original's size and the widths made. They are made
once, right after the upload's transaction commits (``StoredFilesMixin``
schedules it); the manifest is kept in the cache, so building an
``<img srcset>`` reads no file. An image that has no renditions yet (stored
before they existed, or written by a bulk operation that skipped ``save()``)
gets them on its first display. Original names are generated and never reused,
so a rendition's URL always shows the same picture.

An image in a private storage (a publication's, see publications/media.py) has
no public URL. While its owner is public, ``publish_copy`` puts a copy of it,
its renditions and its manifest in the public storage under the same names, and
pages link to those; ``withdraw_copy`` deletes them. Otherwise pages link to a
view that checks who may see the image.
"""

import hashlib
import io
import json
import logging
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from PIL import ExifTags, Image, ImageOps

from .filestore import save_file
from .rendition_names import RENDITION_WIDTHS, manifest_name, rendition_name, widths_for

logger = logging.getLogger(__name__)

# Larger images are refused on upload. Pillow itself warns above its limit and
# refuses twice as many pixels; the warning is made an error too, for the
# whole process (a warnings filter set per call is not thread-safe).
IMAGE_MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS
warnings.simplefilter("error", Image.DecompressionBombWarning)

JPEG_QUALITY = 88  # uploads re-encoded to drop their metadata
RENDITION_QUALITY = 80
INDEX_TIMEOUT = 24 * 60 * 60  # then the manifest is read again
FAILURE_TIMEOUT = 5 * 60  # an unreadable original is not retried on every request


@dataclass(frozen=True)
class Layout:
    """How large an image is drawn, for the browser to pick a rendition.

    ``sizes`` mirrors static/css/site.css: change both together.
    """

    sizes: str
    fallback: int  # width of the ``src`` candidate, for clients without srcset
    eager: bool = False  # shown above the fold: fetched first, never lazily


LAYOUTS = {
    # .publication__image: the article column, 37-46rem beside the aside.
    "article": Layout("(min-width: 64em) 46rem, 100vw", 960, eager=True),
    # .card-grid: three columns of up to 23rem, two from 38em, else one.
    "card": Layout("(min-width: 58.5em) 23rem, (min-width: 38em) 50vw, 100vw", 640),
    # .center-block__image: the article page's aside, 20rem minus its padding.
    "aside": Layout("(min-width: 64em) 18rem, 100vw", 640),
    # .person__photo: 4rem in the aside, 5rem in the researchers list.
    "person": Layout("5rem", 192),
    # .profile__photo and .profile__image, at the top of author and center pages.
    "profile-photo": Layout("14rem", 480, eager=True),
    "profile-image": Layout("(min-width: 44em) 27rem, 100vw", 640, eager=True),
}


def clean_image(upload) -> ContentFile:
    """The upload, upright and stripped of metadata, in its own format.

    JPEG is re-encoded at JPEG_QUALITY, WebP likewise (lossy), PNG and GIF
    losslessly; the ICC colour profile and transparency are kept. Expects an
    upload that validate_image accepted: a still image of an allowed format.
    """
    buffer = io.BytesIO()
    upload.seek(0)
    with Image.open(upload) as image:
        fmt = image.format
        icc_profile = image.info.get("icc_profile")
        transparency = image.info.get("transparency")
        ImageOps.exif_transpose(image, in_place=True)
        # Savers copy some metadata (comments, EXIF, XMP) from info unless
        # told otherwise; an empty info leaves only what is passed below.
        image.info = {}
        options = {"icc_profile": icc_profile} if icc_profile else {}
        if fmt in ("JPEG", "WEBP"):
            options.update(quality=JPEG_QUALITY)
        if fmt == "JPEG":
            options.update(optimize=True)
        elif transparency is not None and fmt in ("PNG", "GIF"):
            options.update(transparency=transparency)
        image.save(buffer, fmt, **options)
    upload.seek(0)
    return ContentFile(buffer.getvalue(), name=PurePosixPath(upload.name).name)


# Renditions ----------------------------------------------------------------


@dataclass(frozen=True)
class Renditions:
    """An image's renditions: enough to write srcset without reading a file."""

    name: str  # the original's name in storage
    width: int  # the original's size, upright
    height: int
    widths: tuple[int, ...]
    public: bool  # in the public storage, beside the original or copied there

    def height_at(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))

    def names(self) -> list[str]:
        return [rendition_name(self.name, w) for w in self.widths]

    def srcset(self, url: Callable[[str], str]) -> str:
        return ", ".join(
            f"{url(rendition_name(self.name, w))} {w}w" for w in self.widths
        )

    def closest(self, width: int) -> int:
        """The narrowest rendition at least ``width`` wide, else the widest."""
        return next((w for w in self.widths if w >= width), self.widths[-1])

    def facts(self) -> tuple:
        return (self.width, self.height, self.widths, self.public)


def public_storage():
    """The storage readers fetch files from directly, by their plain URLs."""
    return storages["default"]


def has_public_urls(storage) -> bool:
    """False for the private storages of ifri.storage: only views serve them."""
    return getattr(storage, "public_urls", True)


def link(image, renditions: Renditions | None) -> Callable[[str], str]:
    """How pages address an image and its renditions: a name -> URL function.

    An image of the public storage by its URL there. An image kept privately
    (its field file then has ``private_url`` and ``links_publicly``) by the
    public URL of its public copy when there is one and its owner may be seen
    by all, else through the view that ``private_url`` names.
    """
    private_url = getattr(image, "private_url", None)
    if private_url is None:
        return image.storage.url
    if renditions is not None and renditions.public and image.links_publicly:
        return public_storage().url
    return private_url


def _cache_key(name: str) -> str:
    return f"image-renditions:{hashlib.sha256(name.encode()).hexdigest()}"


def get_renditions(image, make: bool = True) -> Renditions | None:
    """The renditions of a stored image (a FieldFile), made if missing.

    Read from the cache, else from the manifest (that of the public copy
    first, for an image kept privately), else made now beside the original
    (unless ``make`` is false). None when the original cannot be read: the
    page then shows it as it is.
    """
    key = _cache_key(image.name)
    known = cache.get(key)
    if known is not None:
        return Renditions(image.name, *known) if known else None
    try:
        renditions = _locate(image.storage, image.name, make)
    except Exception:  # a missing or broken original must not break the page
        logger.warning("No renditions for %s", image.name, exc_info=True)
        if make:
            cache.set(key, (), FAILURE_TIMEOUT)
        return None
    if renditions is not None:
        # Not set: publishing or withdrawing a public copy meanwhile wrote
        # where pages must link.
        cache.add(key, renditions.facts(), INDEX_TIMEOUT)
    return renditions


def _locate(storage, name: str, make: bool) -> Renditions | None:
    if not has_public_urls(storage):
        if copy := _current(read_manifest(public_storage(), name)):
            return copy
    found = _current(read_manifest(storage, name))
    if found is None and make:
        found = make_renditions(storage, name)
    return found


def read_manifest(storage, name: str) -> Renditions | None:
    """The renditions the manifest in ``storage`` lists; None if it has none."""
    manifest = manifest_name(name)
    if not storage.exists(manifest):
        return None
    with storage.open(manifest, "rb") as handle:
        facts = json.load(handle)
    return Renditions(
        name,
        facts["width"],
        facts["height"],
        tuple(facts["widths"]),
        has_public_urls(storage),
    )


def _current(renditions: Renditions | None) -> Renditions | None:
    """None when the ladder changed since the renditions were made."""
    if renditions and renditions.widths == widths_for(renditions.width):
        return renditions
    return None


def make_renditions(storage, name: str) -> Renditions:
    """Write the missing renditions of ``name`` and its manifest beside it, in
    ``storage``: a private original's renditions are private too.

    Renditions already stored are kept, so this is safe to run again.
    """
    with storage.open(name, "rb") as handle, Image.open(handle) as image:
        width, height = _upright_size(image)
        widths = widths_for(width)
        missing = [w for w in widths if not storage.exists(rendition_name(name, w))]
        if missing:
            # JPEG can decode at 1/2, 1/4 or 1/8 scale: far faster for photos
            # much larger than the widest rendition.
            scale = max(missing) / width
            image.draft(
                None, (math.ceil(image.width * scale), math.ceil(image.height * scale))
            )
            icc_profile = (
                image.info.get("icc_profile") if image.mode != "CMYK" else None
            )
            ImageOps.exif_transpose(image, in_place=True)
            source = _webp_ready(image)
            for w in sorted(missing, reverse=True):
                size = (w, max(1, round(height * w / width)))
                copy = source.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
                buffer = io.BytesIO()
                options = {"icc_profile": icc_profile} if icc_profile else {}
                copy.save(buffer, "WEBP", quality=RENDITION_QUALITY, **options)
                _store(storage, rendition_name(name, w), buffer.getvalue())
    renditions = Renditions(name, width, height, widths, has_public_urls(storage))
    _write_manifest(storage, renditions)
    return renditions


def _write_manifest(storage, renditions: Renditions) -> None:
    facts = {
        "width": renditions.width,
        "height": renditions.height,
        "widths": list(renditions.widths),
    }
    storage.delete(manifest_name(renditions.name))
    _store(storage, manifest_name(renditions.name), json.dumps(facts).encode())


def prepare_renditions(storage, name: str) -> None:
    """Make an upload's renditions and index them; for transaction.on_commit.

    A failure is logged, not raised: the upload is saved, and its first
    display tries again.
    """
    try:
        renditions = make_renditions(storage, name)
    except Exception:
        logger.exception("Could not make the renditions of %s", name)
        return
    if renditions.public:
        _remember(renditions)
    else:  # where pages link to is for publish_copy and withdraw_copy to say
        cache.add(_cache_key(name), renditions.facts(), INDEX_TIMEOUT)


def _remember(renditions: Renditions) -> None:
    cache.set(_cache_key(renditions.name), renditions.facts(), INDEX_TIMEOUT)


# Public copies of private images --------------------------------------------


def publish_copy(storage, name: str) -> bool:
    """Copy a private original, its renditions and its manifest to the public
    storage, under the same names; return whether anything was copied.

    The original goes first and the manifest last: pages link to the copies
    once the manifest is there, and withdraw_copy looks for the original only.
    """
    public = public_storage()
    if copy := _current(read_manifest(public, name)):
        _remember(copy)
        return False
    source = _current(read_manifest(storage, name)) or make_renditions(storage, name)
    for each in (name, *source.names()):
        if not public.exists(each):
            with storage.open(each, "rb") as handle:
                _store(public, each, handle.read())
    copy = replace(source, public=True)
    _write_manifest(public, copy)
    _remember(copy)
    return True


def withdraw_copy(name: str) -> bool:
    """Delete the public copy of a private original and of its renditions;
    return whether there was one. The original's own files stay."""
    public = public_storage()
    found = public.exists(name)
    if found:
        delete_renditions(public, name)
        public.delete(name)
    cache.delete(_cache_key(name))
    return found


def delete_image(storage, name: str) -> None:
    """Remove an original, its renditions, its manifest and any public copy."""
    storage.delete(name)
    delete_renditions(storage, name)
    if not has_public_urls(storage):
        withdraw_copy(name)
    cache.delete(_cache_key(name))


def delete_renditions(storage, name: str) -> None:
    """Remove an original's renditions and manifest from ``storage``.

    The manifest first: without it, pages no longer link to the rest.
    """
    try:
        known = read_manifest(storage, name)
    except (OSError, ValueError, KeyError):  # unreadable: the ladder's names
        known = None
    storage.delete(manifest_name(name))
    widths = set(RENDITION_WIDTHS).union(known.widths if known else ())
    for width in sorted(widths):
        storage.delete(rendition_name(name, width))


def _upright_size(image) -> tuple[int, int]:
    """The size once the EXIF orientation is applied (5-8 turn it a quarter)."""
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    if orientation in (5, 6, 7, 8):
        return image.height, image.width
    return image.size


def _webp_ready(image):
    """The image in a mode WebP stores: RGB, or RGBA when it has transparency."""
    if image.mode in ("RGB", "RGBA"):
        return image
    if image.mode.startswith("I"):  # 16-bit grey: scale, do not clip
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    transparent = image.mode in ("LA", "La", "PA", "RGBa") or (
        "transparency" in image.info
    )
    return image.convert("RGBA" if transparent else "RGB")


def _store(storage, name: str, data: bytes) -> None:
    # A write cut short (full disk) is deleted: a partial rendition would
    # otherwise count as made and be served.
    stored = save_file(storage, name, ContentFile(data))
    if stored != name:  # written meanwhile by another process: keep that one
        storage.delete(stored)
