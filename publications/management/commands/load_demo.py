"""Fill an empty database with invented, bilingual demo content.

Everything here is made up for the demo: the centers, the people, the
journals, the titles and the texts. Images are abstract compositions drawn
with Pillow and PDFs are small documents drawn with reportlab, so the command
needs no network and no fixture files. A fixed random seed makes two runs
produce the same catalogue; only the stored file names and the dates of
drafts and scheduled items, which follow today's date, differ.
"""

import datetime
import io
import random
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from authors.models import Author
from centers.models import ResearchCenter
from publications.models import (
    Authorship,
    CitationType,
    Publication,
    PublicationType,
    RelatedLink,
    Role,
    SearchSuggestion,
    Status,
)

SEED = 2026
# Dates of published items are spread over this range, whatever today is.
FIRST_DATE = datetime.date(2019, 1, 14)
LAST_DATE = datetime.date(2026, 10, 30)
PUBLICATION_COUNT = 60  # two publications per subject below

EN, FR = "en", "fr"

# --------------------------------------------------------------------------
# Invented content. Pairs are (English, French).
# --------------------------------------------------------------------------

PALETTE = [
    ((24, 54, 99), ("midnight blue", "bleu nuit")),
    ((222, 148, 40), ("amber", "ambre")),
    ((0, 128, 128), ("teal", "sarcelle")),
    ((236, 104, 84), ("coral", "corail")),
    ((196, 140, 60), ("ochre", "ocre")),
    ((128, 158, 120), ("sage green", "vert sauge")),
    ((118, 30, 52), ("burgundy", "bordeaux")),
    ((90, 100, 112), ("slate grey", "gris ardoise")),
    ((242, 226, 196), ("sand", "sable")),
    ((70, 130, 180), ("steel blue", "bleu acier")),
    ((150, 110, 170), ("lavender", "lavande")),
    ((40, 90, 60), ("forest green", "vert forêt")),
]
SHAPES = {
    "circles": ("overlapping circles", "cercles superposés"),
    "bands": ("diagonal bands", "bandes diagonales"),
    "blocks": ("stacked rectangles", "rectangles empilés"),
}
ILLUSTRATION_CREDIT = ("Illustration: Demo Studio", "Illustration : Demo Studio")
PHOTO_CREDIT = "Photo: Demo Studio"
COVER_CREDIT = ("Design: Demo Studio", "Conception graphique : Demo Studio")

CENTERS = [
    {
        "slug": "europe-energy",
        "name": (
            "Europe and Energy Transitions Center",
            "Centre Europe et transitions énergétiques",
        ),
        "teaser": (
            "Research on the European Union, its neighbourhood and the "
            "geopolitics of the energy transition.",
            "Des recherches sur l'Union européenne, son voisinage et la "
            "géopolitique de la transition énergétique.",
        ),
        "description": (
            "The center follows how the European Union takes decisions, "
            "enlarges and defends its interests in a harsher world. It pays "
            "particular attention to energy: power grids, critical minerals, "
            "hydrogen and the industrial side of climate policy.\n\n"
            "Its researchers combine fieldwork in European capitals with "
            "quantitative work on markets and public budgets.",
            "Le centre étudie la manière dont l'Union européenne décide, "
            "s'élargit et défend ses intérêts dans un monde plus rude. Il "
            "accorde une attention particulière à l'énergie : réseaux "
            "électriques, minerais critiques, hydrogène et volet industriel des "
            "politiques climatiques.\n\n"
            "Ses chercheurs associent enquêtes dans les capitales européennes "
            "et travaux quantitatifs sur les marchés et les budgets publics.",
        ),
        "colors": (0, 1),
        "shape": "circles",
    },
    {
        "slug": "africa-mediterranean",
        "name": ("Africa and Mediterranean Center", "Centre Afrique et Méditerranée"),
        "teaser": (
            "Field-based analysis of governance, security and development from "
            "the Sahel to the Horn of Africa and the Maghreb.",
            "Des analyses fondées sur le terrain, consacrées à la gouvernance, "
            "à la sécurité et au développement, du Sahel à la Corne de "
            "l'Afrique et au Maghreb.",
        ),
        "description": (
            "The center works with partners across the continent to understand "
            "political transitions, conflicts and the economic changes that "
            "reshape African societies.\n\n"
            "It publishes in English and French and regularly hosts visiting "
            "researchers from African universities.",
            "Le centre travaille avec des partenaires de tout le continent pour "
            "comprendre les transitions politiques, les conflits et les "
            "transformations économiques qui redessinent les sociétés "
            "africaines.\n\n"
            "Il publie en français et en anglais et accueille régulièrement des "
            "chercheurs invités venus d'universités africaines.",
        ),
        "colors": (4, 6),
        "shape": "bands",
    },
    {
        "slug": "asia-strategic-affairs",
        "name": (
            "Asia and Strategic Affairs Center",
            "Centre Asie et affaires stratégiques",
        ),
        "teaser": (
            "Deterrence, arms control, technology and the balance of power in "
            "Asia and beyond.",
            "Dissuasion, maîtrise des armements, technologies et équilibre des "
            "puissances en Asie et au-delà.",
        ),
        "description": (
            "The center analyses the military and technological competition "
            "between major powers, with a focus on the Indo-Pacific.\n\n"
            "Its team covers nuclear policy, space and cyber issues, and the "
            "foreign policies of China, Japan and India.",
            "Le centre analyse la compétition militaire et technologique entre "
            "grandes puissances, en particulier dans l'Indo-Pacifique.\n\n"
            "Son équipe couvre les questions nucléaires, spatiales et cyber, "
            "ainsi que les politiques étrangères de la Chine, du Japon et de "
            "l'Inde.",
        ),
        "colors": (2, 7),
        "shape": "blocks",
    },
]


@dataclass(frozen=True)
class Person:
    given: str
    family: str
    centers: tuple
    job_title: tuple
    bio: tuple
    orcid: str = ""
    affiliation: str = ""


