"""Search: full text on PostgreSQL, a simpler word match on SQLite.

On PostgreSQL every publication has a SearchDocument row holding its weighted
words: title A; teaser, author names and topics B; body C; the current PDF's
text D. They are parsed with the dictionary of the publication's language
(``english_unaccent`` or ``french_unaccent``: the English and French
configurations with accents removed first, made by migration 0007) and kept
in step by signals that recompute them in bulk SQL once the transaction that
changed them commits. GIN indexes on the whole vector and on its A and B,
A and C parts say which publications match, and how well: those whose
title matches come first, then those whose summary, authors or topics match,
then those found in the body, then those found only in the PDF; newest
first within each.
Each vector also holds its pairs of adjacent words, so that the indexes
answer a quoted phrase alone (migration 0012). Snippets are highlighted by
``ts_headline``. The query is never given to
PostgreSQL's query parser as typed: it is cut into words here (quoted
phrases, ``word*`` prefixes) and the tsquery is written from those words.

Elsewhere (SQLite, the embedded default) a search finds the publications
whose title, subtitle, teaser, body, authors, topics or PDF text contain every
word, newest first: no ranking, no accent folding, no "did you mean".

Facets count the matches by type, center, author, topic, year and language,
each with the other facets applied, in memory (publications/facet_index.py).
Drafts and scheduled publications are never found, counted, suggested or
completed: everything starts from ``Publication.objects.published()``.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from collections import namedtuple
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, reduce
from operator import or_

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import (
    SearchQuery,
    SearchQueryField,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import connections, router, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat, Greatest, Left, Lower
from django.db.models.signals import post_delete, post_save, pre_save
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from taggit.models import Tag, TaggedItem

from authors.models import Author
from centers.models import ResearchCenter

from .caching import invalidate
from .facet_index import current_index
from .filters import PublicationFilter
from .models import (
    Authorship,
    Language,
    PdfVersion,
    Publication,
    SearchDocument,
    SearchTerm,
)

logger = logging.getLogger(__name__)

# Text search configurations (migration 0007): the language's stemmer after
# unaccent, and no stemming at all for prefixes ("nucl*", as-you-type).
TS_CONFIGS = {Language.ENGLISH: "english_unaccent", Language.FRENCH: "french_unaccent"}
PREFIX_CONFIG = "simple_unaccent"

# What a query may hold; the rest is dropped, never an error.
QUERY_MAX_LENGTH = 200
MAX_TERMS = 8
MAX_PHRASE_WORDS = 8
MAX_WORD_LENGTH = 60
# The PDF text indexed, in characters: a tsvector holds at most 1 MB, and
# positions stop at 16,383 words, so phrases are found near the beginning of
# long documents only (words further on are still found one by one).
PDF_TEXT_INDEXED = 400_000
# Publications refreshed per UPDATE by a full refresh.
REFRESH_BATCH = 1000

# Snippets: ts_headline marks matches with two private-use characters,
# removed from the source first, which become <mark> once the rest is escaped.
MARK_START, MARK_END = "\ue000", "\ue001"
# ts_headline parses all it is given: over twelve 20,000-character bodies it
# took 17 ms a page, over their first 6,000 characters 5 ms. A match further
# on shows the teaser instead.
HEADLINE_SOURCE_CHARS = 6_000
HEADLINE_OPTIONS = (
    f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=35, MinWords=15, '
    'ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "'
)

SORT_RELEVANCE, SORT_DATE = "relevance", "date"
SORTS = (SORT_RELEVANCE, SORT_DATE)
FACETS = ("type", "center", "author", "tag", "year", "lang")
# Query parameters in the order every link writes them: one URL per search.
PARAMETER_ORDER = ("q", *FACETS, "sort", "page")
# Authors and topics: the most frequent values (and the selected one).
FACET_LIMIT = 10

# "Did you mean": how alike (pg_trgm similarity) a known word must be, or
# how few typing slips away (one from 5 letters, two from 9: "nuclaer").
SUGGESTION_MIN_SIMILARITY = 0.35
SUGGESTION_MIN_WORD_LENGTH = 3
SUGGESTION_SLIPS = ((9, 2), (5, 1))

AUTOCOMPLETE_MIN_CHARS = 2
AUTOCOMPLETE_MAX_WORDS = 4

WORD = re.compile(r"[^\W_]+")
# A quoted phrase (an unbalanced quote runs to the end) or a bare chunk.
CHUNK = re.compile(r'"([^"]*)"?|([^\s"]+)')
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
WHITESPACE = re.compile(r"\s+")
# Letters unaccent folds that Unicode decomposition does not.
FOLDS = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})

FacetValue = namedtuple("FacetValue", "value label count selected")


# Queries ---------------------------------------------------------------------


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


def _language() -> str:
    """The page's language, for the fields translated by modeltranslation."""
    return "fr" if (get_language() or "").startswith("fr") else "en"


def _is_postgresql(model=Publication) -> bool:
    return connections[router.db_for_read(model)].vendor == "postgresql"


