"""Every HTML response carries a Content-Security-Policy without inline scripts."""

import re

import pytest
from django.test import Client

from publications.models import RelatedLink

from ..factories import AuthorFactory, PublicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part)
    }


def assert_strict_scripts(response, url):
    assert response.has_header("Content-Security-Policy"), url
    policy = directives(response)
    assert policy["script-src"][0] == "'self'", url
    assert "'unsafe-inline'" not in policy["script-src"], url
    assert "'unsafe-eval'" not in policy["script-src"], url
    assert policy["object-src"] == ["'none'"], url
    assert policy["base-uri"] == ["'none'"], url
    assert policy["frame-ancestors"] == ["'none'"], url


@pytest.fixture
def public_urls():
    author = AuthorFactory()
    publication = PublicationFactory(
        authors=[author, AuthorFactory()],
        tags=["Energy"],
        title="Energy in Europe",
        with_pdf=True,
        with_image=True,
    )
    RelatedLink.objects.create(
        publication=publication, target=PublicationFactory(with_image=True)
    )
    return [
        "/en/",
        "/fr/",
        "/en/publications/",
        publication.get_absolute_url(),
        author.get_absolute_url(),
        "/en/authors/",
        publication.center.get_absolute_url(),
        "/en/centers/",
        "/en/search/?q=energy",
        "/en/search/",
        "/en/no-such-page/",
        "/en/search/?q=%00",  # refused before any view: our 400 page
    ]


def test_every_public_html_page_has_a_strict_policy(client, public_urls):
    for url in public_urls:
        response = client.get(url)

        assert response["Content-Type"].startswith("text/html"), url
        assert_strict_scripts(response, url)
        assert directives(response)["style-src"] == ["'self'"], url
        assert "nonce-" not in response["Content-Security-Policy"], url


def test_public_pages_stay_the_same_bytes_for_the_page_cache(client, public_urls):
    # A nonce would change every response: no cached page could match it.
    for url in public_urls[:8]:  # the pages before the search
        assert client.get(url).content == Client().get(url).content, url


def test_article_json_ld_is_a_data_block(client):
    # Browsers never run a data block, so script-src does not apply to it.
    publication = PublicationFactory(with_pdf=True, with_image=True)

    html = client.get(publication.get_absolute_url()).content.decode()

    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert any('type="application/ld+json"' in attributes for attributes in scripts)
    for attributes in scripts:
        assert "src=" in attributes or 'type="application/ld+json"' in attributes


def test_admin_pages_have_a_policy_with_a_nonce_for_the_editor(admin_client):
    publication = PublicationFactory(with_pdf=True, with_image=True)
    url = f"/admin/publications/publication/{publication.pk}/change/"

    response = admin_client.get(url)

    assert_strict_scripts(response, url)
    nonces = [
        value for value in directives(response)["script-src"] if "nonce-" in value
    ]
    assert len(nonces) == 1
    nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
    html = response.content.decode()
    # django-prose-editor's import map is the one inline script.
    assert f'<script type="importmap" nonce="{nonce}">' in html
    for tag in re.findall(r"<script\b(?![^>]*\bsrc=)[^>]*>", html):
        assert f'nonce="{nonce}"' in tag, tag


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/publications/publication/",
        "/admin/publications/publication/add/",
        "/admin/authors/author/add/",
        "/admin/auth/user/",
    ],
)
def test_every_admin_page_has_a_policy_without_inline_scripts(admin_client, url):
    assert_strict_scripts(admin_client.get(url), url)


def test_admin_login_page_has_the_policy(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert_strict_scripts(response, "/admin/login/")


def test_lockout_page_has_the_policy(client, settings):
    settings.AXES_FAILURE_LIMIT = 1
    UserFactory(username="ines", is_staff=True)

    response = client.post(
        "/admin/login/", {"username": "ines", "password": "wrong password"}
    )

    assert response.status_code == 429
    assert_strict_scripts(response, "lockout")
