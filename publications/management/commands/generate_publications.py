"""Generate N synthetic publications quickly, for search and scale benchmarks.

Rows are written with bulk_create in batches: no save(), no signals, no files.
Each publication gets a type, a center, 1-4 ordered authors, 2-5 topic and
region tags in its language, a teaser, a body and, for most, the text of a
full-analysis PDF (a current PdfVersion row whose file does not exist: the
download answers 404). Words are drawn from a ranked vocabulary with a
Zipf-like law, plus a long tail of invented proper names, so that a few words
are everywhere and most are rare, as in real text.

Because bulk_create sends no post_save and through-model inserts send no
m2m_changed, nothing keeps search vectors or cached pages in step row by row:
the command refreshes the search vectors once at the end (when the search
module provides ``refresh_search_vectors``) and bumps the page-cache version.

The same seed and count on the same database give the same rows; dates are
relative to today (published work over the last 15 years, scheduled work in
the coming weeks).
"""

import datetime
import hashlib
import itertools
import random
import time
from bisect import bisect
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import capfirst, slugify
from taggit.models import Tag

from authors.models import Author
from centers.models import ResearchCenter
from publications.caching import invalidate
from publications.management.commands.load_demo import (
    CENTERS,
    CITATION_TYPES,
    KINDS,
)
from publications.models import (
    Authorship,
    Language,
    PdfVersion,
    Publication,
    PublicationType,
    Role,
    Status,
)
from publications.search import refresh_search_vectors

EN, FR = Language.ENGLISH.value, Language.FRENCH.value
YEARS = 15
FRENCH_SHARE = 0.35
# Cumulative shares of visible, draft, in review, scheduled; the rest archived.
STATUS_SHARES = ((0.90, "visible"), (0.94, "draft"), (0.96, "review"), (0.98, "later"))
TYPE_WEIGHTS = {
    "briefings": 30,
    "reports": 25,
    "op-eds": 20,
    "external-articles": 15,
    "books": 10,
}
NO_PDF_SHARE = {"op-eds": 0.7, "external-articles": 0.4}  # others: 5%
# Chance that a word of running text is an invented name or a number.
NAME_RATE, NUMBER_RATE = 0.035, 0.02
AVERAGE_SENTENCE = 100  # characters, roughly, of a generated sentence

# "English tag | French tag". The title's topic is always one of the tags.
TOPICS = """
Energy | Énergie
Energy transition | Transition énergétique
Energy security | Sécurité énergétique
Climate | Climat
Climate change | Changement climatique
Critical minerals | Minerais critiques
Hydrogen | Hydrogène
Nuclear energy | Énergie nucléaire
Oil and gas | Pétrole et gaz
Electricity markets | Marchés de l'électricité
Nuclear deterrence | Dissuasion nucléaire
Arms control | Maîtrise des armements
Defence | Défense
Defence industry | Industrie de défense
European defence | Défense européenne
NATO | OTAN
Cyber security | Cybersécurité
Space | Espace
Artificial intelligence | Intelligence artificielle
Technology | Technologies
Semiconductors | Semi-conducteurs
Maritime security | Sécurité maritime
Terrorism | Terrorisme
Peacekeeping | Maintien de la paix
Conflicts | Conflits
Civil wars | Guerres civiles
Humanitarian aid | Aide humanitaire
Migration | Migrations
Refugees | Réfugiés
Borders | Frontières
Development | Développement
Development aid | Aide au développement
Debt | Dette
Trade | Commerce
Trade policy | Politique commerciale
Sanctions | Sanctions
Economic security | Sécurité économique
Supply chains | Chaînes d'approvisionnement
Industrial policy | Politique industrielle
Finance | Finance
Currencies | Monnaies
Agriculture | Agriculture
Food security | Sécurité alimentaire
Water | Eau
Health | Santé
Pandemics | Pandémies
Demography | Démographie
Urbanisation | Urbanisation
Governance | Gouvernance
Democracy | Démocratie
Elections | Élections
Populism | Populisme
Authoritarianism | Autoritarisme
Human rights | Droits de l'homme
Rule of law | État de droit
Corruption | Corruption
Religion | Religion
Islamism | Islamisme
Diplomacy | Diplomatie
Foreign policy | Politique étrangère
French foreign policy | Politique étrangère française
Multilateralism | Multilatéralisme
United Nations | Nations unies
Global governance | Gouvernance mondiale
Geopolitics | Géopolitique
Great power competition | Rivalité entre puissances
Alliances | Alliances
Strategic autonomy | Autonomie stratégique
European integration | Intégration européenne
EU enlargement | Élargissement de l'UE
Brexit | Brexit
Franco-German relations | Relations franco-allemandes
Transatlantic relations | Relations transatlantiques
Military strategy | Stratégie militaire
Armed forces | Forces armées
Hybrid threats | Menaces hybrides
Disinformation | Désinformation
Information warfare | Guerre informationnelle
Private military companies | Sociétés militaires privées
Digital policy | Politique numérique
Data governance | Gouvernance des données
Oceans | Océans
Biodiversity | Biodiversité
Cities | Villes
Youth | Jeunesse
Gender | Genre
Education | Éducation
Transport | Transports
Infrastructure | Infrastructures
Connectivity | Connectivité
Investment | Investissements
Public finance | Finances publiques
Inflation | Inflation
Labour markets | Marché du travail
Inequality | Inégalités
"""

