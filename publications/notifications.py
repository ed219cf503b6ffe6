"""Emails to the people a workflow step concerns, sent once it commits.

A submission goes to everyone who may publish; every other step goes to
the editor who submitted the publication and to whoever changed it last,
never to the person who took the step. A mail server that fails loses the
email, not the step: the failure is logged.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .permissions import APP_LABEL, PUBLISH_CODENAME

logger = logging.getLogger(__name__)

SUBJECTS = {
    "submit": gettext_lazy("“%(title)s” is waiting for your review"),
    "send_back": gettext_lazy("“%(title)s” was sent back to you"),
    "publish": gettext_lazy("“%(title)s” is published"),
    "unpublish": gettext_lazy("“%(title)s” was unpublished"),
    "reopen": gettext_lazy("“%(title)s” is a draft again"),
    "hold_back": gettext_lazy("“%(title)s” was held back before going live"),
}


def after_commit(event, last_editor_id=None) -> None:
    """Email the people ``event`` concerns once it commits; ``last_editor_id``:
    who changed the publication last before the step."""
    transaction.on_commit(lambda: send(event, last_editor_id))


def recipients(event, last_editor_id=None) -> list[str]:
    User = get_user_model()
    people = User.objects.filter(is_active=True).exclude(email="")
    if event.transition == "submit":
        may_publish = Q(is_superuser=True)
        for prefix in ("groups__permissions", "user_permissions"):
            may_publish |= Q(
                **{
                    f"{prefix}__codename": PUBLISH_CODENAME,
                    f"{prefix}__content_type__app_label": APP_LABEL,
                }
            )
        people = people.filter(may_publish)
    else:
        submitted = (
            event.publication.workflow_events.filter(transition="submit")
            .exclude(pk=event.pk)
            .values_list("user", flat=True)[:1]
        )
        concerned = {last_editor_id, *submitted}
        people = people.filter(pk__in=[pk for pk in concerned if pk])
    if event.user_id:
        people = people.exclude(pk=event.user_id)
    return sorted(set(people.values_list("email", flat=True)))


def send(event, last_editor_id=None) -> None:
    from .workflow import TRANSITIONS

    to = recipients(event, last_editor_id)
    if not to:
        return
    publication = event.publication
    link = settings.SITE_URL + reverse(
        "admin:publications_publication_change", args=[publication.pk]
    )
    lines = [
        _("%(user)s: %(step)s, %(from)s → %(to)s.")
        % {
            "user": event.user or _("someone"),
            "step": TRANSITIONS[event.transition].label,
            "from": event.get_from_status_display(),
            "to": event.get_to_status_display(),
        },
    ]
    if event.comment:
        lines += ["", _("Comment:"), event.comment]
    lines += ["", link]
    try:
        send_mail(
            str(SUBJECTS[event.transition]) % {"title": publication.title},
            "\n".join(lines),
            None,
            to,
        )
    except Exception:
        logger.exception("Could not email %s about publication %s", to, publication.pk)
