"""Which requests may send files, and how much: decided before the body is read.

Django reads a request's body when a view or a middleware first touches
``request.POST`` or ``request.FILES`` (CsrfViewMiddleware does, for every
POST), and an upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE is then written
to a temporary file, whoever sent it and wherever to. So this middleware,
placed after the session and authentication middleware (it needs the user)
and before anything that reads the body, looks at the headers first:

- uploads go only to the admin forms that take files (UPLOAD_VIEWS), and only
  from staff signed in to the admin; anyone else's file parts are skipped
  unread, and a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is refused (413);
- staff may send at most UPLOAD_MAX_REQUEST_SIZE in one request, all files of
  the form together (413, with the limit, otherwise);
- a body must declare its length: a chunked body without Content-Length is
  refused (411).

The WSGI server hands Django no more than Content-Length bytes, so what was
checked is what is read. Files being received when the request ends are
closed, and so deleted, whatever happened.
"""

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from .upload_handlers import LimitedUploadHandler, NoFilesUploadHandler

# The admin views whose forms take files (``enctype="multipart/form-data"``).
UPLOAD_VIEWS = frozenset(
    {
        "admin:publications_publication_add",
        "admin:publications_publication_change",
        "admin:publications_publication_bulk_upload",
        "admin:authors_author_add",
        "admin:authors_author_change",
        "admin:centers_researchcenter_add",
        "admin:centers_researchcenter_change",
    }
)
MULTIPART = "multipart/form-data"


class UploadGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        multipart = request.content_type == MULTIPART
        refusal = self.refusal(request, multipart)
        if refusal is not None:
            return refusal
        try:
            return self.get_response(request)
        finally:
            if multipart:
                for handler in request.upload_handlers:
                    if isinstance(handler, LimitedUploadHandler):
                        handler.close_unfinished()

    def refusal(self, request, multipart: bool) -> HttpResponse | None:
        """The response refusing the request's body, or None to let it in."""
        declared = request.META.get("CONTENT_LENGTH")
        if not declared:
            if request.META.get("HTTP_TRANSFER_ENCODING"):
                return _plain(411, _("Send the length of the request's body."))
            return None  # no body
        try:
            length = int(declared)
        except ValueError:
            return _plain(400, _("The request's length is not a number."))
        if length < 0:
            return _plain(400, _("The request's length is not a number."))
        if multipart and may_upload(request):
            limit = settings.UPLOAD_MAX_REQUEST_SIZE
            if length > limit:
                return _too_large_for_staff(request, length, limit)
            return None
        if multipart:
            request.upload_handlers = [NoFilesUploadHandler(request)]
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return _plain(413, _("This request is too large."))
        return None


def may_upload(request) -> bool:
    """The request goes to an admin form that takes files, from signed-in staff."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return match.view_name in UPLOAD_VIEWS and admin.site.has_permission(request)


def _plain(status: int, message: str) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain")


def _too_large_for_staff(request, length: int, limit: int) -> HttpResponse:
    context = {
        **admin.site.each_context(request),
        "title": _("Too much to upload at once"),
        "size": filesizeformat(length),
        "limit": filesizeformat(limit),
    }
    return render(request, "admin/upload_too_large.html", context, status=413)
