"""What the admin's own pages beyond Django's (restoring, comparing, taking a
workflow step) share with its change pages."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


def object_url(model_admin, view: str, obj) -> str:
    """The address of ``model_admin``'s ``view`` ("change", "history"...)
    for ``obj``."""
    opts = model_admin.opts
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_{view}",
        args=[obj.pk],
        current_app=model_admin.admin_site.name,
    )


def missing_object_redirect(model_admin, request, object_id):
    """To the admin's index, with the message Django's change page gives for
    an object that no longer exists."""
    message = _("%(name)s with ID “%(key)s” doesn't exist. Perhaps it was deleted?")
    params = {"name": model_admin.opts.verbose_name, "key": unquote(object_id)}
    model_admin.message_user(request, message % params, messages.WARNING)
    return redirect(reverse("admin:index", current_app=model_admin.admin_site.name))