class _PairQuery(SearchQuery):
    """A phrase of adjacent words as the word pairs the stored vectors hold
    (migration 0012): found by the GIN index alone, where a phrase made
    PostgreSQL check the word positions of every candidate's vector."""

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = super().as_sql(compiler, connection, function, template)
        return f"search_pair_query({sql})", params


class _AnyQuery(SearchQuery):
    """Any of these queries, each distinct one once (migration 0013)."""

    def __init__(self, *queries):
        Func.__init__(self, *queries, output_field=SearchQueryField())
        self.function = "search_any"
        self.config = None
        self.invert = False


def _language_query(terms: list[Term], config: str):
    """Every term, parsed with one language's dictionary (for snippets)."""
    query = None
    for term in terms:
        part = SearchQuery(term.tsquery(), config=config, search_type="raw")
        query = part if query is None else query & part
    return query


def _term_match(term: Term):
    """A term in either language: its English or its French stems (a
    phrase as its word pairs), or, for a prefix, the unstemmed words of
    titles, names and topics too: stems are shorter than words ("securi" is
    no prefix of "secur")."""
    kind = _PairQuery if len(term.words) > 1 else SearchQuery
    parts = [
        kind(term.tsquery(), config=config, search_type="raw")
        for config in TS_CONFIGS.values()
    ]
    if term.prefix:
        parts.append(
            SearchQuery(term.tsquery(), config=PREFIX_CONFIG, search_type="raw")
        )
    return _AnyQuery(*parts)


def _full_text_match(terms: list[Term]) -> tuple[SearchQuery, dict]:
    """The query to match with, and the query of each language (for
    snippets, which need word positions).

    Each term is parsed with each language's dictionary (the French one
    drops French stop words, "la sécurité", and stems the French way) and
    matches either: one ``@@`` that the GIN index answers alone, where a
    condition on the publication's language would make PostgreSQL read
    every candidate's vector again. A publication may so match the other
    language's stem of a word; titles in both languages are common enough in
    this field for that to help more than it hurts.
    """
    queries = {
        code: _language_query(terms, config) for code, config in TS_CONFIGS.items()
    }
    match = None
    for term in terms:
        part = _term_match(term)
        match = part if match is None else match & part
    return match, queries


def _simple_match(terms: list[Term]) -> Q:
    """Every term in the title, teaser, body, an author, a topic or the PDF."""
    condition = Q()
    for term in terms:
        # A quoted phrase as written; other words one by one.
        for text in [" ".join(term.words)] if term.quoted else term.words:
            by_author = Authorship.objects.annotate(
                name=Concat("author__given_name", Value(" "), "author__family_name")
            ).filter(publication=OuterRef("pk"), name__icontains=text)
            by_tag = TaggedItem.objects.filter(
                content_type__app_label="publications",
                content_type__model="publication",
                object_id=OuterRef("pk"),
                tag__name__icontains=text,
            )
            by_pdf = PdfVersion.objects.filter(
                publication=OuterRef("pk"), is_current=True, text__icontains=text
            )
            condition &= (
                Q(title__icontains=text)
                | Q(subtitle__icontains=text)
                | Q(teaser__icontains=text)
                | Q(body__icontains=text)
                | Exists(by_author)
                | Exists(by_tag)
                | Exists(by_pdf)
            )
    return condition


class _Regconfig(Func):
    """A constant text search configuration, written as a literal so that an
    expression index on it can be used."""

    template = "'%(config)s'::regconfig"
    output_field = TextField()

    def __init__(self, config: str):
        if config not in (*TS_CONFIGS.values(), PREFIX_CONFIG):
            raise ValueError(f"Unknown text search configuration {config!r}")
        super().__init__(config=config)


class _TitleWords(Func):
    """The title's unstemmed words: the expression of ``pub_title_words_gin``."""

    template = f"to_tsvector('{PREFIX_CONFIG}'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


class _Headline(Func):
    function = "ts_headline"
    output_field = TextField()


class _Unaccent(Func):
    function = "unaccent"
    output_field = TextField()


class _FoldedName(Func):
    """An author's name, lowercase and without accents: the expression of the
    ``author_name_fold_trgm`` trigram index (migration 0010)."""

    template = "search_fold(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()


class _TrigramMatch(Func):
    """``a % b``: similar enough for pg_trgm (its GIN index finds them)."""

    arg_joiner = " %% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _headline(queries: dict):
    """The teaser and body around the matches, in the publication's language."""
    source = Left(
        Func(
            Concat("teaser", Value(" "), "body", output_field=TextField()),
            Value(MARK_START + MARK_END),
            Value(""),
            function="translate",
            output_field=TextField(),
        ),
        HEADLINE_SOURCE_CHARS,
    )

    def headline(code):
        return _Headline(
            _Regconfig(TS_CONFIGS[code]), source, queries[code], Value(HEADLINE_OPTIONS)
        )

    return Case(
        When(language=Language.FRENCH, then=headline(Language.FRENCH)),
        default=headline(Language.ENGLISH),
        output_field=TextField(),
    )


# Results ---------------------------------------------------------------------

