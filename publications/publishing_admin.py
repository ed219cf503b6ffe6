"""The checks before publishing in the admin (the rules: publications/readiness.py).

- The change form: publishing a publication (its “Save and publish”
  button) or saving one that is published or scheduled, with blockers, is
  refused with their list, and nothing is saved; warnings must be confirmed
  by ticking “Publish despite these warnings”.
  Warnings the stored publication already had while published were
  confirmed when it was published, and are not asked again.
- The bulk “publish” action (workflow_admin.py) publishes the selected
  publications that pass, lists the others with their blockers, and lists
  the warnings of those it published.
- The checklist above the change form (templates/admin/publications/
  publication/change_form.html) shows the checks of the stored publication.

``PublicationAdmin`` (admin.py) takes these in through ``PublishingAdminMixin``.
"""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ifri.uploads import is_new_upload

from .documents import check_pdf
from .models import Authorship, Publication, RelatedLink, Status
from .readiness import (
    Contents,
    Finding,
    Linked,
    PdfFacts,
    Readiness,
    assess,
    check_publication,
    linked_publications,
    load_contents,
    slugs_taken,
)
from .workflow import STEP_FIELD

CONFIRM_FIELD = "publish_despite_warnings"
PUBLISHING_BLOCKED = _(
    "This publication cannot be published until these are fixed; nothing was saved:"
)
CONFIRM_WARNINGS = _(
    "Check these points before publishing. To publish all the same, tick "
    "“Publish despite these warnings” and save again:"
)
PUBLISHED_WITH_WARNINGS = _("Published, with these warnings:")


def _key(finding: Finding):
    """The same problem, whatever its figures (a teaser a few characters longer)."""
    return finding.code, dict(finding.params).get("title")


def listing(heading, reasons_by_title: list[tuple[str, str]]) -> str:
    """A message naming each publication with its reasons, escaped."""
    return format_html(
        "{}<ul>{}</ul>",
        heading,
        format_html_join("", "<li>“{}”: {}</li>", reasons_by_title),
    )


class PublishingFormMixin:
    """The change form's side: the checks of what the editor is about to save.

    They run last, once the fields and the model's own validation pass (an
    image without alternative text is already refused there), on the
    instance as the form has filled it in.
    """

    # Whether the form's “Save and publish” button was pressed
    # (publications/workflow_admin.py); set by PublishingAdminMixin.get_form.
    publishing_requested = False
    # Whether its “Save and unpublish” button was: nothing to check then.
    unpublishing_requested = False

    def full_clean(self):
        stored = copy.copy(self.instance)  # before the form fills it in
        super().full_clean()
        if not self.is_bound or self.errors:
            return  # checked once the rest is valid
        if self.unpublishing_requested:
            return
        if self.instance.status != Status.PUBLISHED and not self.publishing_requested:
            return
        try:
            self._check_publishing(stored)
        except ValidationError as error:
            self.add_error(None, error)

    def _check_publishing(self, stored: Publication) -> None:
        stored_contents = load_contents([stored])[stored.pk]
        readiness = self.readiness(stored_contents)
        if readiness is None:
            return  # an inline is invalid: its errors come first
        if readiness.blockers:
            raise ValidationError(
                [PUBLISHING_BLOCKED, *(f.message for f in readiness.blockers)],
                code="publishing_blocked",
            )
        confirmed = set()
        if stored.pk is not None and stored.status == Status.PUBLISHED:
            confirmed = {_key(f) for f in assess(stored, stored_contents).warnings}
        new = [f for f in readiness.warnings if _key(f) not in confirmed]
        if new and not self.cleaned_data.get(CONFIRM_FIELD):
            self.publishing_warnings = readiness.warnings
            raise ValidationError(
                [CONFIRM_WARNINGS, *(f.message for f in readiness.warnings)],
                code="publishing_warnings",
            )

    def readiness(self, stored: Contents) -> Readiness | None:
        """The checks of the publication as this form and its inlines would
        save it; None while an inline is invalid."""
        candidate = self.instance
        contents = copy.copy(stored)
        formsets = {f.model: f for f in getattr(self.instance, "admin_formsets", ())}
        if any(not formset.is_valid() for formset in formsets.values()):
            return None
        if Authorship in formsets:
            rows = _kept_rows(formsets[Authorship])
            contents.roles = [row["role"] for row in rows if row.get("author")]
        targets = []
        if RelatedLink in formsets:
            rows = _kept_rows(formsets[RelatedLink])
            targets = [row["target"].pk for row in rows if row.get("target")]
        translations = None
        if "translations" in self.cleaned_data:
            translations = [p.pk for p in self.cleaned_data["translations"]]
        linked = linked_publications([*targets, *(translations or [])])
        if RelatedLink in formsets:
            contents.related = [linked[pk] for pk in targets]
        if translations is not None:
            contents.translations = [linked[pk] for pk in translations]
        if "tags" in self.cleaned_data:
            contents.tags = list(self.cleaned_data["tags"])
        if "pdf" in self.cleaned_data:
            contents.pdf = self._pdf_facts(self.cleaned_data["pdf"], stored.pdf)
        taken = slugs_taken([(candidate.pk, candidate.slug)])
        contents.slug_taken = candidate.slug in taken
        return assess(candidate, contents)

    @staticmethod
    def _pdf_facts(value, stored: PdfFacts | None) -> PdfFacts | None:
        if not value:
            return None  # none, or removed
        if is_new_upload(value):
            report = check_pdf(value)  # the report of the field's validation
            return PdfFacts(report.tagged, report.language, report.shows_title)
        return stored


