"""``VectorIntentClassifier``: DIET's intent ranking pooled with ``ovi_lang.vector_intents``' reading of the
message's e5 vector (why, and how much it helps: that module). Place it after ``DIETClassifier`` and before
``FallbackClassifier``, which then judges the pooled confidence. It trains with the NLU model on the
vectors ``SentenceEmbeddingFeaturizer`` made of the training examples; a message without a vector or
without an intent is left as DIET read it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.finnish import message_embedding
from ovi_lang.vector_intents import MIX_WEIGHT, VectorIntentModel, fit, mix

MODEL_FILE = "vector_intents.npz"
RANKING_LENGTH = 10  # as DIET's


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class VectorIntentClassifier(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"weight": MIX_WEIGHT}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: VectorIntentModel | None = None) -> None:
        self._weight = float(config["weight"])
        self._storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> VectorIntentClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        pairs = [(message_embedding(m), str(m.get(INTENT))) for m in training_data.intent_examples]
        known = [(vector, label) for vector, label in pairs if vector is not None]
        if not known:
            raise ValueError("VectorIntentClassifier: no training example has a sentence vector; "
                             "put SentenceEmbeddingFeaturizer before it in the pipeline")
        self._model = fit(np.stack([vector for vector, _ in known]), [label for _, label in known])
        with self._storage.write_to(self._resource) as directory:
            np.savez(directory / MODEL_FILE, **self._model.arrays())
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> VectorIntentClassifier:
        with model_storage.read_from(resource) as directory, np.load(directory / MODEL_FILE) as arrays:
            model = VectorIntentModel.from_arrays(arrays)
        return cls(config, model_storage, resource, model)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            vector = message_embedding(message)
            intent = message.get(INTENT) or {}
            if self._model is None or vector is None or not intent.get(INTENT_NAME_KEY):
                continue
            ranking = [(str(r[INTENT_NAME_KEY]), float(r["confidence"]))
                       for r in message.get(INTENT_RANKING_KEY) or [intent]]
            mixed = mix(ranking, self._model.probabilities(vector), self._weight)[:RANKING_LENGTH]
            best, confidence = mixed[0]
            message.set(INTENT, {INTENT_NAME_KEY: best, "confidence": confidence}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [{INTENT_NAME_KEY: name, "confidence": value}
                                             for name, value in mixed], add_to_output=True)
        return messages