# "English tag | French tag | English place phrase | French place phrase".
REGIONS = """
Europe | Europe | in Europe | en Europe
European Union | Union européenne | in the European Union | dans l'Union européenne
France | France | in France | en France
Germany | Allemagne | in Germany | en Allemagne
United Kingdom | Royaume-Uni | in the United Kingdom | au Royaume-Uni
Italy | Italie | in Italy | en Italie
Spain | Espagne | in Spain | en Espagne
Poland | Pologne | in Poland | en Pologne
Nordic countries | Pays nordiques | in the Nordic countries | dans les pays nordiques
Baltic states | États baltes | in the Baltic states | dans les États baltes
Balkans | Balkans | in the Balkans | dans les Balkans
Central Europe | Europe centrale | in Central Europe | en Europe centrale
Russia | Russie | in Russia | en Russie
Ukraine | Ukraine | in Ukraine | en Ukraine
Belarus | Biélorussie | in Belarus | en Biélorussie
Caucasus | Caucase | in the Caucasus | dans le Caucase
Central Asia | Asie centrale | in Central Asia | en Asie centrale
Turkey | Turquie | in Turkey | en Turquie
Mediterranean | Méditerranée | in the Mediterranean | en Méditerranée
Middle East | Moyen-Orient | in the Middle East | au Moyen-Orient
Gulf | Golfe | in the Gulf | dans le Golfe
Iran | Iran | in Iran | en Iran
Iraq | Irak | in Iraq | en Irak
Syria | Syrie | in Syria | en Syrie
Lebanon | Liban | in Lebanon | au Liban
Israel | Israël | in Israel | en Israël
Saudi Arabia | Arabie saoudite | in Saudi Arabia | en Arabie saoudite
Egypt | Égypte | in Egypt | en Égypte
Maghreb | Maghreb | in the Maghreb | au Maghreb
Algeria | Algérie | in Algeria | en Algérie
Morocco | Maroc | in Morocco | au Maroc
Tunisia | Tunisie | in Tunisia | en Tunisie
Libya | Libye | in Libya | en Libye
Sahel | Sahel | in the Sahel | au Sahel
Mali | Mali | in Mali | au Mali
Niger | Niger | in Niger | au Niger
Burkina Faso | Burkina Faso | in Burkina Faso | au Burkina Faso
Chad | Tchad | in Chad | au Tchad
Senegal | Sénégal | in Senegal | au Sénégal
Côte d'Ivoire | Côte d'Ivoire | in Côte d'Ivoire | en Côte d'Ivoire
Nigeria | Nigeria | in Nigeria | au Nigeria
West Africa | Afrique de l'Ouest | in West Africa | en Afrique de l'Ouest
Central Africa | Afrique centrale | in Central Africa | en Afrique centrale
DR Congo | RD Congo | in the DR Congo | en RD Congo
Horn of Africa | Corne de l'Afrique | in the Horn of Africa | dans la Corne de l'Afrique
Ethiopia | Éthiopie | in Ethiopia | en Éthiopie
Sudan | Soudan | in Sudan | au Soudan
Kenya | Kenya | in Kenya | au Kenya
South Africa | Afrique du Sud | in South Africa | en Afrique du Sud
Africa | Afrique | in Africa | en Afrique
Gulf of Guinea | Golfe de Guinée | in the Gulf of Guinea | dans le golfe de Guinée
China | Chine | in China | en Chine
Taiwan | Taïwan | in Taiwan | à Taïwan
Japan | Japon | in Japan | au Japon
Korea | Corée | on the Korean Peninsula | dans la péninsule coréenne
India | Inde | in India | en Inde
Pakistan | Pakistan | in Pakistan | au Pakistan
Afghanistan | Afghanistan | in Afghanistan | en Afghanistan
Southeast Asia | Asie du Sud-Est | in Southeast Asia | en Asie du Sud-Est
Indonesia | Indonésie | in Indonesia | en Indonésie
Vietnam | Viêt Nam | in Vietnam | au Viêt Nam
Australia | Australie | in Australia | en Australie
Indo-Pacific | Indo-Pacifique | in the Indo-Pacific | dans l'Indo-Pacifique
South China Sea | Mer de Chine | in the South China Sea | en mer de Chine
United States | États-Unis | in the United States | aux États-Unis
Canada | Canada | in Canada | au Canada
Latin America | Amérique latine | in Latin America | en Amérique latine
Brazil | Brésil | in Brazil | au Brésil
Mexico | Mexique | in Mexico | au Mexique
Venezuela | Venezuela | in Venezuela | au Venezuela
Arctic | Arctique | in the Arctic | en Arctique
Atlantic | Atlantique | in the Atlantic | dans l'Atlantique
Red Sea | Mer Rouge | in the Red Sea | en mer Rouge
Black Sea | Mer Noire | in the Black Sea | en mer Noire
Greenland | Groenland | in Greenland | au Groenland
"""

