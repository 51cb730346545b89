"""Finnish NLU components for Rasa 3.6. All language logic lives in ``ovi_lang``; these only adapt it.

- ``MunicipalityEntityExtractor`` adds a ``municipality`` entity whose value is the official 3-digit code. A
  name that is also a common word or a first name ("kolari", "Simo") counts only in a place case or after a
  cue ("Kolarissa", "asun Simossa"); as the bare answer to "where do you live" the form's validation action
  reads it (it knows the question was asked).
- ``SentenceEmbeddingFeaturizer`` embeds each message once with ``ovi_lang.embeddings`` (multilingual
  e5): a dense feature for DIET (it carries Swedish, English and unseen phrasings) and the vector the crisis
  detector reads, so the embedding is computed once per message.
- ``PersonEntityExtractor`` adds ``age`` (years), ``age_group`` (youth, adult, elderly) and ``for_whom``
  (close_one, client; the writer is the default and gets no entity) from ``ovi_lang.person``.
- ``LanguageExtractor`` adds a ``language`` entity (fi, sv, en) when the message tells its language; the
  ``language`` slot picks the language of Ovi's replies.
- ``CrisisOverride`` runs after the classifiers: ``ovi_lang.crisis`` decides, on every message in every
  state, whether it is acute. If it is, the intent becomes ``crisis`` (confidence 1.0) with a
  ``crisis_kind`` entity (and ``crisis_certainty``: sure or unsure, the wording of the answer), so that
  no form can swallow the message and the crisis rule answers it first;
  the need the classifier understood besides the crisis (``BESIDES_CRISIS``: "lost my job … no point going
  on" is also about work) rides along, so that the services after the acute help answer it too. If it
  is not, a ``crisis`` guess of the classifier is demoted: one place decides what is a crisis. A message
  that is only a place name is read as ``inform_municipality`` even when the classifier was unsure, and one
  that is only a greeting, thanks, a goodbye, yes or no (``ovi_lang.smalltalk``) as that.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    ENTITIES,
    FEATURE_TYPE_SENTENCE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from ovi_lang.crisis.detector import default_detector
from ovi_lang.crisis.kinds import BESIDES_CRISIS, CERTAINTY, certainty
from ovi_lang.embeddings import default_encoder
from ovi_lang.language import detect_language
from ovi_lang.municipalities import find_municipalities, home_municipality
from ovi_lang.needs import first_cued_need, settled_need
from ovi_lang.person import find_age, find_for_whom
from ovi_lang.smalltalk import smalltalk_intent
from ovi_lang.text import tokens

MUNICIPALITY = "municipality"
AGE, AGE_GROUP, FOR_WHOM = "age", "age_group", "for_whom"
CRISIS_KIND = "crisis_kind"
LANGUAGE = "language"
EMBEDDING_ORIGIN = "ovi_e5"
"""The ``alias`` of ``SentenceEmbeddingFeaturizer`` in config.yml: its features carry the message vector."""
CRISIS_INTENT = "crisis"
INFORM_MUNICIPALITY = "inform_municipality"
# "asun Kotkassa", "oon kouvolasta kotoisin": a place name plus at most this many other words.
_MAX_OTHER_WORDS_FOR_PLACE_ONLY = 3


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
    # Rasa finds a loader's own model by the class name given here (a subclass needs its own name).
    model_from="FinnishSpacyNLP",
)
class FinnishSpacyNLP(SpacyNLP):
    """Rasa's SpacyNLP without spaCy's named entities (nor the parser, which Rasa already leaves out).

    Ovi reads lemmas, POS-based lemmatisation and the word vectors; the Finnish model's NER ran on every
    message for nothing (about 4 ms of a turn's CPU in the load profile). The lemmas are the same with or
    without it (tests/bot/test_components.py checks it on the training data).
    """

    DISABLED = ("parser", "ner")

    @staticmethod
    def load_model(spacy_model_name: str) -> SpacyModel:
        model = SpacyNLP.load_model(spacy_model_name)
        for name in FinnishSpacyNLP.DISABLED:
            if name in model.model.pipe_names:
                model.model.disable_pipe(name)
        return model


class _RuleComponent(GraphComponent, EntityExtractorMixin):
    """A component with nothing to train: the knowledge is in ``ovi_lang``."""

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> _RuleComponent:
        return cls(config)

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def _add_entities(self, message: Message, found: list[dict[str, Any]]) -> None:
        if found:
            entities = message.get(ENTITIES, []) + self.add_extractor_name(found)
            message.set(ENTITIES, entities, add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class MunicipalityEntityExtractor(_RuleComponent):
    """Finds Finnish municipalities (any inflection, no ä/ö needed) and gives their official codes."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            # One entity, where the person lives: Rasa fills the slot with the last of several.
            # For someone else, their home is the place ("äiti asuu Haminassa"); for the writer, it is not.
            home = home_municipality(text, find_municipalities(text),
                                     for_close_one=find_for_whom(text).who != "self")
            found = [{"entity": MUNICIPALITY, "value": home.municipality.code, "start": home.start,
                      "end": home.end, "confidence_entity": 1.0}] if home else []
            self._add_entities(message, found)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """The message's multilingual sentence embedding as a dense feature (once per message).

    The sentence feature is the vector; every token gets the same vector as its sequence feature, because
    DIET needs sequence and sentence features of the same width from each featurizer.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "alias": EMBEDDING_ORIGIN}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SentenceEmbeddingFeaturizer:
        return cls(config, execution_context.node_name)

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass

    def _featurize(self, messages: list[Message]) -> None:
        todo = [m for m in messages if m.get(TEXT)]
        if not todo:
            return
        vectors = default_encoder().embed_queries([m.get(TEXT) for m in todo])
        for message, vector in zip(todo, vectors, strict=True):
            n_tokens = max(1, len(message.get(TOKENS_NAMES[TEXT]) or []))
            sentence = vector.reshape(1, -1).astype(np.float32)
            self.add_features_to_message(np.repeat(sentence, n_tokens, axis=0), sentence, TEXT, message)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize([m for m in training_data.training_examples if m.get(TEXT)])
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        self._featurize(messages)
        return messages


def message_embedding(message: Message) -> np.ndarray | None:
    """The vector ``SentenceEmbeddingFeaturizer`` computed for this message, if it ran."""
    for features in message.features:
        if (features.origin == EMBEDDING_ORIGIN and features.type == FEATURE_TYPE_SENTENCE
                and features.attribute == TEXT):
            return np.asarray(features.features).reshape(-1)
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class LanguageExtractor(_RuleComponent):
    """A ``language`` entity (fi, sv, en) when the message tells which language it is written in."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            language = detect_language(text)
            if language:
                self._add_entities(message, [{"entity": LANGUAGE, "value": language, "start": 0,
                                              "end": len(text), "confidence_entity": 1.0}])
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class PersonEntityExtractor(_RuleComponent):
    """Who the help is for and how old they are: narrows the services' target group."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found: list[dict[str, Any]] = []
            age = find_age(text)
            if age is not None:
                start, end = age.span
                if age.years is not None:
                    found.append({"entity": AGE, "value": age.years, "start": start, "end": end,
                                  "confidence_entity": 1.0})
                if age.group is not None:
                    found.append({"entity": AGE_GROUP, "value": age.group, "start": start, "end": end,
                                  "confidence_entity": 1.0})
            who = find_for_whom(text)
            if who.who != "self":
                start, end = who.span or (0, len(text))
                found.append({"entity": FOR_WHOM, "value": who.who, "start": start, "end": end,
                              "confidence_entity": 1.0})
            self._add_entities(message, found)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisOverride(_RuleComponent):
    """``ovi_lang.crisis`` decides what is a crisis, whatever the classifier guessed. Place it last.

    Outside a crisis it also settles what the classifier was unsure of: a need guessed below
    ``ovi_lang.needs.UNCUED_GUESS_MIN`` that no cue word shows gives way to the need the words cue, or is not
    understood (offered as a button) when they cue none (``ovi_lang.needs.settled_need``); a message that is
    only a place answers "where do you live", a short greeting, thanks, yes or no is read from its words, and
    a message the classifier could not place at all is about the first need its words cue, if any.

    Config ``threshold``: how sure the classifier's second guess must be to replace a crisis guess the
    detector rejected (config.yml sets it next to FallbackClassifier's, to the same value); below it the
    message counts as not understood.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"threshold": 0.45}

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            signal = default_detector().detect(text, message_embedding(message))
            if signal is not None:
                threshold = float(self._config["threshold"])
                besides = _settled(_understood_besides_crisis(message, threshold), text)
                _force_intent(message, CRISIS_INTENT)
                if besides is not None:
                    message.set(BESIDES_CRISIS, besides, add_to_output=True)
                crisis = {"entity": CRISIS_KIND, "value": signal.kind, "start": 0, "end": len(text),
                          "confidence_entity": signal.confidence}
                sure = {"entity": CERTAINTY, "value": certainty(signal.confidence), "start": 0,
                        "end": len(text), "confidence_entity": 1.0}
                # Only the language stays: a place or a situation in a crisis message must not let the
                # form jump past the crisis answer.
                kept = [e for e in message.get(ENTITIES, []) if e.get("entity") == LANGUAGE]
                message.set(ENTITIES, kept + self.add_extractor_name([crisis, sure]), add_to_output=True)
                continue
            if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == CRISIS_INTENT:
                _demote_crisis(message, float(self._config["threshold"]))
            intent = message.get(INTENT) or {}
            guess, confidence = str(intent.get(INTENT_NAME_KEY)), float(intent.get("confidence") or 0.0)
            need = settled_need(guess, confidence, text)
            if need is None:
                _fall_back(message)
            elif need != guess:
                _set_intent(message, need, confidence)
            if _is_place_only(message, text):
                _force_intent(message, INFORM_MUNICIPALITY)
            elif _is_unsure(message) and (smalltalk := smalltalk_intent(text)) is not None:
                _force_intent(message, smalltalk)
            elif _is_unsure(message) and (cued := first_cued_need(text)) is not None:
                # The classifier could not choose, the words show a need: "I lost my job and …".
                _set_intent(message, cued, float((message.get(INTENT) or {}).get("confidence") or 0.0))
        return messages


def _understood_besides_crisis(message: Message, threshold: float) -> dict[str, Any] | None:
    """What the classifier was sure the message is about if not a crisis: its intent, or when that was
    ``crisis`` its next guess at ``threshold`` or above; None when it was unsure (``nlu_fallback``)."""
    intent = message.get(INTENT) or {}
    name = intent.get(INTENT_NAME_KEY)
    if name == CRISIS_INTENT:
        return _next_sure_guess(_ranking_without_crisis(message), threshold)
    return None if name in (DEFAULT_NLU_FALLBACK_INTENT_NAME, None) else dict(intent)


def _settled(besides: dict[str, Any] | None, text: str) -> dict[str, Any] | None:
    """The need besides a crisis, settled as an ordinary message's is (``ovi_lang.needs.settled_need``):
    an unsure guess the words do not show yields to the need they cue ("my molar broke off": no drink)."""
    if besides is None:
        return None  # the words' needs join the request anyway (actions.conversation.current_needs)
    guess, confidence = str(besides.get(INTENT_NAME_KEY)), float(besides.get("confidence") or 0.0)
    need = settled_need(guess, confidence, text)
    if need is None:
        return None
    return besides if need == guess else {INTENT_NAME_KEY: need, "confidence": confidence}


def _demote_crisis(message: Message, threshold: float) -> None:
    """The classifier said crisis but the detector did not: take its next guess, or "not understood"."""
    ranking = _ranking_without_crisis(message)
    fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 1.0}
    message.set(INTENT, _next_sure_guess(ranking, threshold) or fallback, add_to_output=True)
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


