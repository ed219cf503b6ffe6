"""Every citation style in both languages, for every kind of work, with and
without the journal, newspaper, book or publisher it appeared in.

Work that names no container is the institute's own: it is cited as
published by the institute (CITATION_PUBLISHER), never with a bare place.
Dates are written in the order of the page's language ("July 4", "4 juillet").
"""

import datetime

import pytest
from django.utils import translation

from publications.citations import csl_json, offered_styles, render_citations
from publications.models import Publication

from ..factories import AuthorFactory, PublicationFactory, PublicationTypeFactory

pytestmark = pytest.mark.django_db

SITE_URL = "https://www.example.org"

# What an editor enters under "published in" (and beside it) for each kind of
# work first published elsewhere.
CONTAINERS = {
    "report": {"publisher": "Chatham House"},
    "article-journal": {
        "publisher": "Journal of Strategic Studies",
        "volume": "12",
        "issue": "3",
        "pages": "45-67",
    },
    "article-newspaper": {"publisher": "Le Monde"},
    "book": {"publisher": "Oxford University Press"},
    "chapter": {"publisher": "The Future of European Security", "pages": "45-67"},
    "interview": {"publisher": "Le Monde"},
}


@pytest.fixture(autouse=True)
def _citation_settings(settings):
    settings.SITE_URL = SITE_URL
    settings.CITATION_PUBLISHER = "Test Institute"
    settings.CITATION_PUBLISHER_PLACE = "Paris"
    settings.CITATION_STYLES = [
        "chicago-author-date",
        "chicago-notes-bibliography",
        "apa",
        "mla",
    ]


def cite(publication, language) -> dict[str, str]:
    """Plain text of every style, as the article page in `language` shows it."""
    publication = Publication.objects.for_detail().get(pk=publication.pk)
    with translation.override(language):
        rendered = render_citations(
            csl_json(publication, SITE_URL), offered_styles(), language=language
        )
    return {citation.key: citation.text for citation in rendered}