# Relevance: matches in these SearchDocument vectors come first, in this
# order (the title, then the title, teaser, authors and topics, then the
# body); matches in the PDF alone come last.
RELEVANCE_GROUPS = ("title_vector", "head_vector", "body_vector")
# The fields a search result shows (templates/includes/search_result.html).
RESULT_FIELDS = (
    "title",
    "subtitle",
    "slug",
    "language",
    "teaser",
    "publication_date",
    "type",
)


class SearchResults:
    """One search: its matches, a page of them, facets and "did you mean".

    The database says which publications match (on PostgreSQL, and which
    of them match by their title, then, when a page needs them, by their
    summary, authors and topics and by their body: lists of ids from the
    GIN indexes of SearchDocument). The facet index
    (publications/facet_index.py) then filters, counts and orders them in
    memory, and only the page's rows are read. Everything is computed when
    first read.
    """

    def __init__(self, query, params=None, sort: str = SORT_RELEVANCE):
        self.query = clean_query(query)
        self.terms = parse_query(self.query)
        self.sort = sort if sort in SORTS else SORT_RELEVANCE
        self.filterset = PublicationFilter(
            params if params is not None else {},
            queryset=Publication.objects.published(),
        )
        # Invalid values (an outdated link) are ignored, as on the list page.
        self.selected = self.filterset.active
        self.full_text = _is_postgresql()
        self._query = self._queries = None
        self._groups = {}  # relevance group → its rows, once asked for
        matched = Publication.objects.published()
        if self.query and not self.terms:
            matched = matched.none()  # nothing searchable was typed
        elif self.terms and self.full_text:
            self._query, self._queries = _full_text_match(self.terms)
            matched = matched.filter(search_document__vector=self._query)
        elif self.terms:
            matched = matched.filter(_simple_match(self.terms))
        self.matched = matched

    @property
    def has_criteria(self) -> bool:
        """A query or a filter was given: without either nothing is listed."""
        return bool(self.query or self.selected)

    @property
    def is_empty(self) -> bool:
        return self.matched.query.is_empty()

    @contextmanager
    def index_scans(self):
        """Where a full-text search runs its statements: on PostgreSQL, a
        transaction in which the planner may not scan tables sequentially.

        PostgreSQL costs ``@@`` as one cheap operator per row, so for a word
        found in many publications it prefers reading the whole table. But
        each row then has its stored vector (3 KB compressed on average)
        read and decompressed: 5 to 10 times slower than taking the matches
        from the GIN index, which answers the match alone.
        """
        if self._query is None:
            yield
            return
        db = connections[self.matched.db]
        with transaction.atomic(using=db.alias):
            with db.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
            yield

    @cached_property
    def _index(self):
        return current_index()

    def _matching(self, *columns) -> list[np.ndarray]:
        """The ids of the publications whose SearchDocument column matches
        the query, for each column, in one statement."""
        documents = SearchDocument.objects.using(self.matched.db)
        parts, params = [], []
        for column in columns:
            sql, part_params = (
                documents.filter(**{column: self._query})
                .values("publication_id")
                .query.sql_with_params()
            )
            # The ids as one string of 8-byte integers: one value to read.
            parts.append(
                "(SELECT string_agg(int8send(m.publication_id), ''::bytea) "  # noqa: S608
                f"FROM ({sql}) m)"
            )
            params.extend(part_params)
        with connections[self.matched.db].cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(parts)}", params)
            found = cursor.fetchone()
        return [np.frombuffer(bytes(value or b""), dtype=">i8") for value in found]

    @cached_property
    def _found(self):
        """The rows of the facet index that match the query (all of them
        without a query), and, for a full-text search by relevance, those
        whose title matches (else None)."""
        index = self._index
        if not self.terms:
            return np.ones(index.size, dtype=bool), None
        if not self.full_text:
            return index.mask_of(list(self.matched.values_list("pk", flat=True))), None
        if self.sort != SORT_RELEVANCE:
            return index.mask_of(self._matching("vector")[0]), None
        everything, title = self._matching("vector", "title_vector")
        return index.mask_of(everything), index.mask_of(title)

    def _group(self, column: str) -> np.ndarray:
        """The rows whose vector ``column`` matches (the title matches come
        with the matches)."""
        if column == "title_vector":
            return self._found[1]
        if column not in self._groups:
            found = self._matching(column)[0]
            self._groups[column] = self._index.mask_of(found)
        return self._groups[column]

    @cached_property
    def _filter_masks(self) -> dict:
        index = self._index
        return {
            name: index.matching(name, getattr(value, "pk", value))
            for name, value in self.selected.items()
        }

    def _filters(self, without=None):
        """The rows every selected facet but ``without`` keeps."""
        mask = np.ones(self._index.size, dtype=bool)
        for name, selected in self._filter_masks.items():
            if name != without:
                mask &= selected
        return mask

    @cached_property
    def _filtered(self) -> np.ndarray:
        """The rows that match the query and every filter, newest first."""
        matches, _title = self._found
        return np.flatnonzero(matches & self._filters())

    def _ordered(self, stop: int | None) -> np.ndarray:
        """The matching rows in the order asked for, at least up to
        ``stop``: by relevance, the title matches, then the summary, author
        and topic matches, then the body matches, then the PDF matches,
        newest first within each. A group is asked for only when the page
        reaches past the ones before it."""
        rows = self._filtered
        _matches, title = self._found
        if title is None:
            return rows
        needed = len(rows) if stop is None else min(stop, len(rows))
        ordered, rest = [], rows
        for column in RELEVANCE_GROUPS:
            if sum(len(part) for part in ordered) >= needed:
                break
            inside = self._group(column)[rest]
            ordered.append(rest[inside])
            rest = rest[~inside]
        return np.concatenate([*ordered, rest])

    @property
    def total(self) -> int:
        """How many publications match the query and every selected facet."""
        return 0 if self.is_empty else len(self._filtered)

    def ids(self, start: int = 0, stop: int | None = None) -> list[int]:
        """The primary keys of the matches from ``start`` to ``stop``."""
        if self.is_empty:
            return []
        rows = self._ordered(stop)[start:stop]
        return [int(pk) for pk in self._index.ids[rows]]

    def page(self, start: int, stop: int) -> list:
        """The publications from ``start`` to ``stop`` in the search's order,
        with what the result list shows (read again through ``published()``:
        a count may lag a change for a moment, a page never shows a draft)."""
        ids = self.ids(start, stop)
        if not ids:
            return []
        # What a result shows (the snippet is cut from the body in SQL).
        rows = (
            Publication.objects.published()
            .filter(pk__in=ids)
            .select_related("type")
            .only(*RESULT_FIELDS)
            .prefetch_related(
                Prefetch(
                    "authorships",
                    queryset=Authorship.objects.select_related("author").only(
                        "publication_id",
                        "role",
                        "order",
                        "author__given_name",
                        "author__family_name",
                    ),
                )
            )
        )
        if self._queries is not None:
            rows = rows.annotate(search_headline=_headline(self._queries))
        by_pk = {publication.pk: publication for publication in rows}
        return [by_pk[pk] for pk in ids if pk in by_pk]

    def in_order(self, limit: int):
        """The first ``limit`` matches as a queryset, in the search's order."""
        ids = self.ids(0, limit)
        if not ids:
            return Publication.objects.none()
        position = Case(
            *(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)),
            output_field=IntegerField(),
        )
        return (
            Publication.objects.published()
            .filter(pk__in=ids)
            .annotate(search_position=position)
            .order_by("search_position")
        )

    def snippet(self, publication) -> SafeString:
        """The publication's summary with the searched words marked."""
        headline = getattr(publication, "search_headline", None)
        if headline and MARK_START in headline:
            return render_headline(headline)
        # Found by its authors, topics or PDF: the teaser says more than the
        # first words of the body.
        words = [w for term in self.terms for w in term.words]
        teaser = " ".join(publication.teaser.split()[:40])
        if len(publication.teaser.split()) > 40:
            teaser += " …"
        return mark_words(teaser, words)

    # Facets ----------------------------------------------------------------

    @cached_property
    def facets(self) -> dict[str, list[FacetValue]]:
        """Facet name → its values (value, label, count, selected); every
        facet counts the matches with the other facets applied."""
        if self.is_empty:
            return {name: [] for name in FACETS}
        index = self._index
        matches, _title = self._found
        counts = {}
        for name in FACETS:
            mask = matches & self._filters(without=name)
            if name in index.labels:  # authors and topics: the most frequent
                selected = getattr(self.selected.get(name), "pk", None)
                counts[name] = index.count(name, mask, FACET_LIMIT, keep=selected)
            else:
                counts[name] = index.count(name, mask)
        return {name: getattr(self, f"_facet_{name}")(counts[name]) for name in FACETS}

    def _selected_slug(self, name):
        value = self.selected.get(name)
        return getattr(value, "slug", None)

    def _with_selected(self, values, name, label):
        """Keep the selected value listed, even when nothing matches it."""
        slug = self._selected_slug(name)
        if slug and not any(v.value == slug for v in values):
            values.append(FacetValue(slug, label, 0, True))
        return values

    def _facet_type(self, counts):
        by_pk = dict(counts)
        types = sorted(
            (self._index.objects["type"][pk] for pk in by_pk),
            key=lambda t: (t.order, t.plural_name_en),
        )
        selected = self._selected_slug("type")
        values = [
            FacetValue(t.slug, t.plural_name, by_pk[t.pk], t.slug == selected)
            for t in types
        ]
        if self.selected.get("type"):
            return self._with_selected(
                values, "type", self.selected["type"].plural_name
            )
        return values

    def _facet_center(self, counts):
        """Centers count their publications as the center filter finds them:
        the main center and the other centers."""
        by_pk = dict(counts)
        centers = sorted(
            (self._index.objects["center"][pk] for pk in by_pk),
            key=lambda c: (-by_pk[c.pk], c.name_en),
        )
        selected = self._selected_slug("center")
        values = [
            FacetValue(c.slug, c.name, by_pk[c.pk], c.slug == selected) for c in centers
        ]
        if self.selected.get("center"):
            return self._with_selected(values, "center", self.selected["center"].name)
        return values

    def _ranked(self, counts, name, label):
        """FACET_LIMIT values: the selected one first, then the most
        frequent (ties by slug)."""
        labels = self._index.labels[name]
        selected = self._selected_slug(name)
        rows = [(labels[pk], count) for pk, count in counts if pk in labels]
        rows.sort(key=lambda row: (row[0][0] != selected, -row[1], row[0][0]))
        values = [
            FacetValue(slug, label(first, second), count, slug == selected)
            for (slug, first, second), count in rows[:FACET_LIMIT]
        ]
        return values

    def _facet_author(self, counts):
        values = self._ranked(
            counts, "author", lambda given, family: f"{given} {family}".strip()
        )
        if self.selected.get("author"):
            return self._with_selected(
                values, "author", self.selected["author"].full_name
            )
        return values

    def _facet_tag(self, counts):
        values = self._ranked(counts, "tag", lambda name, _none: name)
        if self.selected.get("tag"):
            return self._with_selected(values, "tag", self.selected["tag"].name)
        return values

    def _facet_year(self, counts):
        selected = self.selected.get("year")
        values = [
            FacetValue(str(year), str(year), count, year == selected)
            for year, count in sorted(counts, reverse=True)
        ]
        if selected and not any(v.selected for v in values):
            values.append(FacetValue(str(selected), str(selected), 0, True))
            values.sort(key=lambda v: v.value, reverse=True)
        return values

    def _facet_lang(self, counts):
        counts = dict(counts)
        selected = self.selected.get("lang")
        return [
            FacetValue(code, label, counts.get(code, 0), code == selected)
            for code, label in Language.choices
            if counts.get(code) or code == selected
        ]

    # Did you mean ----------------------------------------------------------

    @cached_property
    def suggestion(self) -> str | None:
        """The query with its misspelled words replaced by the most similar
        words of visible titles, author names and topics; None when there is
        nothing better to propose. Meant for a search that found nothing: a
        word found only in bodies and PDFs may be "corrected" too.
        PostgreSQL only (trigram similarity)."""
        if not self.full_text:
            return None
        words = {
            fold(w)
            for term in self.terms
            if not term.prefix
            for w in term.words
            if len(w) >= SUGGESTION_MIN_WORD_LENGTH and not w.isdigit()
        }
        if not words:
            return None
        words = sorted(words)
        visible = Publication.objects.published().filter(
            search_document__vector=SearchQuery(OuterRef("word"), config=PREFIX_CONFIG)
        )
        similarities = {
            f"similarity_{i}": TrigramSimilarity("word", Value(word))
            for i, word in enumerate(words)
        }
        candidates = list(
            SearchTerm.objects.filter(
                reduce(or_, [Q(_TrigramMatch(F("word"), Value(w))) for w in words]),
                Exists(visible),
            )
            .annotate(
                **similarities,
                closest=(
                    Greatest(*similarities.values())
                    if len(similarities) > 1
                    else next(iter(similarities.values()))
                ),
            )
            # The closest first: a common word has hundreds of candidates.
            .order_by("-closest", "word")
            .values_list("word", "label", *similarities)[:200]
        )
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
        for term in self.terms:
            words = tuple(best.get(fold(w), w) for w in term.words)
            suggested.append(str(Term(words, quoted=term.quoted, prefix=term.prefix)))
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


