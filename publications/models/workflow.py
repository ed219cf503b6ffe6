from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Status
from .publication import Publication


class WorkflowEvent(models.Model):
    """One step of a publication's way to readers: who moved it from one
    state to another, when, and what they said (publications/workflow.py)."""

    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="workflow_events",
    )
    transition = models.CharField(_("step"), max_length=20)
    from_status = models.CharField(_("from"), max_length=10, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=Status.choices)
    # For a publication published with a later go-live time: scheduled.
    publish_at = models.DateTimeField(_("go live at"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["publication", "-created_at"], name="workflow_event_pub_idx"
            )
        ]

    def __str__(self):
        return f"{self.publication_id}: {self.from_status} → {self.to_status}"
