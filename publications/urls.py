from django.urls import path

from ifri.page_cache import cache_public_page

from . import delivery, exports, media, views

app_name = "publications"

urlpatterns = [
    path("", cache_public_page(views.PublicationListView.as_view()), name="list"),
    path(
        "<slug:slug>/",
        cache_public_page(views.PublicationDetailView.as_view()),
        name="detail",
    ),
    path("<slug:slug>/pdf/", delivery.pdf_download, name="pdf"),
    path("<slug:slug>/images/<path:name>", media.publication_image, name="image"),
    # Citation exports; an unknown format is a 404.
    path("<slug:slug>/cite.<str:format>", exports.cite, name="cite"),
    path("export.<str:format>", exports.export_list, name="export"),
    path("search/export.<str:format>", exports.export_search, name="search-export"),
]
