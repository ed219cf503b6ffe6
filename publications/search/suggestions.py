"""Did you mean: the query with its misspelled words replaced by the most
alike known words (of visible titles, author names and topics), which the
backend proposes."""

from __future__ import annotations

from .query import Term, fold

# How alike (pg_trgm similarity) a known word must be, or how few typing
# slips away (one from 5 letters, two from 9: "nuclaer").
SUGGESTION_MIN_SIMILARITY = 0.35
SUGGESTION_MIN_WORD_LENGTH = 3
SUGGESTION_SLIPS = ((9, 2), (5, 1))


def suggest(terms: list[Term], backend) -> str | None:
    """The query corrected; None when there is nothing better to propose.
    Meant for a search that found nothing: a word found only in bodies and
    PDFs may be "corrected" too. Only backends that fold accents and rank
    (``full_text``) propose anything."""
    if not backend.full_text:
        return None
    words = {
        fold(w)
        for term in terms
        if not term.prefix
        for w in term.words
        if len(w) >= SUGGESTION_MIN_WORD_LENGTH and not w.isdigit()
    }
    if not words:
        return None
    words = sorted(words)
    candidates = backend.suggestion_candidates(words)
    best = {}
    for i, word in enumerate(words):
        allowed = next((n for size, n in SUGGESTION_SLIPS if len(word) >= size), 0)
        scored = []
        for row in candidates:
            similarity, known, label = row[2 + i], row[0], row[1]
            slipped = typing_slips(word, known, allowed) <= allowed
            if slipped or similarity >= SUGGESTION_MIN_SIMILARITY:
                scored.append((slipped, similarity, known, label))
        if scored:
            *_rank, known, label = max(scored, key=lambda s: s[:3])
            if known != word:
                best[word] = label
    if not best:
        return None
    suggested = []
    for term in terms:
        corrected = tuple(best.get(fold(w), w) for w in term.words)
        suggested.append(str(Term(corrected, quoted=term.quoted, prefix=term.prefix)))
    return " ".join(suggested)


def typing_slips(typed: str, known: str, limit: int) -> int:
    """How many slips (a letter missed, added or wrong, two letters
    swapped) turn ``known`` into ``typed``; ``limit + 1`` once past
    ``limit``."""
    if abs(len(typed) - len(known)) > limit:
        return limit + 1
    before, previous = None, list(range(len(known) + 1))
    for i, letter in enumerate(typed, 1):
        current = [i]
        for j, other in enumerate(known, 1):
            cost = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (letter != other),
            )
            if i > 1 and j > 1 and letter == known[j - 2] and typed[i - 2] == other:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)