def search(query: str, params=None, sort: str = SORT_RELEVANCE) -> SearchResults:
    """Search visible publications.

    ``query`` as typed by a reader; ``params`` the facet filters, as the list
    page takes them (a QueryDict or a dict: type, center, author, tag, year,
    lang; invalid values are ignored); ``sort`` "relevance" (date without a
    query, or on SQLite) or "date" (newest first). With neither a query nor
    a filter every visible publication matches.
    """
    return SearchResults(query, params, sort)


# Snippets --------------------------------------------------------------------


def render_headline(headline: str) -> SafeString:
    """ts_headline's text as HTML: everything escaped but the <mark>s.

    The source is HTML (the body): its tags are already gone, its entities
    are decoded here before everything is escaped again.
    """
    parts = []
    for part in re.split(f"({MARK_START}|{MARK_END})", headline):
        if part == MARK_START:
            parts.append("<mark>")
        elif part == MARK_END:
            parts.append("</mark>")
        else:
            text = html.unescape(part).replace(MARK_START, "").replace(MARK_END, "")
            parts.append(escape(WHITESPACE.sub(" ", text)))
    return mark_safe("".join(parts))  # noqa: S308 (escaped above)


def mark_words(text: str, words: list[str]) -> SafeString:
    """The text, escaped, with the words that start with a searched word marked."""
    if not words:
        return escape(text)
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")\w*",
        re.IGNORECASE,
    )
    parts, position = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 (escaped above)


