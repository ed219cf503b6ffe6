"""Synthetic texts for benchmark catalogues: titles, teasers, bodies, PDF text.

Words are drawn from a ranked vocabulary (synthetic.toml) with a Zipf-like
law, plus a long tail of invented proper names, so that a few words are
everywhere and most are rare, as in real text. Every draw comes from the
generator the caller passes: the same seed writes the same texts.
"""

import itertools
import random
from bisect import bisect
from dataclasses import dataclass

from django.utils.text import capfirst

from .data import EN, FR, LANGUAGES, pair, read

# Chance that a word of running text is an invented name or a number.
NAME_RATE, NUMBER_RATE = 0.035, 0.02
AVERAGE_SENTENCE = 100  # characters, roughly, of a generated sentence


@dataclass(frozen=True)
class Tagged:
    """A topic or region: its tag in each language, and for regions how a
    title says "in" it."""

    en: str
    fr: str
    phrase_en: str = ""
    phrase_fr: str = ""


_words = read("synthetic.toml")
TOPICS = [Tagged(*pair(topic)) for topic in _words["topics"]]
REGIONS = [
    Tagged(*pair(region), region["in_en"], region["in_fr"])
    for region in _words["regions"]
]
ANGLES = [pair(angle) for angle in _words["angles"]]
HEADINGS = [pair(heading) for heading in _words["headings"]]
OPENINGS = [pair(opening) for opening in _words["openings"]]
JOB_TITLES = [pair(title) for title in _words["job_titles"]]
JOURNALS = _words["journals"]
SYLLABLES = _words["syllables"].split()
GIVEN_NAMES = _words["given_names"].split()
FAMILY_NAMES = _words["family_names"].split()


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


class Writer:
    """Writes the texts of `count` publications, topics and regions drawn
    with the Zipf-like weights of their rank."""

    def __init__(self, rng: random.Random, count: int):
        self.rng = rng
        self.topic_weights = zipf_cum_weights(len(TOPICS), exponent=0.8)
        self.region_weights = zipf_cum_weights(len(REGIONS), exponent=0.8)
        names = self.invented_names(min(20_000, 200 + count // 5))
        # Texts are made of sentences drawn from a pool, far faster than
        # drawing each word of 100,000 texts; the pool grows with the count
        # so that a sentence is shared by a few dozen publications at most.
        pool = max(1_000, min(30_000, count // 3))
        self.text = {
            lang: Vocabulary(rng, _words["words"][lang], names, pool)
            for lang in LANGUAGES
        }

    def invented_names(self, n: int) -> list[str]:
        """Places, organisations and people of the long tail, each distinct."""
        names = set()
        while len(names) < n:
            parts = self.rng.choices(SYLLABLES, k=self.rng.randint(2, 4))
            names.add("".join(parts).capitalize())
        return sorted(names)

    def pick_topic(self) -> Tagged:
        weights = self.topic_weights
        return TOPICS[bisect(weights, self.rng.random() * weights[-1])]

    def pick_region(self) -> Tagged:
        weights = self.region_weights
        return REGIONS[bisect(weights, self.rng.random() * weights[-1])]

    def subtitle(self, lang: str) -> str:
        return capfirst(self.rng.choice(ANGLES)[lang == FR])

    def title(self, lang: str, topic: Tagged, region: Tagged, year: int) -> str:
        angle = self.rng.choice(ANGLES)
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

    def texts(
        self, lang: str, topic: Tagged, region: Tagged, title: str
    ) -> tuple[str, str, str]:
        """(teaser, body HTML, full PDF text) of one publication."""
        rng, vocab = self.rng, self.text[lang]
        index = 0 if lang == EN else 1
        opening = rng.choice(OPENINGS)[index]
        subject = lower_first((topic.en, topic.fr)[index])
        where = (region.phrase_en, region.phrase_fr)[index]
        teaser = " ".join(
            [f"{opening} {subject} {where}.", *vocab.pick(rng.randint(1, 2))]
        )
        html, plain = [], [title, "", teaser]
        headings = rng.sample(HEADINGS, rng.randint(3, 5))
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

    def bio(self, first: str, last: str) -> tuple[str, str]:
        topic = self.pick_topic()
        return (
            f"{first} {last} works on {lower_first(topic.en)}.",
            f"{first} {last} travaille sur : {lower_first(topic.fr)}.",
        )

    def page_range(self) -> str:
        first = self.rng.randint(1, 300)
        return f"{first}-{first + self.rng.randint(8, 30)}"
