"""generate_publications: synthetic publications in bulk, for benchmarks."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, Max, Min
from django.db.models.signals import m2m_changed, post_save
from django.utils import timezone

from authors.models import Author
from publications.caching import content_version
from publications.management.commands import generate_publications
from publications.models import (
    Authorship,
    PdfVersion,
    Publication,
    Role,
    Status,
)

pytestmark = pytest.mark.django_db

COUNT = 200


def generate(count=COUNT, seed=7):
    out = io.StringIO()
    call_command("generate_publications", str(count), "--seed", str(seed), stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    """Everything generated but the ids and the dates (relative to today)."""
    publications = Publication.objects.select_related("type", "center")
    authors = {}
    for a in Authorship.objects.select_related("author").order_by("order"):
        authors.setdefault(a.publication_id, []).append(
            (a.author.full_name, a.author.slug, a.order, a.role)
        )
    tags = {}
    for item in Publication.tags.through.objects.select_related("tag"):
        tags.setdefault(item.content_object_id, set()).add(item.tag.name)
    texts = dict(
        PdfVersion.objects.filter(is_current=True).values_list("publication", "text")
    )
    return sorted(
        (
            p.slug,
            p.title,
            p.language,
            p.status,
            p.type.slug,
            p.center.slug,
            p.teaser,
            p.body,
            tuple(authors[p.pk]),
            tuple(sorted(tags[p.pk])),
            texts.get(p.pk),
        )
        for p in publications
    )


def rolled_back_run(seed) -> list[tuple]:
    with transaction.atomic():
        generate(seed=seed)
        rows = snapshot()
        transaction.set_rollback(True)
    return rows


def test_generates_publications_with_authors_tags_and_pdf_text():
    output = generate()

    assert f"Generated {COUNT} publications" in output
    publications = Publication.objects.all()
    assert publications.count() == COUNT
    assert Author.objects.count() == 10  # one per 20 publications, at least 5
    assert any(not a.full_name.isascii() for a in Author.objects.all())

    credits = {}
    for publication, order, role in Authorship.objects.values_list(
        "publication", "order", "role"
    ):
        credits.setdefault(publication, []).append((order, role))
    assert len(credits) == COUNT
    for rows in credits.values():
        orders = sorted(order for order, role in rows if role == Role.AUTHOR)
        assert 1 <= len(orders) <= 4
        assert orders == list(range(len(orders)))

    tag_counts = publications.annotate(n=Count("tags")).aggregate(
        low=Min("n"), high=Max("n")
    )
    assert tag_counts == {"low": 2, "high": 5}

    with_pdf = publications.exclude(pdf="").first()
    assert len(with_pdf.pdf_text) >= 2000
    assert PdfVersion.objects.filter(is_current=True).count() == (
        publications.exclude(pdf="").count()
    )


def test_mixes_languages_and_statuses_like_a_real_catalogue():
    generate()

    publications = Publication.objects.all()
    french = publications.filter(language="fr").count()
    visible = publications.published().count()
    scheduled = publications.filter(
        status=Status.PUBLISHED, publish_at__gt=timezone.now()
    )
    assert 0.2 * COUNT < french < 0.5 * COUNT
    assert 0.8 * COUNT < visible < 0.97 * COUNT
    assert publications.filter(status=Status.DRAFT).exists()
    assert scheduled.exists()
    years = {d.year for d in publications.values_list("publication_date", flat=True)}
    assert len(years) >= 10


def test_same_seed_gives_the_same_publications_and_another_seed_does_not():
    first = rolled_back_run(seed=3)
    again = rolled_back_run(seed=3)
    other = rolled_back_run(seed=4)

    assert len(first) == COUNT
    assert first == again
    assert first != other


def test_running_twice_adds_publications_with_unique_slugs():
    generate(seed=1)
    generate(seed=1)

    slugs = list(Publication.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 2 * COUNT
    author_slugs = list(Author.objects.values_list("slug", flat=True))
    assert len(author_slugs) == len(set(author_slugs))


def test_sends_no_per_row_signals_and_invalidates_cached_pages_once(commit):
    sent = []

    def record(sender, **kwargs):
        sent.append(sender)

    post_save.connect(record, weak=False)
    m2m_changed.connect(record, weak=False)
    version = content_version()
    try:
        with commit():
            generate(count=50)
    finally:
        post_save.disconnect(record)
        m2m_changed.disconnect(record)

    assert sent == []
    assert content_version() != version


def test_refreshes_search_vectors_once_at_the_end(monkeypatch):
    calls = []
    monkeypatch.setattr(generate_publications, "refresh_search_vectors", calls.append)

    generate(count=30)  # an empty table: every row is refreshed
    generate(count=20)  # only the new rows

    assert calls[0] is None
    assert len(calls) == 2
    assert len(calls[1]) == 20
    assert set(calls[1]) <= set(Publication.objects.values_list("pk", flat=True))


@pytest.mark.postgres
def test_generated_publications_get_search_vectors_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("Stored search vectors are PostgreSQL only.")

    generate(count=50)

    assert not Publication.objects.filter(search_document__isnull=True).exists()


@pytest.mark.parametrize("args", [["0"], ["10", "--batch", "0"]])
def test_refuses_nonsense_counts(args):
    with pytest.raises(CommandError):
        call_command("generate_publications", *args, stdout=io.StringIO())
