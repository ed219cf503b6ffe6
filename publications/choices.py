"""The fixed lists a publication's fields choose from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CitationType(models.TextChoices):
    """The kinds of work citation styles know (CSL item types)."""

    REPORT = "report", _("Report or working paper")
    JOURNAL_ARTICLE = "article-journal", _("Journal article")
    NEWSPAPER_ARTICLE = "article-newspaper", _("Newspaper or magazine article")
    BOOK = "book", _("Book")
    CHAPTER = "chapter", _("Book chapter")
    INTERVIEW = "interview", _("Interview")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Role(models.TextChoices):
    AUTHOR = "author", _("Author")
    EDITOR = "editor", _("Editor")
    TRANSLATOR = "translator", _("Translator")
    INTERVIEWER = "interviewer", _("Interviewer")
