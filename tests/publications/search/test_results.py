"""Results in the order asked for."""

import datetime

import pytest

from ...factories import PublicationFactory
from ...helpers import found

pytestmark = pytest.mark.django_db


def test_results_are_newest_first_when_sorted_by_date(client, commit):
    with commit():
        for year in (2019, 2023, 2021):
            PublicationFactory(
                title=f"Energy {year}", publication_date=datetime.date(year, 1, 1)
            )

    assert found(client, "energy", sort="date") == [
        "Energy 2023",
        "Energy 2021",
        "Energy 2019",
    ]
