"""The admin's index as an editor's dashboard: what needs them today.

Each section lists a few publications, links to the change list that shows
them all, and costs one or two queries; the checks of the work on its way
out (in review, scheduled) run in one batch (publications/readiness.py).
"""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ifri.formats import local_datetime

from .choices import Status
from .models import Publication
from .permissions import can_edit, can_review, can_upload
from .readiness import check_publications

SHOWN = 8
SCHEDULED_WITHIN = datetime.timedelta(days=14)
# How many publications on their way out are checked for blockers.
CHECKED = 100


@dataclass
class Section:
    key: str
    title: str
    items: list = field(default_factory=list)  # (publication, note)
    more_url: str = ""
    empty: str = ""


def _changelist(**params) -> str:
    url = reverse("admin:publications_publication_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def sections_for(user) -> list[Section]:
    """The dashboard's sections this user has work in."""
    if not (can_edit(user) or can_upload(user)):
        return []
    now = timezone.now()
    publications = Publication.objects.select_related("type").only(
        "title",
        "status",
        "publish_at",
        "updated_at",
        "type__name",
        "type__review_required",
    )
    sections = []
    if can_edit(user):
        mine = publications.filter(status=Status.DRAFT, updated_by=user)
        sections.append(
            Section(
                "drafts",
                _("My drafts"),
                [
                    (p, local_datetime(p.updated_at))
                    for p in mine.order_by("-updated_at")[:SHOWN]
                ],
                _changelist(status__exact=Status.DRAFT),
                _("None: every draft you changed last has moved on."),
            )
        )
    in_review = publications.filter(status=Status.REVIEW).order_by("updated_at")
    sections.append(
        Section(
            "review",
            _("Waiting for my review") if can_review(user) else _("In review"),
            [(p, local_datetime(p.updated_at)) for p in in_review[:SHOWN]],
            _changelist(status__exact=Status.REVIEW),
            _("Nothing is waiting for review."),
        )
    )
    scheduled = publications.filter(
        status=Status.PUBLISHED,
        publish_at__gt=now,
        publish_at__lte=now + SCHEDULED_WITHIN,
    ).order_by("publish_at")
    sections.append(
        Section(
            "scheduled",
            _("Scheduled in the next 14 days"),
            [(p, local_datetime(p.publish_at)) for p in scheduled[:SHOWN]],
            empty=_("Nothing is scheduled."),
        )
    )
    recent = publications.published().order_by("-publish_at")
    sections.append(
        Section(
            "published",
            _("Recently published"),
            [(p, local_datetime(p.publish_at)) for p in recent[:SHOWN]],
            _changelist(status__exact=Status.PUBLISHED),
        )
    )
    without_pdf = publications.published().filter(pdf="").order_by("-publish_at")
    sections.append(
        Section(
            "no-pdf",
            _("Published without their PDF"),
            [(p, local_datetime(p.publish_at)) for p in without_pdf[:SHOWN]],
            reverse("admin:publications_publicationmissingpdf_changelist"),
            _("Every published publication has its PDF."),
        )
    )
    # Whole rows: the checks read every field.
    full = Publication.objects.select_related("type")
    outgoing = list(
        full.filter(status=Status.REVIEW).order_by("updated_at")[:CHECKED]
    ) + list(
        full.filter(status=Status.PUBLISHED, publish_at__gt=now).order_by("publish_at")[
            :CHECKED
        ]
    )
    checks = check_publications(outgoing) if outgoing else {}
    failing = [
        (p, "; ".join(str(f.message) for f in checks[p.pk].blockers))
        for p in outgoing
        if checks[p.pk].blockers
    ]
    sections.append(
        Section(
            "failing",
            _("Failing the checks before publishing"),
            failing[:SHOWN],
            empty=_("Everything in review or scheduled passes the checks."),
        )
    )
    return sections