# Links -----------------------------------------------------------------------


def search_url(params: dict) -> str:
    """The search page's address for these parameters, always written in the
    same order (q, the facets, sort, page), so that a search has one URL."""
    items = [
        (name, params[name])
        for name in PARAMETER_ORDER
        if params.get(name) not in (None, "")
    ]
    url = reverse("search")
    return f"{url}?{urlencode(items)}" if items else url


# Autocomplete ----------------------------------------------------------------


def _word_starts(expression, words: list[str], full_text: bool, folded=None):
    """What to ``alias(match=...)`` and the condition that every word typed
    starts a word of ``expression``: ignoring case and accents on PostgreSQL
    (``folded``, when given, is the expression already folded there), case
    only, and for unaccented letters only, on SQLite (LIKE)."""
    if full_text:
        target = folded if folded is not None else _Unaccent(Lower(expression))
        words = [fold(word) for word in words]
        starts, contains = "match__startswith", "match__contains"
    else:
        target = expression
        starts, contains = "match__istartswith", "match__icontains"
    condition = Q()
    for word in words:
        condition &= reduce(
            or_,
            [Q(**{starts: word})]
            + [Q(**{contains: separator + word}) for separator in (" ", "-", "'")],
        )
    return target, condition


def _complete_publications(words, limit, full_text):
    visible = Publication.objects.published()
    if full_text:
        # Served by the pub_title_words_gin index.
        prefixes = " & ".join(f"{w}:*" if len(w) > 1 else w for w in words)
        visible = visible.alias(title_words=_TitleWords("title")).filter(
            title_words=SearchQuery(prefixes, config=PREFIX_CONFIG, search_type="raw")
        )
    else:
        for word in words:
            visible = visible.filter(title__icontains=word)
    rows = visible.order_by("-publication_date", "-publish_at").values_list(
        "title", "slug", "language"
    )[:limit]
    return [
        {
            "type": "publication",
            "label": title,
            "url": reverse("publications:detail", kwargs={"slug": slug}),
            "lang": language,
        }
        for title, slug, language in rows
    ]


