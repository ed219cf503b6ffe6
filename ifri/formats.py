"""How the site writes a moment for people: in its time zone, in the
reader's or editor's language."""

from django.utils import timezone
from django.utils.formats import date_format


def local_datetime(moment) -> str:
    """``moment`` in the site's time zone, as the active language writes a
    date and time."""
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
