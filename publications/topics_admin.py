"""Topics (taggit's tags) in the admin: picked from the existing ones as the
editor types, created on purpose, and merged when two names mean one topic.

The publication form keeps taggit's comma-separated text field, which still
works without JavaScript; ``TopicsWidget`` gives it the names to suggest
from (``TopicAdmin.autocomplete_view``) and static/js/admin-topics.js turns
it into a select2 list of chosen topics that writes the text back.
"""

import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import get_select2_language
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.forms import TagWidget
from taggit.managers import TaggableManager
from taggit.models import Tag
from taggit.utils import parse_tags

from ifri.admin_widgets import EditorAdminMixin

from .caching import invalidate
from .models import TaggedPublication
from .search.indexing import schedule_refresh

# How many suggestions one request returns; select2 asks for the next page.
PAGE_SIZE = 20
USAGE = "publications_taggedpublication_items"

CREATE_TOPIC = _("Create the new topic “{name}”")
TOPIC_USAGE = _("({count})")
MERGE_NEEDS_TWO = _("Select at least two topics to merge.")


def topic_names(value) -> list[str]:
    """The names in a tags field's value: taggit's text as posted, or the
    publication's tags."""
    if not value:
        return []
    if isinstance(value, str):
        try:
            return sorted(parse_tags(value), key=str.lower)
        except ValueError:
            return []
    return sorted((getattr(tag, "name", tag) for tag in value), key=str.lower)


class TopicsWidget(TagWidget):
    """Taggit's text input, with what admin-topics.js needs to replace it."""

    def __init__(self, attrs=None):
        super().__init__({"class": "vTextField topics-input", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-topics": json.dumps(topic_names(value)),
                "data-topics-url": reverse("admin:taggit_tag_autocomplete"),
                "data-create-text": CREATE_TOPIC,
                "data-usage-text": TOPIC_USAGE,
                "lang": get_select2_language() or "en",
            }
        )
        return context

    @property
    def media(self):
        extra = "" if settings.DEBUG else ".min"
        language = get_select2_language()
        i18n = [f"admin/js/vendor/select2/i18n/{language}.js"] if language else []
        return forms.Media(
            js=[
                f"admin/js/vendor/jquery/jquery{extra}.js",
                f"admin/js/vendor/select2/select2.full{extra}.js",
                *i18n,
                "admin/js/jquery.init.js",
                "js/admin-topics.js",
            ],
            css={
                "screen": [
                    f"admin/css/vendor/select2/select2{extra}.css",
                    "admin/css/autocomplete.css",
                    "css/admin-editor.css",
                ]
            },
        )


# For a ModelAdmin's formfield_overrides.
TOPIC_FORM_FIELDS = {TaggableManager: {"widget": TopicsWidget}}


def merge_topics(keep: Tag, topics) -> tuple[int, int]:
    """Tag every publication tagged with one of ``topics`` with ``keep``,
    then delete the others, in one transaction; return how many
    publications and topics that touched.

    The new rows are created in bulk, which sends no signal: the search
    index of the publications and the cached pages are refreshed here,
    after the commit, as the signals would (the deleted rows send theirs).
    """
    others = [topic.pk for topic in topics if topic.pk != keep.pk]
    with transaction.atomic():
        tagged = set(
            TaggedPublication.objects.filter(tag_id__in=others).values_list(
                "content_object_id", flat=True
            )
        )
        tagged_already = set(
            TaggedPublication.objects.filter(
                tag=keep, content_object_id__in=tagged
            ).values_list("content_object_id", flat=True)
        )
        TaggedPublication.objects.bulk_create(
            TaggedPublication(tag=keep, content_object_id=pk)
            for pk in sorted(tagged - tagged_already)
        )
        Tag.objects.filter(pk__in=others).delete()
        schedule_refresh(tagged)
        invalidate()
    return len(tagged), len(others)


class MergeTopicsForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        label=_("Topic to keep"),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_(
            "Publications tagged with the other topics get this one; the "
            "others are deleted."
        ),
    )

    def __init__(self, topics, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = topics


# taggit registers a Tag admin of its own, whose merge only knows its
# generic tagged items, not our publications' TaggedPublication rows.
admin.site.unregister(Tag)


@admin.register(Tag)
class TopicAdmin(EditorAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "publication_count"]
    ordering = ["name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_selected_topics"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(usage=Count(USAGE))

    @admin.display(description=_("publications"), ordering="usage")
    def publication_count(self, obj):
        return obj.usage

    def get_urls(self):
        return [
            path(
                "autocomplete/",
                self.admin_site.admin_view(self.autocomplete_view),
                name="taggit_tag_autocomplete",
            ),
            *super().get_urls(),
        ]

    def autocomplete_view(self, request):
        """Existing topics whose name contains ``term``: those starting with
        it first, then the most used, for select2 (``results`` and
        ``pagination``)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        term = request.GET.get("term", "").strip()
        try:
            page = max(1, int(request.GET.get("page", 1)))
        except ValueError:
            page = 1
        topics = Tag.objects.annotate(usage=Count(USAGE))
        if term:
            topics = topics.filter(name__icontains=term).annotate(
                starts=Case(
                    When(name__istartswith=term, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
        else:
            topics = topics.annotate(starts=Value(0))
        start = (page - 1) * PAGE_SIZE
        found = list(
            topics.order_by("starts", "-usage", "name").values_list("name", "usage")[
                start : start + PAGE_SIZE + 1
            ]
        )
        return JsonResponse(
            {
                "results": [
                    {"id": name, "text": name, "count": usage}
                    for name, usage in found[:PAGE_SIZE]
                ],
                "pagination": {"more": len(found) > PAGE_SIZE},
            }
        )

    @admin.action(
        description=_("Merge the selected topics into one"),
        permissions=["change", "delete"],
    )
    def merge_selected_topics(self, request, queryset):
        topics = queryset.order_by("name")
        if topics.count() < 2:
            self.message_user(request, MERGE_NEEDS_TWO, messages.WARNING)
            return None
        form = MergeTopicsForm(topics, request.POST if "keep" in request.POST else None)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            retagged, removed = merge_topics(keep, list(topics))
            merged = ngettext(
                "%(count)d topic was merged into “%(keep)s”.",
                "%(count)d topics were merged into “%(keep)s”.",
                removed,
            ) % {"count": removed, "keep": keep.name}
            retagged_text = ngettext(
                "%(count)d publication was retagged.",
                "%(count)d publications were retagged.",
                retagged,
            ) % {"count": retagged}
            self.message_user(request, f"{merged} {retagged_text}", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge topics"),
            "opts": self.opts,
            "form": form,
            "topics": topics,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/taggit/tag/merge_topics.html", context)