# (citation type, first published elsewhere, language, text of each style)
CITATIONS = [
    (
        "report",
        False,
        "en",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. Energy Security in Europe. Report. "
                "Test Institute. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. Energy Security in Europe. Report. Test Institute, "
                "2022. https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022). Energy Security in Europe [Report]. "
                "Test Institute. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. Energy Security in Europe. Report. Test Institute, "
                "4 July 2022, https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "report",
        False,
        "fr",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. Energy Security in Europe. Rapport. "
                "Test Institute. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. Energy Security in Europe. Rapport. Test Institute, "
                "2022. https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022). Energy Security in Europe [Rapport]. "
                "Test Institute. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. Energy Security in Europe. Rapport. Test Institute, "
                "4 juillet 2022, "
                "https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "report",
        True,
        "en",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. Energy Security in Europe. Chatham House. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. Energy Security in Europe. Chatham House, 2022. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022). Energy Security in Europe. Chatham House. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. Energy Security in Europe. Chatham House, "
                "4 July 2022, https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "report",
        True,
        "fr",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. Energy Security in Europe. Chatham House. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. Energy Security in Europe. Chatham House, 2022. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022). Energy Security in Europe. Chatham House. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. Energy Security in Europe. Chatham House, "
                "4 juillet 2022, "
                "https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "article-journal",
        False,
        "en",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. “Energy Security in Europe.” Test Institute, "
                "July 4. https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. “Energy Security in Europe.” Test Institute, July 4, "
                "2022. https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022). Energy Security in Europe. Test Institute. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. “Energy Security in Europe.” Test Institute, "
                "July 2022, https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "article-journal",
        False,
        "fr",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. «\u00a0Energy Security in Europe\u00a0». "
                "Test Institute, 4 juillet. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. «\u00a0Energy Security in Europe\u00a0». "
                "Test Institute, 4 juillet 2022. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022). Energy Security in Europe. Test Institute. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. «\u00a0Energy Security in Europe\u00a0». "
                "Test Institute, juillet 2022, "
                "https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "article-journal",
        True,
        "en",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. “Energy Security in Europe.” "
                "Journal of Strategic Studies 12 (3): 45–67. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. “Energy Security in Europe.” "
                "Journal of Strategic Studies 12, no. 3 (2022): 45–67. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022). Energy Security in Europe. "
                "Journal of Strategic Studies, 12(3), 45–67. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. “Energy Security in Europe.” "
                "Journal of Strategic Studies, vol. 12, no. 3, July 2022, pp. 45–67, "
                "https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "article-journal",
        True,
        "fr",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. «\u00a0Energy Security in Europe\u00a0». "
                "Journal of Strategic Studies 12 (3): 45\u201167. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. «\u00a0Energy Security in Europe\u00a0». "
                "Journal of Strategic Studies 12, nᵒ 3 (2022): 45\u201167. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022). Energy Security in Europe. "
                "Journal of Strategic Studies, 12(3), 45\u201167. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. «\u00a0Energy Security in Europe\u00a0». "
                "Journal of Strategic Studies, vol. 12, nᵒ 3, juillet 2022, p. "
                "45\u201167, https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "article-newspaper",
        False,
        "en",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. “Energy Security in Europe.” Test Institute, "
                "July 4. https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. “Energy Security in Europe.” Test Institute, July 4, "
                "2022. https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022, July 4). Energy Security in Europe. "
                "Test Institute. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. “Energy Security in Europe.” Test Institute, "
                "4 July 2022, https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "article-newspaper",
        False,
        "fr",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. «\u00a0Energy Security in Europe\u00a0». "
                "Test Institute, 4 juillet. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. «\u00a0Energy Security in Europe\u00a0». "
                "Test Institute, 4 juillet 2022. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022, 4 juillet). Energy Security in Europe. "
                "Test Institute. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. «\u00a0Energy Security in Europe\u00a0». "
                "Test Institute, 4 juillet 2022, "
                "https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "article-newspaper",
        True,
        "en",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. “Energy Security in Europe.” Le Monde, July 4. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. “Energy Security in Europe.” Le Monde, July 4, 2022. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022, July 4). Energy Security in Europe. Le Monde. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. “Energy Security in Europe.” Le Monde, 4 July 2022, "
                "https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "article-newspaper",
        True,
        "fr",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. «\u00a0Energy Security in Europe\u00a0». "
                "Le Monde, 4 juillet. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. «\u00a0Energy Security in Europe\u00a0». Le Monde, "
                "4 juillet 2022. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022, 4 juillet). Energy Security in Europe. Le Monde. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. «\u00a0Energy Security in Europe\u00a0». Le Monde, "
                "4 juillet 2022, "
                "https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "book",
        False,
        "en",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. Energy Security in Europe. Test Institute. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. Energy Security in Europe. Test Institute, 2022. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022). Energy Security in Europe. Test Institute. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. Energy Security in Europe. Test Institute, 2022, "
                "https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "book",
        False,
        "fr",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. Energy Security in Europe. Test Institute. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. Energy Security in Europe. Test Institute, 2022. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022). Energy Security in Europe. Test Institute. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. Energy Security in Europe. Test Institute, 2022, "
                "https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "book",
        True,
        "en",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. Energy Security in Europe. "
                "Oxford University Press. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. Energy Security in Europe. Oxford University Press, "
                "2022. https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022). Energy Security in Europe. "
                "Oxford University Press. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. Energy Security in Europe. Oxford University Press, "
                "2022, https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "book",
        True,
        "fr",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. Energy Security in Europe. "
                "Oxford University Press. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. Energy Security in Europe. Oxford University Press, "
                "2022. https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022). Energy Security in Europe. "
                "Oxford University Press. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. Energy Security in Europe. Oxford University Press, "
                "2022, https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "chapter",
        False,
        "en",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. Energy Security in Europe. Test Institute. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. Energy Security in Europe. Test Institute, 2022. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022). Energy Security in Europe. Test Institute. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. Energy Security in Europe. Test Institute, 2022, "
                "https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "chapter",
        False,
        "fr",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. Energy Security in Europe. Test Institute. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. Energy Security in Europe. Test Institute, 2022. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022). Energy Security in Europe. Test Institute. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. Energy Security in Europe. Test Institute, 2022, "
                "https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "chapter",
        True,
        "en",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. “Energy Security in Europe.” "
                "In The Future of European Security. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. “Energy Security in Europe.” "
                "In The Future of European Security. 2022. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022). Energy Security in Europe. "
                "In The Future of European Security (pp. 45–67). "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. “Energy Security in Europe.” "
                "The Future of European Security, 2022, pp. 45–67, "
                "https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "chapter",
        True,
        "fr",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. «\u00a0Energy Security in Europe\u00a0». "
                "In The Future of European Security. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. «\u00a0Energy Security in Europe\u00a0». "
                "In The Future of European Security. 2022. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022). Energy Security in Europe. "
                "In The Future of European Security (p. 45\u201167). "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. «\u00a0Energy Security in Europe\u00a0». "
                "The Future of European Security, 2022, p. 45\u201167, "
                "https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "interview",
        False,
        "en",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. “Energy Security in Europe.” Test Institute, "
                "July 4. https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. “Energy Security in Europe.” Test Institute, July 4, "
                "2022. https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022, July 4). Energy Security in Europe [Interview]. "
                "Test Institute. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. “Energy Security in Europe.” Test Institute, "
                "4 July 2022, https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "interview",
        False,
        "fr",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. «\u00a0Energy Security in Europe\u00a0». "
                "Test Institute, 4 juillet. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. «\u00a0Energy Security in Europe\u00a0». "
                "Test Institute, 4 juillet 2022. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022, 4 juillet). Energy Security in Europe [Entretien]. "
                "Test Institute. "
                "https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. «\u00a0Energy Security in Europe\u00a0». "
                "Test Institute, 4 juillet 2022, "
                "https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "interview",
        True,
        "en",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. “Energy Security in Europe.” Le Monde, July 4. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. “Energy Security in Europe.” Le Monde, July 4, 2022. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022, July 4). Energy Security in Europe [Interview]. "
                "Le Monde. https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. “Energy Security in Europe.” Le Monde, 4 July 2022, "
                "https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
    (
        "interview",
        True,
        "fr",
        {
            "chicago-author-date": (
                "Lefèvre, Élodie. 2022. «\u00a0Energy Security in Europe\u00a0». "
                "Le Monde, 4 juillet. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "chicago-notes-bibliography": (
                "Lefèvre, Élodie. «\u00a0Energy Security in Europe\u00a0». Le Monde, "
                "4 juillet 2022. "
                "https://www.example.org/en/publications/energy-security/."
            ),
            "apa": (
                "Lefèvre, É. (2022, 4 juillet). Energy Security in Europe [Entretien]. "
                "Le Monde. https://www.example.org/en/publications/energy-security/"
            ),
            "mla": (
                "Lefèvre, Élodie. «\u00a0Energy Security in Europe\u00a0». Le Monde, "
                "4 juillet 2022, "
                "https://www.example.org/en/publications/energy-security/."
            ),
        },
    ),
]


@pytest.mark.parametrize(
    "citation_type,published_elsewhere,language,expected",
    CITATIONS,
    ids=[
        f"{kind}-{'elsewhere' if elsewhere else 'institute'}-{language}"
        for kind, elsewhere, language, _texts in CITATIONS
    ],
)
def test_citation_in_every_style(
    citation_type, published_elsewhere, language, expected
):
    kind = PublicationTypeFactory(
        slug=f"cited-as-{citation_type}",
        name_en="Report",
        name_fr="Rapport",
        citation_type=citation_type,
    )
    publication = PublicationFactory(
        type=kind,
        slug="energy-security",
        title="Energy Security in Europe",
        publication_date=datetime.date(2022, 7, 4),
        authors=[AuthorFactory(given_name="Élodie", family_name="Lefèvre")],
        **(CONTAINERS[citation_type] if published_elsewhere else {}),
    )

    assert cite(publication, language) == expected
