"""The workflow in the admin: a panel on the change form with the steps the
editor may take (each saves the form first), and bulk actions that take the
same steps under the same rules (publications/workflow.py)."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ifri.admin_pages import object_url

from .choices import Status
from .models import Publication
from .publishing_admin import (
    PUBLISHED_WITH_WARNINGS,
    listing,
    readiness_if_published_together,
)
from .workflow import (
    STEP_FIELD,
    TRANSITIONS,
    WorkflowError,
    available,
    move,
    outcome,
    refusal,
)

COMMENT_FIELD = "workflow_comment"
EVENTS_SHOWN = 5


class WorkflowAdminMixin:
    actions = ["submit_for_review", "publish", "unpublish"]

    def get_readonly_fields(self, request, obj=None):
        # The status changes only by the workflow's steps.
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if "status" in readonly else [*readonly, "status"]

    # The change form -----------------------------------------------------------

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if obj is not None and obj.pk:
            steps = available(obj, request.user)
            context["workflow"] = {
                "state": _state(obj),
                "steps": steps,
                "events": obj.workflow_events.select_related("user")[:EVENTS_SHOWN],
            }
        elif add:
            # A new publication is a draft: it may go for review, or straight
            # out when its type needs none (move() says so otherwise).
            steps = [
                t
                for t in (TRANSITIONS["submit"], TRANSITIONS["publish"])
                if t.allowed(request.user)
            ]
            context["workflow"] = {"state": Status.DRAFT.label, "steps": steps}
        if "workflow" in context:
            context["workflow"].update(
                step_field=STEP_FIELD,
                comment_field=COMMENT_FIELD,
                comment_required=any(t.needs_comment for t in steps),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if STEP_FIELD in request.POST:
            return self._take_step(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if STEP_FIELD in request.POST:
            return self._take_step(request, obj)
        return super().response_change(request, obj)

    def _take_step(self, request, obj):
        """The form is saved; now the step its button named."""
        try:
            event = move(
                obj,
                request.POST[STEP_FIELD],
                request.user,
                request.POST.get(COMMENT_FIELD, ""),
            )
        except WorkflowError as error:
            self.message_user(
                request,
                _("Your changes were saved, but: %(reason)s")
                % {"reason": error.message},
                messages.ERROR,
            )
        else:
            self.log_change(request, obj, _with_comment(outcome(event), event))
            self.message_user(request, outcome(event), messages.SUCCESS)
        return HttpResponseRedirect(object_url(self, "change", obj))

    # Bulk actions ---------------------------------------------------------------

    @admin.action(
        description=_("Submit the selected publications for review"),
        permissions=["change"],
    )
    def submit_for_review(self, request, queryset):
        self._move_selected(request, queryset, "submit")

    @admin.action(
        description=_("Publish the selected publications"),
        permissions=["publish"],
    )
    def publish(self, request, queryset):
        # A go-live time still in the future keeps a publication scheduled.
        self._move_selected(request, queryset, "publish")

    @admin.action(
        description=_("Unpublish the selected publications"),
        permissions=["publish"],
    )
    def unpublish(self, request, queryset):
        self._move_selected(request, queryset, "unpublish")

    def _move_selected(self, request, queryset, name: str) -> None:
        """Each publication takes the step or is reported, on its own: one
        refused leaves the others done and itself untouched. Publishing
        runs the checks before publishing on the selection together, so two
        drafts linked to each other go out together."""
        # Whole rows (the change list reads only its columns): the checks
        # read every field.
        selected = list(
            Publication.objects.filter(pk__in=queryset.values("pk"))
            .select_related("type")
            .order_by("title", "pk")
        )
        checks = {}
        if name == "publish":
            allowed = [p for p in selected if refusal(name, p, request.user) is None]
            checks = readiness_if_published_together(allowed)
        done, refused, warned = 0, [], []
        for publication in selected:
            try:
                event = move(
                    publication,
                    name,
                    request.user,
                    readiness=checks.get(publication.pk),
                )
            except WorkflowError as error:
                refused.append((publication.title, error.message))
                continue
            self.log_change(request, publication, outcome(event))
            done += 1
            if found := checks.get(publication.pk):
                if found.warnings:
                    warned.append((publication.title, found.warnings))
        if done:
            self.message_user(
                request, TRANSITIONS[name].done_many % {"count": done}, messages.SUCCESS
            )
        if refused:
            heading = ngettext(
                "%(count)d publication was left as it was:",
                "%(count)d publications were left as they were:",
                len(refused),
            ) % {"count": len(refused)}
            self.message_user(request, listing(heading, refused), messages.ERROR)
        if warned:
            self.message_user(
                request,
                listing(
                    PUBLISHED_WITH_WARNINGS,
                    [(t, "; ".join(str(f.message) for f in w)) for t, w in warned],
                ),
                messages.WARNING,
            )


def _state(publication) -> str:
    if publication.is_scheduled:
        return _("Scheduled")
    return publication.get_status_display()


def _with_comment(message, event) -> str:
    if not event.comment:
        return str(message)
    return _("%(message)s Comment: %(comment)s") % {
        "message": message,
        "comment": event.comment,
    }
