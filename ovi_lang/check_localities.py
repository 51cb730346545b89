"""Check ``data/localities.csv``, the table of localities (former municipalities, districts, villages) → the
current municipality's code, and print its counts.

Run ``python -m ovi_lang.check_localities`` (optionally with another CSV path). Lines starting with ``#`` are
comments. The checks: the header is ``name,municipality_code,kind,language``; every row has four non-empty
fields; the code is one of the 309 in ``kunta_1_20230101`` (three digits, leading zeros kept); the kind is
``former_municipality``, ``part`` or ``nickname`` and the language ``fi`` or ``sv``; no (name, code) pair
twice; no name with two codes; no name equal to a current municipality's Finnish or Swedish name
(case-insensitive, also the halves of "Maarianhamina - Mariehamn" and "Koski" of "Koski Tl"). Any error is
printed with its line and field, and the exit status is 1.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ovi_lang import codes

CSV_PATH = codes.DATA_DIR / "localities.csv"
HEADER = ("name", "municipality_code", "kind", "language")
KINDS = frozenset({"former_municipality", "part", "nickname"})
LANGUAGES = frozenset({"fi", "sv"})


@dataclass(frozen=True)
class Locality:
    line: int
    name: str
    municipality_code: str
    kind: str
    language: str


class LocalityError(ValueError):
    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(f"line {line}, field {field}: {message}")
        self.line = line
        self.field = field


def municipality_names() -> dict[str, str]:
    """Every current municipality name (Finnish, Swedish and their parts), case-folded → code."""
    out: dict[str, str] = {}
    for code, item in codes.codes("kunta").items():
        names = {item.name_fi, item.name_sv}
        for name in list(names):
            for sep in (" - ", " – "):
                names.update(part.strip() for part in name.split(sep))
        names.update(name[: -len(" Tl")] for name in list(names) if name.endswith(" Tl"))
        for name in names:
            if name:
                out.setdefault(name.casefold(), code)
    return out


def _data_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of every line that is not a comment or blank."""
    with path.open(encoding="utf-8", newline="") as fh:
        for number, text in enumerate(fh, start=1):
            stripped = text.strip()
            if stripped and not stripped.startswith("#"):
                yield number, text


def load(path: Path = CSV_PATH) -> list[Locality]:
    """Read and check the table; raise LocalityError naming the line and field of the first error."""
    lines = list(_data_lines(path))
    if not lines:
        raise LocalityError(0, "header", f"no header and no rows in {path}")
    header_line, header_text = lines[0]
    header = tuple(next(csv.reader([header_text])))
    if header != HEADER:
        raise LocalityError(header_line, "header", f"expected {','.join(HEADER)}, got {','.join(header)}")

    known = codes.codes("kunta")
    taken = municipality_names()
    rows: list[Locality] = []
    seen_pairs: set[tuple[str, str]] = set()
    code_of_name: dict[str, tuple[str, int]] = {}
    for number, text in lines[1:]:
        fields = next(csv.reader([text]))
        if len(fields) != len(HEADER):
            raise LocalityError(number, "row", f"expected {len(HEADER)} fields, got {len(fields)}")
        for field, value in zip(HEADER, fields, strict=True):
            if not value.strip():
                raise LocalityError(number, field, "empty")
            if value != value.strip():
                raise LocalityError(number, field, f"leading or trailing space in {value!r}")
        row = Locality(number, *fields)
        if row.municipality_code not in known:
            raise LocalityError(number, "municipality_code",
                                f"{row.municipality_code!r} is not a code of kunta_1_20230101")
        if row.kind not in KINDS:
            raise LocalityError(number, "kind", f"{row.kind!r} is not one of {sorted(KINDS)}")
        if row.language not in LANGUAGES:
            raise LocalityError(number, "language", f"{row.language!r} is not one of {sorted(LANGUAGES)}")
        folded = row.name.casefold()
        if folded in taken:
            item = known[taken[folded]]
            raise LocalityError(number, "name", f"{row.name!r} is the name of a current municipality "
                                                f"({taken[folded]} {item.name_fi} / {item.name_sv})")
        pair = (folded, row.municipality_code)
        if pair in seen_pairs:
            raise LocalityError(number, "name", f"{row.name!r} with {row.municipality_code} is listed twice")
        seen_pairs.add(pair)
        earlier = code_of_name.setdefault(folded, (row.municipality_code, number))
        if earlier[0] != row.municipality_code:
            raise LocalityError(number, "municipality_code",
                                f"{row.name!r} has {row.municipality_code} here but {earlier[0]} "
                                f"on line {earlier[1]}")
        rows.append(row)
    return rows


def report(rows: list[Locality]) -> str:
    """Counts by kind, by language and by municipality."""
    known = codes.codes("kunta")
    by_kind = Counter(row.kind for row in rows)
    by_language = Counter(row.language for row in rows)
    by_code = Counter(row.municipality_code for row in rows)
    out = [f"{len(rows)} rows"]
    out.append("by kind: " + ", ".join(f"{kind} {by_kind[kind]}" for kind in sorted(by_kind)))
    out.append("by language: " + ", ".join(f"{lang} {by_language[lang]}" for lang in sorted(by_language)))
    out.append(f"by municipality ({len(by_code)}):")
    for code in sorted(by_code):
        kinds = Counter(row.kind for row in rows if row.municipality_code == code)
        detail = ", ".join(f"{kind} {kinds[kind]}" for kind in sorted(kinds))
        out.append(f"  {code} {known[code].name_fi}: {by_code[code]} ({detail})")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else CSV_PATH
    try:
        rows = load(path)
    except LocalityError as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 1
    print(report(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
