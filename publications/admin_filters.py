"""The publication change list's own filters: by year and by topic, each
listing its choices from an index rather than from every row."""

from django.contrib import admin
from django.db.models import Exists, Max, Min, OuterRef
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from .models import Publication, TaggedPublication


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        # The first and last dates come from pub_date_idx at once, where
        # listing the distinct years reads every row.
        span = Publication.objects.aggregate(
            first=Min("publication_date"), last=Max("publication_date")
        )
        if span["first"] is None:
            return []
        years = range(span["last"].year, span["first"].year - 1, -1)
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(publication_date__year=int(value))
        return queryset


class TagFilter(admin.SimpleListFilter):
    title = _("topic or region")
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        used = TaggedPublication.objects.filter(tag=OuterRef("pk"))
        return (
            Tag.objects.filter(Exists(used))
            .values_list("slug", "name")
            .order_by("name")
        )

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset
