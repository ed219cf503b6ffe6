"""The search page and its autocomplete, at the root of each language
(/<lang>/search/): included by ifri/urls.py without a namespace, so their
names stay "search" and "search-autocomplete"."""

from django.urls import path

from .views import search_autocomplete, search_page

urlpatterns = [
    path("", search_page, name="search"),
    path("autocomplete/", search_autocomplete, name="search-autocomplete"),
]
