"""Refuse to serve without the secret key every app server shares.

The settings leave ``SECRET_KEY`` empty on a production site that was not
given one, so that commands which sign nothing still run; a process that
serves readers must not start that way.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MISSING = (
    "SECRET_KEY is not set. Set it in the environment to one long random "
    "value shared by every app server, e.g. the output of "
    "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`. "
    "(A local site served over plain HTTP, HTTPS=off, or with DEBUG on "
    "uses a key generated in VAR_DIR instead.)"
)


def require_secret_key() -> None:
    try:
        settings.SECRET_KEY  # noqa: B018 - Django refuses an empty key on access
    except ImproperlyConfigured:
        raise ImproperlyConfigured(MISSING) from None
