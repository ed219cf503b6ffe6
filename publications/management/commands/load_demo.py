"""Fill an empty database with invented, bilingual demo content.

The content and the code that writes it live in publications/demo/.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation

from publications.demo.data import EN, FR
from publications.demo.loader import DemoLoader
from publications.models import Publication


class Command(BaseCommand):
    help = (
        "Fill an empty database with invented demo content: research centers, "
        "authors, publication types and about sixty bilingual publications "
        "with images and PDFs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when publications already exist.",
        )

    def handle(self, *args, **options):
        if Publication.objects.exists():
            if options["if_empty"]:
                self.stdout.write(
                    "Publications already exist: existing content kept, "
                    "no demo content loaded."
                )
                return
            raise CommandError(
                "The database already has publications; load_demo only fills an "
                "empty database. Use --if-empty to skip quietly."
            )

        loader = DemoLoader(now=timezone.now())
        try:
            with translation.override(EN), transaction.atomic():
                loader.load()
        except BaseException:
            # The rows are rolled back; the files stored so far must go too.
            loader.remove_files()
            raise

        publications = Publication.objects.all()
        self.stdout.write(
            self.style.SUCCESS(
                "Loaded demo content: "
                f"{len(loader.centers)} research centers, "
                f"{len(loader.authors)} authors, "
                f"{len(loader.kinds)} publication types, "
                f"{publications.count()} publications "
                f"({publications.published().count()} visible, "
                f"{publications.filter(language=FR).count()} in French), "
                f"{len(loader.written)} files."
            )
        )
