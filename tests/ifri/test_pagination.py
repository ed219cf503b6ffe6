"""Reader pagination: any ?page= value shows a page, never a 404."""

import pytest
from django.test import RequestFactory
from django.views.generic import ListView

from ifri.pagination import ReaderPaginationMixin


class NumbersView(ReaderPaginationMixin, ListView):
    paginate_by = 10
    template_name = "unused.html"

    def get_queryset(self):
        return list(range(25))


def page_shown(page: str | None) -> list[int]:
    query = {} if page is None else {"page": page}
    view = NumbersView()
    view.setup(RequestFactory().get("/", query))
    view.object_list = view.get_queryset()
    return list(view.get_context_data()["object_list"])


@pytest.mark.parametrize(
    ("page", "first"),
    [(None, 0), ("2", 10), ("3", 20), ("99", 20), ("0", 20), ("-1", 20), ("abc", 0)],
)
def test_every_page_value_shows_the_nearest_page(page, first):
    assert page_shown(page)[0] == first


def test_a_page_holds_paginate_by_items():
    assert page_shown("1") == list(range(10))
    assert page_shown("3") == [20, 21, 22, 23, 24]
