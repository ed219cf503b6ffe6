import os
import secrets
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe
from django.views.static import serve

from .site import site_url


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap = f"{site_url(request)}{reverse('sitemap')}"
    lines = ["User-agent: *", "Disallow: /admin/", "", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not healthy"
        return False
    return True


def _cache_answers() -> bool:
    """The cache keeps what it is given (a key per thread: no other request
    writes it in between)."""
    key = f"healthz:{os.getpid()}:{threading.get_ident()}"
    token = secrets.token_hex(8)
    try:
        cache.set(key, token, timeout=60)
        return cache.get(key) == token
    except Exception:  # any cache failure means "not healthy"
        return False


@require_GET
@cache_control(no_store=True)
def healthz(request):
    """For load balancers and operators: the app answers, and whether the
    database and the cache do, each "ok" or "unavailable"."""
    checks = {"database": _database_answers(), "cache": _cache_answers()}
    healthy = all(checks.values())
    report = {name: "ok" if ok else "unavailable" for name, ok in checks.items()}
    return JsonResponse(
        {"status": "ok" if healthy else "error", **report},
        status=200 if healthy else 503,
    )


@require_GET
@cache_control(max_age=86400, public=True)
def media(request, path):
    """Public uploads (images) in the embedded mode, where no web server does it."""
    if not settings.SERVE_MEDIA:
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
