"""Full-text search on PostgreSQL.

Every publication has a SearchDocument row holding its weighted words: title
A; teaser, author names and topics B; body C; the current PDF's text D
(written by postgresql_vectors.py). They are parsed with the dictionary of
the publication's language (``english_unaccent`` or ``french_unaccent``: the
English and French configurations with accents removed first, made by
migration 0007). GIN indexes on the whole vector and on its A, A and B, and C
parts say which publications match, and in which relevance group. Each
vector also holds its pairs of adjacent words, so that the indexes answer a
quoted phrase alone (migration 0012). Snippets are highlighted by
``ts_headline``.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import reduce
from operator import or_

import numpy as np
from django.contrib.postgres.search import SearchQuery, TrigramSimilarity
from django.db import connections, transaction
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat, Greatest, Left, Lower

from ...models import Language, Publication
from ..models import SearchDocument, SearchTerm
from ..query import Term, fold
from ..snippets import MARK_END, MARK_START
from .base import ALL, Match, SearchBackend
from .postgresql_functions import (
    PREFIX_CONFIG,
    TS_CONFIGS,
    AnyQuery,
    FoldedName,
    Headline,
    PairQuery,
    Regconfig,
    TitleWords,
    TrigramMatch,
    Unaccent,
)
from .postgresql_vectors import refresh_vectors

# ts_headline parses all it is given: over twelve 20,000-character bodies it
# took 17 ms a page, over their first 6,000 characters 5 ms. A match further
# on shows the teaser instead.
HEADLINE_SOURCE_CHARS = 6_000
HEADLINE_OPTIONS = (
    f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=35, MinWords=15, '
    'ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "'
)
# The SearchDocument vector of each relevance group.
COLUMNS = {
    ALL: "vector",
    "title": "title_vector",
    "head": "head_vector",
    "body": "body_vector",
}
# "Did you mean" reads at most this many known words, the closest first.
SUGGESTION_CANDIDATES = 200
# The trigram index of author names serves words of this many letters or
# more; for shorter ones every name is read, and unaccent() alone is faster.
TRIGRAM_MIN_LENGTH = 3


def language_query(terms: list[Term], config: str) -> SearchQuery:
    """Every term, parsed with one language's dictionary (for snippets)."""
    query = None
    for term in terms:
        part = SearchQuery(term.tsquery(), config=config, search_type="raw")
        query = part if query is None else query & part
    return query


def term_match(term: Term) -> AnyQuery:
    """A term in either language: its English or its French stems (a
    phrase as its word pairs), or, for a prefix, the unstemmed words of
    titles, names and topics too: stems are shorter than words ("securi" is
    no prefix of "secur")."""
    kind = PairQuery if len(term.words) > 1 else SearchQuery
    parts = [
        kind(term.tsquery(), config=config, search_type="raw")
        for config in TS_CONFIGS.values()
    ]
    if term.prefix:
        parts.append(
            SearchQuery(term.tsquery(), config=PREFIX_CONFIG, search_type="raw")
        )
    return AnyQuery(*parts)


class PostgreSQLMatch(Match):
    """Each term is parsed with each language's dictionary (the French one
    drops French stop words, "la sécurité", and stems the French way) and
    matches either: one ``@@`` that the GIN index answers alone, where a
    condition on the publication's language would make PostgreSQL read
    every candidate's vector again. A publication may so match the other
    language's stem of a word; titles in both languages are common enough in
    this field for that to help more than it hurts.
    """

    ranked = True

    def __init__(self, terms: list[Term]):
        super().__init__(terms)
        query = None
        for term in terms:
            part = term_match(term)
            query = part if query is None else query & part
        self.query = query
        # Each language's query, for snippets (which need word positions).
        self.languages = {
            code: language_query(terms, config) for code, config in TS_CONFIGS.items()
        }

    def filter(self, queryset):
        return queryset.filter(search_document__vector=self.query)

    def ids(self, matched, *groups: str) -> list[np.ndarray]:
        """In one statement."""
        documents = SearchDocument.objects.using(matched.db)
        parts, params = [], []
        for group in groups:
            sql, part_params = (
                documents.filter(**{COLUMNS[group]: self.query})
                .values("publication_id")
                .query.sql_with_params()
            )
            # The ids as one string of 8-byte integers: one value to read.
            parts.append(
                "(SELECT string_agg(int8send(m.publication_id), ''::bytea) "  # noqa: S608
                f"FROM ({sql}) m)"
            )
            params.extend(part_params)
        with connections[matched.db].cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(parts)}", params)
            found = cursor.fetchone()
        return [np.frombuffer(bytes(value or b""), dtype=">i8") for value in found]

    @contextmanager
    def scans(self, using: str):
        """A transaction in which the planner may not scan tables
        sequentially.

        PostgreSQL costs ``@@`` as one cheap operator per row, so for a word
        found in many publications it prefers reading the whole table. But
        each row then has its stored vector (3 KB compressed on average)
        read and decompressed: 5 to 10 times slower than taking the matches
        from the GIN index, which answers the match alone.
        """
        with transaction.atomic(using=using):
            with connections[using].cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
            yield

    def with_snippets(self, queryset):
        """The teaser and body around the matches, in the publication's
        language."""
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
            config = Regconfig(TS_CONFIGS[code])
            query = self.languages[code]
            return Headline(config, source, query, Value(HEADLINE_OPTIONS))

        return queryset.annotate(
            search_headline=Case(
                When(language=Language.FRENCH, then=headline(Language.FRENCH)),
                default=headline(Language.ENGLISH),
                output_field=TextField(),
            )
        )


