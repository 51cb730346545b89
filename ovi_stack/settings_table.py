"""How a setting is declared once: its environment variable, default, documented default, help and parser.

Shared by the web app's settings (``ovi_web/settings.py``) and the conversation store's
(``ovi_stack/conversations.py``); plain Python, so it imports in both environments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Env = Mapping[str, str]


class SettingsError(ValueError):
    """A setting in the environment has a value Ovi cannot use."""


@dataclass(frozen=True)
class Setting:
    env: str
    default: str | Callable[[Env], str]
    default_doc: str
    help: str
    parse: Callable[[str, str], Any] = lambda _name, value: value

    def read(self, env: Env) -> Any:
        raw = env.get(self.env, "").strip()
        if not raw:
            raw = self.default(env) if callable(self.default) else self.default
        return self.parse(self.env, raw)
