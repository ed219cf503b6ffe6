"""A reader's query as search understands it: cleaned, cut into terms.

The query is never given to a database's query parser as typed: it is cut
into words here (quoted phrases, ``word*`` prefixes), and each backend
writes its own query from those words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# What a query may hold; the rest is dropped, never an error.
QUERY_MAX_LENGTH = 200
MAX_TERMS = 8
MAX_PHRASE_WORDS = 8
MAX_WORD_LENGTH = 60

WORD = re.compile(r"[^\W_]+")
# A quoted phrase (an unbalanced quote runs to the end) or a bare chunk.
CHUNK = re.compile(r'"([^"]*)"?|([^\s"]+)')
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Letters unaccent folds that Unicode decomposition does not.
FOLDS = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})


def clean_query(query) -> str:
    """The query as searched: one line of printable text, at most 200 chars."""
    text = str(query or "").encode("utf-8", "ignore").decode("utf-8")
    text = CONTROL.sub(" ", unicodedata.normalize("NFKC", text))
    return " ".join(text.split())[:QUERY_MAX_LENGTH].strip()


def fold(word: str) -> str:
    """Lowercase without accents, as PostgreSQL's unaccent writes it."""
    decomposed = unicodedata.normalize("NFKD", word.lower().translate(FOLDS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Term:
    """A word, a quoted phrase or a word* prefix of a query."""

    words: tuple[str, ...]
    quoted: bool = False
    prefix: bool = False

    def tsquery(self) -> str:
        """The term in to_tsquery syntax. Words are letters and digits only,
        so nothing the reader typed can be read as an operator."""
        text = " <-> ".join(self.words)
        return f"{text}:*" if self.prefix else text

    def __str__(self):
        text = " ".join(self.words)
        if self.quoted:
            return f'"{text}"'
        return f"{text}*" if self.prefix else text


def parse_query(query) -> list[Term]:
    """The terms of a query: words, "quoted phrases" and prefix* words.

    A bare chunk of several words ("l'énergie", "cyber-security") is a phrase
    too. Anything but letters and digits separates words; what is left of a
    hostile query is a few harmless words, or nothing.
    """
    terms = []
    for match in CHUNK.finditer(clean_query(query)):
        quoted, bare = match.groups()
        text = bare if quoted is None else quoted
        words = tuple(w for w in WORD.findall(text) if len(w) <= MAX_WORD_LENGTH)
        words = words[:MAX_PHRASE_WORDS]
        if not words:
            continue
        # One letter would be the prefix of a good part of the dictionary.
        prefix = quoted is None and bare.endswith("*") and len(words[-1]) >= 2
        term = Term(words, quoted=quoted is not None, prefix=prefix)
        if term not in terms:
            terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return terms


def words_of(terms: list[Term]) -> list[str]:
    """Every word of the terms, in order."""
    return [word for term in terms for word in term.words]
