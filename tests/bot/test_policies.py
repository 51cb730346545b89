"""TED remembering its answers by dialogue state: the trained model's own TED, loaded from the model archive,
must answer as TED does, and run its transformer once per state."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.components.policies import RememberingTEDPolicy
from ovi_stack.model_cache import current_model_path

pytestmark = pytest.mark.rasa


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[RememberingTEDPolicy, Domain]:
    model = current_model_path()
    if not model.exists():
        pytest.fail(f"no trained model at {model}: run `make model` first")
    storage, metadata = LocalModelStorage.from_model_archive(tmp_path_factory.mktemp("model"), model)
    node = next(n for n in metadata.predict_schema.nodes.values() if n.uses is RememberingTEDPolicy)
    policy = RememberingTEDPolicy.load(
        {**RememberingTEDPolicy.get_default_config(), **node.config}, storage, node.resource,
        ExecutionContext(metadata.predict_schema, metadata.model_id))
    return policy, metadata.domain


def _user(intent: str, text: str, entities: list[dict[str, Any]] | None = None) -> UserUttered:
    return UserUttered(text, intent={"name": intent, "confidence": 1.0}, entities=entities or [])


def _conversations() -> list[list[Event]]:
    start: list[Event] = [ActionExecuted("action_listen")]
    asked: list[Event] = [*start, _user("homelessness", "mulla ei oo kämppää"),
                          ActionExecuted("situation_form"), ActiveLoop("situation_form"),
                          SlotSet("situation", "homelessness"),
                          SlotSet("requested_slot", "municipality"), ActionExecuted("action_listen")]
    answered: list[Event] = [*asked, _user("inform_municipality", "kotkassa",
                                            [{"entity": "municipality", "value": "285"}]),
                             SlotSet("municipality", "285")]
    return [
        [*start, _user("greet", "moi")],
        [*start, _user("debt", "velkoja on paljon")],
        asked,
        answered,
        [*answered, ActionExecuted("situation_form"), ActiveLoop(None), SlotSet("requested_slot", None),
         ActionExecuted("action_recommend_services"), ActionExecuted("utter_anything_else"),
         ActionExecuted("action_listen"), _user("thanks", "kiitos")],
    ]


def _tracker(events: list[Event], domain: Domain, sender: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, events, slots=domain.slots)


def test_the_trained_ted_reads_no_text(trained: tuple[RememberingTEDPolicy, Domain]) -> None:
    # Otherwise nothing is remembered (the answers would depend on the words): the speed-up would be gone.
    assert not trained[0]._reads_text()


def test_answers_are_teds_and_the_model_runs_once_per_state(
    trained: tuple[RememberingTEDPolicy, Domain], monkeypatch: pytest.MonkeyPatch
) -> None:
    policy, domain = trained
    assert policy.model is not None
    runs = 0
    run_inference = policy.model.run_inference

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal runs
        runs += 1
        return run_inference(*args, **kwargs)

    monkeypatch.setattr(policy.model, "run_inference", counted)
    policy._remembered.clear()
    states = set()
    for i, events in enumerate(_conversations()):
        tracker = _tracker(events, domain, f"a{i}")
        states.add(policy.state_key(tracker, domain, None))
        remembered = policy.predict_action_probabilities(tracker, domain)
        # TED's own answer for the same tracker (the parent class, no memory)
        own = super(RememberingTEDPolicy, policy).predict_action_probabilities(tracker, domain)
        np.testing.assert_allclose(remembered.probabilities, own.probabilities, atol=1e-6)
        # Another resident in the same state: the answer is remembered, the transformer not run again.
        before = runs
        again = policy.predict_action_probabilities(_tracker(events, domain, f"b{i}"), domain)
        assert runs == before
        assert again.probabilities == remembered.probabilities
    assert len(states) == len(_conversations())  # five different states: five runs remembered
    assert len(policy._remembered) == len(states)
