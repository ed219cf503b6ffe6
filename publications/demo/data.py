"""The demo's texts and choices, read from the TOML files in data/.

Texts come as (English, French) pairs, or as one table per language, so that
an index i (0 for English, 1 for French) picks a language everywhere.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
EN, FR = "en", "fr"
LANGUAGES = (EN, FR)

Pair = tuple[str, str]


def read(name: str) -> dict:
    with (DATA_DIR / name).open("rb") as file:
        return tomllib.load(file)


def pair(entry: dict) -> Pair:
    return entry["en"], entry["fr"]


@dataclass(frozen=True)
class Colour:
    rgb: tuple[int, int, int]
    name: Pair  # as alt text says it


@dataclass(frozen=True)
class Center:
    slug: str
    name: Pair
    teaser: Pair
    description: Pair
    colours: tuple[int, int]  # indexes in PALETTE
    shape: str


@dataclass(frozen=True)
class Person:
    given: str
    family: str
    centers: tuple[int, ...]  # indexes in CENTERS
    job_title: Pair
    bio: Pair
    orcid: str = ""
    affiliation: str = ""


@dataclass(frozen=True)
class Kind:
    """A publication type."""

    slug: str
    name: Pair
    plural: Pair
    this: Pair  # "This report" / "Ce rapport"
    pronoun_fr: str  # what stands for the publication in French sentences
    citation_type: str
    count: int  # how many demo publications have this type


@dataclass(frozen=True)
class Subject:
    key: str
    center: int  # index in CENTERS
    tags: tuple[str, ...]
    title: Pair  # title case in English, sentence case in French
    about: Pair  # the same, to be used inside a sentence
    extra_center: int | None = None


_artwork = read("artwork.toml")
PALETTE = [Colour(tuple(colour["rgb"]), pair(colour)) for colour in _artwork["colour"]]
SHAPES = {name: pair(words) for name, words in _artwork["shapes"].items()}
ILLUSTRATION_CREDIT = pair(_artwork["credits"]["illustration"])
PHOTO_CREDIT = _artwork["credits"]["photo"]
COVER_CREDIT = pair(_artwork["credits"]["cover"])
CAPTION = pair(_artwork["credits"]["caption"])
_colour_index = {colour.name[0]: i for i, colour in enumerate(PALETTE)}

CENTERS = [
    Center(
        slug=center["slug"],
        name=pair(center["name"]),
        teaser=pair(center["teaser"]),
        description=tuple(
            "\n\n".join(center["description"][lang]) for lang in LANGUAGES
        ),
        colours=tuple(_colour_index[name] for name in center["colours"]),
        shape=center["shape"],
    )
    for center in read("centers.toml")["center"]
]
_center_index = {center.slug: i for i, center in enumerate(CENTERS)}

PEOPLE = [
    Person(
        given=person["given"],
        family=person["family"],
        centers=tuple(_center_index[slug] for slug in person["centers"]),
        job_title=pair(person["job_title"]),
        bio=pair(person["bio"]),
        orcid=person.get("orcid", ""),
        affiliation=person.get("affiliation", ""),
    )
    for person in read("people.toml")["person"]
]
# Outside contributors: no center, an affiliation and an ORCID iD.
EXTERNAL_PEOPLE = tuple(i for i, person in enumerate(PEOPLE) if person.affiliation)

KINDS = [
    Kind(
        slug=kind["slug"],
        name=pair(kind["name"]),
        plural=pair(kind["plural"]),
        this=pair(kind["this"]),
        pronoun_fr=kind["pronoun_fr"],
        citation_type=kind["citation_type"],
        count=kind["count"],
    )
    for kind in read("types.toml")["type"]
]
# The slugs the loader gives rules to (who writes what, how titles read).
EXTERNAL, REPORT, BRIEFING, BOOK, OPED = (
    "external-articles",
    "reports",
    "briefings",
    "books",
    "op-eds",
)

SUBJECTS = [
    Subject(
        key=subject["key"],
        center=_center_index[subject["center"]],
        tags=tuple(subject["tags"]),
        title=pair(subject["title"]),
        about=pair(subject["about"]),
        extra_center=_center_index[subject["also"]] if "also" in subject else None,
    )
    for subject in read("subjects.toml")["subject"]
]

_writing = read("writing.toml")
# The second half of a title ("Subject: angle"), by family of types.
ANGLES = {
    family: [pair(angle) for angle in angles]
    for family, angles in _writing["angles"].items()
}
# Everything else that publications say, one table per language: teasers,
# openings, headings, sentences, quotes, recommendations, conclusions...
TEXTS = tuple(_writing[lang] for lang in LANGUAGES)

# Invented journals, by language and by center index: [(name, code), ...].
JOURNALS = tuple(
    {
        _center_index[slug]: [(journal["name"], journal["code"]) for journal in items]
        for slug, items in journals.items()
    }
    for journals in (read("journals.toml")[lang] for lang in LANGUAGES)
)

# (term, language), a blank language for both.
SEARCH_SUGGESTIONS = [
    (suggestion["term"], suggestion.get("language", ""))
    for suggestion in read("suggestions.toml")["suggestion"]
]
