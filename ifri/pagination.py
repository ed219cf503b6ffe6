"""Pagination as readers meet it on every list of the site."""


class ReaderPaginationMixin:
    """Out-of-range or malformed ?page= values show the nearest page, not a 404."""

    paginate_by = 12

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()
