"""Where an image's renditions are kept: the ladder of widths, and the names
of the renditions and of their manifest, derived from the original's name.

Pure functions of names and widths: ifri.images writes and reads the files,
ifri.sweep recognises them among the stored ones.
"""

import re
from pathlib import PurePosixPath

RENDITION_WIDTHS = (96, 192, 320, 480, 640, 960, 1280, 1600)
RENDITION_FOLDER = "renditions"
# A ladder step this close to the original's width adds nothing: the original
# width is made instead.
NEAR_ORIGINAL = 0.9


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


def rendition_width(original: str, name: str) -> int | None:
    """The width of ``name`` when it is a rendition of ``original``, else None."""
    width = name.removeprefix(f"{rendition_base(original)}-").removesuffix(".webp")
    if width.isdigit() and rendition_name(original, int(width)) == name:
        return int(width)
    return None
