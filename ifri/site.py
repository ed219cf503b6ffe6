"""The site's own address, for the links that must be absolute.

Canonical links, hreflang, Open Graph, citation tags, JSON-LD, citations,
exports, feeds, the sitemap and robots.txt name the site in full. They all take
its base URL from ``site_url()``.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


def site_url(request: HttpRequest | None = None) -> str:
    """The scheme, host and port of the site, without a trailing slash.

    ``SITE_URL`` when it is set. Otherwise the address the request reached:
    its scheme (HTTPS behind a proxy only with ``BEHIND_PROXY``) and its Host
    header, which Django has checked against ``ALLOWED_HOSTS``, so a stranger
    cannot make the site name another one. Code that runs outside a request
    (management commands, tasks) has no such address and needs ``SITE_URL``.
    """
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is None:
        raise ImproperlyConfigured(
            "SITE_URL is not set: links made outside a request (management "
            "commands, tasks) need the site's public address, "
            "e.g. SITE_URL=https://www.example.org."
        )
    return request.build_absolute_uri("/").rstrip("/")
