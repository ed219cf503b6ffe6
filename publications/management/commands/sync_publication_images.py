"""Publish the images of publications that went live at their publish-at time,
which no save announced, and withdraw what a failed sync left public.

Schedule it every minute or few (cron, a systemd timer): until it has run,
the pages of a publication that went live serve its images through Django.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from publications.caching import invalidate
from publications.media import sync_images
from publications.models import Publication

# Publications that went live or were changed this recently are checked; a
# day covers a timer that stopped for hours.
RECENT = datetime.timedelta(days=1)


class Command(BaseCommand):
    help = (
        "Copy the images of publications that went live to the public storage "
        "and withdraw those of publications no longer public. Checks the "
        "publications that went live or changed in the last day, or all."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="Check every publication (after an upgrade or a storage outage).",
        )

    def handle(self, *args, everything=False, **options):
        publications = Publication.objects.all()
        if not everything:
            now = timezone.now()
            since = now - RECENT
            publications = publications.filter(
                Q(publish_at__range=(since, now)) | Q(updated_at__gte=since)
            )
        ids = list(publications.values_list("pk", flat=True))
        changed = sum(sync_images(pk) for pk in ids)
        if changed:
            invalidate()
        self.stdout.write(
            f"Checked the images of {len(ids)} publications; "
            f"{changed} had copies published or withdrawn."
        )