def _complete_authors(words, limit, full_text):
    name = Concat("given_name", Value(" "), "family_name", output_field=CharField())
    # The trigram index serves words of three letters or more; for shorter
    # ones every name is read, and unaccent() alone is faster.
    folded = None
    if min(map(len, words)) >= 3:
        folded = _FoldedName(F("given_name"), F("family_name"))
    match, condition = _word_starts(name, words, full_text, folded=folded)
    authors = (
        Author.objects.active()
        .alias(match=match)
        .filter(condition)
        .order_by("family_name", "given_name")
        .values_list("given_name", "family_name", "slug")[:limit]
    )
    return [
        {
            "type": "author",
            "label": f"{given} {family}".strip(),
            "url": reverse("authors:detail", kwargs={"slug": slug}),
        }
        for given, family, slug in authors
    ]


def _complete_centers(words, limit, full_text):
    # Either language's name.
    names = Concat("name_en", Value(" "), "name_fr", output_field=CharField())
    match, condition = _word_starts(names, words, full_text)
    centers = (
        ResearchCenter.objects.active()
        .alias(match=match)
        .filter(condition)
        .order_by("order", "name_en")[:limit]
    )
    return [
        {
            "type": "center",
            "label": center.name,
            "url": reverse("centers:detail", kwargs={"slug": center.slug}),
        }
        for center in centers
    ]


def _complete_tags(words, limit, full_text):
    used = TaggedItem.objects.filter(
        content_type__app_label="publications",
        content_type__model="publication",
        tag=OuterRef("pk"),
        object_id__in=Publication.objects.published().values("pk"),
    )
    match, condition = _word_starts(F("name"), words, full_text)
    tags = (
        Tag.objects.alias(match=match)
        .filter(condition, Exists(used))
        .order_by("name")
        .values_list("name", "slug")[:limit]
    )
    url = reverse("publications:list")
    return [
        {"type": "tag", "label": name, "url": f"{url}?{urlencode({'tag': slug})}"}
        for name, slug in tags
    ]


AUTOCOMPLETE_SOURCES = {
    "publication": _complete_publications,
    "author": _complete_authors,
    "center": _complete_centers,
    "tag": _complete_tags,
}


def autocomplete(term: str, limit: int = 8) -> list[dict]:
    """Visible publications (by title), active authors, active centers and
    topics of visible publications whose words start with the words typed.

    Each item is {"type": "publication|author|center|tag", "label", "url",
    "type_label"} (publications also give their "lang"). One query per kind;
    the kinds share the ``limit`` in turns, and come grouped in that order.
    """
    words = [w for t in parse_query(term) for w in t.words]
    words = list(dict.fromkeys(words))[:AUTOCOMPLETE_MAX_WORDS]
    if not words or sum(map(len, words)) < AUTOCOMPLETE_MIN_CHARS or limit < 1:
        return []
    full_text = _is_postgresql()
    found = {
        kind: source(words, limit, full_text)
        for kind, source in AUTOCOMPLETE_SOURCES.items()
    }
    # Turns: one of each kind while there is room, so that a few authors or
    # centers are not hidden by many titles.
    taken = dict.fromkeys(found, 0)
    total = 0
    while total < limit and any(taken[k] < len(found[k]) for k in found):
        for kind in found:
            if total < limit and taken[kind] < len(found[kind]):
                taken[kind] += 1
                total += 1
    labels = autocomplete_labels()
    return [
        {**item, "type_label": labels[kind]}
        for kind in found
        for item in found[kind][: taken[kind]]
    ]


