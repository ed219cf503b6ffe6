"""SQLite's search index: an FTS5 table of the publications, kept in step.

Every publication is one row (rowid = its id) of six columns, read from what
PostgreSQL's vectors read: the title, the subtitle, the teaser, the names of
its authors and topics, the body as text and the current PDF's first
PDF_TEXT_INDEXED characters. The ``unicode61`` tokenizer lowercases and
removes accents ("Lefèvre" is found by "lefevre"); the letters it keeps (œ,
æ, ß, ø...) are folded here (``index_fold``), in the text indexed and in the
query alike, as PostgreSQL's unaccent folds them (query.FOLDS).

The index is an external-content table: the original text lives in
TEXT_TABLE and the index holds the folded words. Folding never changes where
words start and end, so FTS5's snippets, cut from the original text, show
"cœur" where the index says "coeur". The catch is that FTS5 can only forget a
row when told which words it indexed, so a row is replaced by reading its
text back and folding it again (``_forget``). FTS5's 'integrity-check' would
take the folded words for damage: use ``refresh()``.

Migration publications.0018_search_fts makes the tables (``create``) and
fills them; nothing of this exists on PostgreSQL.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache

from django.apps import apps as global_apps
from django.db import connections, router, transaction
from django.db.models.functions import Left

from ..query import FOLDS
from ..snippets import MARK_END, MARK_START
from .base import PDF_TEXT_INDEXED

TABLE = "publications_search_fts"
TEXT_TABLE = "publications_search_text"
COLUMNS = ("title", "subtitle", "teaser", "names", "body", "pdf")
TOKENIZER = "unicode61 remove_diacritics 2"

REFRESH_BATCH = 500

CREATE_SQL = (
    f'CREATE TABLE "{TEXT_TABLE}" (id integer PRIMARY KEY, '
    + ", ".join(f"{column} text NOT NULL" for column in COLUMNS)
    + ")",
    f'CREATE VIRTUAL TABLE "{TABLE}" USING fts5({", ".join(COLUMNS)}, '
    f"content='{TEXT_TABLE}', content_rowid='id', tokenize='{TOKENIZER}')",
)
DROP_SQL = (f'DROP TABLE IF EXISTS "{TABLE}"', f'DROP TABLE IF EXISTS "{TEXT_TABLE}"')

# Statements: names are ours, values parameters.
_NAMES = ", ".join(COLUMNS)
_VALUES = ", ".join(["%s"] * len(COLUMNS))
MATCH_SQL = f'SELECT rowid FROM "{TABLE}" WHERE "{TABLE}" MATCH %s'  # noqa: S608
TEXT_SQL = f'SELECT id, {_NAMES} FROM "{TEXT_TABLE}" WHERE id IN (%s)'  # noqa: S608
FORGET_SQL = (
    f'INSERT INTO "{TABLE}" ("{TABLE}", rowid, {_NAMES}) '  # noqa: S608
    f"VALUES ('delete', %s, {_VALUES})"
)
FORGET_TEXT_SQL = f'DELETE FROM "{TEXT_TABLE}" WHERE id IN (%s)'  # noqa: S608
FORGET_ALL_SQL = (
    f'INSERT INTO "{TABLE}" ("{TABLE}") VALUES (\'delete-all\')',  # noqa: S608
    f'DELETE FROM "{TEXT_TABLE}"',  # noqa: S608
)
INSERT_TEXT_SQL = f'INSERT INTO "{TEXT_TABLE}" (id, {_NAMES}) VALUES (%s, {_VALUES})'  # noqa: S608
INSERT_SQL = f'INSERT INTO "{TABLE}" (rowid, {_NAMES}) VALUES (%s, {_VALUES})'  # noqa: S608

# Sanitised HTML (nh3) has no "<" outside its tags: a tag becomes a space, so
# that "<p>one</p><p>two</p>" stays two words.
TAG = re.compile(r"<[^>]*>")


@cache
def _folds() -> dict[int, str | None]:
    """What the tokenizer does not fold: query.FOLDS in either case,
    compatibility letters ("ﬁ" of PDF text, full-width letters) as the
    query's NFKC writes them, and the snippets' marks, never indexed."""
    table = {}
    # Only letters for letters: a word stays one word, in the same place.
    for code in range(0x80, 0x10000):
        char = chr(code)
        lower = char.lower()
        normal = unicodedata.normalize("NFKC", char)
        if len(lower) == 1 and ord(lower) in FOLDS:
            table[code] = FOLDS[ord(lower)]
        elif normal != char and char.isalnum() and normal.isalnum():
            table[code] = normal
    table[ord(MARK_START)] = table[ord(MARK_END)] = None
    return table


def index_fold(text: str) -> str:
    """The text as the index holds it (before the tokenizer's own folding)."""
    return text.translate(_folds())


def _documents(ids: list[int], db: str, apps) -> dict[int, tuple[str, ...]]:
    """Each publication's column texts, as PostgreSQL's vectors read them."""
    publication = apps.get_model("publications", "Publication")
    authorship = apps.get_model("publications", "Authorship")
    pdf_version = apps.get_model("publications", "PdfVersion")
    tagged = apps.get_model("publications", "TaggedPublication")
    names = {pk: [] for pk in ids}
    for pk, given, family in (
        authorship.objects.using(db)
        .filter(publication_id__in=ids)
        .order_by("publication_id", "order")
        .values_list("publication_id", "author__given_name", "author__family_name")
    ):
        names[pk].append(f"{given} {family}")
    for pk, name in (
        tagged.objects.using(db)
        .filter(content_object_id__in=ids)
        .order_by("content_object_id", "tag__name")
        .values_list("content_object_id", "tag__name")
    ):
        names[pk].append(name)
    pdfs = dict(
        pdf_version.objects.using(db)
        .filter(publication_id__in=ids, is_current=True)
        .values_list("publication_id", Left("text", PDF_TEXT_INDEXED))
    )
    rows = (
        publication.objects.using(db)
        .filter(pk__in=ids)
        .values_list("pk", "title", "subtitle", "teaser", "body")
    )
    documents = {}
    for pk, title, subtitle, teaser, body in rows:
        text = html.unescape(TAG.sub(" ", body or ""))
        texts = (title, subtitle, teaser, " ".join(names[pk]), text, pdfs.get(pk))
        # The marks would read as snippet marks: the text never holds them.
        documents[pk] = tuple(
            (value or "").replace(MARK_START, "").replace(MARK_END, "")
            for value in texts
        )
    return documents


def _forget(cursor, ids: list[int]) -> None:
    """Remove these publications' rows: FTS5 is told the words to forget."""
    marks = ", ".join(["%s"] * len(ids))
    cursor.execute(TEXT_SQL % marks, ids)
    old = [(pk, *map(index_fold, texts)) for pk, *texts in cursor.fetchall()]
    if old:
        cursor.executemany(FORGET_SQL, old)
        cursor.execute(FORGET_TEXT_SQL % marks, ids)


def refresh(publication_ids=None, *, using: str | None = None, apps=global_apps) -> int:
    """(Re)index these publications (all when None) and forget those that
    no longer exist; return how many were indexed. A no-op elsewhere than on
    SQLite. ``apps`` lets a migration index with its historical models."""
    publication = apps.get_model("publications", "Publication")
    db = using or router.db_for_write(publication)
    connection = connections[db]
    if connection.vendor != "sqlite":
        return 0
    indexed = 0
    with transaction.atomic(using=db), connection.cursor() as cursor:
        if publication_ids is None:
            for statement in FORGET_ALL_SQL:
                cursor.execute(statement)
            ids = list(
                publication.objects.using(db)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        else:
            ids = sorted({int(pk) for pk in publication_ids if pk is not None})
            for start in range(0, len(ids), REFRESH_BATCH):
                _forget(cursor, ids[start : start + REFRESH_BATCH])
        for start in range(0, len(ids), REFRESH_BATCH):
            documents = _documents(ids[start : start + REFRESH_BATCH], db, apps)
            rows = [(pk, *texts) for pk, texts in documents.items()]
            cursor.executemany(INSERT_TEXT_SQL, rows)
            folded = [(pk, *map(index_fold, texts)) for pk, *texts in rows]
            cursor.executemany(INSERT_SQL, folded)
            indexed += len(rows)
    return indexed


def create(schema_editor) -> None:
    """Make the tables (SQLite only), for a migration."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE_SQL:
            schema_editor.execute(statement)


def drop(schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP_SQL:
            schema_editor.execute(statement)
