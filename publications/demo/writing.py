"""The texts of one demo publication: title, teaser, body, PDF pages, notes.

Sentences come from writing.toml, drawn with the loader's seeded generator;
a body is plain data first, so that the page's HTML (the data/body.html
template) and the PDF's pages say the same things.
"""

import random
import re

from django.template import Context, Engine

from publications.models import Role

from .data import ANGLES, BOOK, DATA_DIR, FR, SHAPES, TEXTS, Colour, Pair
from .plan import Plan, angle_family

# The demo's own templates, apart from the site's.
TEMPLATES = Engine(dirs=[str(DATA_DIR)])


def typeset(text: str, lang: str) -> str:
    """French puts a no-break space before : ; ? ! and inside « »."""
    if lang != FR:
        return text
    text = re.sub(r" ([:;?!»])", "\u00a0\\1", text)
    return text.replace("« ", "«\u00a0")


def artwork_alt(shape: str, a: Colour, b: Colour) -> Pair:
    en, fr = SHAPES[shape]
    return (
        f"Abstract composition of {en} in {a.name[0]} and {b.name[0]} tones",
        f"Composition abstraite de {fr} dans des tons {a.name[1]} et {b.name[1]}",
    )


def title_for(plan: Plan) -> tuple[str, str]:
    """(title, subtitle): "Subject: angle", or for books the angle below."""
    i = plan.i
    angle = ANGLES[angle_family(plan.kind)][plan.angle][i]
    if plan.kind.slug == BOOK:
        return plan.subject.title[i], angle
    separator = " : " if i else ": "
    return typeset(f"{plan.subject.title[i]}{separator}{angle}", plan.lang), ""


def teaser_for(rng: random.Random, plan: Plan, n_recommendations: int) -> str:
    i, texts = plan.i, TEXTS[plan.i]
    this = plan.kind.this[i]
    teaser = rng.choice(texts["teasers"]).format(
        this=this,
        this_lower=this[0].lower() + this[1:],
        about=plan.subject.about[i],
        n=texts["numbers"][str(n_recommendations)],
        pronoun=plan.kind.pronoun_fr,
    )
    return typeset(teaser, plan.lang)


def body_for(rng: random.Random, plan: Plan, n_recommendations: int) -> dict:
    """Sections as plain data; HTML and PDF are both drawn from them."""
    texts = TEXTS[plan.i]
    about = plan.subject.about[plan.i]
    # A shuffled deck, so that no sentence appears twice in one body.
    deck = rng.sample(texts["sentences"], len(texts["sentences"]))

    def paragraph(k):
        return " ".join(deck.pop() for _ in range(k))

    headings = rng.sample(texts["headings"], 2)
    headings.sort(key=texts["headings"].index)
    items = rng.sample(texts["recommendations"], n_recommendations)
    number = texts["numbers"][str(n_recommendations)]
    link = texts["dataset_link"]
    return {
        "intro": f"{rng.choice(texts['openings']).format(about=about)} {paragraph(2)}",
        "sections": [
            (headings[0], [paragraph(3), paragraph(2)]),
            (headings[1], [paragraph(2)]),
        ],
        "quote": rng.choice(texts["quotes"]),
        "after_quote": paragraph(2),
        "recommendations": {
            "heading": texts["recommendations_heading"],
            "lead": texts["recommendations_lead"].format(n=number),
            "items": items,
        },
        "conclusion": {
            "heading": texts["conclusion_heading"],
            "text": f"{paragraph(1)} {rng.choice(texts['conclusions'])}",
        },
        "link": {**link, "url": f"https://data.example.org/{plan.subject.key}"},
    }


def body_html(body: dict, lang: str) -> str:
    html = TEMPLATES.get_template("body.html").render(Context(body))
    return typeset(html.strip(), lang)


def pdf_sections(
    rng: random.Random, plan: Plan, body: dict, pages: int
) -> list[tuple[str, list[str]]]:
    """`pages` pages of text: the body first, then further notes."""
    texts = TEXTS[plan.i]
    recommendations, conclusion, link = (
        body["recommendations"],
        body["conclusion"],
        body["link"],
    )
    (first, first_paragraphs), (second, second_paragraphs) = body["sections"]
    sections = [
        (first, [body["intro"], *first_paragraphs]),
        (second, [*second_paragraphs, body["quote"], body["after_quote"]]),
        (
            recommendations["heading"],
            [recommendations["lead"], *(f"- {i}" for i in recommendations["items"])],
        ),
        (
            conclusion["heading"],
            [
                conclusion["text"],
                f"{link['before']}{link['anchor']} ({link['url']}){link['after']}",
            ],
        ),
    ]
    extra = texts["headings"]
    while len(sections) < pages:
        heading = extra[len(sections) % len(extra)]
        sections.append(
            (heading, [" ".join(rng.sample(texts["sentences"], 4)) for _ in range(3)])
        )
    return [
        (typeset(heading, plan.lang), [typeset(t, plan.lang) for t in paragraphs])
        for heading, paragraphs in sections[:pages]
    ]


def cover_alt(title: str, lang: str) -> str:
    if lang == FR:
        return typeset(f"Couverture de « {title} »", lang)[:250]
    return f"Cover of “{title}”"[:250]


def credit_lines(credits: list, lang: str) -> list[str]:
    """The PDF's title page credits: authors, then editors and translators."""
    labels = TEXTS[lang == FR]["pdf_labels"]
    authors = [a.full_name for a, role in credits if role == Role.AUTHOR]
    lines = [", ".join(authors)] if authors else []
    for role, label in ((Role.EDITOR, "edited"), (Role.TRANSLATOR, "translated")):
        names = [a.full_name for a, r in credits if r == role]
        if names:
            lines.append(f"{labels[label]} {', '.join(names)}")
    return lines


def journal_note(plan: Plan, **where) -> str:
    """Where an external article first appeared, for its PDF's title page."""
    return TEXTS[plan.i]["journal_note"].format(**where)


def partner_dossier(plan: Plan) -> Pair:
    """(label, title) of a link to a partner's dossier on the subject."""
    dossier = TEXTS[plan.i]["partner_dossier"]
    return dossier["label"], dossier["title"].format(about=plan.subject.about[plan.i])


def page_label(lang: str) -> str:
    return TEXTS[lang == FR]["pdf_labels"]["page"]
