"""The admin's “Recent activity” page: the latest changes across the site,
by everyone, for what the signed-in user may see.

Every change made in the admin is logged (Django's LogEntry): forms,
restores, bulk actions and workflow steps alike, with who and when.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

ENTRIES_PER_PAGE = 50


def visible_content_types(user) -> list[ContentType]:
    """The content types of the admin's models this user may view."""
    models = [
        model
        for model in apps.get_models()
        if admin.site.is_registered(model)
        and admin.site.get_model_admin(model).has_view_or_change_permission(
            _UserRequest(user)
        )
    ]
    return list(ContentType.objects.get_for_models(*models).values())


class _UserRequest:
    """What a model admin's permission checks read of a request."""

    def __init__(self, user):
        self.user = user


def recent_activity(request):
    entries = (
        LogEntry.objects.filter(content_type__in=visible_content_types(request.user))
        .select_related("user", "content_type")
        .order_by("-action_time", "-pk")
    )
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **admin.site.each_context(request),
        "title": _("Recent activity"),
        "entries": page,
    }
    return TemplateResponse(request, "admin/recent_activity.html", context)
