"""Pillow work on uploaded images: cleaning them, and the copies pages show.

An upload is re-encoded before it is stored (``clean_image``): turned upright
according to its EXIF orientation, then saved again with nothing but its pixels
and colour profile, so no GPS position, camera make, model or serial number,
date, XMP or IPTC block, comment or appended payload reaches the public site.

Pages never send the original. Every stored image gets WebP *renditions* at a
ladder of widths, never wider than the original, under names derived from the
original's: ``covers/4f2a….jpg`` -> ``renditions/covers/4f2a…-640.webp``. A small
JSON manifest beside them records the original's size and the widths made. They
are made once, right after the upload's transaction commits (``StoredFilesMixin``
schedules it); the manifest is kept in the cache, so building an ``<img srcset>``
reads no file. An image that has no renditions yet (stored before they existed,
or written by a bulk operation that skipped ``save()``) gets them on its first
display. Original names are generated and never reused, so a rendition's URL
always shows the same picture and can be cached for ever.
"""

import hashlib
import io
import json
import logging
import math
import re
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from PIL import ExifTags, Image, ImageOps

from .filestore import save_file

logger = logging.getLogger(__name__)

# Larger images are refused on upload. Pillow itself warns above its limit and
# refuses twice as many pixels; the warning is made an error too, for the
# whole process (a warnings filter set per call is not thread-safe).
IMAGE_MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = IMAGE_MAX_PIXELS
warnings.simplefilter("error", Image.DecompressionBombWarning)

JPEG_QUALITY = 88  # uploads re-encoded to drop their metadata
RENDITION_QUALITY = 80
RENDITION_WIDTHS = (96, 192, 320, 480, 640, 960, 1280, 1600)
RENDITION_FOLDER = "renditions"
# A ladder step this close to the original's width adds nothing: the original
# width is made instead.
NEAR_ORIGINAL = 0.9
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

    def height_at(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))

    def url(self, width: int) -> str:
        return rendition_storage().url(rendition_name(self.name, width))

    def srcset(self) -> str:
        return ", ".join(f"{self.url(w)} {w}w" for w in self.widths)

    def closest(self, width: int) -> int:
        """The narrowest rendition at least ``width`` wide, else the widest."""
        return next((w for w in self.widths if w >= width), self.widths[-1])


def rendition_storage():
    """Renditions are public files, whatever storage holds the original."""
    return storages["default"]


def widths_for(original_width: int) -> tuple[int, ...]:
    """The ladder's widths below the original's, then the original's own.

    Never wider than the original: a small image gets a single rendition.
    """
    below = [w for w in RENDITION_WIDTHS if w < original_width * NEAR_ORIGINAL]
    if original_width <= RENDITION_WIDTHS[-1]:
        below.append(original_width)
    elif below[-1] != RENDITION_WIDTHS[-1]:
        below.append(RENDITION_WIDTHS[-1])
    return tuple(below)


def rendition_base(name: str) -> str:
    """What the names of an original's renditions and manifest start with."""
    path = PurePosixPath(name)
    return f"{RENDITION_FOLDER}/{path.parent / path.stem}"


def rendition_name(name: str, width: int) -> str:
    return f"{rendition_base(name)}-{width}.webp"


def manifest_name(name: str) -> str:
    return f"{rendition_base(name)}.json"


# A rendition or a manifest, by the names the two functions above give.
RENDITION_FILE = re.compile(r"(?P<base>.+?)(?:-\d+\.webp|\.json)")


def base_of_rendition_file(name: str) -> str | None:
    """The rendition_base() a stored rendition or manifest belongs to."""
    found = RENDITION_FILE.fullmatch(name)
    return found["base"] if found else None


def _cache_key(name: str) -> str:
    return f"renditions:{hashlib.sha256(name.encode()).hexdigest()}"


def get_renditions(image) -> Renditions | None:
    """The renditions of a stored image (a FieldFile), made if missing.

    Read from the cache, else from the manifest, else made now. None when the
    original cannot be read: the page then shows it as it is.
    """
    key = _cache_key(image.name)
    known = cache.get(key)
    if known is not None:
        return Renditions(image.name, *known) if known else None
    try:
        renditions = _current(read_manifest(image.name)) or make_renditions(
            image.storage, image.name
        )
    except Exception:  # a missing or broken original must not break the page
        logger.warning("No renditions for %s", image.name, exc_info=True)
        cache.set(key, (), FAILURE_TIMEOUT)
        return None
    _remember(renditions)
    return renditions


def _remember(renditions: Renditions) -> None:
    cache.set(
        _cache_key(renditions.name),
        (renditions.width, renditions.height, renditions.widths),
        INDEX_TIMEOUT,
    )


def read_manifest(name: str) -> Renditions | None:
    """The renditions the manifest lists; None if there is no manifest."""
    storage = rendition_storage()
    manifest = manifest_name(name)
    if not storage.exists(manifest):
        return None
    with storage.open(manifest, "rb") as handle:
        facts = json.load(handle)
    return Renditions(name, facts["width"], facts["height"], tuple(facts["widths"]))


def _current(renditions: Renditions | None) -> Renditions | None:
    """None when the ladder changed since the renditions were made."""
    if renditions and renditions.widths == widths_for(renditions.width):
        return renditions
    return None


def make_renditions(storage, name: str) -> Renditions:
    """Write the missing renditions of ``name`` (in ``storage``) and its manifest.

    Renditions already stored are kept, so this is safe to run again.
    """
    public = rendition_storage()
    with storage.open(name, "rb") as handle, Image.open(handle) as image:
        width, height = _upright_size(image)
        widths = widths_for(width)
        missing = [w for w in widths if not public.exists(rendition_name(name, w))]
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
                _store(public, rendition_name(name, w), buffer.getvalue())
    renditions = Renditions(name, width, height, widths)
    facts = {"width": width, "height": height, "widths": list(widths)}
    public.delete(manifest_name(name))
    _store(public, manifest_name(name), json.dumps(facts).encode())
    return renditions


def prepare_renditions(storage, name: str) -> None:
    """Make an upload's renditions and index them; for transaction.on_commit.

    A failure is logged, not raised: the upload is saved, and its first
    display tries again.
    """
    try:
        _remember(make_renditions(storage, name))
    except Exception:
        logger.exception("Could not make the renditions of %s", name)


def delete_renditions(name: str) -> None:
    """Remove an original's renditions, its manifest and its cache entry."""
    storage = rendition_storage()
    try:
        known = read_manifest(name)
    except (OSError, ValueError, KeyError):  # unreadable: the ladder's names
        known = None
    widths = set(RENDITION_WIDTHS).union(known.widths if known else ())
    for width in sorted(widths):
        storage.delete(rendition_name(name, width))
    storage.delete(manifest_name(name))
    cache.delete(_cache_key(name))


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
