"""The crisis detector: explicit rules and a learned classifier, combined for recall first.

Decision, for every message in every state of the conversation:
1. a *strong* rule signal (explicit wording, nothing in its clause weakening it) is acute, whatever the
   classifier says — its kind decides the answer;
2. a *weak* rule signal (an ambiguous hint such as "viimeinen viesti", or explicit words in a context that
   may change their meaning: past, negation, figure of speech, news or fiction, an information question)
   is acute when the classifier's P(acute) ≥ ``with_rule``; the rule's kind decides;
3. with no rule signal, the message is acute when P(acute) ≥ ``classifier``; the classifier's most likely
   kind decides.
Both thresholds are chosen by cross-validation over the train split's authors (``data/thresholds.json``
says how and why).

If the embedding model or the classifier cannot be used, the detector falls back to the rules alone and
counts weak signals as acute too: a false alarm is the lesser harm.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, cast

import numpy as np

from ovi_lang.crisis import rules
from ovi_lang.crisis.classifier import (
    CrisisClassifier,
    Thresholds,
    default_classifier,
    default_thresholds,
    inputs,
)
from ovi_lang.crisis.kinds import KINDS, SURE, CrisisKind
from ovi_lang.embeddings import SentenceEncoder, default_encoder

logger = logging.getLogger(__name__)

RULE_CONFIDENCE = SURE
"""The confidence given to a strong rule signal when the classifier is less sure (kinds.SURE)."""


@dataclass(frozen=True)
class CrisisSignal:
    kind: CrisisKind
    confidence: float
    """P(acute) from the classifier, raised to ``RULE_CONFIDENCE`` for a strong rule signal."""
    source: str
    """"rule", "rule+classifier" or "classifier"."""


@dataclass(frozen=True)
class Assessment:
    """Everything the detector saw in a message (for ``explain`` and the evaluation; never logged)."""

    signal: CrisisSignal | None
    rule: rules.RuleHit | None
    p_acute: float | None
    probabilities: dict[str, float] = field(default_factory=dict)


class CrisisDetector:
    def __init__(self, encoder: SentenceEncoder | None = None, classifier: CrisisClassifier | None = None,
                 thresholds: Thresholds | None = None) -> None:
        self._encoder = encoder
        self._classifier = classifier
        self._thresholds = thresholds

    @property
    def thresholds(self) -> Thresholds:
        return self._thresholds or default_thresholds()

    def _probabilities(self, text: str, embedding: Any | None,
                       features: list[float]) -> tuple[float, dict[str, float]] | None:
        try:
            classifier = self._classifier or default_classifier()
            if embedding is None:
                encoder = self._encoder or default_encoder()
                embedding = encoder.embed_queries([text])[0]
            return classifier.crisis_probability(inputs(np.asarray(embedding), features), text)
        except Exception:  # the rules still answer: never let a model problem silence a crisis
            logger.exception("crisis classifier unavailable; rules only")
            return None

    def assess(self, text: str, embedding: Any | None = None) -> Assessment:
        """``embedding``: the message's vector if the caller already has it (e.g. Rasa's featurizer)."""
        analysis = rules.analyse(text)
        hit = analysis.hit
        scored = self._probabilities(text, embedding, analysis.features)
        if scored is None:
            fallback = CrisisSignal(hit.kind, RULE_CONFIDENCE, "rule") if hit else None
            return Assessment(fallback, hit, None)
        p_acute, probs = scored
        t = self.thresholds
        signal: CrisisSignal | None = None
        if hit is not None and not hit.weak:
            signal = CrisisSignal(hit.kind, max(p_acute, RULE_CONFIDENCE), "rule")
        elif hit is not None and p_acute >= t.with_rule:
            signal = CrisisSignal(hit.kind, p_acute, "rule+classifier")
        elif hit is None and p_acute >= t.classifier:
            kind = max(KINDS, key=lambda k: probs[k])
            signal = CrisisSignal(cast(CrisisKind, kind), p_acute, "classifier")
        if signal is not None and signal.kind == "medical" and analysis.substance:
            # Someone who took something and now breathes badly: 112 first, then the Poison Information
            # Centre, which the medical answer would leave out.
            signal = replace(signal, kind="overdose")
        return Assessment(signal, hit, p_acute, probs)

    def detect(self, text: str, embedding: Any | None = None) -> CrisisSignal | None:
        return self.assess(text, embedding).signal


@cache
def default_detector() -> CrisisDetector:
    return CrisisDetector()


def detect_crisis(text: str, embedding: Any | None = None) -> CrisisSignal | None:
    """The message's crisis signal, or None (see the module docstring for how it is decided)."""
    return default_detector().detect(text, embedding)
