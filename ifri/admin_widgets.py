"""What every admin form gives editors: a live character count on fields with
a length limit, a rich-text toolbar whose controls are named, and ordered
inlines that are sorted by dragging rows or with "Move up"/"Move down"
buttons.

Both are progressive: the page works without JavaScript (the server checks
the lengths, the order field stays a number to type), and the scripts
(static/js/admin-*.js) read what they need from data attributes rendered here,
in the editor's language, since the admin has no JavaScript catalog.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import ProseEditorWidget

# The page's one stylesheet for these controls (and the rich-text toolbar's).
EDITOR_CSS = "css/admin-editor.css"
COUNTER_JS = "js/admin-character-count.js"
ORDER_JS = "js/admin-inline-order.js"
PROSE_TOOLBAR_JS = "js/admin-prose-toolbar.js"

# Placeholders the script fills in: {count}, {max} and {over}.
COUNTER_TEXT = _("{count} / {max} characters")
COUNTER_OVER_TEXT = _("{count} / {max} characters: {over} too many")

MOVE_UP = _("Move up")
MOVE_DOWN = _("Move down")
DRAG_HANDLE = _("Drag to reorder")
MOVED_TEXT = _("Moved to position {position} of {total}.")

# The rich-text editor's menu of paragraph and heading styles.
BLOCK_MENU_LABEL = _("Text style")

# Single-line inputs whose text a length limit may cut.
TEXT_INPUT_TYPES = {"text", "email", "url", "search", "tel"}


def count_characters(formfield: forms.Field) -> None:
    """Give a length-limited text field a live counter instead of the
    browser's ``maxlength``, which cuts pasted text without a word.

    The limit moves to ``data-maxlength``; the form field keeps its own
    ``max_length`` check, whose error leaves the text in the form.
    """
    widget = formfield.widget
    max_length = getattr(formfield, "max_length", None)
    if not max_length or widget.is_hidden:
        return
    if not (
        isinstance(widget, forms.Textarea)
        or (
            isinstance(widget, forms.widgets.Input)
            and widget.input_type in TEXT_INPUT_TYPES
        )
    ):
        return
    widget.attrs.pop("maxlength", None)
    widget.attrs.update(
        {
            "data-maxlength": str(max_length),
            "data-counter-text": COUNTER_TEXT,
            "data-counter-over-text": COUNTER_OVER_TEXT,
        }
    )


def label_prose_toolbar(formfield: forms.Field) -> None:
    """Give django-prose-editor's toolbar the names it lacks (its block
    menu has none), for admin-prose-toolbar.js to set."""
    if isinstance(formfield.widget, ProseEditorWidget):
        formfield.widget.attrs["data-block-menu-label"] = BLOCK_MENU_LABEL


class EditorAdminMixin:
    """For ModelAdmin and inline classes: every length-limited text field
    of their forms counts its characters as the editor types, and their
    rich-text toolbars are labelled and drawn with glyphs every font has."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            count_characters(formfield)
            label_prose_toolbar(formfield)
        return formfield

    @property
    def media(self):
        return super().media + forms.Media(
            js=[COUNTER_JS, PROSE_TOOLBAR_JS], css={"screen": [EDITOR_CSS]}
        )


class OrderedInlineMixin(EditorAdminMixin):
    """For tabular inlines with a number field that orders their rows
    (``order_field``).

    With JavaScript the field is hidden and renumbered from the rows'
    places (0, 1, 2...) whenever rows move, are added or removed, and on
    submit; without it, the editor types the numbers as before.
    """

    order_field = "order"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name == self.order_field:
            formfield.widget.attrs.update(
                {
                    "data-inline-order": "",
                    "data-move-up": MOVE_UP,
                    "data-move-down": MOVE_DOWN,
                    "data-drag-handle": DRAG_HANDLE,
                    "data-moved-text": MOVED_TEXT,
                }
            )
        return formfield

    @property
    def media(self):
        return super().media + forms.Media(js=[ORDER_JS])
