"""Streaming readers for large import files: one record at a time, so memory does not grow with the file.

An HSDS-JSON file is a top-level array of service objects, or an HSDS page object (``{"contents": [...],
"total_items": …}``) as the HSDS API returns. ``ijson`` (the yajl2 C backend) yields the array's items one
by one; a UTF-8 byte order mark is skipped; a broken file raises :class:`StreamError` with the byte offset
near the problem, so the caller can name the file and the place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import ijson

_BOM = b"\xef\xbb\xbf"
_WHITESPACE = b" \t\r\n"


class StreamError(ValueError):
    """The file cannot be read as HSDS-JSON; ``offset`` is the byte position near the problem."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset


def _first_byte(handle: IO[bytes]) -> bytes:
    """The first significant byte, with the handle positioned at it (after a BOM and whitespace)."""
    start = handle.read(3)
    position = 3 if start == _BOM else 0
    handle.seek(position)
    while True:
        byte = handle.read(1)
        if not byte or byte not in _WHITESPACE:
            handle.seek(position)
            return byte
        position += 1


Position = Callable[[int], None]


def _items(handle: IO[bytes], prefix: str, position: Position | None) -> Iterator[Any]:
    try:
        for item in ijson.items(handle, prefix, use_float=True):
            if position is not None:
                position(handle.tell())  # bytes read so far (ijson reads ahead in 64 KiB buffers)
            yield item
    except ijson.JSONError as error:
        raw = error.args[0] if error.args else ""
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        detail = text.splitlines()[0].strip() if text else "tuntematon virhe"
        if "invalid bytes in UTF8" in detail:
            raise StreamError("tiedosto ei ole UTF-8-tekstiä", handle.tell()) from error
        offset = handle.tell()
        where = _line_and_column(handle, offset)
        raise StreamError(f"ei ole kelvollista JSONia ({where}): {detail}", offset) from error
    except UnicodeDecodeError as error:
        raise StreamError(f"tiedosto ei ole UTF-8-tekstiä ({error.reason})", handle.tell()) from error


def _line_and_column(handle: IO[bytes], offset: int) -> str:
    """Where ``offset`` is, as an editor shows it. ijson reads ahead, so the problem is there or before."""
    handle.seek(0)
    line, last_line_start, position = 1, 0, 0
    while position < offset:
        chunk = handle.read(min(1 << 20, offset - position))
        if not chunk:
            break
        newlines = chunk.count(b"\n")
        if newlines:
            line += newlines
            last_line_start = position + chunk.rindex(b"\n") + 1
        position += len(chunk)
    handle.seek(last_line_start)
    column = len(handle.read(position - last_line_start).decode("utf-8", "replace")) + 1
    return f"rivi {line}, sarake {column} tai sitä ennen"


def iter_records(path: Path, position: Position | None = None) -> Iterator[Any]:
    """The service objects of an HSDS-JSON file (array or HSDS page), streamed; ``position`` is told the
    bytes read after each record (for a progress bar).

    Raises :class:`StreamError` for an empty file, a top level that is neither, or broken JSON.
    """
    with path.open("rb") as handle:
        first = _first_byte(handle)
        if not first:
            raise StreamError("tiedosto on tyhjä", 0)
        if first == b"[":
            yield from _items(handle, "item", position)
        elif first == b"{":
            found = False
            for item in _items(handle, "contents.item", position):
                found = True
                yield item
            if not found and not _has_contents(path):
                raise StreamError(
                    "tiedoston pitää olla JSON-taulukko HSDS-palveluista tai HSDS-sivu; tämän JSON-olion "
                    "kenttä contents puuttuu",
                    0,
                )
        else:
            raise StreamError(
                "tiedoston pitää olla JSON-taulukko HSDS-palveluista ([{...}, {...}]) tai HSDS-sivu", 0
            )


def _has_contents(path: Path) -> bool:
    with path.open("rb") as handle:
        _first_byte(handle)
        try:
            for prefix, event, value in ijson.parse(handle):
                if prefix == "" and event == "map_key" and value == "contents":
                    return True
        except ijson.JSONError:
            return False
    return False
