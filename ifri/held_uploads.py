"""Files chosen on an admin form that is refused are kept, not lost.

A browser never sends a file again: when a form comes back with an error
(a missing title, another editor's newer save), every file chosen on it
would have to be chosen again. Instead, each file that passed its own
checks is held on the server for the editor who chose it, for
``HELD_UPLOADS_KEPT_FOR``, and the form shows it as “will be saved”; the
next submission of the form uses it unless another file is chosen or the
field is cleared. A held file is offered only to the user who chose it;
a successful save deletes it, and expired ones are deleted whenever new
files are held.
"""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .filestore import FileNotStored
from .models import HeldUpload

# Appended to a file input's name for the hidden input naming its held file.
SUFFIX = "-held"


def hold(user, upload) -> HeldUpload:
    """Keep ``upload`` for ``user``."""
    upload.seek(0)
    return HeldUpload.objects.create(user=user, file=upload, name=upload.name)


def as_upload(held: HeldUpload) -> UploadedFile:
    """The held file as a form receives an upload."""
    return UploadedFile(file=held.file.open("rb"), name=held.name, size=held.file.size)


def file_fields(form):
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.FileField)
    ]


class HeldUploadsAdminMixin:
    """For every model admin whose form takes files."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class HeldUploadsForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                # Field name -> the HeldUpload this submission uses.
                self.held_uploads = {}
                if self.is_bound:
                    self._take_held_uploads()

            def _take_held_uploads(self):
                for name in file_fields(self):
                    key = self.add_prefix(name)
                    token = self.data.get(key + SUFFIX)
                    chosen = self.files.get(key) or self.data.get(f"{key}-clear")
                    if not token or chosen:
                        continue
                    held = HeldUpload.objects.usable_by(user).filter(token=token)
                    if (held := held.first()) is None:
                        continue  # expired, used, or someone else's
                    self.files = self.files.copy()
                    self.files[key] = as_upload(held)
                    self.held_uploads[name] = held

        return HeldUploadsForm

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        form = context["adminform"].form
        if form.is_bound and hasattr(form, "held_uploads"):
            self._hold_chosen_files(request, form)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _hold_chosen_files(self, request, form) -> None:
        cleaned = getattr(form, "cleaned_data", {})
        new = [
            name
            for name in file_fields(form)
            if name not in form.held_uploads
            and name not in form.errors
            and isinstance(cleaned.get(name), UploadedFile)
        ]
        if new:  # files are held: those expired, anyone's, go after commit
            HeldUpload.objects.expired().delete()
        for name in file_fields(form):
            held = form.held_uploads.get(name)
            if name in new:
                try:
                    held = form.held_uploads[name] = hold(request.user, cleaned[name])
                except FileNotStored:
                    continue  # a full disk: the form says so already
            if held is None:
                continue
            # The bound field copied the help text when the form was cleaned.
            bound = form[name]
            bound.help_text = format_html(
                '{}<span class="held-upload">{}</span>'
                '<input type="hidden" name="{}" value="{}">',
                bound.help_text,
                _(
                    "Will be saved: %(name)s (kept for you until %(time)s; "
                    "choose another file to replace it)."
                )
                % {
                    "name": held.name,
                    "time": time_format(timezone.localtime(held.kept_until)),
                },
                form.add_prefix(name) + SUFFIX,
                held.token,
            )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for held in getattr(form, "held_uploads", {}).values():
            held.delete()  # its file goes once the save commits
