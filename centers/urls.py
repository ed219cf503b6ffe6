from django.urls import path

from ifri.page_cache import cache_public_page

from . import views

app_name = "centers"

urlpatterns = [
    path("", cache_public_page(views.CenterListView.as_view()), name="list"),
    path(
        "<slug:slug>/",
        cache_public_page(views.CenterDetailView.as_view()),
        name="detail",
    ),
]
