"""The admin's side of revisions: every save records one, and the history
page lists them, compares any two and restores one (publications/revisions.py)."""

import reversion
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reversion.models import Version

from ifri.admin_pages import missing_object_redirect, object_url
from ifri.formats import local_datetime

from .permissions import can_restore
from .revision_diff import compare
from .revisions import current_state, restore, revision_state, revisions_of

REVISIONS_PER_PAGE = 50
INITIAL_COMMENT = gettext_lazy("As it was before its first change in the admin.")


class RevisionAdminMixin:
    """Revisions for the publication admin. Comes after StoredFilesAdminMixin,
    which may run the form view twice: each run records its own revision or,
    when it fails, none."""

    object_history_template = "admin/publications/publication/object_history.html"
    compare_template = "admin/publications/publication/revision_compare.html"
    restore_template = "admin/publications/publication/revision_restore.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="{}_{}_compare".format(*info),
            ),
            path(
                "<path:object_id>/history/<int:revision_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="{}_{}_restore_revision".format(*info),
            ),
            *super().get_urls(),
        ]

    # Recording ---------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id:
            self._record_initial_revision(request, object_id)
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _record_initial_revision(self, request, object_id) -> None:
        """A publication made outside the admin (an import, the demo) gets a
        revision of how it was before an editor's first save changes it."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or Version.objects.get_for_object(obj).exists():
            return
        with reversion.create_revision():
            # Dated when it was last saved: how it has been since then.
            reversion.set_date_created(obj.updated_at)
            reversion.set_comment(str(INITIAL_COMMENT))
            reversion.add_to_revision(obj)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._note_in_revision(request, obj, entry)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._note_in_revision(request, obj, entry)
        return entry

    def _note_in_revision(self, request, obj, entry) -> None:
        """The revision of a change carries its log message; a change made
        outside the form (a restored PDF, an action) gets a revision too."""
        if reversion.is_active():
            # A save followed by a workflow step: one revision says both,
            # each once (a restore has said what it did already).
            said, message = reversion.get_comment(), entry.get_change_message()
            if message not in said:
                reversion.set_comment(
                    " ".join(part for part in (said, message) if part)
                )
            reversion.add_to_revision(obj)
            return
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(entry.get_change_message())
            reversion.add_to_revision(obj)

    # History, compare, restore -----------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if obj is not None and self.has_view_or_change_permission(request, obj):
            versions = revisions_of(obj)
            page = Paginator(versions, REVISIONS_PER_PAGE).get_page(
                request.GET.get("revisions")
            )
            context.update(
                revisions=page,
                may_restore=self._may_restore(request, obj),
                compare_url=object_url(self, "compare", obj),
            )
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        obj, response = self._publication(request, object_id)
        if response:
            return response
        versions = revisions_of(obj)
        chosen = {}
        for key in ("from", "to"):
            value = request.GET.get(key, "")
            version = (
                versions.filter(revision_id=int(value)).first()
                if value.isdigit()
                else None
            )
            if version is None:
                self.message_user(
                    request,
                    _("Choose two revisions of this publication to compare."),
                    messages.WARNING,
                )
                return redirect(object_url(self, "history", obj))
            chosen[key] = version.revision
        older, newer = sorted(chosen.values(), key=lambda r: (r.date_created, r.pk))
        changes = compare(revision_state(obj, older), revision_state(obj, newer))
        return self._render(
            request,
            self.compare_template,
            obj,
            _("Compare revisions"),
            older=older,
            newer=newer,
            changes=changes,
        )

    def restore_view(self, request, object_id, revision_id):
        obj, response = self._publication(request, object_id)
        if response:
            return response
        if not self._may_restore(request, obj):
            raise PermissionDenied
        version = revisions_of(obj).filter(revision_id=revision_id).first()
        if version is None:
            self.message_user(
                request,
                _("That revision does not belong to this publication."),
                messages.WARNING,
            )
            return redirect(object_url(self, "history", obj))
        revision = version.revision
        if request.method == "POST":
            with reversion.create_revision():
                kept = restore(obj, revision, request.user)
                obj.refresh_from_db()  # the log's revision records it as restored
                self.log_change(
                    request,
                    obj,
                    _("Restored the revision of %(date)s.")
                    % {"date": local_datetime(revision.date_created)},
                )
            self.message_user(
                request,
                _("The revision of %(date)s is the publication's content again.")
                % {"date": local_datetime(revision.date_created)},
                messages.SUCCESS,
            )
            for message in kept:
                self.message_user(request, message, messages.WARNING)
            return redirect(object_url(self, "change", obj))
        changes = compare(current_state(obj), revision_state(obj, revision))
        return self._render(
            request,
            self.restore_template,
            obj,
            _("Restore this revision?"),
            revision=revision,
            changes=changes,
        )

    # Helpers -------------------------------------------------------------------

    def _may_restore(self, request, obj) -> bool:
        return can_restore(request.user) and self.has_change_permission(request, obj)

    def _publication(self, request, object_id):
        """The publication and None, or None and the response to give."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return None, missing_object_redirect(self, request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj, None

    def _render(self, request, template, obj, title, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "subtitle": str(obj),
            "object": obj,
            "history_url": object_url(self, "history", obj),
            "change_url": object_url(self, "change", obj),
            **context,
        }
        return TemplateResponse(request, template, context)
