"""The check of the action server's answers, with the schema checked once instead of on every answer.

Rasa checks every answer of the action server against its JSON schema with ``jsonschema.validate``, which
first checks the *schema itself* against the JSON Schema metaschema, on every call. Profiled with py-spy under
the load of ``make bench`` (20 residents, no pauses) that re-check was 31 % of the Rasa process's time: each
turn has one to three action-server calls (form validation, recommendation, follow-ups).

Rasa 3.6 is frozen, so the fix is here: ``install()`` (called where our channels are loaded, i.e. in every
``rasa run`` of Ovi) replaces ``RemoteAction._validate_action_result`` with the same check against the same
schema, built once. An invalid answer still raises ``jsonschema.ValidationError`` with Rasa's own message.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's ``RemoteAction._validate_action_result``, with the validator built once."""
    error = exceptions.best_match(_validator().iter_errors(result))
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
