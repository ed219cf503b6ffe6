"""Remove stored files no row refers to, for the operator to schedule (cron,
a systemd timer): what a worker killed between storing a file and committing
its row left behind. See docs/uploads.md."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from ifri.sweep import sweep

# An upload is committed seconds after its file is written; an hour leaves
# room for the slowest, and for clocks that disagree a little.
MIN_GRACE_HOURS = 1


class Command(BaseCommand):
    help = (
        "Remove the PDFs, images, thumbnails and renditions, in the public and "
        "the private storage, that no row refers to and that were written more "
        "than --grace-hours ago."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace-hours",
            type=float,
            default=24,
            help=(
                "Keep files written less than this many hours ago, which an "
                f"upload may still be committing (default 24, at least "
                f"{MIN_GRACE_HOURS})."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would be removed; remove nothing.",
        )

    def handle(self, *args, grace_hours, dry_run, verbosity, **options):
        if grace_hours < MIN_GRACE_HOURS:
            raise CommandError(
                f"--grace-hours must be at least {MIN_GRACE_HOURS}: a younger "
                "file may belong to an upload not yet committed."
            )
        result = sweep(timezone.now() - timedelta(hours=grace_hours), dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        if verbosity >= 1:
            for found in result.removed:
                when = timezone.localtime(found.modified).strftime("%Y-%m-%d %H:%M")
                self.stdout.write(
                    f"{verb} {found.name} ({filesizeformat(found.size)}, "
                    f"written {when})"
                )
        size = sum(found.size for found in result.removed)
        self.stdout.write(
            f"{verb} {len(result.removed)} files ({filesizeformat(size)}) that no "
            f"row refers to; kept {len(result.young)} written in the last "
            f"{grace_hours:g} hours."
        )
        if result.failed:
            names = ", ".join(found.name for found in result.failed)
            raise CommandError(f"Could not remove {len(result.failed)}: {names}")