ANGLES = """
Lessons from a Decade | les leçons d'une décennie
What Comes Next | et maintenant ?
A Turning Point | un tournant
The Case for a New Approach | plaidoyer pour une nouvelle approche
Between Ambition and Reality | entre ambition et réalité
Risks and Opportunities | risques et opportunités
Ten Proposals | dix propositions
The Limits of Power | les limites de la puissance
A Fragile Balance | un équilibre fragile
The Hidden Costs | les coûts cachés
Scenarios for 2035 | scénarios pour 2035
An Unfinished Agenda | un chantier inachevé
Rethinking Partnerships | repenser les partenariats
The View from the Ground | le regard du terrain
Myths and Realities | mythes et réalités
Old Problems, New Tools | vieux problèmes, nouveaux outils
Time to Decide | l'heure des choix
Beyond the Headlines | au-delà des gros titres
"""

HEADINGS = """
Introduction | Introduction
Background | Contexte
The stakes | Les enjeux
A changing landscape | Un paysage en mutation
Main findings | Principaux constats
The actors | Les acteurs
Obstacles | Les obstacles
Options for Europe | Les options de l'Europe
What France can do | Ce que peut faire la France
Recommendations | Recommandations
Outlook | Perspectives
Conclusion | Conclusion
"""

OPENINGS = (
    ("This paper examines", "Objet de cette étude :"),
    ("This report analyses", "Ce rapport analyse un enjeu :"),
    ("The author looks at", "L'auteur se penche sur un dossier :"),
    ("This note assesses", "Cette note fait le point :"),
)

# Running-text vocabularies, roughly from the most to the least frequent;
# "_" joins the words of a phrase that phrase searches should find.
WORDS_EN = """
the of and to in a that is for on as with by this are its be from has which
more than their it have an not at will was can also but these would been
other such new they or between over into most both while only after against
could may should so policy countries security government economic political
international power military states support public strategy development
national region European global regional energy war crisis foreign relations
market growth Europe China Russia France Africa investment trade cooperation
influence partners conflict defence forces agreement decision leaders
interests approach capacity challenges reform control risk model system
production resources role question framework years period future however
therefore European_Union United_States energy_security foreign_policy
climate_change arms_control nuclear_deterrence supply_chains critical_minerals
armed_forces civil_society public_opinion rule_of_law human_rights
strategic_autonomy great_powers industrial_policy economic_growth
Indo-Pacific Sahel Ukraine Middle_East West_Africa Germany India Japan Iran
Turkey Brazil Mediterranean NATO United_Nations sanctions deterrence nuclear
missile missiles alliance alliances treaty negotiations diplomacy diplomatic
summit ministers minister president elections parliament coalition opposition
democracy institutions institutional legitimacy governance corruption reforms
budget spending debt inflation prices gas oil electricity grid renewables
hydrogen coal emissions transition carbon technology technologies digital
cyber data artificial_intelligence semiconductors innovation industry
industrial companies firms exports imports tariffs markets finance banks
currency investment_screening infrastructure ports shipping maritime navy
borders migration migrants refugees humanitarian aid development poverty
inequality population youth cities urban rural agriculture food water
drought health pandemic vaccines education jihadist jihadists armed_groups
insurgency terrorism counter-terrorism peacekeeping mission operations troops
stabilisation mediation ceasefire peace violence militias coup junta
transition_period partnership partnerships dialogue credibility escalation
competition rivalry hegemony multilateralism sovereignty autonomy resilience
vulnerability dependence dependencies interdependence fragmentation
integration enlargement neighbourhood accession unanimity Commission Council
member_states capitals Brussels Paris Berlin Washington Beijing Moscow
Kyiv Ankara Tehran Delhi Tokyo Abuja Bamako Niamey Algiers Rabat Cairo
regime leadership elites networks actors stakeholders experts analysts
scenario scenarios trends indicators evidence survey fieldwork interviews
recommendations priorities options trade-offs costs benefits incentives
constraints leverage instruments tools measures mechanisms standards norms
rules law legal courts accountability transparency legitimacy narrative
narratives disinformation propaganda media platforms information influence
operations hybrid threats space satellites launchers orbit Arctic oceans
fisheries biodiversity forests minerals lithium cobalt rare_earths mining
refining batteries vehicles steel aluminium nuclear_energy reactors uranium
enrichment proliferation non-proliferation verification inspections
arsenal arsenals doctrine posture credibility_gap burden_sharing
procurement defence_industry ammunition drones artillery air_defence
"""

