"""JSON-schema validation of one import record against HSDS ``compiled/service.json``, in Finnish."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from jsonschema.exceptions import ValidationError

from .. import schemas

SERVICE_SCHEMA = "compiled/service"

_TYPES_FI = {
    "string": "merkkijono",
    "number": "luku",
    "integer": "kokonaisluku",
    "array": "taulukko",
    "object": "objekti",
    "boolean": "totuusarvo",
    "null": "null",
}
_FORMATS_FI = {
    "uuid": "UUID (esim. 3fa85f64-5717-4562-b3fc-2c963f66afa6)",
    "date-time": "aikaleima (RFC 3339 aikavyöhykkeineen, esim. 2024-05-01T09:30:00Z)",
    "date": "päivämäärä (VVVV-KK-PP)",
    "uri": "URI (esim. https://example.fi/)",
    "email": "sähköpostiosoite",
}
_REQUIRED = re.compile(r"^'(.+)' is a required property")


def show(value: Any, limit: int = 60) -> str:
    """A value as it looks in the JSON file, shortened."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def json_type(value: Any) -> str:
    for name, python in (
        ("null", type(None)),
        ("boolean", bool),
        ("string", str),
        ("array", list),
        ("object", dict),
    ):
        if isinstance(value, python):
            return _TYPES_FI[name]
    return _TYPES_FI["number"] if isinstance(value, int | float) else type(value).__name__


def path_of(parts: Iterable[str | int]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(error: ValidationError) -> tuple[str, str]:
    """(field path, Finnish message) of one schema error."""
    path = path_of(error.absolute_path)
    if error.validator == "required":
        match = _REQUIRED.match(error.message)
        name = match.group(1) if match else "?"
        return (f"{path}.{name}" if path else name), "pakollinen kenttä puuttuu"
    if error.validator == "type":
        expected = error.validator_value
        wanted = " tai ".join(
            _TYPES_FI.get(t, t) for t in ([expected] if isinstance(expected, str) else expected)
        )
        return path, f"väärä tyyppi: odotettiin {wanted}, tiedostossa {json_type(error.instance)}"
    if error.validator == "enum":
        allowed = ", ".join(show(v) for v in error.validator_value)
        return path, f"arvo {show(error.instance)} ei ole sallittu (sallitut: {allowed})"
    if error.validator == "format":
        wanted = _FORMATS_FI.get(error.validator_value, error.validator_value)
        return path, f"arvo {show(error.instance)} ei ole kelvollinen {wanted}"
    return path, f"ei vastaa HSDS-skeemaa: {error.message}"


def schema_problems(record: Any) -> Iterator[tuple[str | None, str]]:
    """(field path or None, message) for every way the record breaks the HSDS service schema."""
    if not isinstance(record, dict):
        yield None, f"palvelun pitää olla JSON-objekti, tiedostossa {json_type(record)}"
        return
    for error in schemas.iter_errors(SERVICE_SCHEMA, record):
        path, message = _message(error)
        yield path or None, message
