"""The streaming reader of large HSDS-JSON files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from directory_db.importers.stream import StreamError, iter_records


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "x.json"
    path.write_bytes(data)
    return path


def test_an_array_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = _write(tmp_path, b"\xef\xbb\xbf  [{\"id\": \"a\", \"n\": 1.5}, {\"id\": \"b\"}]")
    assert list(iter_records(path)) == [{"id": "a", "n": 1.5}, {"id": "b"}]


def test_an_hsds_page(tmp_path: Path) -> None:
    page = {"total_items": 2, "contents": [{"id": "a"}, {"id": "b"}], "page_number": 1}
    assert [r["id"] for r in iter_records(_write(tmp_path, json.dumps(page).encode()))] == ["a", "b"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "tyhjä"),
        (b"   \n", "tyhjä"),
        (b"[{\"id\": \"a\"}, {\"id\": }]", "ei ole kelvollista JSONia"),
        (b"[{\"id\": \"\xe4\"}]", "UTF-8"),
        (b"{\"id\": \"a\"}", "contents puuttuu"),
        (b"42", "JSON-taulukko"),
    ],
)
def test_broken_files_say_what_is_wrong(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(StreamError, match=message):
        list(iter_records(_write(tmp_path, data)))


def test_records_come_one_at_a_time(tmp_path: Path) -> None:
    # A broken tail is found only after the good records before it were yielded: nothing is read whole.
    path = _write(tmp_path, b"[" + b",".join([b"{\"id\": \"x\"}"] * 1000) + b", {\"id\": ]")
    seen = []
    with pytest.raises(StreamError):
        for record in iter_records(path):
            seen.append(record)
    assert len(seen) == 1000
