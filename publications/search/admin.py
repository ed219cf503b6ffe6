"""Admin of search: what readers search for, and what editors suggest."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..caching import invalidate
from .models import SearchQueryStat, SearchReview, SearchSuggestion


@admin.register(SearchQueryStat)
class SearchQueryStatAdmin(admin.ModelAdmin):
    """Counts come from readers' searches: editors approve, refuse or delete
    them. Readers see only approved searches, unless the site shows those
    many visitors searched (settings.SEARCH_STATS_AUTO_SHOW)."""

    list_display = ["term", "visitors", "days", "count", "last_seen", "review"]
    list_editable = ["review"]
    list_filter = ["review", "last_seen"]
    search_fields = ["term"]
    ordering = ["-visitors", "-count", "term"]
    readonly_fields = ["term", "count", "visitors", "days", "last_seen"]
    fields = ["term", "visitors", "days", "count", "last_seen", "review"]
    actions = ["approve", "refuse"]
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def _review(self, queryset, review: str) -> int:
        count = queryset.update(review=review)
        # update() sends no signal: pages that list frequent searches are
        # cached until the content version changes.
        invalidate()
        return count

    @admin.action(
        description=_("Show the selected searches to readers"),
        permissions=["change"],
    )
    def approve(self, request, queryset):
        count = self._review(queryset, SearchReview.APPROVED)
        message = ngettext(
            "%(count)d search is now shown to readers.",
            "%(count)d searches are now shown to readers.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(
        description=_("Never show the selected searches to readers"),
        permissions=["change"],
    )
    def refuse(self, request, queryset):
        count = self._review(queryset, SearchReview.REFUSED)
        message = ngettext(
            "%(count)d search will never be shown.",
            "%(count)d searches will never be shown.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


@admin.register(SearchSuggestion)
class SearchSuggestionAdmin(admin.ModelAdmin):
    list_display = ["term", "language", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active", "language"]
    search_fields = ["term"]
    fields = ["term", "language", "order", "is_active"]