PEOPLE = [
    Person(
        "Élodie",
        "Lefèvre",
        (0,),
        (
            "Director, Europe and Energy Transitions Center",
            "Directrice du Centre Europe et transitions énergétiques",
        ),
        (
            "Élodie Lefèvre leads the center's work on European energy "
            "security and the politics of the green transition. She previously "
            "worked as an energy economist in the private sector.",
            "Élodie Lefèvre dirige les travaux du centre sur la sécurité "
            "énergétique européenne et la politique de la transition verte. "
            "Elle a auparavant été économiste de l'énergie dans le secteur "
            "privé.",
        ),
    ),
    Person(
        "Julien",
        "Marchetti",
        (0,),
        (
            "Research Fellow, Europe and Energy Transitions Center",
            "Chercheur au Centre Europe et transitions énergétiques",
        ),
        (
            "Julien Marchetti works on the institutions of the European Union, "
            "enlargement and the Franco-German relationship.",
            "Julien Marchetti travaille sur les institutions de l'Union "
            "européenne, l'élargissement et la relation franco-allemande.",
        ),
    ),
    Person(
        "Hanna",
        "Falkenrath",
        (0,),
        (
            "Associate Research Fellow, Europe and Energy Transitions Center",
            "Chercheuse associée au Centre Europe et transitions énergétiques",
        ),
        (
            "Hanna Falkenrath studies critical raw materials and European "
            "industrial policy. She is based in Berlin.",
            "Hanna Falkenrath étudie les matières premières critiques et la "
            "politique industrielle européenne. Elle est basée à Berlin.",
        ),
    ),
    Person(
        "Siobhan",
        "O'Neill",
        (1,),
        (
            "Senior Research Fellow, Africa and Mediterranean Center",
            "Chercheuse principale au Centre Afrique et Méditerranée",
        ),
        (
            "Siobhan O'Neill specialises in maritime security in the Gulf of "
            "Guinea and the Horn of Africa. She spent ten years working for "
            "humanitarian organisations in the region.",
            "Siobhan O'Neill est spécialiste de la sécurité maritime dans le "
            "golfe de Guinée et la Corne de l'Afrique. Elle a travaillé dix ans "
            "pour des organisations humanitaires dans la région.",
        ),
    ),
    Person(
        "Aïssatou",
        "Ndour",
        (1,),
        (
            "Director, Africa and Mediterranean Center",
            "Directrice du Centre Afrique et Méditerranée",
        ),
        (
            "Aïssatou Ndour directs the center and writes on governance and "
            "security in the Sahel. She has taught political science in Dakar "
            "and Paris.",
            "Aïssatou Ndour dirige le centre et écrit sur la gouvernance et la "
            "sécurité au Sahel. Elle a enseigné la science politique à Dakar "
            "et à Paris.",
        ),
    ),
    Person(
        "Karim",
        "Benhaddou",
        (1,),
        (
            "Research Fellow, Africa and Mediterranean Center",
            "Chercheur au Centre Afrique et Méditerranée",
        ),
        (
            "Karim Benhaddou covers the Maghreb, migration policy and food "
            "security around the Mediterranean.",
            "Karim Benhaddou suit le Maghreb, les politiques migratoires et la "
            "sécurité alimentaire autour de la Méditerranée.",
        ),
    ),
    Person(
        "Clémence",
        "Aubrac",
        (1, 0),
        (
            "Research Associate, Africa and Mediterranean Center",
            "Chargée de recherche au Centre Afrique et Méditerranée",
        ),
        (
            "Clémence Aubrac works on the links between climate change, water "
            "and conflict, and contributes to the center's energy programme.",
            "Clémence Aubrac travaille sur les liens entre changement "
            "climatique, eau et conflits, et contribue au programme énergie du "
            "centre.",
        ),
    ),
    Person(
        "Marek",
        "Zieliński",
        (2,),
        (
            "Director, Asia and Strategic Affairs Center",
            "Directeur du Centre Asie et affaires stratégiques",
        ),
        (
            "Marek Zieliński directs the center. His research covers nuclear "
            "deterrence, arms control and European defence.",
            "Marek Zieliński dirige le centre. Ses recherches portent sur la "
            "dissuasion nucléaire, la maîtrise des armements et la défense "
            "européenne.",
        ),
    ),
    Person(
        "Hiroko",
        "Tanabe",
        (2,),
        (
            "Senior Research Fellow, Asia and Strategic Affairs Center",
            "Chercheuse principale au Centre Asie et affaires stratégiques",
        ),
        (
            "Hiroko Tanabe works on Japanese foreign and defence policy, the "
            "Korean peninsula and security in the Indo-Pacific.",
            "Hiroko Tanabe travaille sur la politique étrangère et de défense "
            "du Japon, la péninsule coréenne et la sécurité dans "
            "l'Indo-Pacifique.",
        ),
    ),
    Person(
        "Rafael",
        "Quintero Salas",
        (2,),
        (
            "Research Fellow, Asia and Strategic Affairs Center",
            "Chercheur au Centre Asie et affaires stratégiques",
        ),
        (
            "Rafael Quintero Salas studies space security, cyber conflict and "
            "the governance of emerging technologies.",
            "Rafael Quintero Salas étudie la sécurité spatiale, les conflits "
            "cyber et la gouvernance des technologies émergentes.",
        ),
    ),
    # Outside contributors: no center, an affiliation and an ORCID iD.
    Person(
        "Priya",
        "Raghunathan",
        (),
        (
            "Professor of International Political Economy",
            "Professeure d'économie politique internationale",
        ),
        (
            "Priya Raghunathan teaches international political economy. Her "
            "work focuses on development finance and commodity markets.",
            "Priya Raghunathan enseigne l'économie politique internationale. "
            "Ses travaux portent sur le financement du développement et les "
            "marchés des matières premières.",
        ),
        orcid="0000-0003-4172-8535",
        affiliation="Kestrel University, School of Global Affairs",
    ),
    Person(
        "Gaëlle",
        "N'Diaye",
        (),
        (
            "Lecturer in International Law",
            "Maîtresse de conférences en droit international",
        ),
        (
            "Gaëlle N'Diaye teaches international law. She writes on the law "
            "of the sea, migration and the regulation of cyberspace.",
            "Gaëlle N'Diaye enseigne le droit international. Elle écrit sur le "
            "droit de la mer, les migrations et la régulation du cyberespace.",
        ),
        orcid="0000-0001-9036-1253",
        affiliation="Université de Valmont, Faculté de droit",
    ),
]
EXTERNAL_PEOPLE = (10, 11)


@dataclass(frozen=True)
class Kind:
    slug: str
    name: tuple
    plural: tuple
    this: tuple  # "This report" / "Ce rapport"
    pronoun_fr: str  # what stands for the publication in French sentences


EXTERNAL, REPORT, BRIEFING, BOOK, OPED = (
    "external-articles",
    "reports",
    "briefings",
    "books",
    "op-eds",
)
KINDS = [
    Kind(
        EXTERNAL,
        ("External Article", "Article externe"),
        ("External Articles", "Articles externes"),
        ("This article", "Cet article"),
        "il",
    ),
    Kind(
        REPORT,
        ("Report", "Rapport"),
        ("Reports", "Rapports"),
        ("This report", "Ce rapport"),
        "il",
    ),
    Kind(
        BRIEFING,
        ("Briefing", "Note"),
        ("Briefings", "Notes"),
        ("This briefing", "Cette note"),
        "elle",
    ),
    Kind(
        BOOK,
        ("Book", "Ouvrage"),
        ("Books", "Ouvrages"),
        ("This book", "Cet ouvrage"),
        "il",
    ),
    Kind(
        OPED,
        ("Op-ed", "Tribune"),
        ("Op-eds", "Tribunes"),
        ("This op-ed", "Cette tribune"),
        "elle",
    ),
]
CITATION_TYPES = {
    EXTERNAL: CitationType.JOURNAL_ARTICLE,
    REPORT: CitationType.REPORT,
    BRIEFING: CitationType.REPORT,
    BOOK: CitationType.BOOK,
    OPED: CitationType.NEWSPAPER_ARTICLE,
}
# How many publications of each type the plan holds (sums to 60).
KIND_COUNTS = {EXTERNAL: 10, REPORT: 14, BRIEFING: 18, BOOK: 6, OPED: 12}


