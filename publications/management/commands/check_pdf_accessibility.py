"""Read the accessibility facts of PDFs stored before uploads recorded them.

Uploads record whether a PDF is tagged, its language and whether viewers show
its title (``publications.pdfcheck.accessibility``); the checks before
publishing warn about what is missing. PDFs stored earlier have none of these
facts: run this once after migration 0019 (it reads each file again, in the
same child process as uploads, so allow about a second a file). It only
reads files whose facts are unknown, so it can be stopped and run again.
"""

import shutil
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand

from publications import pdfcheck
from publications.documents import check_limits
from publications.models import PdfVersion


class Command(BaseCommand):
    help = (
        "Read whether stored PDFs are tagged, declare their language and show "
        "their title, for the PDFs whose facts are unknown (or all, with --all)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="Read every stored PDF again, not only those never read.",
        )

    def handle(self, *args, everything=False, **options):
        versions = PdfVersion.objects.defer("text").order_by("pk")
        if not everything:
            versions = versions.filter(is_tagged__isnull=True)
        read = failed = 0
        for version in versions.iterator():
            found = self.read(version)
            if found is None:
                failed += 1
                continue
            PdfVersion.objects.filter(pk=version.pk).update(
                is_tagged=found["tagged"],
                shows_title=found["shows_title"],
                language=found["language"],
                title=version.title or found["title"],
            )
            read += 1
        self.stdout.write(f"Read {read} PDFs; {failed} could not be read.")

    def read(self, version) -> dict | None:
        with tempfile.TemporaryDirectory(prefix="pdfcheck-") as workdir:
            workdir = Path(workdir)
            path = workdir / "stored.pdf"
            try:
                with version.file.open("rb") as source, path.open("wb") as copy:
                    shutil.copyfileobj(source, copy)
            except OSError as error:
                self.stderr.write(f"{version.file.name}: {error}")
                return None
            found = pdfcheck.check_in_child(path, workdir, check_limits())
        if "refused" in found:
            self.stderr.write(f"{version.file.name}: {', '.join(found['refused'])}")
            return None
        return found
