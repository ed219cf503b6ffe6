"""The catalogue the search tests facet."""

import datetime

import pytest

from ...factories import (
    AuthorFactory,
    PublicationFactory,
    PublicationTypeFactory,
    ResearchCenterFactory,
)


@pytest.fixture
def faceted(commit):
    """Six energy publications spread over types, centers, authors, topics,
    years and languages, and one on water."""
    briefings = PublicationTypeFactory(
        name="Briefing",
        name_en="Briefing",
        plural_name="Briefings",
        plural_name_en="Briefings",
        slug="briefings",
    )
    africa = ResearchCenterFactory(
        name="Africa Center", name_en="Africa Center", slug="africa"
    )
    europe = ResearchCenterFactory(
        name="Europe Center", name_en="Europe Center", slug="europe"
    )
    jane = AuthorFactory(given_name="Jane", family_name="Doe", slug="jane-doe")
    with commit():
        PublicationFactory(
            title="Energy one",
            center=africa,
            authors=[jane],
            tags=["Sahel"],
            publication_date=datetime.date(2023, 5, 1),
        )
        PublicationFactory(
            title="Energy two",
            type=briefings,
            center=africa,
            tags=["Sahel", "Gas"],
            publication_date=datetime.date(2023, 6, 1),
        )
        co_centered = PublicationFactory(
            title="Energy three",
            center=europe,
            authors=[jane],
            publication_date=datetime.date(2022, 1, 1),
        )
        co_centered.additional_centers.add(africa)
        PublicationFactory(
            title="Énergie quatre",
            language="fr",
            center=europe,
            tags=["Gas"],
            teaser="Energy, in French.",
            publication_date=datetime.date(2021, 1, 1),
        )
        PublicationFactory(
            title="Energy draft", draft=True, center=africa, tags=["Sahel"]
        )
        PublicationFactory(
            title="Energy scheduled",
            scheduled=True,
            type=briefings,
            authors=[jane],
            tags=["Secret topic"],
        )
        PublicationFactory(title="Water", center=africa, tags=["Sahel"])