@dataclass(frozen=True)
class Subject:
    key: str
    center: int
    tags: tuple
    title: tuple  # title case in English, sentence case in French
    about: tuple  # the same, to be used inside a sentence
    extra_center: int | None = None


# One block per subject: "key | center[+other center] | tags", then the
# English and French titles, then the same phrases as used inside a sentence
# ("This report examines ..." / "Ce rapport examine ...").
SUBJECTS_TABLE = """
power-grid | 0 | Energy, European Union
    Europe's Power Grid After the Gas Shock
    Le réseau électrique européen après le choc gazier
    Europe's power grid after the gas shock
    le réseau électrique européen après le choc gazier

critical-minerals | 0+2 | Critical minerals, Energy, China
    The Scramble for Critical Minerals
    La course aux minerais critiques
    the scramble for critical minerals
    la course aux minerais critiques

hydrogen-corridors | 0+1 | Hydrogen, Mediterranean, Energy
    Hydrogen Corridors Across the Mediterranean
    Les corridors de l'hydrogène en Méditerranée
    hydrogen corridors across the Mediterranean
    les corridors de l'hydrogène en Méditerranée

carbon-border | 0 | Climate, Trade, European Union
    Europe's Carbon Border Levy in Practice
    Le mécanisme carbone aux frontières de l'Europe en pratique
    Europe's carbon border levy in practice
    le mécanisme carbone aux frontières de l'Europe

enlargement | 0 | European Union, Enlargement, Western Balkans
    A Union of Thirty-Five Members
    Une Union à trente-cinq membres
    a European Union of thirty-five members
    une Union européenne à trente-cinq membres

franco-german | 0 | France, Germany, European Union
    The Franco-German Engine Under Strain
    Le moteur franco-allemand sous tension
    the strained Franco-German engine
    le moteur franco-allemand et ses tensions

defence-industry | 0+2 | Defence industry, European Union
    Building a European Defence Industry
    Bâtir une industrie de défense européenne
    the building of a European defence industry
    la construction d'une industrie de défense européenne

nuclear-power | 0 | Energy, Nuclear energy
    The Return of Civil Nuclear Power
    Le retour du nucléaire civil
    the return of civil nuclear power
    le retour du nucléaire civil

arctic-energy | 0 | Arctic, Energy, Climate, Russia
    Energy Routes in a Warming Arctic
    Les routes énergétiques d'un Arctique qui se réchauffe
    energy routes in a warming Arctic
    les routes énergétiques d'un Arctique qui se réchauffe

climate-finance | 0 | Climate, Multilateralism
    Climate Finance After the Last Summit
    La finance climat après le dernier sommet
    climate finance after the last summit
    la finance climat après le dernier sommet

sahel-transitions | 1 | Sahel, Governance, Security
    Military Transitions in the Sahel
    Les transitions militaires au Sahel
    military transitions in the Sahel
    les transitions militaires au Sahel

gulf-of-guinea | 1 | Gulf of Guinea, Maritime security
    Maritime Security in the Gulf of Guinea
    La sécurité maritime dans le golfe de Guinée
    maritime security in the Gulf of Guinea
    la sécurité maritime dans le golfe de Guinée

nile-waters | 1 | Water, Horn of Africa, Egypt
    Sharing the Waters of the Nile
    Le partage des eaux du Nil
    the sharing of the Nile's waters
    le partage des eaux du Nil

migration-partnerships | 1 | Migration, Maghreb, European Union
    Europe's Migration Partnerships with North Africa
    Les partenariats migratoires de l'Europe avec l'Afrique du Nord
    Europe's migration partnerships with North Africa
    les partenariats migratoires de l'Europe avec l'Afrique du Nord

mobile-money | 1 | Digital economy, West Africa
    Mobile Money and Africa's New Fintech
    L'argent mobile et la nouvelle fintech africaine
    mobile money and Africa's new fintech
    l'argent mobile et la nouvelle fintech africaine

secondary-cities | 1 | Urbanisation, Africa
    Africa's Fast-Growing Secondary Cities
    Les villes moyennes africaines en pleine croissance
    Africa's fast-growing secondary cities
    les villes moyennes africaines en pleine croissance

horn-ports | 1 | Horn of Africa, Red Sea, Maritime security
    The Race for Ports in the Horn of Africa
    La course aux ports dans la Corne de l'Afrique
    the race for ports in the Horn of Africa
    la course aux ports dans la Corne de l'Afrique

wheat-dependence | 1 | Food security, Maghreb
    Wheat Dependence in North Africa
    La dépendance au blé en Afrique du Nord
    North Africa's dependence on imported wheat
    la dépendance de l'Afrique du Nord au blé importé

lake-chad | 1+0 | Sahel, Climate, Security
    Climate and Conflict Around Lake Chad
    Climat et conflits autour du lac Tchad
    climate and conflict around Lake Chad
    le climat et les conflits autour du lac Tchad

gulf-investors | 1 | Gulf states, East Africa
    Gulf Investors in East Africa
    Les investisseurs du Golfe en Afrique de l'Est
    Gulf investors in East Africa
    les investisseurs du Golfe en Afrique de l'Est

three-power-deterrence | 2 | Nuclear deterrence, United States, China, Russia
    Nuclear Deterrence in a Three-Power World
    La dissuasion nucléaire dans un monde à trois puissances
    nuclear deterrence in a three-power world
    la dissuasion nucléaire dans un monde à trois puissances

taiwan-strait | 2 | Taiwan, China, Indo-Pacific
    Crisis Management in the Taiwan Strait
    La gestion de crise dans le détroit de Taïwan
    crisis management in the Taiwan Strait
    la gestion de crise dans le détroit de Taïwan

china-development-finance | 2+1 | China, Development, Africa
    China's New Development Finance
    La nouvelle finance chinoise du développement
    China's new development finance
    la nouvelle finance chinoise du développement

india-multi-alignment | 2 | India, Indo-Pacific
    India's Multi-Alignment Strategy
    La stratégie de multi-alignement de l'Inde
    India's multi-alignment strategy
    la stratégie de multi-alignement de l'Inde

japan-defence | 2 | Japan, Defence
    Japan's Defence Turn
    Le tournant de défense du Japon
    Japan's defence turn
    le tournant de défense du Japon

outer-space | 2 | Space, Security
    Military Competition in Outer Space
    La compétition militaire dans l'espace
    military competition in outer space
    la compétition militaire dans l'espace

cyber-norms | 2 | Cyber, Multilateralism
    Cyber Norms and State Behaviour
    Les normes cyber et le comportement des États
    cyber norms and state behaviour
    les normes cyber et le comportement des États

semiconductors | 2 | Technology, China, Taiwan
    Semiconductor Supply Chains Under Pressure
    Les chaînes d'approvisionnement en semi-conducteurs sous pression
    semiconductor supply chains under pressure
    les chaînes d'approvisionnement en semi-conducteurs

arms-control | 2 | Arms control, Nuclear deterrence
    The Future of Arms Control
    L'avenir de la maîtrise des armements
    the future of arms control
    l'avenir de la maîtrise des armements

france-indo-pacific | 2 | France, Indo-Pacific, Maritime security
    France's Role in the Indo-Pacific
    Le rôle de la France dans l'Indo-Pacifique
    France's role in the Indo-Pacific
    le rôle de la France dans l'Indo-Pacifique
"""


