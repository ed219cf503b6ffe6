"""The filters of the public publication list (?type=&center=&author=...)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from authors.models import Author
from centers.models import ResearchCenter

from .models import Language, Publication, PublicationType


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField


class PublicationFilter(django_filters.FilterSet):
    type = django_filters.ModelChoiceFilter(
        label=_("Type"),
        queryset=PublicationType.objects.all(),
        to_field_name="slug",
        empty_label=_("All types"),
    )
    center = django_filters.ModelChoiceFilter(
        label=_("Research center"),
        queryset=ResearchCenter.objects.all(),
        to_field_name="slug",
        empty_label=_("All centers"),
        method="filter_center",
    )
    author = django_filters.ModelChoiceFilter(
        label=_("Author"),
        queryset=Author.objects.all(),
        to_field_name="slug",
        method="filter_author",
        widget=forms.HiddenInput,
    )
    tag = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        queryset=Tag.objects.all(),
        to_field_name="slug",
        method="filter_tag",
        widget=forms.HiddenInput,
    )
    year = YearFilter(
        label=_("Year"),
        field_name="publication_date",
        lookup_expr="year",
        min_value=1900,
        max_value=2100,
    )
    lang = django_filters.ChoiceFilter(
        label=_("Language"),
        field_name="language",
        choices=Language.choices,
        empty_label=_("Both languages"),
    )

    class Meta:
        model = Publication
        fields = ["type", "center", "author", "tag", "year", "lang"]

    def filter_center(self, queryset, name, value):
        return queryset.for_center(value)

    def filter_author(self, queryset, name, value):
        return queryset.for_author(value)

    def filter_tag(self, queryset, name, value):
        return queryset.filter(tags=value)

    def filtered(self):
        """The queryset filtered by every valid field; invalid ones are ignored.

        django-filter returns nothing when any field is invalid; a reader who
        follows an outdated link is better served by the rest of the filters
        and a note on what was ignored.
        """
        self.form.is_valid()
        return self.filter_queryset(self.queryset)

    @property
    def active(self) -> dict:
        """The filters in use, for the "remove this filter" links."""
        self.form.is_valid()
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "")
        }
