"""Finnish NLU components for Rasa 3.6. All language logic lives in ``ovi_lang``; these only adapt it.

- ``MunicipalityEntityExtractor`` adds a ``municipality`` entity whose value is the official 3-digit code.
- ``CrisisOverride`` runs after the classifiers: a crisis detected by ``ovi_lang.crisis`` forces the
  ``crisis`` intent (confidence 1.0) and drops other entities, so that no form can swallow the message and
  the crisis rule answers it first; a message that is only a place name is read as ``inform_municipality``
  even when the classifier was unsure.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from ovi_lang.crisis import detect_crisis
from ovi_lang.municipalities import find_municipalities
from ovi_lang.text import tokens

MUNICIPALITY = "municipality"
CRISIS_KIND = "crisis_kind"
CRISIS_INTENT = "crisis"
INFORM_MUNICIPALITY = "inform_municipality"
# "asun Kotkassa", "oon kouvolasta kotoisin": a place name plus at most this many other words.
_MAX_OTHER_WORDS_FOR_PLACE_ONLY = 3


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


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class MunicipalityEntityExtractor(_RuleComponent):
    """Finds Finnish municipalities (any inflection, no ä/ö needed) and gives their official codes."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = [
                {"entity": MUNICIPALITY, "value": m.municipality.code, "start": m.start, "end": m.end,
                 "confidence_entity": 1.0}
                for m in find_municipalities(text)
            ]
            if found:
                entities = message.get(ENTITIES, []) + self.add_extractor_name(found)
                message.set(ENTITIES, entities, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CrisisOverride(_RuleComponent):
    """Makes crisis detection independent of the classifier's confidence. Place it last."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            signal = detect_crisis(text)
            if signal is not None:
                _force_intent(message, CRISIS_INTENT)
                crisis = {"entity": CRISIS_KIND, "value": signal.kind, "start": 0, "end": len(text),
                          "confidence_entity": 1.0}
                message.set(ENTITIES, self.add_extractor_name([crisis]), add_to_output=True)
            elif _is_place_only(message, text):
                _force_intent(message, INFORM_MUNICIPALITY)
        return messages


def _force_intent(message: Message, name: str) -> None:
    intent = {INTENT_NAME_KEY: name, "confidence": 1.0}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)


def _is_place_only(message: Message, text: str) -> bool:
    intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
    if intent != DEFAULT_NLU_FALLBACK_INTENT_NAME:
        return False
    places = [e for e in message.get(ENTITIES, []) if e.get("entity") == MUNICIPALITY]
    if not places:
        return False
    place_words = sum(len(tokens(text[e["start"]:e["end"]])) for e in places)
    return len(tokens(text)) - place_words <= _MAX_OTHER_WORDS_FOR_PLACE_ONLY