WORDS_FR = """
de la le et les des à en du un une que est pour dans qui par sur au plus pas
ne se il elle ce cette sont ont avec son sa ses leur leurs mais aussi entre
comme être été peut ou ainsi dont depuis sans sous après contre politique
pays sécurité gouvernement économique international internationale puissance
militaire États stratégie développement national région européenne européen
mondiale régional énergie guerre crise étrangère relations marché croissance
Europe Chine Russie France Afrique investissement commerce coopération
influence partenaires conflit défense forces accord décision dirigeants
intérêts approche capacité défis réforme contrôle risque modèle système
production ressources rôle question cadre années période avenir cependant
donc Union_européenne États-Unis sécurité_énergétique politique_étrangère
changement_climatique maîtrise_des_armements dissuasion_nucléaire
chaînes_d'approvisionnement minerais_critiques forces_armées société_civile
opinion_publique État_de_droit droits_de_l'homme autonomie_stratégique
grandes_puissances politique_industrielle transition_énergétique
Indo-Pacifique Sahel Ukraine Moyen-Orient Afrique_de_l'Ouest Allemagne Inde
Japon Iran Turquie Brésil Méditerranée OTAN Nations_unies sanctions
dissuasion nucléaire missile missiles alliance alliances traité négociations
diplomatie diplomatique sommet ministres ministre président élections
parlement coalition opposition démocratie institutions institutionnel
légitimité gouvernance corruption réformes budget dépenses dette inflation
prix gaz pétrole électricité réseau renouvelables hydrogène charbon émissions
carbone technologie technologies numérique cyber données
intelligence_artificielle semi-conducteurs innovation industrie industriel
entreprises exportations importations droits_de_douane marchés finance
banques monnaie infrastructures ports transport_maritime maritime marine
frontières migrations migrants réfugiés humanitaire aide pauvreté inégalités
population jeunesse villes urbain rural agriculture alimentation eau
sécheresse santé pandémie vaccins éducation djihadiste djihadistes
groupes_armés insurrection terrorisme contre-terrorisme maintien_de_la_paix
mission opérations troupes stabilisation médiation cessez-le-feu paix
violences milices coup_d'État junte partenariat partenariats dialogue
crédibilité escalade compétition rivalité hégémonie multilatéralisme
souveraineté autonomie résilience vulnérabilité dépendance dépendances
interdépendance fragmentation intégration élargissement voisinage adhésion
unanimité Commission Conseil États_membres capitales Bruxelles Paris Berlin
Washington Pékin Moscou Kiev Ankara Téhéran Delhi Tokyo Abuja Bamako Niamey
Alger Rabat Le_Caire régime élites réseaux acteurs experts analystes
scénario scénarios tendances indicateurs enquête terrain entretiens
recommandations priorités options arbitrages coûts bénéfices incitations
contraintes leviers instruments outils mesures mécanismes normes règles
droit juridique tribunaux responsabilité transparence récit récits
désinformation propagande médias plateformes information ingérence menaces
hybrides espace satellites lanceurs orbite Arctique océans pêche
biodiversité forêts minerais lithium cobalt terres_rares mines raffinage
batteries véhicules acier aluminium énergie_nucléaire réacteurs uranium
enrichissement prolifération non-prolifération vérification inspections
arsenal arsenaux doctrine posture partage_du_fardeau acquisitions
industrie_de_défense munitions drones artillerie défense_aérienne
"""

GIVEN_NAMES = """
Élodie Julien Hanna Siobhan Amadou Aïcha Sébastien Hélène François Zoë
Chloé Loïc Noémie Jérôme Gaëlle Benoît Maëlle Thérèse Ibrahim Fatoumata
Mónica José Inés Joaquín Søren Åsa Björn Jürgen Günter Małgorzata Paweł
Tomáš Dušan Ioana Răzvan Nikolaï Oksana Dmytro Yasmine Karim Leïla Mehmet
Ayşe Çağla Wei Mei Hiroshi Yūko Min-jun Priya Arjun Ngozi Kwame Thandiwe
Claire Marc Anne Pierre Sophie Thomas Camille Nicolas Léa Antoine Marie
Olivier Isabelle Laurent Nathalie David Sarah Michael Emma James Laura
Daniel Elena Paolo Giulia Marco Ana Pedro Lucía Erik Ingrid
"""

FAMILY_NAMES = """
Lefèvre Marchetti Falkenrath O'Neill Diallo Traoré Müller Gómez Nuñez
Dubois Bérard Mercier Lévêque Château Caron Fontaine Rousseau Gauthier
Bélanger Côté Kowalski Nowak Wiśniewski Novák Dvořák Popescu Ionescu
Kovačević Đorđević Petrović Şahin Yılmaz Öztürk Çelik Schröder Großmann
Köhler Jäger Søndergaard Ångström Løvstad Haddad Benali Aït-Ahmed Bouzid
Mansour Chen Zhang Wang Tanaka Suzuki Kim Park Sharma Iyer Okafor Mensah
Ndiaye Sow Kaboré Ouédraogo Martin Bernard Thomas Petit Robert Richard
Durand Moreau Laurent Simon Michel Garcia David Bertrand Roux Vincent
Fournier Girard Bonnet Dupont Lambert Fontana Rossi Ferrari Esposito
Fernández Rodríguez López Martínez Sánchez Pérez Silva Santos Oliveira
Smith Johnson Williams Brown Taylor Wilson Evans Hughes Murphy Kelly
Nielsen Hansen Johansson Lindqvist Virtanen Kuznetsov Ivanova Shevchenko
Bondarenko Abadie Étienne Éluard Hébert Lemaître Pagès Vallée Sauvé
"""

