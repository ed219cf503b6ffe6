"""The search models: the PostgreSQL index, the words "did you mean" knows,
readers' search counts and editors' suggestions.

They belong to the publications app (publications/models/ imports them),
so their tables, migrations and permissions are the app's.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ..models import Language, Publication


class SearchDocument(models.Model):
    """What full-text search matches a publication by (publications/search/):
    its weighted words, in a narrow table of their own, kept in step by
    signals. PostgreSQL only (the migration makes its GIN indexes); empty
    elsewhere.

    Every search asks which publications match, and a word may be found in
    half of them: read from here, that is a few pages of ids, where the
    publications table would give a whole row per match.
    """

    publication = models.OneToOneField(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    # Title A; teaser, author names and topics B; body C; PDF text D.
    vector = SearchVectorField(_("search index"))
    # The A and B part: matches here rank before matches in the text alone.
    head_vector = SearchVectorField(_("title, summary, authors and topics"))
    # The A part: matches here rank first.
    title_vector = SearchVectorField(_("title"))
    # The C part: matches here rank before matches in the PDF alone.
    body_vector = SearchVectorField(_("body"), null=True)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")

    def __str__(self):
        return _("Search index of publication %(id)s") % {"id": self.publication_id}


class SearchTerm(models.Model):
    """A word of the titles, author names and topics: what "did you mean"
    may propose (PostgreSQL only; filled by ``search.indexing``).

    A word stays here when its publication changes; it is proposed only while
    a visible publication has it, and a full refresh drops it.
    """

    word = models.CharField(
        _("word"), max_length=100, unique=True, help_text=_("Lowercase, no accents.")
    )
    label = models.CharField(_("as written"), max_length=100)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self):
        return self.label


class SearchReview(models.TextChoices):
    PENDING = "pending", _("Not reviewed")
    APPROVED = "approved", _("Shown to readers")
    REFUSED = "refused", _("Never shown")


class SearchQueryStat(models.Model):
    """How often readers searched for a term: the "frequent searches".

    Counts only: no reader, address or time of a search is kept. Distinct
    visitors are told apart within a day by a hash salted anew each day,
    kept in the cache until the day ends (publications/search/statistics.py).
    """

    term = models.CharField(_("search"), max_length=100, unique=True)
    count = models.PositiveIntegerField(_("searches"), default=0)
    visitors = models.PositiveIntegerField(
        _("visitors"),
        default=0,
        help_text=_("Distinct visitors each day, added up over the days."),
    )
    days = models.PositiveIntegerField(_("days searched"), default=0)
    last_seen = models.DateField(_("last searched"), default=timezone.localdate)
    review = models.CharField(
        _("review"),
        max_length=10,
        choices=SearchReview.choices,
        default=SearchReview.PENDING,
        help_text=_(
            "Readers see a search only once an editor approved it (or, if the "
            "site allows it, once many visitors searched it on several days). "
            "A refused search is never shown."
        ),
    )

    class Meta:
        verbose_name = _("frequent search")
        verbose_name_plural = _("frequent searches")
        ordering = ["-visitors", "-count", "term"]
        indexes = [
            models.Index(
                fields=["-visitors", "-count", "term"],
                condition=~Q(review="refused"),
                name="search_query_top_idx",
            ),
            models.Index(fields=["last_seen"], name="search_query_seen_idx"),
        ]

    def __str__(self):
        return self.term


class SearchSuggestion(models.Model):
    """A search editors suggest beside the search box."""

    term = models.CharField(
        _("search"),
        max_length=100,
        help_text=_("What the link searches for, e.g. “energy transition”."),
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        blank=True,
        help_text=_("Show it only on the pages in this language; blank for both."),
    )
    order = models.PositiveSmallIntegerField(
        _("display order"),
        default=0,
        help_text=_("Suggestions are listed from the lowest number."),
    )
    is_active = models.BooleanField(_("shown"), default=True)

    class Meta:
        verbose_name = _("search suggestion")
        verbose_name_plural = _("search suggestions")
        ordering = ["order", "term"]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("search") + "?" + urlencode({"q": self.term})
