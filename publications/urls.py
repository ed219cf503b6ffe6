from django.urls import path

from . import views
from .caching import cache_public_page

app_name = "publications"

urlpatterns = [
    path("", cache_public_page(views.PublicationListView.as_view()), name="list"),
    path(
        "<slug:slug>/",
        cache_public_page(views.PublicationDetailView.as_view()),
        name="detail",
    ),
    path("<slug:slug>/pdf/", views.pdf_download, name="pdf"),
]
