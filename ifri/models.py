"""The site's own rows that belong to no content app."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import private_storage as lazy_private_storage
from .uploads import StoredFilesMixin, UploadTo


def private_storage():
    """The private storage, as a callable: migrations refer to this function,
    not to whichever storage the settings give (see ifri/storage.py)."""
    return lazy_private_storage


def new_token() -> str:
    return secrets.token_urlsafe(32)


class HeldUploadQuerySet(models.QuerySet):
    def usable_by(self, user):
        """The user's files still held."""
        return self.filter(user=user, created_at__gte=self.model.oldest_kept())

    def expired(self):
        return self.filter(created_at__lt=self.model.oldest_kept())


class HeldUpload(StoredFilesMixin, models.Model):
    """A file an editor chose on a form that was refused for another reason,
    kept for them for a while so that they need not choose it again
    (ifri/held_uploads.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    file = models.FileField(
        _("file"), upload_to=UploadTo("held"), storage=private_storage, max_length=300
    )
    name = models.CharField(
        _("file name"),
        max_length=255,
        help_text=_("As the editor's computer named it."),
    )
    created_at = models.DateTimeField(_("held since"), default=timezone.now)

    objects = HeldUploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("held upload")
        verbose_name_plural = _("held uploads")
        indexes = [models.Index(fields=["created_at"], name="held_upload_created_idx")]

    def __str__(self):
        return self.name

    @staticmethod
    def oldest_kept():
        return timezone.now() - settings.HELD_UPLOADS_KEPT_FOR

    @property
    def kept_until(self):
        return self.created_at + settings.HELD_UPLOADS_KEPT_FOR
