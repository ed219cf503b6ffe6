"""A result's snippet as plain data: segments of text, each flagged when it
is a match. The template (includes/search_snippet.html) writes the HTML,
escaping every segment and marking the matches with <mark>."""

from __future__ import annotations

import html
import re
from typing import NamedTuple

# A backend that marks matches itself (ts_headline) puts them between these
# two private-use characters, removed from the source first.
MARK_START, MARK_END = "\ue000", "\ue001"
TEASER_WORDS = 40
WHITESPACE = re.compile(r"\s+")


class Segment(NamedTuple):
    text: str
    marked: bool = False


def is_headline(text: str | None) -> bool:
    """Whether a backend's headline marks a match."""
    return bool(text) and MARK_START in text


def headline_segments(headline: str) -> list[Segment]:
    """A backend's headline as segments.

    The source is HTML (the body): its tags are already gone, its entities
    are decoded here, so that the template escapes every character once.
    """
    segments, marked = [], False
    for part in re.split(f"({MARK_START}|{MARK_END})", headline):
        if part in (MARK_START, MARK_END):
            marked = part == MARK_START
            continue
        text = html.unescape(part).replace(MARK_START, "").replace(MARK_END, "")
        segments.append(Segment(WHITESPACE.sub(" ", text), marked))
    return segments


def marked_segments(text: str, words: list[str]) -> list[Segment]:
    """The text, with the words that start with a searched word marked."""
    if not words:
        return [Segment(text)]
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")\w*",
        re.IGNORECASE,
    )
    segments, position = [], 0
    for match in pattern.finditer(text):
        segments.append(Segment(text[position : match.start()]))
        segments.append(Segment(match.group(), True))
        position = match.end()
    segments.append(Segment(text[position:]))
    return segments


def teaser_segments(teaser: str, words: list[str]) -> list[Segment]:
    """The teaser's first words, with the searched words marked: for a
    publication found by its authors, topics or PDF, the teaser says more
    than the first words of the body."""
    found = teaser.split()
    text = " ".join(found[:TEASER_WORDS])
    if len(found) > TEASER_WORDS:
        text += " …"
    return marked_segments(text, words)
