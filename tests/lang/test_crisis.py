"""Crisis detection: what must be answered with 112 first, and what must not trigger it.

The example sentences are written here for the tests, apart from the corpus and nlu_data. Explicit messages
are chosen so that the decision does not hang on the learned model; where the model decides (context that
weakens explicit words), the tests look at what the rules saw instead of the final decision.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from ovi_lang.crisis import rules
from ovi_lang.crisis.detector import CrisisDetector, detect_crisis
from ovi_lang.crisis.kinds import KINDS
from ovi_lang.embeddings import embed_message

# (kind, language, message): spoken Finnish, Finnish without ä/ö, Swedish and English for every kind.
EXPLICIT = [
    ("suicidal", "fi", "oon miettiny itsemurhaa koko viikon"),
    ("suicidal", "fi", "en mä jaksa elaa enaa yhtaan paivaa"),
    ("suicidal", "fi", "aion hypata junan alle"),
    ("suicidal", "sv", "jag ska ta livet av mig i natt"),
    ("suicidal", "sv", "jag vill dö, orkar inte mer"),
    ("suicidal", "en", "i'm going to kill myself"),
    ("suicidal", "en", "i want to end my life"),
    ("medical", "en", "when will the ambulance come, he isn't breathing"),
    ("medical", "en", "my husband just collapsed on the floor"),
    ("self_harm", "fi", "mä viiltelen just käsiä"),
    ("self_harm", "fi", "mulla on terä kadessa ja mun on pakko viiltaa"),
    ("self_harm", "sv", "jag vill skada mig själv nu"),
    ("self_harm", "en", "i am hurting myself right now"),
    ("overdose", "fi", "vedin ihan liikaa kamaa, en tunne jalkoja"),
    ("overdose", "fi", "otin 25 unilaaketta"),
    ("overdose", "sv", "jag tog 30 tabletter nyss"),
    ("overdose", "en", "my friend swallowed a bottle of pills"),
    ("medical", "fi", "mulla on kova rintakipu ja vasen käsi puutuu"),
    ("medical", "fi", "vaarin naama on ihan vino ja se puhuu sekavasti"),
    ("medical", "fi", "isa ei heraa vaikka huudan"),
    ("medical", "sv", "min mamma är medvetslös"),
    ("medical", "en", "my grandma is unconscious on the floor"),
    ("violence_now", "fi", "exä yrittää potkia oven sisään just nyt"),
    ("violence_now", "fi", "se uhkaa mua veitsellä"),
    ("violence_now", "fi", "mies hakkaa mua taalla nyt"),
    ("violence_now", "sv", "någon försöker ta sig in i lägenheten"),
    ("violence_now", "en", "there's a man kicking the door and trying to get in"),
    ("child_in_danger", "fi", "naapurin vauva on jätetty yksin kotiin"),
    ("child_in_danger", "fi", "isä ravistelee vauvaa"),
    ("child_in_danger", "fi", "tytto on kadoksissa rannalla"),
    ("child_in_danger", "sv", "bebisen är ensam i bilen"),
    ("child_in_danger", "en", "my son is missing at the lake"),
    ("child_in_danger", "fi", "4v on yksin kotona ja itkee"),
    ("overdose", "fi", "poika söi mummon lääkkeitä"),
    # A loss told in the past tense does not make the despair now a crisis that is over.
    ("suicidal", "fi", "menetin työt ja en jaksa enää elää"),
    ("suicidal", "fi", "menetin kaiken, en halua enää elää"),
]

ORDINARY = [
    "mulla ei oo asuntoa", "mut häädetään ens kuussa", "mulla on paljon velkoja", "en pysty maksaa vuokraa",
    "hei", "moikka", "Kotka", "asun Kotkassa", "kiitos", "kiitos paljon avusta",
    "jag har skulder som jag inte kan betala", "tack", "i need help with my rent", "hello",
    # An old parent is not a child alone at home; forgetting the medicines is not swallowing them.
    "äiti 90v ei pärjää enää kotona yksin", "isä unohtaa syödä lääkkeet",
    # A collection agency's threat is not violence; a child who hits other children is not in danger.
    "perintäfirma uhkaa juuri nyt viedä velan ulosottoon",
    "poikani saa raivokohtauksia ja lyö muita lapsia eskarissa",
    "the whole market collapsed and I lost my job",
]

# Explicit words in a context that changes their meaning: (reason the rules must give, message).
WEAKENED = [
    ("past", "kolme vuotta sitten mietin itsemurhaa"),
    ("past", "viime kesänä mä halusin kuolla"),
    ("past", "i wanted to kill myself years ago"),
    ("past", "jag ville ta livet av mig för många år sedan"),
    ("figure_of_speech", "tää matikan läksy tappaa mut kohta"),
    ("figure_of_speech", "tää helle tappaa mut"),
    ("figure_of_speech", "lol i want to die, my team lost again"),
    ("figure_of_speech", "haha jag vill dö, så pinsamt"),
    ("question", "onko vertaisryhmiä lapsille joiden isä teki itsemurhan"),
    ("question", "mistä saa apua kun äiti kuoli itsemurhaan"),
    ("question", "how can we support the kids after the suicide of their mother"),
    ("question", "finns det stöd för anhöriga efter ett självmord"),
    # Information about a crisis service or a symptom, not help now.
    ("question", "milloin myrkytystietokeskukseen voi soittaa"),
    ("question", "mitkä on aivoinfarktin ensimmäiset merkit"),
    ("question", "what are the warning signs of a stroke"),
    ("question", "vilka är symptomen på en hjärtinfarkt"),
    ("question", "miten erottaa paniikkikohtauksen sydänkohtauksesta"),
    # A month or the life after an event dates it; an infinitive after a past verb is no present one.
    ("past", "Mieheni sai aivoinfarktin tammikuussa, ja nyt hoidan häntä kotona"),
    ("past", "caring for my husband after his stroke"),
    ("past tense", "Mä olin se joka soitti ambulanssin ja yritti elvyttää"),
    ("fiction", "Haluaisin oppia elvyttämään"),
]

WEAK_ONLY = "tää on mun viimeinen viesti"
"""A hint, not an explicit signal: the rules give a weak hit and nothing strong."""


class BrokenEncoder:
    model_id = "broken"
    dim = 384

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        raise RuntimeError("embedding model unavailable")

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        raise RuntimeError("embedding model unavailable")


class BrokenClassifier:
    def crisis_probability(self, vector: np.ndarray, text: str) -> tuple[float, dict[str, float]]:
        raise RuntimeError("classifier file is corrupt")


def test_the_examples_cover_every_kind_in_every_language() -> None:
    covered = {(kind, lang) for kind, lang, _ in EXPLICIT}
    assert covered == {(kind, lang) for kind in KINDS for lang in ("fi", "sv", "en")}


@pytest.mark.parametrize(("kind", "lang", "text"), EXPLICIT)
def test_explicit_messages_are_detected_with_the_right_kind(kind: str, lang: str, text: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None, text
    assert signal.kind == kind, text


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_messages_are_not_crises(text: str) -> None:
    assert rules.match(text) is None
    assert detect_crisis(text) is None


@pytest.mark.parametrize(("reason", "text"), WEAKENED)
def test_context_weakens_explicit_words(reason: str, text: str) -> None:
    hit = rules.match(text)
    assert hit is not None, text
    assert hit.weak, hit
    assert reason in hit.reasons, hit


def test_the_same_words_without_the_context_are_a_strong_signal() -> None:
    for text in ("mietin itsemurhaa", "i want to kill myself", "jag vill ta livet av mig"):
        hit = rules.match(text)
        assert hit is not None and not hit.weak and hit.kind == "suicidal", (text, hit)


@pytest.mark.parametrize("text", [
    # Spoken "mut" is "but" far more often than "me": "but there is nowhere to go" is no farewell.
    "mut ei oo mitään paikkaa minne mennä perjantain jälkeen",
    # A blow beside someone's head is not a head injury, nor hitting one's own head against a wall.
    "viime kuussa löin nyrkillä seinään ihan puolison pään vieressä",
    # A parent alone with the children is no child alone; "cutting down" is drinking or smoking less.
    "oon ollu yksin kahden lapsen kaa koko talven ja ne herää öisin",
    "I want to talk to someone about cutting down on drinking",
    # Trying and a door are no break-in: a teenager's door slams when the parent tries to talk.
    "ko mää yritän puhuu ni ovi paukahtaa kiinni",
])
def test_words_near_a_signal_that_are_not_one_give_no_rule_hit(text: str) -> None:
    assert rules.match(text) is None


def test_a_weak_hint_is_a_weak_rule_hit() -> None:
    for text in (WEAK_ONLY, "mua ei enää oo huomenna"):
        hit = rules.match(text)
        assert hit is not None and hit.weak and hit.kind == "suicidal", (text, hit)


@pytest.mark.parametrize(
    "detector",
    [CrisisDetector(encoder=BrokenEncoder()), CrisisDetector(classifier=BrokenClassifier())],  # type: ignore[arg-type]
    ids=["encoder-fails", "classifier-fails"],
)
def test_the_rules_alone_answer_when_the_model_fails(detector: CrisisDetector,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    strong = detector.assess("i want to kill myself")
    assert strong.p_acute is None
    assert strong.signal is not None and strong.signal.kind == "suicidal" and strong.signal.source == "rule"
    assert "crisis classifier unavailable" in caplog.text

    # Without the classifier a weak signal counts as acute too: a false alarm is the lesser harm.
    weak = detector.detect(WEAK_ONLY)
    assert weak is not None and weak.kind == "suicidal"

    assert detector.detect("mulla on paljon velkoja") is None


def test_assess_uses_the_given_embedding() -> None:
    text = "huomenna kenenkään ei tarvii enää huolehtia musta"
    vector = embed_message(text)
    detector = CrisisDetector(encoder=BrokenEncoder())  # would fall back to the rules if it were called

    given = detector.assess(text, embedding=vector)
    assert given.p_acute is not None, "the encoder was called instead of using the given vector"
    assert set(given.probabilities) == {"none", *KINDS}

    computed = CrisisDetector().assess(text)
    assert computed.p_acute is not None
    assert given.p_acute == pytest.approx(computed.p_acute, abs=1e-5)

    other = detector.assess(text, embedding=embed_message("kiitos, hyvää päivänjatkoa"))
    assert other.p_acute is not None
    assert other.p_acute != pytest.approx(given.p_acute, abs=1e-5)
