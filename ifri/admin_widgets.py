"""What every admin form gives editors: a live character count on fields with
a length limit, a rich-text toolbar whose controls are named, and ordered
inlines that are sorted by dragging rows or with "Move up"/"Move down"
buttons; inlines whose autocomplete rows cost one query in all.

Both are progressive: the page works without JavaScript (the server checks
the lengths, the order field stays a number to type), and the scripts
(static/js/admin-*.js) read what they need from data attributes rendered here,
in the editor's language, since the admin has no JavaScript catalog.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
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


class RowAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete, showing the object its row was loaded with
    (``row_object``) instead of querying for it: Django's widget queries
    for its selected object each time it is drawn, once per inline row."""

    row_object = None

    def optgroups(self, name, value, attr=None):
        known = self.row_object
        selected = {
            str(v) for v in value if str(v) not in self.choices.field.empty_values
        }
        if known is None or selected != {str(known.pk)}:
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance(known)
        options.append(self.create_option(name, known.pk, label, True, len(options)))
        return [(None, options, 0)]


class AutocompleteRowsInlineMixin:
    """An inline whose rows are loaded with the objects their autocomplete
    fields point to, and show them from there: one query for all the rows,
    where each row's widget and title would query for its own."""

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.autocomplete_fields)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                RowAutocompleteSelect(
                    db_field, self.admin_site, using=kwargs.get("using")
                ),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class RowForm(formset.form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for name, formfield in self.fields.items():
                    widget = getattr(formfield.widget, "widget", formfield.widget)
                    if not isinstance(widget, RowAutocompleteSelect):
                        continue
                    field = self.instance._meta.get_field(name)
                    if field.is_cached(self.instance):
                        widget.row_object = field.get_cached_value(self.instance)

        formset.form = RowForm
        return formset
