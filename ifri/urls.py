from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from publications.sitemaps import sitemap
from publications.views import HomeView

from . import activity, views
from .page_cache import cache_public_page

admin.site.site_header = _("Publications administration")
admin.site.site_title = _("Publications administration")
admin.site.index_title = _("Content")

# A database that failed in a middleware gets the 503 page (ifri/unavailable.py).
handler500 = "ifri.unavailable.server_error"

urlpatterns = [
    path(
        "admin/recent-activity/",
        admin.site.admin_view(activity.recent_activity),
        name="admin_recent_activity",
    ),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", views.healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("", cache_public_page(HomeView.as_view()), name="home"),
    path("publications/", include("publications.urls")),
    path("authors/", include("authors.urls")),
    path("centers/", include("centers.urls")),
    path("search/", include("publications.search.urls")),
    path("feeds/", include("publications.feed_urls", namespace="feeds")),
)

# Public images, when SERVE_MEDIA is on; PDFs are not under MEDIA_ROOT.
urlpatterns += [
    re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", views.media),
]
