"""Admin of search: what readers search for, and what editors suggest."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .caching import invalidate
from .models import SearchQueryStat, SearchSuggestion


@admin.register(SearchQueryStat)
class SearchQueryStatAdmin(admin.ModelAdmin):
    """Counts come from readers' searches: editors only hide or delete them."""

    list_display = ["term", "count", "last_seen", "is_hidden"]
    list_editable = ["is_hidden"]
    list_filter = ["is_hidden", "last_seen"]
    search_fields = ["term"]
    ordering = ["-count", "term"]
    readonly_fields = ["term", "count", "last_seen"]
    fields = ["term", "count", "last_seen", "is_hidden"]
    actions = ["hide", "show"]
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def _set_hidden(self, queryset, hidden: bool) -> int:
        count = queryset.update(is_hidden=hidden)
        # update() sends no signal: pages that list frequent searches are
        # cached until the content version changes.
        invalidate()
        return count

    @admin.action(
        description=_("Hide the selected searches from readers"),
        permissions=["change"],
    )
    def hide(self, request, queryset):
        count = self._set_hidden(queryset, True)
        message = ngettext(
            "%(count)d search is now hidden.",
            "%(count)d searches are now hidden.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(
        description=_("Show the selected searches to readers again"),
        permissions=["change"],
    )
    def show(self, request, queryset):
        count = self._set_hidden(queryset, False)
        message = ngettext(
            "%(count)d search is shown again.",
            "%(count)d searches are shown again.",
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
