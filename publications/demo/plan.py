"""What the demo catalogue holds, decided before any row is written.

Sixty publications, two per subject: types drawn from the counts in
types.toml, dates spread over several years, five studies translated, a few
drafts, items in review and scheduled go-lives, one archived item, one
featured publication per center, who writes (edits, translates) each one,
and related links between neighbours.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from publications.models import Publication, Role, Status

from .data import (
    ANGLES,
    BOOK,
    BRIEFING,
    EN,
    EXTERNAL,
    EXTERNAL_PEOPLE,
    FR,
    KINDS,
    OPED,
    REPORT,
    SUBJECTS,
    Kind,
    Subject,
)

# Dates of published items are spread over this range, whatever today is.
FIRST_DATE = datetime.date(2019, 1, 14)
LAST_DATE = datetime.date(2026, 10, 30)
PUBLICATION_COUNT = 2 * len(SUBJECTS)


@dataclass(eq=False)  # compared and hashed by identity
class Plan:
    """One publication to create."""

    subject: Subject
    kind: Kind
    lang: str
    angle: int
    date: datetime.date
    status: str = Status.PUBLISHED
    publish_at: datetime.datetime | None = None
    featured: bool = False
    translation_of: "Plan | None" = None
    publication: Publication | None = None
    extra: dict = field(default_factory=dict)

    @property
    def i(self) -> int:
        """Index into the (English, French) pairs of the demo data."""
        return int(self.lang == FR)


def angle_family(kind: Kind) -> str:
    """Which list of title angles a type draws from."""
    return {OPED: "oped", BOOK: "book"}.get(kind.slug, "study")


def plan_publications(rng: random.Random, now: datetime.datetime) -> list[Plan]:
    kinds = {kind.slug: kind for kind in KINDS}
    pool = [kind.slug for kind in KINDS for _ in range(kind.count)]
    rng.shuffle(pool)
    # Five subjects get an English study and its French translation.
    paired = rng.sample(range(len(SUBJECTS)), 5)
    # Two of the French versions credit a translator.
    translated = set(paired[:2])
    span = (LAST_DATE - FIRST_DATE).days
    slots = [
        FIRST_DATE + datetime.timedelta(days=span * i // (PUBLICATION_COUNT - 1))
        for i in range(PUBLICATION_COUNT)
    ]
    rng.shuffle(slots)

    plans = []
    for s, subject in enumerate(SUBJECTS):
        first_kind = kinds[pool[2 * s]]
        if s in paired and first_kind.slug in (OPED, BOOK):
            first_kind = kinds[REPORT]  # translated studies are reports or notes
        first = Plan(
            subject,
            first_kind,
            EN if s in paired else rng.choice((EN, EN, FR)),
            angle=0,
            date=slots[2 * s],
        )
        if s in paired:
            second = Plan(
                subject,
                first.kind,
                FR,
                angle=0,
                date=min(
                    first.date + datetime.timedelta(days=rng.randint(0, 20)),
                    LAST_DATE,
                ),
                translation_of=first,
            )
        else:
            kind = kinds[pool[2 * s + 1]]
            second = Plan(
                subject,
                kind,
                rng.choice((EN, EN, FR)),
                angle=0,
                date=slots[2 * s + 1],
            )
        first.extra["translated"] = s in translated
        for plan in (first, second):
            plan.angle = rng.randrange(len(ANGLES[angle_family(plan.kind)]))
        if second.translation_of:
            second.angle = first.angle
        elif angle_family(first.kind) == angle_family(second.kind):
            while second.angle == first.angle:
                second.angle = rng.randrange(len(ANGLES[angle_family(second.kind)]))
        plans += [first, second]

    plan_statuses(rng, plans, now)
    return plans


def plan_statuses(rng: random.Random, plans: list[Plan], now: datetime.datetime):
    """Drafts, reviews, scheduled and archived items, featured ones, go-lives."""
    singles = [
        p
        for p in plans
        if not p.translation_of and not any(q.translation_of is p for q in plans)
    ]
    chosen = rng.sample(singles, 10)
    today = timezone.localdate(now)
    for plan in chosen[:4]:
        plan.status = Status.DRAFT
        plan.date = today + datetime.timedelta(days=rng.randint(10, 30))
    for plan in chosen[4:7]:
        plan.status = Status.REVIEW
        plan.date = today + datetime.timedelta(days=rng.randint(5, 20))
    for days, plan in zip((2, 9, 23), chosen[7:10], strict=True):
        go_live = (now + datetime.timedelta(days=days)).replace(
            hour=7, minute=0, second=0, microsecond=0
        )
        plan.publish_at = go_live
        plan.date = timezone.localdate(go_live)
    oldest = min((p for p in singles if p not in chosen), key=lambda p: p.date)
    oldest.status = Status.ARCHIVED

    latest_first = sorted(
        (p for p in plans if p.status == Status.PUBLISHED and p.publish_at is None),
        key=lambda p: p.date,
        reverse=True,
    )
    featured_centers = set()
    for plan in latest_first:
        if plan.subject.center not in featured_centers:
            plan.featured = True
            featured_centers.add(plan.subject.center)
        if len(featured_centers) == 3:
            break

    for plan in plans:
        if plan.publish_at is None:
            go_live = timezone.make_aware(
                datetime.datetime.combine(plan.date, datetime.time(9, 0))
            )
            if plan.status in (Status.PUBLISHED, Status.ARCHIVED):
                # Published means live: never later than now, whatever the clock.
                go_live = min(go_live, now - datetime.timedelta(hours=1))
            plan.publish_at = go_live


def choose_related(
    rng: random.Random, plans: list[Plan], now: datetime.datetime
) -> list[tuple[Plan, list[Plan], bool]]:
    """(plan, publications it links to in order, whether it links to a partner
    dossier too) for the published plans that get related links."""
    live = [p for p in plans if p.status == Status.PUBLISHED and p.publish_at <= now]
    chosen = []
    for plan in plans:
        if plan.status != Status.PUBLISHED or rng.random() < 0.3:
            continue
        siblings = {
            p for p in plans if p.translation_of is plan or plan.translation_of is p
        }
        candidates = [
            p
            for p in live
            if p is not plan
            and p not in siblings
            and (
                p.subject.center == plan.subject.center
                or set(p.subject.tags) & set(plan.subject.tags)
            )
        ]
        # Same-language work first, then the rest, in a seeded order.
        rng.shuffle(candidates)
        candidates.sort(key=lambda p: p.lang != plan.lang)
        targets = candidates[: rng.randint(2, 4)]
        chosen.append((plan, targets, rng.random() < 0.25))
    return chosen


class Credits:
    """Who wrote, edited or translated each publication."""

    def __init__(self, rng: random.Random, authors: list, author_centers: dict):
        self.rng = rng
        self.authors = authors  # in the order of people.toml
        self.author_centers = author_centers  # author pk -> center indexes
        self.staff = [a for a in authors if not a.affiliation]
        self.books_edited = 0

    def pick(self, plan: Plan, external_index: int) -> list:
        """Ordered (author, role) pairs for one publication."""
        rng = self.rng
        if plan.translation_of:
            credits = [
                (a, Role.AUTHOR)
                for a, role in plan.translation_of.extra["credits"]
                if role == Role.AUTHOR
            ]
            if plan.translation_of.extra.get("translated"):
                helper = next(
                    a
                    for a in rng.sample(self.staff, len(self.staff))
                    if a not in dict(credits)
                )
                credits.append((helper, Role.TRANSLATOR))
            return credits

        center = plan.subject.center
        colleagues = [a for a in self.staff if center in self.author_centers[a.pk]]
        others = [a for a in self.staff if a not in colleagues]
        count = {
            OPED: rng.choice((1, 1, 1, 2)),
            BRIEFING: rng.choice((1, 1, 2)),
            REPORT: rng.choice((1, 2, 2, 3, 4)),
            BOOK: rng.choice((2, 3)),
            EXTERNAL: rng.choice((1, 2, 3)),
        }[plan.kind.slug]
        # Two external articles in three are co-written with an outsider.
        outsider = None
        if plan.kind.slug == EXTERNAL and external_index % 3 != 2:
            outsider = self.authors[EXTERNAL_PEOPLE[external_index % 2]]
            count = max(count - 1, 1)
        people = rng.sample(colleagues, min(count, len(colleagues)))
        while len(people) < count:
            people.append(rng.choice([a for a in others if a not in people]))
        if outsider:
            people.insert(0 if external_index % 2 else len(people), outsider)
        credits = [(a, Role.AUTHOR) for a in people]
        if plan.kind.slug == BOOK and self.books_edited < 2:
            # An edited volume: the center's lead researcher edits it.
            editor = colleagues[0]
            credits = [(a, Role.AUTHOR) for a in people if a != editor]
            credits.append((editor, Role.EDITOR))
            self.books_edited += 1
        return credits
