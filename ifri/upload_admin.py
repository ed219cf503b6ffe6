"""The admin's side of stored files, for every model admin whose form takes
files: all or nothing, and a failed write told to the editor."""

from django.core.exceptions import ValidationError

from .filestore import FileNotStored, files_removed_on_error


class StoredFilesAdminMixin:
    """Saves a form's files with its rows or not at all.

    Files stored by the save are deleted if anything after them fails (the
    admin's transaction rolls the rows back). When a file cannot be written
    at all, a full disk for instance, the form comes back with what the editor
    typed and a message saying so, where Django would answer with a server
    error.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with files_removed_on_error():
                return super().changeform_view(
                    request, object_id, form_url, extra_context
                )
        except FileNotStored as error:
            # The transaction rolled back and the files are gone: render the
            # form again, which this time refuses (get_form) without saving.
            request.file_not_stored = error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, *args, **kwargs):
        form = super().get_form(request, *args, **kwargs)
        error = getattr(request, "file_not_stored", None)
        if error is None:
            return form

        class NotStoredForm(form):
            def clean(self):
                raise ValidationError(error.message, code=error.code)

        return NotStoredForm
