"""A one-line progress bar for long imports, on stderr (no dependency: a carriage return redraws it)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

_WIDTH = 30
_INTERVAL_S = 0.25  # redraws per second are cheap, but thousands of them would not be


class Progress:
    """``phase`` starts a bar (what is done, of how many, in which unit), ``update`` moves it."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self._label = ""
        self._total = 0
        self._unit = ""
        self._done = 0
        self._drawn_at = 0.0
        self._open = False

    def phase(self, label: str, total: int, unit: str) -> None:
        self.close()
        self._label, self._total, self._unit, self._done = label, total, unit, 0
        self._open = True
        self._draw()

    def update(self, done: int) -> None:
        self._done = done
        now = time.monotonic()
        if now - self._drawn_at >= _INTERVAL_S:
            self._draw(now)

    def close(self) -> None:
        """Draw the phase as finished and end its line."""
        if self._open:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()
            self._open = False

    def _draw(self, now: float | None = None) -> None:
        self._drawn_at = now if now is not None else time.monotonic()
        share = min(self._done / self._total, 1.0) if self._total else 1.0
        filled = round(share * _WIDTH)
        bar = "#" * filled + "." * (_WIDTH - filled)
        amounts = _amounts(self._done, self._total, self._unit)
        self.stream.write(f"\r{self._label}: [{bar}] {share:4.0%} ({amounts})")
        self.stream.flush()


def _amounts(done: int, total: int, unit: str) -> str:
    if unit == "B":
        return f"{done / 1_000_000:.1f} / {total / 1_000_000:.1f} Mt"
    return f"{done} / {total} {unit}"
