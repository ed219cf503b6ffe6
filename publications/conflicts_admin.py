"""Two editors on one publication: the later save is refused, not lost.

The change form carries the time of the last save it was opened on. When the
publication has been saved since, by another editor or by the same one in
another tab, the form comes back with everything typed in it, a message
saying who saved it and when, and what they changed; saving again then
overwrites their changes knowingly.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from ifri.formats import local_datetime

from .revision_diff import compare
from .revisions import current_state, revision_state

FIELD = "loaded_version"
CONFLICT = _(
    "%(user)s saved this publication at %(time)s, after you opened it. Your "
    "changes are not saved yet: they are all still in the form below. Check "
    "what was changed meanwhile, then save again to replace it with your "
    "version."
)


class EditConflictAdminMixin:
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form

        class ConflictCheckedForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields[FIELD] = forms.CharField(
                    widget=forms.HiddenInput,
                    required=False,
                    initial=self.instance.updated_at.isoformat(),
                )
                self.edit_conflict = None

            def clean(self):
                cleaned = super().clean()
                saved = self.instance.updated_at
                opened = _moment(cleaned.get(FIELD))
                if opened is not None and opened != saved:
                    self.edit_conflict = opened
                    # Saving again overwrites knowingly: the form now holds
                    # the time of the save it was shown against.
                    self.data = self.data.copy()
                    self.data[self.add_prefix(FIELD)] = saved.isoformat()
                    raise ValidationError(
                        CONFLICT,
                        code="edit_conflict",
                        params={
                            "user": self.instance.updated_by or _("someone"),
                            "time": local_datetime(saved),
                        },
                    )
                return cleaned

        return ConflictCheckedForm

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        opened = getattr(context["adminform"].form, "edit_conflict", None)
        if opened is not None and obj is not None:
            context["edit_conflict"] = True
            context["edit_conflict_changes"] = changes_since(obj, opened)
        return super().render_change_form(request, context, add, change, form_url, obj)


def _moment(value) -> datetime.datetime | None:
    """The time a form says it was opened on; None when it says nothing
    usable (then there is nothing to check it against)."""
    try:
        moment = datetime.datetime.fromisoformat(value or "")
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


def changes_since(publication, opened: datetime.datetime):
    """What the saves after ``opened`` changed: the revision current then
    compared with the publication as it is now (None without such a
    revision)."""
    version = (
        Version.objects.get_for_object(publication)
        .filter(revision__date_created__lte=opened)
        .select_related("revision")
        .order_by("-revision__date_created")
        .first()
    )
    if version is None:
        return None
    # As stored: the form has written what the editor typed on the instance.
    stored = type(publication).objects.get(pk=publication.pk)
    return compare(revision_state(stored, version.revision), current_state(stored))