JOB_TITLES = (
    ("Research Fellow", "Chercheur"),
    ("Senior Research Fellow", "Chercheur principal"),
    ("Associate Research Fellow", "Chercheur associé"),
    ("Head of Programme", "Responsable de programme"),
    ("Visiting Fellow", "Chercheur invité"),
)

JOURNALS = (
    "Meridian Review of International Affairs",
    "Northbridge Journal of Security Policy",
    "Quarterly of Energy and Society",
    "Cahiers de géopolitique appliquée",
    "Revue des études euro-africaines",
    "Global Strategy Review",
    "Politique et relations internationales",
)

SYLLABLES = (
    "ba ka ra ta va lo mi ne sa ko ri da po lu te zan vel mar dor kes tri vos "
    "lin gar bel hor sun tal mek ros vin dra kel nor shi ya qua ber ost ul ek"
).split()


def table(text: str) -> list[tuple[str, ...]]:
    return [
        tuple(cell.strip() for cell in line.split("|"))
        for line in text.strip().splitlines()
    ]


def lower_first(text: str) -> str:
    """Lowercase the first letter ("energy transition"), but keep "NATO"."""
    if len(text) > 1 and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def zipf_cum_weights(n: int, exponent: float = 1.0, offset: float = 2.7) -> list:
    """Cumulative Zipf-Mandelbrot weights for ranks 0..n-1."""
    return list(
        itertools.accumulate(1 / (rank + offset) ** exponent for rank in range(n))
    )


@dataclass(frozen=True)
class Tagged:
    en: str
    fr: str
    phrase_en: str = ""
    phrase_fr: str = ""


class Vocabulary:
    """Sentences for running text, drawn once and reused by every publication."""

    def __init__(self, rng: random.Random, words: str, names: list, sentences: int):
        self.rng = rng
        self.words = [w.replace("_", " ") for w in words.split()]
        self.names = names
        self.word_weights = zipf_cum_weights(len(self.words))
        self.name_weights = zipf_cum_weights(len(names), exponent=1.1)
        self.sentences = [self.sentence() for _ in range(sentences)]

    def sentence(self) -> str:
        rng = self.rng
        length = rng.randint(8, 24)
        words = rng.choices(self.words, cum_weights=self.word_weights, k=length)
        for i in range(1, length):
            roll = rng.random()
            if roll < NAME_RATE:
                words[i] = self.names[
                    bisect(self.name_weights, rng.random() * self.name_weights[-1])
                ]
            elif roll < NAME_RATE + NUMBER_RATE:
                words[i] = str(
                    rng.choice((rng.randint(1990, 2035), rng.randint(2, 95)))
                )
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def pick(self, k: int) -> list[str]:
        return self.rng.choices(self.sentences, k=k)


