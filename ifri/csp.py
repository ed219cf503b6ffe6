"""The Content-Security-Policy of every response (django-csp).

Public pages get ``CONTENT_SECURITY_POLICY``: no inline script and no nonce,
so that a page stays the same bytes from one request to the next (the page
cache and ETags depend on it). The admin gets ``CONTENT_SECURITY_POLICY_ADMIN``,
whose scripts may carry the request's nonce: the admin is never cached, and
django-prose-editor needs an inline import map.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from js_asset import Media


def is_admin(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and "admin" in match.namespaces


class SiteCSPMiddleware(CSPMiddleware):
    def process_template_response(self, request, response):
        # The admin renders the media of its forms and widgets itself
        # (``{{ media }}``): give their tags the nonce that its policy allows.
        media = (response.context_data or {}).get("media")
        if media is not None and is_admin(request):
            response.context_data["media"] = Media.from_media(
                media, nonce=str(request.csp_nonce)
            )
        return response

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and is_admin(request):
            parts.config = default_config(
                settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
            )
        return parts
