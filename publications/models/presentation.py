from typing import TYPE_CHECKING

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..choices import Role

if TYPE_CHECKING:
    from .pdf_versions import PdfVersion


class PublicationPresentation:
    """What pages, cards, citations and search read from a publication:
    values derived from its fields and its prefetched relations."""

    @property
    def full_title(self) -> str:
        if self.subtitle:
            return f"{self.title}: {self.subtitle}"
        return self.title

    @property
    def is_external(self) -> bool:
        """First published elsewhere (a journal, a newspaper, a book)."""
        return bool(self.publisher)

    @cached_property
    def credited(self) -> list:
        """Authorships in reader order; uses the prefetched rows when present."""
        return list(self.authorships.all())

    @cached_property
    def author_list(self) -> list:
        return [a.author for a in self.credited if a.role == Role.AUTHOR]

    @cached_property
    def card_image(self) -> dict | None:
        """The image for lists and cards: the cover, else the main image,
        else the PDF's first page."""
        for prefix in ("cover_image", "main_image"):
            if image := getattr(self, prefix):
                return {
                    "file": image,
                    "alt": getattr(self, f"{prefix}_alt"),
                    "credit": getattr(self, f"{prefix}_credit"),
                }
        return self.pdf_cover

    @cached_property
    def pdf_cover(self) -> dict | None:
        """The PDF's first page, standing in for the images the editor did not
        give (no cover, no main image)."""
        if self.cover_image or self.main_image or not self.pdf_thumbnail:
            return None
        return {
            "file": self.pdf_thumbnail,
            "alt": _("First page of “%(title)s”") % {"title": self.title},
            "credit": "",
        }

    @cached_property
    def current_pdf_version(self) -> "PdfVersion | None":
        """The version the ``pdf`` field shows (one query; text not loaded)."""
        if not self.pdf or self.pk is None:
            return None
        return (
            self.pdf_versions.filter(is_current=True)
            .defer("text")
            .select_related("uploaded_by")
            .first()
        )

    @property
    def pdf_text(self) -> str:
        """The current PDF's text, for search (one query, up to 2 MB)."""
        if not self.pdf or self.pk is None:
            return ""
        text = self.pdf_versions.filter(is_current=True).values_list("text")
        return next(iter(text), ("",))[0]

    def page_image_credits(self) -> list[str]:
        """Credits of every image the article page shows, each once, in order."""
        credits = []
        if self.main_image:
            credits.append(self.main_image_credit)
        credits += [a.author.photo_credit for a in self.credited if a.author.photo]
        if self.center.image:
            credits.append(self.center.image_credit)
        for link in self.related_links.all():
            if link.target and (card := link.target.card_image):
                credits.append(card["credit"])
        return list(dict.fromkeys(c for c in credits if c))