def parse_subjects(table: str) -> list[Subject]:
    subjects = []
    for block in table.strip().split("\n\n"):
        head, title_en, title_fr, about_en, about_fr = (
            line.strip() for line in block.splitlines()
        )
        key, centers, tags = (part.strip() for part in head.split("|"))
        center, _, extra = centers.partition("+")
        subjects.append(
            Subject(
                key,
                int(center),
                tuple(tag.strip() for tag in tags.split(",")),
                (title_en, title_fr),
                (about_en, about_fr),
                int(extra) if extra else None,
            )
        )
    return subjects


SUBJECTS = parse_subjects(SUBJECTS_TABLE)

# The second half of a title ("Subject: angle"); books use it as subtitle.
ANGLES = {
    "study": [
        ("What Comes Next", "et après ?"),
        ("Five Scenarios for 2030", "cinq scénarios pour 2030"),
        ("Lessons from a Decade", "les leçons d'une décennie"),
        ("A Roadmap for Policymakers", "une feuille de route pour les décideurs"),
        ("Between Ambition and Constraint", "entre ambition et contraintes"),
        ("Risks and Opportunities", "risques et opportunités"),
        ("The View from the Ground", "la vue du terrain"),
        ("Rethinking the Toolbox", "repenser la boîte à outils"),
        ("A Test for Multilateralism", "un test pour le multilatéralisme"),
        (
            "Options for France and Its Partners",
            "quelles options pour la France et ses partenaires ?",
        ),
    ],
    "oped": [
        ("It Is Time to Choose", "l'heure des choix"),
        ("The Wrong Debate", "le mauvais débat"),
        ("Less Noise, More Strategy", "moins de bruit, plus de stratégie"),
        ("Europe Cannot Look Away", "l'Europe ne peut pas détourner le regard"),
    ],
    "book": [
        ("Power, Markets and Geopolitics", "Puissance, marchés et géopolitique"),
        ("A History of the Present", "Une histoire du temps présent"),
        ("Actors, Interests and Strategies", "Acteurs, intérêts et stratégies"),
    ],
}

TEASERS = (
    [
        "{this} examines {about}. Drawing on interviews and open data, it "
        "identifies the main drivers, the actors that matter and the choices "
        "ahead for European decision-makers.",
        "Debates on {about} have moved faster than most governments expected. "
        "{this} maps the stakes, compares three scenarios and sets out {n} "
        "practical recommendations.",
        "Looking beyond the headlines, {this_lower} revisits {about} and argues "
        "for a more coherent European approach.",
        "{this} argues that Europe can no longer treat {about} as a secondary "
        "issue, and explains what a serious policy would require.",
    ],
    [
        "{this} examine {about}. En s'appuyant sur des entretiens et des "
        "données ouvertes, {pronoun} identifie les principaux moteurs, les "
        "acteurs qui comptent et les choix qui s'offrent aux décideurs "
        "européens.",
        "Les débats sur {about} ont évolué plus vite que ne l'anticipaient la "
        "plupart des gouvernements. {this} en présente les enjeux, compare trois "
        "scénarios et formule {n} recommandations concrètes.",
        "Au-delà des gros titres, {this_lower} revient sur {about} et plaide pour "
        "une approche européenne plus cohérente.",
        "{this} soutient que l'Europe ne peut plus traiter {about} comme une "
        "question secondaire, et précise ce qu'exigerait une politique sérieuse.",
    ],
)
NUMBERS = ({3: "three", 4: "four"}, {3: "trois", 4: "quatre"})

