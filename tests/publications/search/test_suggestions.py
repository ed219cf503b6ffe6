"""Did you mean: typing slips, and no suggestion without full text."""

import pytest
from django.db import connection

from publications.search import search
from publications.search.suggestions import typing_slips

from ...factories import PublicationFactory


@pytest.mark.parametrize(
    ("typed", "known", "slips"),
    [
        ("nuclear", "nuclear", 0),
        ("nuclaer", "nuclear", 1),  # two letters swapped
        ("securty", "security", 1),  # one missed
        ("deterrrence", "deterrence", 1),  # one added
        ("nucleer", "nuclear", 1),  # one wrong
        ("nuclaer deterrecne", "nuclear deterrence", 2),
        ("sanctions", "nuclear", 3),  # past the limit: limit + 1
        ("a", "abcdef", 3),
    ],
)
def test_typing_slips_count_edits_up_to_a_limit(typed, known, slips):
    assert typing_slips(typed, known, 2) == slips


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="SQLite has no “did you mean”"
)
def test_sqlite_search_has_no_did_you_mean(commit):
    with commit():
        PublicationFactory(title="Nuclear deterrence")

    assert search("nucleer", {}).suggestion is None