def autocomplete_labels() -> dict[str, str]:
    """What each kind of autocomplete item is called, in the current language."""
    return {
        "publication": _("Publication"),
        "author": _("Researcher"),
        "center": _("Research center"),
        "tag": _("Topic"),
    }


# Keeping the vectors in step ---------------------------------------------------

# Fields of a publication row that its vector reads.
VECTOR_FIELDS = {"title", "subtitle", "teaser", "body", "language", "pdf"}


def _refresh_statement(db) -> str:
    """One statement: recompute the vectors of the publications ``%(ids)s``
    and add their title words, author names and topics to the words "did you
    mean" knows. Returns the number of publications updated."""
    qn = db.ops.quote_name
    pub = qn(Publication._meta.db_table)
    authorship = qn(Authorship._meta.db_table)
    author = qn(Author._meta.db_table)
    tagged = qn(TaggedItem._meta.db_table)
    tag = qn(Tag._meta.db_table)
    pdf = qn(PdfVersion._meta.db_table)
    term = qn(SearchTerm._meta.db_table)
    document = qn(SearchDocument._meta.db_table)
    return f"""
    WITH source AS (
        SELECT p.id,
            CASE WHEN p.language = %(french)s THEN %(french_config)s
                 ELSE %(english_config)s END::regconfig AS config,
            p.title || ' ' || p.subtitle AS title,
            p.teaser,
            coalesce(p.body, '') AS body,
            coalesce((
                SELECT string_agg(a.given_name || ' ' || a.family_name, ' ')
                FROM {authorship} s JOIN {author} a ON a.id = s.author_id
                WHERE s.publication_id = p.id
            ), '') AS names,
            coalesce((
                SELECT string_agg(t.name, ' ')
                FROM {tagged} i JOIN {tag} t ON t.id = i.tag_id
                WHERE i.object_id = p.id AND i.content_type_id = %(content_type)s
            ), '') AS tags,
            coalesce((
                SELECT left(v.text, %(pdf_chars)s) FROM {pdf} v
                WHERE v.publication_id = p.id AND v.is_current
            ), '') AS pdf_text
        FROM {pub} p
        WHERE p.id = ANY(%(ids)s)
    ),
    vectors AS (
        SELECT s.id, s.config, s.body, s.pdf_text, s.title_vector,
            s.title_vector
            || setweight(to_tsvector(s.config, s.teaser || ' ' || s.names
                                               || ' ' || s.tags), 'B')
            || setweight(to_tsvector(%(prefix_config)s, s.names || ' ' || s.tags), 'B')
            AS head
        FROM (
            SELECT source.*,
                setweight(to_tsvector(source.config, source.title), 'A')
                || setweight(to_tsvector(%(prefix_config)s, source.title), 'A')
                AS title_vector
            FROM source
        ) s
    ),
    bodies AS (
        SELECT v.*, setweight(to_tsvector(v.config, v.body), 'C') AS body_vector
        FROM vectors v
    ),
    updated AS (
        INSERT INTO {document} AS d
            (publication_id, title_vector, head_vector, body_vector, vector)
        SELECT v.id, search_pairs(v.title_vector), search_pairs(v.head),
            search_pairs(v.body_vector),
            search_pairs(
                v.head
                || v.body_vector
                || setweight(to_tsvector(v.config, v.pdf_text), 'D')
            )
        FROM bodies v
        ON CONFLICT (publication_id) DO UPDATE SET
            title_vector = excluded.title_vector,
            head_vector = excluded.head_vector,
            body_vector = excluded.body_vector,
            vector = excluded.vector
        RETURNING d.publication_id
    ),
    words AS (
        INSERT INTO {term} (word, label)
        SELECT DISTINCT ON (unaccent(w)) unaccent(w), w
        FROM (
            SELECT unnest(tsvector_to_array(to_tsvector(
                'simple', s.title || ' ' || s.names || ' ' || s.tags))) AS w
            FROM source s
        ) found
        WHERE char_length(w) BETWEEN 3 AND 100 AND w ~ '[^0-9]'
        ORDER BY unaccent(w), w
        ON CONFLICT (word) DO NOTHING
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM updated)
    """  # noqa: S608 (names from the models, values as parameters)


