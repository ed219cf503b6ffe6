"""The way a publication goes to readers: Draft → In review → Published
(or Scheduled) → Archived, and back.

Each step is a ``Transition``: the states it leaves, the one it reaches and
who may take it (publications/permissions.py). ``move()`` takes one step for
one publication, all or nothing, and records who, when and why as a
WorkflowEvent; the people concerned are emailed once it commits
(publications/notifications.py). The admin's form buttons and bulk actions
both go through it, so the rules hold whichever way an editor works.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ifri.formats import local_datetime

from . import notifications
from .choices import Status
from .permissions import can_publish, can_review, can_submit
from .readiness import check_publication


class WorkflowError(Exception):
    """A step refused; the message says why, for the editor."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise  # the button's
    sources: tuple[str, ...]
    target: str
    allowed: Callable[[object], bool]
    button: Promise = _("Save")  # on the change form, which saves first
    needs_comment: bool = False
    done: Promise = _("Done.")
    # For a bulk action, with the number of publications as ``count``.
    done_many: Promise = ngettext_lazy(
        "%(count)d publication was changed.",
        "%(count)d publications were changed.",
        "count",
    )


TRANSITIONS = {
    t.name: t
    for t in (
        Transition(
            "submit",
            _("Submit for review"),
            (Status.DRAFT,),
            Status.REVIEW,
            can_submit,
            button=_("Save and submit for review"),
            done=_("“%(title)s” was submitted for review."),
            done_many=ngettext_lazy(
                "%(count)d publication was submitted for review.",
                "%(count)d publications were submitted for review.",
                "count",
            ),
        ),
        Transition(
            "send_back",
            _("Send back to the editor"),
            (Status.REVIEW,),
            Status.DRAFT,
            can_review,
            button=_("Save and send back"),
            needs_comment=True,
            done=_("“%(title)s” was sent back to its editor."),
        ),
        Transition(
            "publish",
            _("Publish"),
            (Status.DRAFT, Status.REVIEW, Status.ARCHIVED),
            Status.PUBLISHED,
            can_publish,
            button=_("Save and publish"),
            done=_("“%(title)s” was published."),
            done_many=ngettext_lazy(
                "%(count)d publication was published.",
                "%(count)d publications were published.",
                "count",
            ),
        ),
        Transition(
            "unpublish",
            _("Unpublish"),
            (Status.PUBLISHED,),
            Status.ARCHIVED,
            can_publish,
            button=_("Save and unpublish"),
            done=_("“%(title)s” was unpublished: readers no longer see it."),
            done_many=ngettext_lazy(
                "%(count)d publication was unpublished.",
                "%(count)d publications were unpublished.",
                "count",
            ),
        ),
        Transition(
            "reopen",
            _("Reopen as a draft"),
            (Status.ARCHIVED,),
            Status.DRAFT,
            can_submit,
            button=_("Save and reopen as a draft"),
            done=_("“%(title)s” is a draft again."),
        ),
        Transition(
            "hold_back",
            _("Hold back before going live"),
            (Status.PUBLISHED,),
            Status.REVIEW,
            # Only the go-live check takes it (manage.py check_go_lives).
            lambda user: user is None,
            done=_("“%(title)s” was held back: it fails the checks before publishing."),
        ),
    )
}
# The name of the change form's buttons that take a step (workflow_admin.py).
STEP_FIELD = "_workflow"
SCHEDULED = _("“%(title)s” is scheduled: readers see it from %(time)s.")


def available(publication, user) -> list[Transition]:
    """The steps ``user`` may take with ``publication`` now."""
    return [t for t in TRANSITIONS.values() if _refusal(t, publication, user) is None]


def refusal(name: str, publication, user):
    """Why ``user`` may not take step ``name`` with ``publication`` now (the
    checks before publishing aside), or None."""
    return _refusal(TRANSITIONS[name], publication, user)


def _refusal(transition: Transition, publication, user):
    """Why ``user`` may not take ``transition`` now, or None."""
    if not transition.allowed(user):
        return _("You may not do this: ask a publisher.")
    if publication.status not in transition.sources:
        return _("This step is not possible from the state “%(state)s”.") % {
            "state": publication.get_status_display()
        }
    if (
        transition.name == "publish"
        and publication.status == Status.DRAFT
        and publication.type.review_required
    ):
        return _(
            "%(type)s publications are reviewed before they are published: "
            "submit it for review first."
        ) % {"type": publication.type.name}
    return None


def move(publication, name: str, user, comment: str = "", readiness=None):
    """Take step ``name`` with ``publication`` for ``user``; returns the
    WorkflowEvent. Raises WorkflowError, having changed nothing, when the
    step is refused.

    Publishing is refused while the checks before publishing find blockers
    (publications/readiness.py): ``readiness`` when given (a bulk action
    checks its selection together), else the publication's own.
    """
    from .models import Publication, WorkflowEvent

    transition = TRANSITIONS.get(name)
    if transition is None:
        raise WorkflowError(_("Unknown step."))
    comment = (comment or "").strip()
    if transition.needs_comment and not comment:
        raise WorkflowError(_("Say what should change: a comment is required."))
    with transaction.atomic():
        current = (
            Publication.objects.select_for_update()
            .select_related("type")
            .get(pk=publication.pk)
        )
        if (refused := _refusal(transition, current, user)) is not None:
            raise WorkflowError(refused)
        if transition.target == Status.PUBLISHED:
            readiness = readiness or check_publication(current)
            if readiness.blockers:
                raise WorkflowError(
                    " ".join(str(finding.message) for finding in readiness.blockers)
                )
        event = WorkflowEvent(
            publication=current,
            transition=transition.name,
            from_status=current.status,
            to_status=transition.target,
            user=user,
            comment=comment,
        )
        last_editor_id = current.updated_by_id  # concerned by the step
        current.status = transition.target
        if user is not None:  # a step of the system's changes nobody's work
            current.updated_by = user
        if (
            transition.target == Status.PUBLISHED
            and current.publish_at > timezone.now()
        ):
            event.publish_at = current.publish_at
        current.save(update_fields=["status", "updated_by", "updated_at"])
        event.save()
        notifications.after_commit(event, last_editor_id)
    publication.status, publication.updated_by = current.status, current.updated_by
    publication.updated_at = current.updated_at
    return event


def outcome(event) -> str:
    """What the editor is told once a step is taken."""
    title = event.publication.title
    if event.publish_at is not None:
        return SCHEDULED % {"title": title, "time": local_datetime(event.publish_at)}
    return TRANSITIONS[event.transition].done % {"title": title}