HEADINGS = (
    ["Context", "What has changed", "The actors that matter", "Three scenarios"],
    ["Contexte", "Ce qui a changé", "Les acteurs qui comptent", "Trois scénarios"],
)
RECOMMENDATIONS_HEADING = ("Recommendations", "Recommandations")
CONCLUSION_HEADING = ("Conclusion", "Conclusion")
OPENINGS = (
    [
        "Over the past few years, strategic debates have brought {about} to "
        "the forefront.",
        "To understand the current reshuffling of power, one has to look "
        "closely at {about}.",
    ],
    [
        "Depuis quelques années, les débats stratégiques placent {about} au "
        "premier plan.",
        "Pour comprendre la recomposition actuelle des rapports de force, il "
        "faut examiner de près {about}.",
    ],
)
SENTENCES = (
    [
        "Decision-makers have real levers, but they rarely use them together.",
        "The available data remain partial and must be read with care.",
        "Several regional actors have learned to make the most of this uncertainty.",
        "The budgetary side of the question is often underestimated in public debate.",
        "Interviews carried out for this study reveal diverging priorities.",
        "In the short term the room for manoeuvre is narrow; in the medium term "
        "it will depend on choices made today.",
        "European partners would gain from pooling their analytical capacities.",
        "Nothing suggests, however, that the current trend is irreversible.",
        "The role of private actors, long neglected, now appears decisive.",
        "This shift is part of a broader rebalancing of power.",
        "Multilateral institutions struggle to keep pace with the changes under way.",
        "A gradual approach based on shared indicators seems the most realistic.",
        "Public opinion, finally, matters more than is often assumed.",
        "The scenarios presented here are not forecasts but tools for discussion.",
    ],
    [
        "Les décideurs disposent de leviers réels, mais les utilisent rarement "
        "de concert.",
        "Les données disponibles restent partielles et doivent être lues avec "
        "prudence.",
        "Plusieurs acteurs régionaux ont su tirer parti de cette incertitude.",
        "La dimension budgétaire de la question est souvent sous-estimée dans le "
        "débat public.",
        "Les entretiens menés pour cette étude font apparaître des priorités "
        "divergentes.",
        "À court terme, les marges de manœuvre sont étroites ; à moyen terme, "
        "elles dépendront des choix faits aujourd'hui.",
        "Les partenaires européens gagneraient à mutualiser leurs capacités d'analyse.",
        "Rien n'indique pourtant que la tendance actuelle soit irréversible.",
        "Le rôle des acteurs privés, longtemps négligé, apparaît désormais "
        "déterminant.",
        "Cette évolution s'inscrit dans une recomposition plus large des "
        "rapports de force.",
        "Les institutions multilatérales peinent à suivre le rythme des "
        "transformations en cours.",
        "Une approche graduelle, fondée sur des indicateurs partagés, paraît la "
        "plus réaliste.",
        "Les opinions publiques, enfin, pèsent davantage qu'on ne le croit souvent.",
        "Les scénarios présentés ici ne sont pas des prévisions, mais des outils "
        "de discussion.",
    ],
)
QUOTES = (
    [
        "“We are no longer managing a crisis; we are managing a new normal.” "
        "— a senior official interviewed for this study",
        "“The tools exist. What is missing is the will to use them together.” "
        "— a diplomat interviewed for this study",
        "“Every delay today will cost twice as much tomorrow.” — an industry "
        "representative interviewed for this study",
    ],
    [
        "« Nous ne gérons plus une crise, nous gérons une nouvelle "
        "normalité. » — un haut responsable interrogé pour cette étude",
        "« Les outils existent. Ce qui manque, c'est la volonté de les utiliser "
        "ensemble. » — une diplomate interrogée pour cette étude",
        "« Chaque retard aujourd'hui coûtera deux fois plus cher demain. » — un "
        "représentant du secteur privé interrogé pour cette étude",
    ],
)
RECOMMENDATIONS = (
    [
        "Set up a joint monitoring mechanism based on shared indicators.",
        "Fund long-term field research rather than one-off studies.",
        "Involve local authorities and civil society from the design stage.",
        "Review the results every two years and publish them.",
        "Coordinate export controls with like-minded partners.",
        "Give the European Parliament a regular say in the strategy.",
    ],
    [
        "Mettre en place un mécanisme de suivi commun fondé sur des indicateurs "
        "partagés.",
        "Financer la recherche de terrain sur le long terme plutôt que des "
        "études ponctuelles.",
        "Associer les autorités locales et la société civile dès la conception.",
        "Évaluer les résultats tous les deux ans et les rendre publics.",
        "Coordonner les contrôles à l'exportation avec les partenaires qui "
        "partagent nos priorités.",
        "Associer régulièrement le Parlement européen à la stratégie.",
    ],
)
RECOMMENDATIONS_LEAD = (
    "The analysis leads to {n} recommendations:",
    "L'analyse débouche sur {n} recommandations :",
)
DATASET_LINK = (
    (
        "The figures used in this analysis are collected in a ",
        "companion dataset",
        ", updated every quarter.",
    ),
    (
        "Les chiffres utilisés dans cette analyse sont rassemblés dans un ",
        "jeu de données complémentaire",
        ", mis à jour chaque trimestre.",
    ),
)
CONCLUSIONS = (
    [
        "None of these choices is easy, but postponing them has a cost of its own.",
        "The coming two years will show whether the current momentum can be sustained.",
        "Europe has the instruments; it now needs a shared reading of the situation.",
    ],
    [
        "Aucun de ces choix n'est simple, mais les repousser a aussi un coût.",
        "Les deux prochaines années montreront si la dynamique actuelle peut "
        "être maintenue.",
        "L'Europe dispose des instruments ; il lui faut désormais une lecture "
        "partagée de la situation.",
    ],
)
CAPTION = (
    "Abstract illustration created for this publication.",
    "Illustration abstraite créée pour cette publication.",
)
PARTNER_DOSSIER = (
    ("Partner dossier", "Background documents on {about}"),
    ("Dossier partenaire", "Documents de référence sur {about}"),
)
# Invented journals: (name, short code for DOIs and addresses), by language
# and by the center whose subjects they cover.
JOURNALS = (
    {
        0: [("Quarterly of Energy and Society", "qes")],
        1: [("Meridian Review of International Affairs", "mria")],
        2: [
            ("Northbridge Journal of Security Policy", "njsp"),
            ("Meridian Review of International Affairs", "mria"),
        ],
    },
    {
        0: [("Cahiers de géopolitique appliquée", "cga")],
        1: [("Revue des études euro-africaines", "reea")],
        2: [("Cahiers de géopolitique appliquée", "cga")],
    },
)
JOURNAL_NOTE = (
    "First published in {journal}, vol. {volume}, no. {issue}, pp. {pages}.",
    "Première publication : {journal}, vol. {volume}, n° {issue}, p. {pages}.",
)
# Searches the editors suggest beside the search box: (term, language), a
# blank language for both.
SEARCH_SUGGESTIONS = [
    ("critical minerals", EN),
    ("nuclear deterrence", EN),
    ("maritime security", EN),
    ("Sahel", ""),
    ("nucléaire civil", FR),
    ("industrie de défense", FR),
    ("sécurité maritime", FR),
]

PDF_LABELS = (
    {"edited": "Edited by", "translated": "Translated by", "page": "Page"},
    {"edited": "Sous la direction de", "translated": "Traduit par", "page": "Page"},
)

# --------------------------------------------------------------------------
# Generated files
# --------------------------------------------------------------------------


def _mix(a, b, t=0.5):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _shade(color, factor):
    target = (255, 255, 255) if factor > 0 else (0, 0, 0)
    return _mix(color, target, abs(factor))


def draw_artwork(rng, size, color_a, color_b, shape) -> bytes:
    """An abstract JPEG: a two-colour gradient under translucent shapes."""
    width, height = size
    seed = Image.new("RGB", (2, 2))
    seed.putdata(
        [color_a, _mix(color_a, color_b, 0.4), _mix(color_a, color_b, 0.6), color_b]
    )
    image = seed.resize(size, Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(image, "RGBA")
    for _ in range(rng.randint(3, 6)):
        tone = _shade(rng.choice((color_a, color_b)), rng.choice((-0.35, 0.3, 0.55)))
        fill = (*tone, rng.randint(70, 150))
        if shape == "circles":
            radius = rng.uniform(0.08, 0.3) * width
            x, y = rng.uniform(0, width), rng.uniform(0, height)
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)
        elif shape == "bands":
            x = rng.uniform(-0.3, 1.0) * width
            band = rng.uniform(0.05, 0.2) * width
            draw.polygon(
                [
                    (x, height),
                    (x + band, height),
                    (x + band + 0.5 * width, 0),
                    (x + 0.5 * width, 0),
                ],
                fill=fill,
            )
        else:
            x, y = rng.uniform(0, 0.7) * width, rng.uniform(0, 0.7) * height
            draw.rectangle(
                (
                    x,
                    y,
                    x + rng.uniform(0.2, 0.5) * width,
                    y + rng.uniform(0.1, 0.3) * height,
                ),
                fill=fill,
            )
    return _jpeg(image)


def draw_portrait(rng, color_a, color_b) -> bytes:
    """A square placeholder portrait: a silhouette on a soft gradient."""
    size = 480
    seed = Image.new("RGB", (1, 2))
    seed.putdata([_shade(color_a, 0.6), _shade(color_b, 0.3)])
    image = seed.resize((size, size), Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(image)
    body = _shade(color_a, -0.3)
    draw.ellipse((0.14 * size, 0.64 * size, 0.86 * size, 1.3 * size), fill=body)
    offset = rng.uniform(-0.02, 0.02) * size
    draw.ellipse(
        (0.33 * size + offset, 0.2 * size, 0.67 * size + offset, 0.6 * size),
        fill=_shade(body, 0.25),
    )
    return _jpeg(image)


def draw_cover(rng, color_a, color_b) -> bytes:
    """A portrait-format cover: artwork with a plain title band."""
    image = Image.open(
        io.BytesIO(draw_artwork(rng, (600, 850), color_a, color_b, "blocks"))
    )
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, 600, 760), fill=(250, 248, 244))
    draw.rectangle((40, 600, 360, 614), fill=color_a)
    draw.rectangle((40, 640, 480, 650), fill=_shade(color_a, 0.5))
    return _jpeg(image)