def refresh_search_vectors(publication_ids=None) -> int:
    """Recompute the stored search vectors of these publications (all when
    None) in bulk SQL; return how many were updated.

    PostgreSQL only: elsewhere a no-op returning 0. A full refresh also
    forgets the words "did you mean" knew, then relearns them, in batches of
    REFRESH_BATCH publications, each its own transaction.
    """
    db = connections[router.db_for_write(Publication)]
    if db.vendor != "postgresql":
        return 0
    if publication_ids is None:
        with transaction.atomic(using=db.alias):
            SearchTerm.objects.using(db.alias).all().delete()
        ids = list(
            Publication.objects.using(db.alias)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    else:
        ids = sorted({int(pk) for pk in publication_ids if pk is not None})
    content_type = ContentType.objects.db_manager(db.alias).get_for_model(Publication)
    statement = _refresh_statement(db)
    updated = 0
    for start in range(0, len(ids), REFRESH_BATCH):
        params = {
            "ids": ids[start : start + REFRESH_BATCH],
            "french": Language.FRENCH.value,
            "french_config": TS_CONFIGS[Language.FRENCH],
            "english_config": TS_CONFIGS[Language.ENGLISH],
            "prefix_config": PREFIX_CONFIG,
            "content_type": content_type.pk,
            "pdf_chars": PDF_TEXT_INDEXED,
        }
        with transaction.atomic(using=db.alias), db.cursor() as cursor:
            cursor.execute(statement, params)
            updated += cursor.fetchone()[0]
    if updated:
        # Cached pages (search pages above all) were rendered with the old
        # vectors: a save bumps the version before its refresh runs.
        invalidate()
    return updated


class _PendingRefresh:
    """The publications to refresh when the current transaction commits."""

    def __init__(self, ids):
        self.ids = set(ids)
        self.done = False
        # Django names the callback when it logs its failure.
        self.__qualname__ = "refresh_search_vectors"

    def __call__(self):
        self.done = True
        refresh_search_vectors(self.ids)


def schedule_refresh(publication_ids) -> None:
    """Refresh these publications' vectors once the transaction commits.

    Within a transaction, every change (the row, its authors, its tags, its
    PDF) adds to one refresh, run once at commit, when all are in the
    database; outside one, the refresh runs at once. A failure is logged,
    never raised: the change it follows is saved already.
    """
    db = connections[router.db_for_write(Publication)]
    if db.vendor != "postgresql":
        return
    ids = {pk for pk in publication_ids if pk is not None}
    if not ids:
        return
    pending = getattr(db, "_search_refresh", None)
    if (
        db.in_atomic_block
        and pending is not None
        and not pending.done
        and any(entry[1] is pending for entry in db.run_on_commit)
    ):
        pending.ids.update(ids)
        return
    pending = db._search_refresh = _PendingRefresh(ids)
    transaction.on_commit(pending, using=db.alias, robust=True)


def _publication_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and not VECTOR_FIELDS.intersection(update_fields):
        return  # e.g. a download count
    schedule_refresh([instance.pk])


def _authorship_changed(sender, instance, **kwargs):
    schedule_refresh([instance.publication_id])


def _pdf_version_changed(sender, instance, **kwargs):
    schedule_refresh([instance.publication_id])


def _remember_name(fields):
    """pre_save: note whether the names a vector reads are changing."""

    def handler(sender, instance, raw=False, using=None, **kwargs):
        instance._search_name_changed = True
        if connections[using or "default"].vendor != "postgresql":
            return
        if instance.pk is not None and not raw:
            before = sender._default_manager.filter(pk=instance.pk).values(*fields)
            before = next(iter(before), None)
            instance._search_name_changed = before is None or any(
                before[f] != getattr(instance, f) for f in fields
            )

    return handler


def _author_saved(sender, instance, created=False, **kwargs):
    if getattr(instance, "_search_name_changed", True) and not created:
        schedule_refresh(
            Authorship.objects.filter(author=instance).values_list(
                "publication_id", flat=True
            )
        )


def _tag_saved(sender, instance, created=False, **kwargs):
    if getattr(instance, "_search_name_changed", True) and not created:
        schedule_refresh(
            TaggedItem.objects.filter(
                tag=instance,
                content_type__app_label="publications",
                content_type__model="publication",
            ).values_list("object_id", flat=True)
        )


def _is_publication_item(item) -> bool:
    content_type = ContentType.objects.get_for_id(item.content_type_id)
    return content_type.model_class() is Publication


def _tagged_item_changed(sender, instance, **kwargs):
    if _is_publication_item(instance):
        schedule_refresh([instance.object_id])


def connect_signals() -> None:
    """Keep every publication's vector in step with what it reads."""
    post_save.connect(_publication_saved, sender=Publication, weak=False)
    for signal in (post_save, post_delete):
        signal.connect(_authorship_changed, sender=Authorship, weak=False)
        signal.connect(_pdf_version_changed, sender=PdfVersion, weak=False)
        signal.connect(_tagged_item_changed, sender=TaggedItem, weak=False)
    pre_save.connect(
        _remember_name(("given_name", "family_name")), sender=Author, weak=False
    )
    post_save.connect(_author_saved, sender=Author, weak=False)
    pre_save.connect(_remember_name(("name",)), sender=Tag, weak=False)
    post_save.connect(_tag_saved, sender=Tag, weak=False)
