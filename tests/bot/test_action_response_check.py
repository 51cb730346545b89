"""The action-server answer check that builds its validator once: it must accept and refuse exactly what
Rasa's own check does, and be the one Rasa uses once Ovi's channels are loaded."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

import bot.channels  # noqa: F401  (loading the channels installs the check, as in `rasa run`)
from bot import action_response_check

pytestmark = pytest.mark.rasa

VALID: list[dict[str, Any]] = [
    {"events": [{"event": "slot", "name": "municipality", "value": "Kotka"}], "responses": []},
    {"events": [], "responses": [{"text": "Hei", "buttons": [], "custom": {"type": "crisis"}}]},
    {},
    # What Ovi's actions answer: forms, follow-ups, several events of several kinds.
    {"events": [{"event": "slot", "timestamp": None, "name": "requested_slot", "value": None},
                {"event": "active_loop", "name": "situation_form"},
                {"event": "followup", "name": "action_recommend_services"},
                {"event": "slot", "name": "shown", "value": ["a", "b"]}],
     "responses": [{"text": "Missä kunnassa asut?", "buttons": [{"title": "Kotka", "payload": "/x"}]}]},
    {"events": [{"event": "active_loop", "name": None}, {"event": "slot", "name": "age", "value": 19.0}]},
]
INVALID: list[dict[str, Any]] = [
    {"events": [{"name": "municipality"}]},  # an event without its type
    {"events": "slot"},
    {"responses": {"text": "Hei"}},
    {"events": [{"event": "no_such_kind", "name": "x"}]},
    {"events": [{"event": "slot", "name": "municipality", "value": "Kotka"}, "slot"]},
    {"events": [{"event": "slot", "name": 5, "value": "Kotka"}]},  # a slot's name is a string
    {"events": [{"event": "slot", "name": "age", "value": 19, "timestamp": "eilen"}]},  # a number or null
]


def _rasa_accepts(result: dict[str, Any]) -> bool:
    try:
        validate(result, RemoteAction.action_response_format_spec())
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("result", VALID + INVALID)
def test_same_verdict_as_rasas_own_check(result: dict[str, Any]) -> None:
    action = RemoteAction("action_recommend_services", None)
    if _rasa_accepts(result):
        assert action._validate_action_result(result) is True
    else:
        with pytest.raises(ValidationError, match="Failed to validate Action server response"):
            action._validate_action_result(result)


def test_the_cases_cover_both_verdicts() -> None:
    assert all(_rasa_accepts(r) for r in VALID)
    assert not any(_rasa_accepts(r) for r in INVALID)


def test_installed_when_the_channels_load() -> None:
    assert RemoteAction._validate_action_result is action_response_check.validate_action_result


def test_the_event_kinds_are_told_apart_by_their_constant() -> None:
    # Otherwise every answer would take the full check: right, but the speed-up would be gone unnoticed.
    checks = action_response_check._validators()
    assert checks.outer is not None
    assert {"slot", "active_loop", "followup", "user", "bot"} <= set(checks.by_kind)
