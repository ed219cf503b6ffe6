"""The PostgreSQL functions search is written with: text search
configurations, the query kinds of migrations 0012 and 0013, and the
expressions of the indexes made for search."""

from __future__ import annotations

from django.contrib.postgres.search import (
    SearchQuery,
    SearchVectorField,
)
from django.db.models import BooleanField, Func, TextField

from ...models import Language

# Text search configurations (migration 0007): the language's stemmer after
# unaccent, and no stemming at all for prefixes ("nucl*", as-you-type).
TS_CONFIGS = {Language.ENGLISH: "english_unaccent", Language.FRENCH: "french_unaccent"}
PREFIX_CONFIG = "simple_unaccent"


class PairQuery(SearchQuery):
    """A phrase of adjacent words as the word pairs the stored vectors hold
    (migration 0012): found by the GIN index alone, where a phrase made
    PostgreSQL check the word positions of every candidate's vector."""

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = super().as_sql(compiler, connection, function, template)
        return f"search_pair_query({sql})", params


class AnyQuery(SearchQuery):
    """Any of these queries, each distinct one once (migration 0013).

    A SearchQuery, so that ``vector=`` lookups take it as it is (they wrap
    anything else in plainto_tsquery) and ``&`` combines it."""

    def __init__(self, *queries: SearchQuery):
        super().__init__(queries[0], search_type="raw")
        # search_any() of every query, not to_tsquery() of the first.
        self.function = "search_any"
        self.set_source_expressions(list(queries))


class Regconfig(Func):
    """A constant text search configuration, written as a literal so that an
    expression index on it can be used."""

    template = "'%(config)s'::regconfig"
    output_field = TextField()

    def __init__(self, config: str):
        if config not in (*TS_CONFIGS.values(), PREFIX_CONFIG):
            raise ValueError(f"Unknown text search configuration {config!r}")
        super().__init__(config=config)


class TitleWords(Func):
    """The title's unstemmed words: the expression of ``pub_title_words_gin``."""

    template = f"to_tsvector('{PREFIX_CONFIG}'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


class Headline(Func):
    function = "ts_headline"
    output_field = TextField()


class Unaccent(Func):
    function = "unaccent"
    output_field = TextField()


class FoldedName(Func):
    """An author's name, lowercase and without accents: the expression of the
    ``author_name_fold_trgm`` trigram index (migration 0010)."""

    template = "search_fold(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()


class TrigramMatch(Func):
    """``a % b``: similar enough for pg_trgm (its GIN index finds them)."""

    arg_joiner = " %% "
    template = "(%(expressions)s)"
    output_field = BooleanField()