class Generator:
    def __init__(self, count: int, seed: int, batch: int, log):
        self.count = count
        self.batch = batch
        self.log = log
        self.rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.tz = timezone.get_current_timezone()
        self.topics = [Tagged(*row) for row in table(TOPICS)]
        self.regions = [Tagged(*row) for row in table(REGIONS)]
        self.angles = table(ANGLES)
        self.headings = table(HEADINGS)
        self.topic_weights = zipf_cum_weights(len(self.topics), exponent=0.8)
        self.region_weights = zipf_cum_weights(len(self.regions), exponent=0.8)
        names = self.invented_names(min(20_000, 200 + count // 5))
        # Texts are made of sentences drawn from a pool, far faster than
        # drawing each word of 100,000 texts; the pool grows with the count
        # so that a sentence is shared by a few dozen publications at most.
        pool = max(1_000, min(30_000, count // 3))
        self.text = {
            EN: Vocabulary(self.rng, WORDS_EN, names, pool),
            FR: Vocabulary(self.rng, WORDS_FR, names, pool),
        }
        self.created = {"authors": 0, "tags": 0, "centers": 0, "types": 0}

    def invented_names(self, n: int) -> list[str]:
        """Places, organisations and people of the long tail, each distinct."""
        names = set()
        while len(names) < n:
            parts = self.rng.choices(SYLLABLES, k=self.rng.randint(2, 4))
            names.add("".join(parts).capitalize())
        return sorted(names)

    # Reference data ------------------------------------------------------

    def prepare(self):
        self.types = self.ensure_types()
        self.type_weights = list(
            itertools.accumulate(TYPE_WEIGHTS.get(t.slug, 10) for t in self.types)
        )
        self.centers = self.ensure_centers()
        self.authors, self.author_center = self.create_authors()
        self.author_weights = zipf_cum_weights(len(self.authors), exponent=0.7)
        self.tags = self.ensure_tags()

    def ensure_types(self) -> list[PublicationType]:
        types = list(PublicationType.objects.order_by("order", "pk"))
        if types:
            return types
        types = [
            PublicationType(
                slug=kind.slug,
                name=kind.name[0],
                name_en=kind.name[0],
                name_fr=kind.name[1],
                plural_name=kind.plural[0],
                plural_name_en=kind.plural[0],
                plural_name_fr=kind.plural[1],
                citation_type=CITATION_TYPES[kind.slug],
                order=order * 10,
            )
            for order, kind in enumerate(KINDS, start=1)
        ]
        self.created["types"] = len(types)
        return PublicationType.objects.bulk_create(types)

    def ensure_centers(self) -> list[ResearchCenter]:
        centers = list(ResearchCenter.objects.active().order_by("order", "pk"))
        if centers:
            return centers
        taken = set(ResearchCenter.objects.values_list("slug", flat=True))
        centers = [
            ResearchCenter(
                slug=self.unique(data["slug"], taken),
                name=data["name"][0],
                name_en=data["name"][0],
                name_fr=data["name"][1],
                teaser_en=data["teaser"][0],
                teaser_fr=data["teaser"][1],
                order=order * 10,
            )
            for order, data in enumerate(CENTERS, start=1)
        ]
        self.created["centers"] = len(centers)
        return ResearchCenter.objects.bulk_create(centers)

    def create_authors(self):
        rng = self.rng
        given, family = GIVEN_NAMES.split(), FAMILY_NAMES.split()
        taken = set(Author.objects.values_list("slug", flat=True))
        authors, centers = [], []
        for _ in range(max(5, self.count // 20)):
            first, last = rng.choice(given), rng.choice(family)
            job = rng.choice(JOB_TITLES)
            center = rng.choice(self.centers)
            external = rng.random() < 0.1
            topic = self.pick_topic()
            bio = (
                f"{first} {last} works on {lower_first(topic.en)}.",
                f"{first} {last} travaille sur : {lower_first(topic.fr)}.",
            )
            authors.append(
                Author(
                    given_name=first,
                    family_name=last,
                    slug=self.unique(slugify(f"{first} {last}"), taken),
                    job_title=job[0],
                    job_title_en=job[0],
                    job_title_fr=job[1],
                    bio=bio[0],
                    bio_en=bio[0],
                    bio_fr=bio[1],
                    affiliation=rng.choice(JOURNALS) if external else "",
                )
            )
            centers.append(center)
        authors = Author.objects.bulk_create(authors, batch_size=self.batch)
        Author.centers.through.objects.bulk_create(
            [
                Author.centers.through(author_id=a.pk, researchcenter_id=c.pk)
                for a, c in zip(authors, centers, strict=True)
            ],
            batch_size=self.batch,
        )
        self.created["authors"] = len(authors)
        return authors, {a.pk: c for a, c in zip(authors, centers, strict=True)}

    def ensure_tags(self) -> dict[str, Tag]:
        """Every topic and region name, in both languages, as a taggit Tag."""
        names = {
            name for item in self.topics + self.regions for name in (item.en, item.fr)
        }
        existing = {t.name.lower(): t for t in Tag.objects.all()}
        taken = {t.slug for t in existing.values()}
        new = []
        for name in sorted(names):
            if name.lower() not in existing:
                tag = Tag(name=name)
                tag.slug = self.unique(tag.slugify(name), taken, sep="_")
                existing[name.lower()] = tag
                new.append(tag)
        Tag.objects.bulk_create(new)
        self.created["tags"] = len(new)
        return {name: existing[name.lower()] for name in names}

    @staticmethod
    def unique(slug: str, taken: set, sep: str = "-") -> str:
        slug = slug[:180] or "item"
        candidate, n = slug, 1
        while candidate in taken:
            n += 1
            candidate = f"{slug}{sep}{n}"
        taken.add(candidate)
        return candidate

    # Publications ----------------------------------------------------------

    def pick_topic(self) -> Tagged:
        weights = self.topic_weights
        return self.topics[bisect(weights, self.rng.random() * weights[-1])]

    def pick_region(self) -> Tagged:
        weights = self.region_weights
        return self.regions[bisect(weights, self.rng.random() * weights[-1])]

    def pick_authors(self, k: int) -> list[Author]:
        weights, chosen = self.author_weights, {}
        while len(chosen) < k:
            author = self.authors[bisect(weights, self.rng.random() * weights[-1])]
            chosen[author.pk] = author
        return list(chosen.values())

    def dates(self, status: str) -> tuple[str, datetime.date, datetime.datetime]:
        rng = self.rng
        if status == "later":
            day = self.today + datetime.timedelta(days=rng.randint(1, 60))
        else:
            day = self.today - datetime.timedelta(days=rng.randint(0, YEARS * 365))
        moment = datetime.datetime.combine(
            day, datetime.time(rng.randint(7, 18), rng.choice((0, 15, 30, 45)))
        ).replace(tzinfo=self.tz)
        if status == "visible" and moment > self.now:  # today, later than now
            moment = self.now - datetime.timedelta(minutes=1)
        db_status = {
            "visible": Status.PUBLISHED,
            "later": Status.PUBLISHED,
            "draft": Status.DRAFT,
            "review": Status.REVIEW,
        }.get(status, Status.ARCHIVED)
        return db_status, day, moment

    def title(self, lang: str, topic: Tagged, region: Tagged, year: int) -> str:
        angle = self.rng.choice(self.angles)
        form = self.rng.randrange(3)
        since = self.rng.randint(year - 10, year - 1)
        if lang == EN:
            where = region.phrase_en
            return (
                f"{topic.en} {where}: {angle[0]}",
                f"{angle[0]}: {topic.en} {where}",
                f"{topic.en} {where} after {since}",
            )[form]
        where = region.phrase_fr
        return (
            f"{topic.fr} {where} : {angle[1]}",
            f"{capfirst(angle[1])} : {lower_first(topic.fr)} {where}",
            f"{topic.fr} {where} après {since}",
        )[form]

    def texts(self, lang: str, topic: Tagged, region: Tagged, title: str):
        rng, vocab = self.rng, self.text[lang]
        index = 0 if lang == EN else 1
        opening = rng.choice(OPENINGS)[index]
        subject = lower_first((topic.en, topic.fr)[index])
        where = (region.phrase_en, region.phrase_fr)[index]
        teaser = " ".join(
            [f"{opening} {subject} {where}.", *vocab.pick(rng.randint(1, 2))]
        )
        html, plain = [], [title, "", teaser]
        headings = rng.sample(self.headings, rng.randint(3, 5))
        for heading in headings:
            html.append(f"<h2>{heading[index]}</h2>")
            plain.append(heading[index])
            for _ in range(rng.randint(1, 2)):
                paragraph = " ".join(vocab.pick(rng.randint(2, 4)))
                html.append(f"<p>{paragraph}</p>")
                plain.append(paragraph)
        pdf_text = "\n".join(plain)
        # The PDF says more than the page: sentences up to 2-6 KB in all.
        missing = rng.randint(2_000, 6_000) - len(pdf_text)
        if missing > 0:
            pdf_text += "\n" + " ".join(vocab.pick(missing // AVERAGE_SENTENCE + 1))
        return teaser, "".join(html), pdf_text

    def page_range(self) -> str:
        first = self.rng.randint(1, 300)
        return f"{first}-{first + self.rng.randint(8, 30)}"

    def plan_one(self, taken_slugs: set) -> dict:
        rng = self.rng
        lang = FR if rng.random() < FRENCH_SHARE else EN
        roll = rng.random()
        status = next((name for share, name in STATUS_SHARES if roll < share), "gone")
        db_status, day, moment = self.dates(status)
        kind = self.types[
            bisect(self.type_weights, rng.random() * self.type_weights[-1])
        ]
        topic, region = self.pick_topic(), self.pick_region()
        title = self.title(lang, topic, region, day.year)
        teaser, body, pdf_text = self.texts(lang, topic, region, title)
        authors = self.pick_authors(rng.choice((1, 1, 1, 2, 2, 3, 4)))
        center = self.author_center[authors[0].pk]
        if rng.random() < 0.2:
            center = rng.choice(self.centers)
        extra_center = rng.choice(self.centers) if rng.random() < 0.08 else None
        tags, wanted = dict.fromkeys((topic, region)), rng.randint(2, 5)
        while len(tags) < wanted:
            tags[self.pick_topic() if rng.random() < 0.6 else self.pick_region()] = None
        has_pdf = rng.random() >= NO_PDF_SHARE.get(kind.slug, 0.05)
        external = kind.slug == "external-articles"
        slug = self.unique(slugify(title), taken_slugs)
        publication = Publication(
            title=title,
            subtitle=capfirst(rng.choice(self.angles)[lang == FR])
            if rng.random() < 0.2
            else "",
            slug=slug,
            type=kind,
            language=lang,
            teaser=teaser,
            body=body,
            center=center,
            is_featured=rng.random() < 0.005,
            status=db_status,
            publication_date=day,
            publish_at=moment,
            publisher=rng.choice(JOURNALS) if external else "",
            volume=str(rng.randint(1, 40)) if external else "",
            issue=str(rng.randint(1, 4)) if external else "",
            pages=self.page_range() if external else "",
        )
        if has_pdf:
            # FileField names hold 100 characters: a short, still unique name.
            digest = hashlib.sha256(slug.encode()).hexdigest()[:10]
            publication.pdf = f"pdf/synthetic/{slug[:60]}-{digest}.pdf"
            publication.pdf_size = len(pdf_text) * 12
            publication.pdf_pages = len(pdf_text) // 2_500 + 1
        return {
            "publication": publication,
            "authors": authors,
            "translator": rng.choice(self.authors)
            if lang == FR and rng.random() < 0.05
            else None,
            "extra_center": extra_center,
            "tags": [self.tags[t.en if lang == EN else t.fr] for t in tags],
            "pdf_text": pdf_text if has_pdf else None,
        }

    def write_batch(self, plans: list[dict]) -> list[int]:
        publications = Publication.objects.bulk_create(
            [plan["publication"] for plan in plans], batch_size=self.batch
        )
        authorships, tagged, centers, versions = [], [], [], []
        tag_model = Publication.tags.through
        for plan, publication in zip(plans, publications, strict=True):
            pk = publication.pk
            for order, author in enumerate(plan["authors"]):
                authorships.append(
                    Authorship(publication_id=pk, author_id=author.pk, order=order)
                )
            if (translator := plan["translator"]) and translator not in plan["authors"]:
                authorships.append(
                    Authorship(
                        publication_id=pk,
                        author_id=translator.pk,
                        order=len(plan["authors"]),
                        role=Role.TRANSLATOR,
                    )
                )
            tagged.extend(
                tag_model(content_object_id=pk, tag_id=tag.pk) for tag in plan["tags"]
            )
            extra = plan["extra_center"]
            if extra is not None and extra.pk != publication.center_id:
                centers.append(
                    Publication.additional_centers.through(
                        publication_id=pk, researchcenter_id=extra.pk
                    )
                )
            if (text := plan["pdf_text"]) is not None:
                versions.append(
                    PdfVersion(
                        publication_id=pk,
                        file=publication.pdf.name,
                        size=publication.pdf_size,
                        pages=publication.pdf_pages,
                        sha256=hashlib.sha256(text.encode()).hexdigest(),
                        language="fr-FR" if publication.language == FR else "en-GB",
                        text=text,
                        uploaded_at=publication.publish_at,
                        is_current=True,
                    )
                )
        Authorship.objects.bulk_create(authorships, batch_size=self.batch)
        tag_model.objects.bulk_create(tagged, batch_size=self.batch)
        Publication.additional_centers.through.objects.bulk_create(
            centers, batch_size=self.batch
        )
        PdfVersion.objects.bulk_create(versions, batch_size=self.batch)
        return [p.pk for p in publications]

    def run(self) -> list[int]:
        """Plan each batch in a helper thread while the previous one is written:
        the database works on one core while Python prepares on the other.
        Only the helper draws random numbers, so the seed still decides all."""
        start = time.perf_counter()
        self.prepare()
        taken = set(Publication.objects.values_list("slug", flat=True))
        sizes = [
            min(self.batch, self.count - first)
            for first in range(0, self.count, self.batch)
        ]

        def plan(size):
            return [self.plan_one(taken) for _ in range(size)]

        ids = []
        with ThreadPoolExecutor(max_workers=1) as planner:
            upcoming = planner.submit(plan, sizes[0])
            for next_size in [*sizes[1:], None]:
                plans = upcoming.result()
                if next_size:
                    upcoming = planner.submit(plan, next_size)
                ids += self.write_batch(plans)
                self.log(
                    f"{len(ids):,}/{self.count:,} publications "
                    f"({time.perf_counter() - start:.1f} s)"
                )
        return ids


# The tables the command writes to, analysed at the end so that the planner
# knows their new size at once rather than at autovacuum's next pass.
FILLED_MODELS = (
    Publication,
    Publication.additional_centers.through,
    Publication.tags.through,
    Tag,
    Authorship,
    PdfVersion,
    Author,
    Author.centers.through,
)


def analyze(models) -> None:
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class Command(BaseCommand):
    help = (
        "Generate N synthetic publications (authors, tags, PDF text) with bulk "
        "inserts, for benchmarks. Not for production databases."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many publications.")
        parser.add_argument(
            "--seed", type=int, default=0, help="Random seed (default 0)."
        )
        parser.add_argument(
            "--batch", type=int, default=5000, help="Rows per INSERT (default 5000)."
        )

    def handle(self, *args, count, seed, batch, verbosity, **options):
        if count < 1:
            raise CommandError("Give a number of publications of at least 1.")
        if batch < 1:
            raise CommandError("--batch must be at least 1.")

        def log(message):
            if verbosity >= 2 or (verbosity == 1 and count > batch):
                self.stdout.write(message)

        start = time.perf_counter()
        was_empty = not Publication.objects.exists()
        generator = Generator(count, seed, batch, log)
        with transaction.atomic():
            ids = generator.run()
        inserted = time.perf_counter() - start

        began = time.perf_counter()
        # All rows when the table was empty: cheaper than a list of ids.
        refresh_search_vectors(None if was_empty else ids)
        refreshed = f"; search vectors in {time.perf_counter() - began:.1f} s"
        if connection.vendor == "postgresql":
            analyze(FILLED_MODELS)
        invalidate()  # bulk inserts sent no signal to the page cache

        created = generator.created
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {len(ids):,} publications, {created['authors']:,} "
                f"authors, {created['tags']} new tags, {created['centers']} new "
                f"centers, {created['types']} new types in "
                f"{time.perf_counter() - start:.1f} s (inserts {inserted:.1f} s"
                f"{refreshed})."
            )
        )
