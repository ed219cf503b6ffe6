"""Test data: one factory per model, used by every test."""

import datetime
import functools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from authors.models import Author
from centers.models import ResearchCenter
from publications.documents import PdfReport, check_pdf, checked_pdfs
from publications.models import (
    Authorship,
    Publication,
    PublicationType,
    RelatedLink,
    Role,
    Status,
)

from .helpers import make_pdf_bytes


@functools.cache
def _checked_pdf() -> tuple[bytes, PdfReport]:
    """The factory's PDF and the report of its check, made once a process."""
    content = make_pdf_bytes(3, invariant=True)
    return content, check_pdf(ContentFile(content, name="analysis.pdf"))


def factory_pdf() -> ContentFile:
    """The factory's PDF, checked already: the same bytes always get the same
    report, so a publication made with it need not have a child process check
    them again. (The check itself is tested with uploads of its own.)"""
    content, report = _checked_pdf()
    upload = ContentFile(content, name="analysis.pdf")
    checked_pdfs[upload] = report
    return upload


@functools.cache
def _checked_accessible_pdf() -> tuple[bytes, PdfReport]:
    from .publications.pdf_files import accessibility_pdf

    content = accessibility_pdf()
    return content, check_pdf(ContentFile(content, name="accessible.pdf"))


def accessible_pdf() -> ContentFile:
    """A PDF the checks before publishing have nothing against (tagged, with
    its language and its title shown), checked already like factory_pdf()."""
    content, report = _checked_accessible_pdf()
    upload = ContentFile(content, name="accessible.pdf")
    checked_pdfs[upload] = report
    return upload


def yesterday():
    return timezone.now() - datetime.timedelta(days=1)


def tomorrow():
    return timezone.now() + datetime.timedelta(days=1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.is_staff = True
            self.save(update_fields=["is_staff"])
            self.groups.add(*Group.objects.filter(name__in=names))


def editor(**kwargs):
    return UserFactory(groups=["Editors"], **kwargs)


def publisher(**kwargs):
    return UserFactory(groups=["Publishers"], **kwargs)


def uploader(**kwargs):
    return UserFactory(groups=["Uploaders"], **kwargs)


class ResearchCenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchCenter

    name = factory.Sequence(lambda n: f"Center for Studies {n}")
    name_en = factory.SelfAttribute("name")
    slug = factory.Sequence(lambda n: f"center-{n}")
    teaser = "Research on the questions that matter."
    image = factory.django.ImageField(filename="center.jpg", width=80, height=40)
    image_alt = "A meeting room"
    image_credit = factory.Sequence(lambda n: f"Photo: Center Studio {n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author
        skip_postgeneration_save = True

    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    slug = factory.Sequence(lambda n: f"author-{n}")
    job_title = "Research Fellow"
    photo = factory.django.ImageField(filename="portrait.jpg", width=40, height=40)
    photo_alt = factory.LazyAttribute(lambda a: f"Portrait of {a.given_name}")
    photo_credit = factory.Sequence(lambda n: f"Photo: Portrait Studio {n}")


class PublicationTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicationType
        django_get_or_create = ["slug"]

    name = "Report"
    name_en = "Report"
    plural_name = "Reports"
    plural_name_en = "Reports"
    slug = "reports"
    citation_type = "report"


def journal_article_type():
    """The type of articles the institute's researchers publish in journals."""
    return PublicationTypeFactory(
        slug="external-articles",
        name="External article",
        name_en="External article",
        plural_name="External Articles",
        plural_name_en="External Articles",
        citation_type="article-journal",
    )


class PublicationFactory(factory.django.DjangoModelFactory):
    """A published, visible publication; ``with_pdf=True`` and
    ``with_image=True`` give it its PDF and main image
    (``with_accessible_pdf=True``: a PDF the checks before publishing accept
    without a warning)."""

    class Meta:
        model = Publication
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Energy security in Europe, part {n}")
    slug = factory.Sequence(lambda n: f"publication-{n}")
    type = factory.SubFactory(PublicationTypeFactory)
    center = factory.SubFactory(ResearchCenterFactory)
    teaser = "How Europe can keep the lights on."
    body = "<h2>Introduction</h2><p>The first section.</p>"
    status = Status.PUBLISHED
    publish_at = factory.LazyFunction(yesterday)
    publication_date = factory.LazyFunction(lambda: yesterday().date())

    class Params:
        draft = factory.Trait(status=Status.DRAFT)
        in_review = factory.Trait(status=Status.REVIEW)
        scheduled = factory.Trait(publish_at=factory.LazyFunction(tomorrow))
        # Files are opt-in: an image costs its renditions, a publication
        # without files 10 ms.
        with_pdf = factory.Trait(pdf=factory.LazyFunction(factory_pdf))
        with_accessible_pdf = factory.Trait(pdf=factory.LazyFunction(accessible_pdf))
        with_image = factory.Trait(
            main_image=factory.django.ImageField(
                filename="main.jpg", width=120, height=60
            ),
            main_image_alt="Wind turbines at sea",
            main_image_caption="Offshore wind farm.",
            main_image_credit=factory.Sequence(lambda n: f"Photo: Main Studio {n}"),
        )

    @factory.post_generation
    def authors(self, create, authors, **kwargs):
        if create and authors:
            for order, author in enumerate(authors):
                Authorship.objects.create(
                    publication=self, author=author, order=order, role=Role.AUTHOR
                )

    @factory.post_generation
    def tags(self, create, tags, **kwargs):
        if create and tags:
            self.tags.add(*tags)


class RelatedLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelatedLink

    publication = factory.SubFactory(PublicationFactory)
    target = factory.SubFactory(PublicationFactory)
    order = factory.Sequence(lambda n: n)


def ready(**kwargs):
    """A publication every check before publishing passes
    (publications/readiness.py), but for what a test changes."""
    kwargs.setdefault("authors", [AuthorFactory()])
    kwargs.setdefault("tags", ["Energy"])
    kwargs.setdefault("with_accessible_pdf", True)
    return PublicationFactory(**kwargs)
