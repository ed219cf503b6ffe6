"""Hold back scheduled publications that no longer pass the checks before
publishing, before they go live.

A scheduled publication was checked when it was published and each time it
was saved since; what it links to may still change without a save of its
own (a related publication unpublished meanwhile). Schedule this every
minute (cron, a systemd timer): the publications due within ``--minutes``
that now fail are sent back to review with the reasons, the step recorded
and the people concerned emailed (publications/workflow.py).
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from publications.choices import Status
from publications.models import Publication
from publications.readiness import check_publications
from publications.workflow import WorkflowError, move


class Command(BaseCommand):
    help = (
        "Send back to review the scheduled publications due soon that fail the "
        "checks before publishing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=10,
            help="Check the publications going live within this many minutes.",
        )

    def handle(self, *args, minutes=10, **options):
        now = timezone.now()
        due = list(
            Publication.objects.select_related("type").filter(
                status=Status.PUBLISHED,
                publish_at__gt=now,
                publish_at__lte=now + datetime.timedelta(minutes=minutes),
            )
        )
        checks = check_publications(due) if due else {}
        held = 0
        for publication in due:
            blockers = checks[publication.pk].blockers
            if not blockers:
                continue
            reasons = " ".join(str(finding.message) for finding in blockers)
            try:
                move(publication, "hold_back", None, comment=reasons)
            except WorkflowError:
                continue  # changed meanwhile: it is no longer scheduled
            held += 1
            self.stdout.write(f"Held back “{publication.title}”: {reasons}")
        self.stdout.write(
            f"Checked {len(due)} publications going live within {minutes} "
            f"minutes; {held} held back."
        )
