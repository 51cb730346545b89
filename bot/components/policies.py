"""Rasa's TED policy, remembering its answers for the dialogue states it has seen.

Every prediction of the next action runs all policies, and TED runs its transformer each time: profiled
with py-spy under the load of ``make bench`` that was a fifth of the Rasa process's time, several runs per
turn. Yet TED reads only the dialogue state of the last ``max_history`` turns (intents, entities, slots,
the active form, the previous actions: a handful of names), not the words, when it was trained on stories
without text, as Ovi's are. Residents' conversations pass through the same few states again and again, so
the answer for a state is remembered (the ``REMEMBERED`` most recently used; the model is deterministic at
prediction time) and the transformer runs only for a state not seen lately. A TED that reads text (trained
on end-to-end stories) is never remembered.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from rasa.core.policies.policy import PolicyPrediction, SupportedData
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT

REMEMBERED = 4096


def _frozen(value: Any) -> Any:
    """A hashable copy of a state (dicts, lists and tuples of names and numbers)."""
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    return value


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITH_END_TO_END_SUPPORT, is_trainable=True)
class RememberingTEDPolicy(TEDPolicy):
    """``TEDPolicy`` with its predictions remembered by dialogue state (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._remembered: OrderedDict[Any, PolicyPrediction] = OrderedDict()
        self._lock = threading.Lock()

    def _reads_text(self) -> bool:
        return bool(self.only_e2e or TEXT in self.fake_features)

    def state_key(self, tracker: DialogueStateTracker, domain: Domain,
                  rule_only_data: dict[str, Any] | None) -> Any:
        """What TED's prediction depends on: the states its featurizer makes of the tracker."""
        ml_only = self.supported_data() == SupportedData.ML_DATA
        states = self.featurizer.prediction_states(
            [tracker], domain, use_text_for_last_user_input=False, ignore_rule_only_turns=ml_only,
            rule_only_data=rule_only_data, ignore_action_unlikely_intent=ml_only)[0]
        return _frozen(states)

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        if self.model is None or self._reads_text():
            return super().predict_action_probabilities(tracker, domain, rule_only_data, **kwargs)
        key = self.state_key(tracker, domain, rule_only_data)
        with self._lock:
            known = self._remembered.get(key)
            if known is not None:
                self._remembered.move_to_end(key)
                return known
        prediction = super().predict_action_probabilities(tracker, domain, rule_only_data, **kwargs)
        with self._lock:
            self._remembered[key] = prediction
            while len(self._remembered) > REMEMBERED:
                self._remembered.popitem(last=False)
        return prediction
