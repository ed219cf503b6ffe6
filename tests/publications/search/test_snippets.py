"""Snippets mark the searched words and escape everything else."""

import pytest

from ...factories import PublicationFactory
from ...helpers import SEARCH_URL

pytestmark = pytest.mark.django_db


def test_snippets_mark_the_words_and_escape_the_rest(client, commit):
    with commit():
        PublicationFactory(
            title="Energy",
            teaser="Gas & <b>energy</b> markets, <script>alert(1)</script>.",
        )

    html = client.get(SEARCH_URL, {"q": "markets"}).content.decode()

    assert "<mark>markets</mark>" in html
    assert "<script>alert(1)</script>" not in html