class PostgreSQLBackend(SearchBackend):
    vendor = "postgresql"
    full_text = True
    keeps_index = True
    match_class = PostgreSQLMatch

    def refresh(self, publication_ids):
        return refresh_vectors(publication_ids)

    def suggestion_candidates(self, words: list[str]) -> list[tuple]:
        """Known words of visible titles, author names and topics that
        pg_trgm finds similar to one of ``words``."""
        visible = Publication.objects.published().filter(
            search_document__vector=SearchQuery(OuterRef("word"), config=PREFIX_CONFIG)
        )
        similarities = {
            f"similarity_{i}": TrigramSimilarity("word", Value(word))
            for i, word in enumerate(words)
        }
        closest = (
            Greatest(*similarities.values())
            if len(similarities) > 1
            else next(iter(similarities.values()))
        )
        return list(
            SearchTerm.objects.filter(
                reduce(or_, [Q(TrigramMatch(F("word"), Value(w))) for w in words]),
                Exists(visible),
            )
            .annotate(**similarities, closest=closest)
            # The closest first: a common word has hundreds of candidates.
            .order_by("-closest", "word")
            .values_list("word", "label", *similarities)[:SUGGESTION_CANDIDATES]
        )

    def word_starts(self, expression, words, folded=None):
        """Ignoring case and accents (``folded``, when given, is the
        expression folded already)."""
        target = folded if folded is not None else Unaccent(Lower(expression))
        condition = Q()
        for word in (fold(word) for word in words):
            condition &= reduce(
                or_,
                [Q(match__startswith=word)]
                + [Q(match__contains=sep + word) for sep in (" ", "-", "'")],
            )
        return target, condition

    def name_starts(self, given_name, family_name, words):
        name = Concat(given_name, Value(" "), family_name, output_field=CharField())
        folded = None
        if min(map(len, words)) >= TRIGRAM_MIN_LENGTH:
            folded = FoldedName(F(given_name), F(family_name))
        return self.word_starts(name, words, folded=folded)

    def titles_starting(self, queryset, words):
        """Served by the pub_title_words_gin index."""
        prefixes = " & ".join(f"{w}:*" if len(w) > 1 else w for w in words)
        return queryset.alias(title_words=TitleWords("title")).filter(
            title_words=SearchQuery(prefixes, config=PREFIX_CONFIG, search_type="raw")
        )

    def find_for_editors(self, queryset, words, slug="", counting=False):
        """Titles through pub_title_words_gin; authors and topics, a few
        thousand rows, by their folded names.

        Two forms of one condition, for two plans. To list a page, each
        candidate is tested against the matches: PostgreSQL walks the date
        index and stops at the page's end. To count (``counting``), one
        UNION of the matching ids, which it joins on the primary key instead
        of testing every publication.
        """
        from taggit.models import Tag

        from authors.models import Author

        from ...models import Authorship, TaggedPublication

        by_title = self.titles_starting(Publication.objects.all(), words).values("pk")
        match, condition = self.name_starts("given_name", "family_name", words)
        authors = Author.objects.alias(match=match).filter(condition).values("pk")
        match, condition = self.word_starts(F("name"), words)
        tags = Tag.objects.alias(match=match).filter(condition).values("pk")
        by_author = Authorship.objects.filter(author__in=authors)
        by_tag = TaggedPublication.objects.filter(tag__in=tags)
        if counting:
            ids = by_title.union(
                by_author.values("publication_id"),
                by_tag.values("content_object_id"),
                Publication.objects.filter(slug=slug).values("pk"),
            )
            return queryset.filter(pk__in=ids)
        return queryset.filter(
            Q(pk__in=by_title)
            | Exists(by_author.filter(publication=OuterRef("pk")))
            | Exists(by_tag.filter(content_object=OuterRef("pk")))
            | Q(slug=slug)
        )


backend = PostgreSQLBackend()