def _kept_rows(formset) -> list[dict]:
    """The cleaned rows an inline formset would save: not deleted, not empty."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class _RegisteredFormSet:
    """An inline formset the change form's checks can read: the admin builds
    the inlines before it validates the form, with the form's instance."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        registered = self.instance.__dict__.setdefault("admin_formsets", [])
        registered.append(self)


class PublishingAdminMixin:
    """The checks in ``PublicationAdmin``'s change form; the bulk action
    that publishes is the workflow's (workflow_admin.py), which runs
    ``readiness_if_published_together``."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        confirm = forms.BooleanField(
            label=_("Publish despite these warnings"),
            required=False,
            help_text=_("The publication is saved as published all the same."),
        )
        step = request.POST.get(STEP_FIELD)
        attrs = {
            CONFIRM_FIELD: confirm,
            "publishing_requested": step == "publish",
            "unpublishing_requested": step == "unpublish",
        }
        return type(form.__name__, (PublishingFormMixin, form), attrs)

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            yield type(formset.__name__, (_RegisteredFormSet, formset), {}), inline

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        if obj is not None and obj.pk is not None:
            # As stored: after a refused save ``obj`` holds what was posted.
            stored = Publication.objects.select_related("type").get(pk=obj.pk)
            context["readiness"] = check_publication(stored)
            context["readiness_applies"] = stored.status == Status.PUBLISHED
        return super().render_change_form(request, context, add, change, form_url, obj)


def readiness_if_published_together(publications: list[Publication]) -> dict:
    """Each publication's checks, counting as public the others of the list
    that go live now with it (related links and translations between them).

    Starts from all of them going live and drops those with blockers until
    none is left to drop, so two drafts that link to each other are published
    together.
    """
    contents = load_contents(publications)
    now = timezone.now()
    live = {p.pk for p in publications if p.publish_at <= now}
    while True:
        results = {
            p.pk: assess(p, _with_public(contents[p.pk], live)) for p in publications
        }
        still = {pk for pk in live if results[pk].can_publish}
        if still == live:
            return results
        live = still


def _with_public(contents: Contents, live: set) -> Contents:
    def public(linked: Linked) -> Linked:
        if linked.is_public or linked.pk not in live:
            return linked
        return Linked(linked.pk, linked.title, linked.language, True)

    contents = copy.copy(contents)
    contents.related = [public(linked) for linked in contents.related]
    contents.translations = [public(linked) for linked in contents.translations]
    return contents
