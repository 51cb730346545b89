"""The check of the action server's answers, with the schema checked once instead of on every answer.

Rasa checks every answer of the action server against its JSON schema with ``jsonschema.validate``, which
first checks the *schema itself* against the JSON Schema metaschema, on every call. Profiled with py-spy under
the load of ``make bench`` (20 residents, no pauses) that re-check was 31 % of the Rasa process's time: each
turn has one to three action-server calls (form validation, recommendation, follow-ups).

Built once, the check was still ~5 % of Rasa's time: an event must match exactly one of the schema's ~20
event kinds (``oneOf``), so each event was tried against all of them. The kinds differ by their ``event``
constant, so an event that its own kind's schema accepts is accepted by the ``oneOf`` too, and only such
answers skip the full check; anything else (an unknown kind, a wrong field) goes through Rasa's whole schema,
which decides and words the error as before.

Rasa 3.6 is frozen, so the fix is here: ``install()`` (called where our channels are loaded, i.e. in every
``rasa run`` of Ovi) replaces ``RemoteAction._validate_action_result`` with the same check against the same
schema, built once. An invalid answer still raises ``jsonschema.ValidationError`` with Rasa's own message.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@dataclass(frozen=True)
class _Validators:
    full: Any
    """Rasa's whole schema."""
    outer: Any | None
    """The schema with ``events`` only required to be an array (its items are checked by ``by_kind``); None
    when the event kinds cannot be told apart by their ``event`` constant (then only ``full`` is used)."""
    by_kind: dict[str, Any]
    """Event kind → the event schema's common part with that kind's own alternative."""


@lru_cache(maxsize=1)
def _validators() -> _Validators:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    full = validator_class(schema)
    events = schema.get("properties", {}).get("events", {})
    item = events.get("items", {})
    kinds = item.get("oneOf", [])
    names = [kind.get("properties", {}).get("event", {}).get("const") for kind in kinds]
    if not kinds or None in names or len(set(names)) != len(names):
        return _Validators(full, None, {})
    common = {key: value for key, value in item.items() if key != "oneOf"}
    outer_events = {key: value for key, value in events.items() if key != "items"}
    outer = {**schema, "properties": {**schema["properties"], "events": outer_events}}
    return _Validators(
        full,
        validator_class(outer),
        {name: validator_class({**common, "allOf": [kind]}) for name, kind in zip(names, kinds, strict=True)},
    )


def _accepted_by_kind(result: Any, checks: _Validators) -> bool:
    if checks.outer is None or not checks.outer.is_valid(result):
        return False
    for event in result.get("events") or []:
        check = checks.by_kind.get(event.get("event")) if isinstance(event, dict) else None
        if check is None or not check.is_valid(event):
            return False
    return True


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's ``RemoteAction._validate_action_result``, with the validators built once."""
    checks = _validators()
    if _accepted_by_kind(result, checks):
        return True
    error = exceptions.best_match(checks.full.iter_errors(result))
    if error is not None:
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result
