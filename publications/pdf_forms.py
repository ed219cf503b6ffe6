"""The form for uploading many full-analysis PDFs at once (pdf_admin.py)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# One request checks every file in turn: keep a batch within what a request
# may take (each check may use up to PDF_CHECK_TIMEOUT seconds).
BULK_UPLOAD_MAX_FILES = 20

BULK_MESSAGES = {
    "too_many_files": _("Choose at most %(limit)s files at a time."),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type="file" multiple>.

    Returns the list as it came: each file is checked on its own, so that one
    bad file is reported without refusing the others.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return files


class BulkPdfUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("PDF files"),
        help_text=_(
            "Name each file after its publication's slug, e.g. gas-grids.pdf "
            "(gas-grids-fr.pdf and Gas-Grids.PDF work too)."
        ),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > BULK_UPLOAD_MAX_FILES:
            raise ValidationError(
                BULK_MESSAGES["too_many_files"],
                code="too_many_files",
                params={"limit": BULK_UPLOAD_MAX_FILES},
            )
        return files