def _ranking_without_crisis(message: Message) -> list[dict[str, Any]]:
    return [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != CRISIS_INTENT]


def _next_sure_guess(ranking: list[dict[str, Any]], threshold: float) -> dict[str, Any] | None:
    """The classifier's best guess other than a crisis, when it is at least ``threshold`` sure of it."""
    return dict(ranking[0]) if ranking and ranking[0].get("confidence", 0.0) >= threshold else None


def _force_intent(message: Message, name: str) -> None:
    intent = {INTENT_NAME_KEY: name, "confidence": 1.0}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)


def _set_intent(message: Message, name: str, confidence: float) -> None:
    """The need the words show instead of the classifier's unsure guess, as unsure as the guess was (an
    answer to "where do you live?" stays an answer: ``actions.conversation.is_unsure_place_message``)."""
    intent = {INTENT_NAME_KEY: name, "confidence": confidence}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)


def _fall_back(message: Message) -> None:
    """Not understood after all; the classifier's ranking stays for the needs offered as buttons."""
    intent = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
              "confidence": float((message.get(INTENT) or {}).get("confidence") or 0.0)}
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *(message.get(INTENT_RANKING_KEY) or [])], add_to_output=True)


def _is_unsure(message: Message) -> bool:
    return (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == DEFAULT_NLU_FALLBACK_INTENT_NAME


def _is_place_only(message: Message, text: str) -> bool:
    intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
    if intent != DEFAULT_NLU_FALLBACK_INTENT_NAME:
        return False
    places = [e for e in message.get(ENTITIES, []) if e.get("entity") == MUNICIPALITY]
    if not places:
        return False
    place_words = sum(len(tokens(text[e["start"]:e["end"]])) for e in places)
    return len(tokens(text)) - place_words <= _MAX_OTHER_WORDS_FOR_PLACE_ONLY
