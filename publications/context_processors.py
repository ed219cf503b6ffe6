from django.conf import settings


def site(request):
    match = getattr(request, "resolver_match", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_SHORT_NAME": settings.SITE_SHORT_NAME,
        # The part of the site the page belongs to, for the navigation.
        "section": (match.namespace or match.url_name) if match else "",
    }
