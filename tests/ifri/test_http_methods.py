"""Feeds, the sitemap and robots.txt are read with GET and HEAD; any other
method is refused with 405 and says which ones are allowed."""

import pytest

from ..factories import AuthorFactory, PublicationFactory

pytestmark = pytest.mark.django_db

REFUSED_METHODS = ["post", "put", "patch", "delete", "options", "trace"]


@pytest.fixture
def read_only_urls():
    author = AuthorFactory(slug="ada")
    publication = PublicationFactory(authors=[author], tags=["énergie"])
    center, kind = publication.center.slug, publication.type.slug
    urls = ["/sitemap.xml", "/robots.txt"]
    for flavour in ("rss", "atom"):
        urls += [
            f"/en/feeds/{flavour}/",
            f"/fr/feeds/{flavour}/",
            f"/en/feeds/centers/{center}/{flavour}/",
            f"/en/feeds/authors/ada/{flavour}/",
            f"/en/feeds/types/{kind}/{flavour}/",
            f"/en/feeds/tags/énergie/{flavour}/",
        ]
    return urls


def test_feeds_sitemap_and_robots_answer_get_and_head(client, read_only_urls):
    for url in read_only_urls:
        assert client.get(url).status_code == 200, url
        head = client.head(url)
        assert head.status_code == 200, url
        assert head.content == b"", url


@pytest.mark.parametrize("method", REFUSED_METHODS)
def test_any_other_method_is_refused_with_405(client, read_only_urls, method):
    for url in read_only_urls:
        response = getattr(client, method)(url)

        assert response.status_code == 405, (method, url)
        assert response["Allow"] == "GET, HEAD", (method, url)
