"""One URL per search."""

from publications.search import search_url


def test_search_urls_write_parameters_in_one_order():
    url = search_url({"page": 2, "lang": "fr", "q": "gas & oil", "type": "reports"})

    assert url == "/en/search/?q=gas+%26+oil&type=reports&lang=fr&page=2"
    assert search_url({"q": "", "tag": None}) == "/en/search/"
