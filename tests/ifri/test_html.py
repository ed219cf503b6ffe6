"""Every public page is valid, accessible HTML."""

import re

import html5lib
import pytest

from publications.models import RelatedLink

from ..factories import AuthorFactory, PublicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    author = AuthorFactory()
    publication = PublicationFactory(
        authors=[author, AuthorFactory()],
        tags=["Energy", "Sahel"],
        publisher="Journal of Studies",
        volume="4",
        with_pdf=True,
        with_image=True,
    )
    RelatedLink.objects.create(
        publication=publication, target=PublicationFactory(with_image=True)
    )
    RelatedLink.objects.create(
        publication=publication,
        url="https://dossiers.example.org/a",
        title="Dossier",
        order=1,
    )
    return [
        "/en/",
        "/fr/",
        "/en/publications/",
        "/fr/publications/?center=unknown&year=abc",
        publication.get_absolute_url(),
        f"/fr/publications/{publication.slug}/",
        author.get_absolute_url(),
        publication.center.get_absolute_url(),
        "/en/authors/",
        "/en/centers/",
        "/en/search/?q=energy",
        "/en/no-such-page/",
    ]


def test_public_pages_are_valid_accessible_html(client, pages):
    for url in pages:
        html = client.get(url).content.decode()

        html5lib.HTMLParser(strict=True).parse(html)  # raises on any parse error
        assert html.count("<h1") == 1, url
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), f"duplicate id on {url}"
        for img in re.findall(r"<img\b[^>]*>", html):
            assert re.search(r'\salt="[^"]', img), f"{url}: {img} has no alt text"
        for field_id in re.findall(
            r'<(?:input|select|textarea)\b(?![^>]*type="(?:hidden|submit)")[^>]*\sid="([^"]+)"',
            html,
        ):
            assert f'for="{field_id}"' in html, f"{url}: #{field_id} has no label"
        for href in re.findall(r'<a\b[^>]*\shref="([^"]*)"', html):
            assert href and not href.startswith("javascript:"), url