def _jpeg(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=72)
    return buffer.getvalue()


def typeset(text: str, lang: str) -> str:
    """French puts a no-break space before : ; ? ! and inside « »."""
    if lang != FR:
        return text
    text = re.sub(r" ([:;?!»])", "\u00a0\\1", text)
    return text.replace("« ", "«\u00a0")


def pdf_safe(text: str) -> str:
    """What reportlab's built-in fonts can draw: letters outside Latin-1 lose
    their accents (Zieliński -> Zielinski) instead of showing as boxes."""
    out = []
    for char in text:
        try:
            char.encode("cp1252")
            out.append(char)
        except UnicodeEncodeError:
            stripped = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in stripped if c.isascii()) or "?")
    return "".join(out)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking on ordinary spaces only, so that the no-break
    spaces of French typography ("titre : sous-titre") keep their hold."""
    lines, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if line and stringWidth(candidate, font, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def draw_pdf(
    *, title, subtitle, credits, date, kind, note, sections, color, lang, site
):
    """A small A4 PDF: a title page, then one page per section of text."""
    labels = PDF_LABELS[lang == FR]
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, invariant=1)
    pdf.setTitle(pdf_safe(title))
    pdf.setAuthor(pdf_safe("; ".join(credits)))
    pdf.setCreator(pdf_safe(site))
    width, height = A4
    margin = 64
    text_width = width - 2 * margin

    def lines(text, font, size, step, y):
        pdf.setFont(font, size)
        for line in wrap(pdf_safe(text), font, size, text_width):
            if y < margin + 30:
                break
            pdf.drawString(margin, y, line)
            y -= step
        return y

    # Title page
    pdf.setFillColorRGB(*(c / 255 for c in color))
    pdf.rect(0, height - 150, width, 150, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    lines(site, "Helvetica-Bold", 13, 20, height - 80)
    lines(kind, "Helvetica", 11, 15, height - 100)
    pdf.setFillColorRGB(0.1, 0.1, 0.12)
    y = lines(title, "Helvetica-Bold", 24, 30, height - 230)
    if subtitle:
        y = lines(subtitle, "Helvetica", 15, 20, y)
    y -= 24
    for credit in credits:
        y = lines(credit, "Helvetica", 12, 17, y)
    y = lines(date, "Helvetica", 12, 17, y - 10)
    if note:
        lines(note, "Helvetica-Oblique", 10, 14, y - 10)
    pdf.showPage()

    # One page of text per section
    for number, (heading, paragraphs) in enumerate(sections, start=2):
        y = lines(heading, "Helvetica-Bold", 15, 28, height - margin)
        for paragraph in paragraphs:
            y = lines(paragraph, "Helvetica", 10.5, 14.5, y) - 8
        pdf.setFont("Helvetica", 8.5)
        footer = pdf_safe(f"{title} — {labels['page']} {number}")
        pdf.drawString(margin, margin - 24, footer[:110])
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


@dataclass(eq=False)  # compared and hashed by identity
class Plan:
    """One publication to create, decided before anything is written."""

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
        """Index into the (English, French) pairs above."""
        return int(self.lang == FR)


class DemoLoader:
    def __init__(self, now: datetime.datetime):
        self.rng = random.Random(SEED)  # noqa: S311 (demo data, not secrets)
        self.now = now
        self.site = settings.SITE_NAME
        self.written = []  # (storage, name) of every file stored so far
        self.slugs = {}
        self.centers = []
        self.authors = []
        self.author_centers = {}  # author pk -> indexes in self.centers
        self.kinds = {}
        self.external_count = 0
        self.books_edited = 0

    # Files ----------------------------------------------------------------

    def save(self, instance):
        """Save a model instance, remembering the files its save stored."""
        try:
            instance.full_clean()
            instance.save()
        finally:
            for f in instance._meta.concrete_fields:
                if isinstance(f, models.FileField):
                    value = getattr(instance, f.attname)
                    if value and value._committed:
                        self.written.append((value.storage, value.name))
        return instance

    def remove_files(self):
        for storage, name in self.written:
            try:
                storage.delete(name)
            except OSError:
                pass
        self.written.clear()

    # Helpers --------------------------------------------------------------

    def unique_slug(self, model, text, max_length=200):
        taken = self.slugs.get(model)
        if taken is None:
            taken = self.slugs[model] = set(
                model.objects.values_list("slug", flat=True)
            )
        base = slugify(text)[:max_length].strip("-") or "item"
        slug, n = base, 2
        while slug in taken:
            suffix = f"-{n}"
            slug, n = base[: max_length - len(suffix)] + suffix, n + 1
        taken.add(slug)
        return slug

    def colors(self, first=None, second=None):
        a = PALETTE[first if first is not None else self.rng.randrange(len(PALETTE))]
        b = (
            PALETTE[second]
            if second is not None
            else self.rng.choice([p for p in PALETTE if p != a])
        )
        return a, b

    @staticmethod
    def artwork_alt(shape, a, b):
        en, fr = SHAPES[shape]
        return (
            f"Abstract composition of {en} in {a[1][0]} and {b[1][0]} tones",
            f"Composition abstraite de {fr} dans des tons {a[1][1]} et {b[1][1]}",
        )

    # Steps ----------------------------------------------------------------

    def load(self):
        self.create_types()
        self.create_centers()
        self.create_authors()
        plans = self.plan_publications()
        for plan in plans:
            self.create_publication(plan)
        self.link_translations(plans)
        self.link_related(plans)
        self.create_search_suggestions()
        return plans

    def create_search_suggestions(self):
        if SearchSuggestion.objects.exists():  # the editors' own are kept
            return
        SearchSuggestion.objects.bulk_create(
            SearchSuggestion(term=term, language=language, order=order)
            for order, (term, language) in enumerate(SEARCH_SUGGESTIONS, start=1)
        )

    def create_types(self):
        for order, kind in enumerate(KINDS, start=1):
            obj, _ = PublicationType.objects.get_or_create(
                slug=kind.slug,
                defaults={
                    "name_en": kind.name[0],
                    "name_fr": kind.name[1],
                    "plural_name_en": kind.plural[0],
                    "plural_name_fr": kind.plural[1],
                    "order": order * 10,
                    "citation_type": CITATION_TYPES[kind.slug],
                },
            )
            self.kinds[kind.slug] = obj

    def create_centers(self):
        for order, data in enumerate(CENTERS, start=1):
            a, b = self.colors(*data["colors"])
            alt = self.artwork_alt(data["shape"], a, b)
            center = ResearchCenter(
                slug=self.unique_slug(ResearchCenter, data["slug"]),
                name_en=data["name"][0],
                name_fr=data["name"][1],
                teaser_en=data["teaser"][0],
                teaser_fr=typeset(data["teaser"][1], FR),
                description_en=data["description"][0],
                description_fr=typeset(data["description"][1], FR),
                image=ContentFile(
                    draw_artwork(self.rng, (1200, 675), a[0], b[0], data["shape"]),
                    name=f"{data['slug']}.jpg",
                ),
                image_alt_en=alt[0],
                image_alt_fr=alt[1],
                image_credit=ILLUSTRATION_CREDIT[0],
                order=order * 10,
            )
            self.centers.append(self.save(center))

    def create_authors(self):
        for person in PEOPLE:
            name = f"{person.given} {person.family}"
            a, b = self.colors()
            de = "d'" if person.given[0].lower() in "aeiouyàâéèêëîïôù" else "de "
            author = Author(
                given_name=person.given,
                family_name=person.family,
                slug=self.unique_slug(Author, name),
                job_title_en=person.job_title[0],
                job_title_fr=person.job_title[1],
                bio_en=person.bio[0],
                bio_fr=typeset(person.bio[1], FR),
                photo=ContentFile(
                    draw_portrait(self.rng, a[0], b[0]), name="portrait.jpg"
                ),
                photo_alt_en=f"Stylised silhouette in place of a portrait of {name}",
                photo_alt_fr=f"Silhouette stylisée tenant lieu de portrait {de}{name}",
                photo_credit=PHOTO_CREDIT,
                orcid=person.orcid,
                affiliation=person.affiliation,
            )
            self.save(author)
            author.centers.set([self.centers[i] for i in person.centers])
            self.author_centers[author.pk] = person.centers
            self.authors.append(author)

    def plan_publications(self) -> list[Plan]:
        rng = self.rng
        kinds = {kind.slug: kind for kind in KINDS}
        pool = [slug for slug, count in KIND_COUNTS.items() for _ in range(count)]
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
                angles = ANGLES[self.angle_family(plan.kind)]
                plan.angle = rng.randrange(len(angles))
            if second.translation_of:
                second.angle = first.angle
            elif self.angle_family(first.kind) == self.angle_family(second.kind):
                while second.angle == first.angle:
                    second.angle = rng.randrange(
                        len(ANGLES[self.angle_family(second.kind)])
                    )
            plans += [first, second]

        self.plan_statuses(plans)
        return plans

    @staticmethod
    def angle_family(kind: Kind) -> str:
        return {OPED: "oped", BOOK: "book"}.get(kind.slug, "study")

    def plan_statuses(self, plans):
        rng = self.rng
        singles = [
            p
            for p in plans
            if not p.translation_of and not any(q.translation_of is p for q in plans)
        ]
        chosen = rng.sample(singles, 10)
        today = timezone.localdate(self.now)
        for plan in chosen[:4]:
            plan.status = Status.DRAFT
            plan.date = today + datetime.timedelta(days=rng.randint(10, 30))
        for plan in chosen[4:7]:
            plan.status = Status.REVIEW
            plan.date = today + datetime.timedelta(days=rng.randint(5, 20))
        for days, plan in zip((2, 9, 23), chosen[7:10], strict=True):
            go_live = (self.now + datetime.timedelta(days=days)).replace(
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
                    go_live = min(go_live, self.now - datetime.timedelta(hours=1))
                plan.publish_at = go_live

    def pick_credits(self, plan: Plan, external_index: int):
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
                    for a in rng.sample(self.staff(), len(self.staff()))
                    if a not in dict(credits)
                )
                credits.append((helper, Role.TRANSLATOR))
            return credits

        center = plan.subject.center
        colleagues = [a for a in self.staff() if center in self.author_centers[a.pk]]
        others = [a for a in self.staff() if a not in colleagues]
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

    def staff(self):
        return [a for a in self.authors if not a.affiliation]

    def body_for(self, plan: Plan, n_recommendations: int):
        """Sections as plain data; HTML and PDF are both drawn from them."""
        rng, i = self.rng, plan.i
        about = plan.subject.about[i]
        # A shuffled deck, so that no sentence appears twice in one body.
        deck = rng.sample(SENTENCES[i], len(SENTENCES[i]))

        def paragraph(k):
            return " ".join(deck.pop() for _ in range(k))

        headings = rng.sample(HEADINGS[i], 2)
        headings.sort(key=HEADINGS[i].index)
        items = rng.sample(RECOMMENDATIONS[i], n_recommendations)
        lead = RECOMMENDATIONS_LEAD[i].format(n=NUMBERS[i][n_recommendations])
        url = f"https://data.example.org/{plan.subject.key}"
        before, anchor, after = DATASET_LINK[i]
        return {
            "intro": f"{rng.choice(OPENINGS[i]).format(about=about)} {paragraph(2)}",
            "sections": [
                (headings[0], [paragraph(3), paragraph(2)]),
                (headings[1], [paragraph(2)]),
            ],
            "quote": rng.choice(QUOTES[i]),
            "after_quote": paragraph(2),
            "recommendations": (RECOMMENDATIONS_HEADING[i], lead, items),
            "conclusion": (
                CONCLUSION_HEADING[i],
                f"{paragraph(1)} {rng.choice(CONCLUSIONS[i])}",
            ),
            "link": (before, anchor, url, after),
        }

    @staticmethod
    def body_html(body) -> str:
        first, second = body["sections"]
        rec_heading, lead, items = body["recommendations"]
        conclusion_heading, conclusion = body["conclusion"]
        before, anchor, url, after = body["link"]

        def paragraphs(texts):
            return format_html_join("", "<p>{}</p>", ((t,) for t in texts))

        return format_html(
            "<p>{}</p><h2>{}</h2>{}<h2>{}</h2>{}<blockquote><p>{}</p></blockquote>"
            "<p>{}</p><h2>{}</h2><p>{}</p><ul>{}</ul><h2>{}</h2><p>{}</p>"
            '<p>{}<a href="{}">{}</a>{}</p>',
            body["intro"],
            first[0],
            paragraphs(first[1]),
            second[0],
            paragraphs(second[1]),
            body["quote"],
            body["after_quote"],
            rec_heading,
            lead,
            format_html_join("", "<li><p>{}</p></li>", ((item,) for item in items)),
            conclusion_heading,
            conclusion,
            before,
            url,
            anchor,
            after,
        )

    def pdf_sections(self, plan, body, pages):
        """`pages` pages of text: the body first, then further notes."""
        i = plan.i
        rec_heading, lead, items = body["recommendations"]
        before, anchor, url, after = body["link"]
        sections = [
            (body["sections"][0][0], [body["intro"], *body["sections"][0][1]]),
            (
                body["sections"][1][0],
                [*body["sections"][1][1], body["quote"], body["after_quote"]],
            ),
            (rec_heading, [lead, *(f"- {item}" for item in items)]),
            (
                body["conclusion"][0],
                [body["conclusion"][1], f"{before}{anchor} ({url}){after}"],
            ),
        ]
        extra = HEADINGS[i]
        while len(sections) < pages:
            heading = extra[len(sections) % len(extra)]
            sections.append(
                (
                    heading,
                    [" ".join(self.rng.sample(SENTENCES[i], 4)) for _ in range(3)],
                )
            )
        return sections[:pages]

    def create_publication(self, plan: Plan):
        rng, i, kind = self.rng, plan.i, plan.kind
        title, subtitle = self.title_for(plan)
        n_recommendations = rng.choice((3, 4))
        this = kind.this[i]
        teaser = rng.choice(TEASERS[i]).format(
            this=this,
            this_lower=this[0].lower() + this[1:],
            about=plan.subject.about[i],
            n=NUMBERS[i][n_recommendations],
            pronoun=kind.pronoun_fr,
        )
        body = self.body_for(plan, n_recommendations)
        credits = plan.extra["credits"] = self.pick_credits(plan, self.external_count)
        a, b = self.colors()
        shape = rng.choice(list(SHAPES))
        publication = Publication(
            title=title,
            subtitle=subtitle,
            slug=self.unique_slug(Publication, title.replace("'", " ") if i else title),
            type=self.kinds[kind.slug],
            language=plan.lang,
            teaser=typeset(teaser, plan.lang),
            body=typeset(self.body_html(body), plan.lang),
            main_image=ContentFile(
                draw_artwork(rng, (1200, 675), a[0], b[0], shape), name="main.jpg"
            ),
            main_image_alt=self.artwork_alt(shape, a, b)[i],
            main_image_caption=CAPTION[i],
            main_image_credit=ILLUSTRATION_CREDIT[i],
            center=self.centers[plan.subject.center],
            is_featured=plan.featured,
            status=plan.status,
            publication_date=plan.date,
            publish_at=plan.publish_at,
        )
        if kind.slug in (REPORT, BOOK) and rng.random() < 0.6:
            quoted = f"« {title} »" if i else f"“{title}”"
            publication.cover_image = ContentFile(
                draw_cover(rng, a[0], b[0]), name="cover.jpg"
            )
            alt = f"Couverture de {quoted}" if i else f"Cover of {quoted}"
            publication.cover_image_alt = typeset(alt, plan.lang)[:250]
            publication.cover_image_credit = COVER_CREDIT[i]
        note = self.set_journal(publication, plan) if kind.slug == EXTERNAL else ""

        with translation.override(plan.lang):
            date_text = date_format(plan.date, "j F Y")
        pdf = draw_pdf(
            title=title,
            subtitle=subtitle,
            credits=self.credit_lines(credits, plan.lang),
            date=date_text,
            kind=kind.name[i],
            note=note,
            sections=[
                (typeset(heading, plan.lang), [typeset(t, plan.lang) for t in texts])
                for heading, texts in self.pdf_sections(plan, body, rng.randint(2, 6))
            ],
            color=a[0],
            lang=plan.lang,
            site=self.site,
        )
        publication.pdf = ContentFile(pdf, name=f"{publication.slug}.pdf")
        self.save(publication)

        Authorship.objects.bulk_create(
            Authorship(publication=publication, author=author, role=role, order=order)
            for order, (author, role) in enumerate(credits)
        )
        publication.tags.add(*plan.subject.tags)
        if plan.subject.extra_center is not None:
            publication.additional_centers.add(self.centers[plan.subject.extra_center])
        plan.publication = publication

    def title_for(self, plan: Plan) -> tuple[str, str]:
        """(title, subtitle): "Subject: angle", or for books the angle below."""
        i = plan.i
        angle = ANGLES[self.angle_family(plan.kind)][plan.angle][i]
        if plan.kind.slug == BOOK:
            return plan.subject.title[i], angle
        separator = " : " if i else ": "
        return typeset(f"{plan.subject.title[i]}{separator}{angle}", plan.lang), ""

    def set_journal(self, publication, plan: Plan) -> str:
        """Fill in where an external article first appeared; return a PDF note."""
        rng, i = self.rng, plan.i
        self.external_count += 1
        journal, code = rng.choice(JOURNALS[i][plan.subject.center])
        volume = str(plan.date.year - 2000 + rng.randint(0, 12))
        issue = str(rng.randint(1, 4))
        first_page = rng.randint(5, 180)
        publication.publisher = journal
        publication.volume = volume
        publication.issue = issue
        publication.pages = f"{first_page}-{first_page + rng.randint(12, 30)}"
        publication.external_url = (
            f"https://journals.example.org/{code}/{volume}/{issue}/{publication.slug}"
        )
        if self.external_count % 4:  # most journal articles have a DOI
            year = plan.date.year
            publication.doi = f"10.5555/{code}.{year}.{rng.randint(100, 999)}"
        return JOURNAL_NOTE[i].format(
            journal=journal, volume=volume, issue=issue, pages=publication.pages
        )

    @staticmethod
    def credit_lines(credits, lang):
        labels = PDF_LABELS[lang == FR]
        authors = [a.full_name for a, role in credits if role == Role.AUTHOR]
        lines = [", ".join(authors)] if authors else []
        for role, label in ((Role.EDITOR, "edited"), (Role.TRANSLATOR, "translated")):
            names = [a.full_name for a, r in credits if r == role]
            if names:
                lines.append(f"{labels[label]} {', '.join(names)}")
        return lines

    def link_translations(self, plans):
        for plan in plans:
            if plan.translation_of:
                plan.publication.translations.add(plan.translation_of.publication)

    def link_related(self, plans):
        rng = self.rng
        live = [
            p
            for p in plans
            if p.status == Status.PUBLISHED and p.publish_at <= self.now
        ]
        links = []
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
            chosen = candidates[: rng.randint(2, 4)]
            for order, target in enumerate(chosen):
                links.append(
                    RelatedLink(
                        publication=plan.publication,
                        target=target.publication,
                        order=order,
                    )
                )
            if rng.random() < 0.25:
                label, title = PARTNER_DOSSIER[plan.i]
                links.append(
                    RelatedLink(
                        publication=plan.publication,
                        url=f"https://dossiers.example.org/{plan.subject.key}",
                        title=title.format(about=plan.subject.about[plan.i]),
                        label=label,
                        order=len(chosen),
                    )
                )
        RelatedLink.objects.bulk_create(links)


class Command(BaseCommand):
    help = (
        "Fill an empty database with invented demo content: research centers, "
        "authors, publication types and about sixty bilingual publications "
        "with images and PDFs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when publications already exist.",
        )

    def handle(self, *args, **options):
        if Publication.objects.exists():
            if options["if_empty"]:
                self.stdout.write(
                    "Publications already exist: existing content kept, "
                    "no demo content loaded."
                )
                return
            raise CommandError(
                "The database already has publications; load_demo only fills an "
                "empty database. Use --if-empty to skip quietly."
            )

        loader = DemoLoader(now=timezone.now())
        try:
            with translation.override(EN), transaction.atomic():
                loader.load()
        except BaseException:
            # The rows are rolled back; the files stored so far must go too.
            loader.remove_files()
            raise

        publications = Publication.objects.all()
        self.stdout.write(
            self.style.SUCCESS(
                "Loaded demo content: "
                f"{len(loader.centers)} research centers, "
                f"{len(loader.authors)} authors, "
                f"{len(loader.kinds)} publication types, "
                f"{publications.count()} publications "
                f"({publications.published().count()} visible, "
                f"{publications.filter(language=FR).count()} in French), "
                f"{len(loader.written)} files."
            )
        )
