"""HSDS 3.0 tabular import (``--format hsds-csv``): a data package of CSV files → the HSDS service records of
the HSDS-JSON import (:func:`directory_db.importers.hsds_json.import_records`), which checks and writes them.

Reading
    PATH is a folder with ``datapackage.json``, the ``datapackage.json`` itself, or a folder of CSV files
    named as HSDS names them (``services.csv``, ``phones.csv``, …). With a ``datapackage.json`` its
    ``resources`` name the files (by HSDS resource name, else by file name), the column types and the CSV
    delimiter. Files are read row by row with the csv module: UTF-8 with or without a BOM, an empty cell is an
    absent value. Columns that HSDS types as numbers (and columns the package declares ``number`` or
    ``integer``) become numbers; columns declared ``boolean``, ``date``, ``datetime``, ``time`` or ``year``
    are checked; every other value stays text, as in HSDS-JSON.

Mapping (the inverse of :mod:`directory_db.export_csv`, which lists the tables)
    Each ``services.csv`` row becomes one service record with the organization its ``organization_id`` names
    inline (and the program its ``program_id`` names, when ``programs.csv`` has it). Phones, schedules,
    languages, contacts, service areas, addresses, accessibility, funding, cost options, required documents
    and organization identifiers are attached to the owner their link column names (a row naming several
    owners goes to the most specific one, ``OWNER_LINKS``; a contact's phones and a phone's languages come
    along with it); ``service_at_location.csv`` rows become the service's ``service_at_locations`` with the
    location inline; programs go to the organization their ``organization_id`` names; attributes go to the
    object named by ``link_id`` (and ``link_entity``) with their ``taxonomy_term`` inline, and a term's
    taxonomy (``taxonomies.csv``) becomes its ``taxonomy_detail``; ``metadata.csv`` rows (the change history)
    go to the object named by ``resource_id`` (and ``resource_type``).

Not stored, so reported as warnings rather than dropped silently
    ``meta_table_descriptions.csv`` (a description of the package, not of services), columns Ovi does not
    store, attributes and history rows of taxonomy terms, extra owner links of a row, history rows about
    objects that are not in the package, organizations / locations / programs / terms no imported service
    uses, files the package does not describe.

Errors
    Every problem raises :class:`ImportValidationError` naming the file, the line and the column: a missing
    file or column, malformed CSV, a value of the wrong type, bytes that are not UTF-8, an empty file, a
    duplicate id, a foreign key that names no row. Problems the HSDS-JSON checks find later (schema, Finnish
    profile, database) are reported at the CSV row and column the value came from. Nothing is written then.
"""

from __future__ import annotations

import codecs
import csv
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.orm import Session

from ovi_lang.embeddings import SentenceEncoder

from .. import hsds_fields as f
from ..export_csv import (
    DATAPACKAGE,
    FORMAT,
    OWNER_LINKS,
    TABLES,
    TABLES_BY_KIND,
    json_type,
    required_columns,
)
from .errors import ImportIssue, ImportValidationError, IssueCollector, record_label
from .hsds_json import ImportResult, import_records
from .schema_check import show
from .structure import KINDS, PARENT_LINK_FIELD, Record

# HSDS 3.0 tables Ovi does not store (resource name → file name): their rows are counted and warned about.
UNSTORED_TABLES: dict[str, str] = {"meta_table_description": "meta_table_descriptions.csv"}
_FILE_KINDS: dict[str, str] = {
    **{table.path: table.kind for table in TABLES},
    **{path: name for name, path in UNSTORED_TABLES.items()},
}
_RESOURCE_NAMES = frozenset(_FILE_KINDS.values())
# link_entity as publishers write it: the object ("service") or the table ("services").
_ENTITIES: dict[str, str] = {
    **{name: name for name in _RESOURCE_NAMES},
    **{Path(path).stem: name for path, name in _FILE_KINDS.items()},
}
_LINK_KINDS: dict[str, str] = {column: kind for kind, column in PARENT_LINK_FIELD.items()}
# Text that HSDS requires but that is empty by nature (a history row of a creation has no previous value):
# CSV cannot tell an empty string from an absent value, so an empty cell here is the empty string.
_EMPTY_IS_TEXT: dict[str, tuple[str, ...]] = {
    "metadata": ("field_name", "previous_value", "replacement_value"),
}
_UTF8_NAMES = frozenset({"utf-8", "utf8", "utf-8-sig"})

Origin = tuple[str, int]
"""(file label, line) where an object was read."""


# --- cell values --------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")
_TRUE = frozenset({"true", "True", "TRUE", "1"})
_FALSE = frozenset({"false", "False", "FALSE", "0"})
_TEMPORAL_FI = {
    "date": "päivämäärä (VVVV-KK-PP)",
    "datetime": "aikaleima (esim. 2024-05-01T09:30:00Z)",
    "time": "kellonaika (TT:MM tai TT:MM:SS)",
    "year": "vuosiluku (VVVV)",
    "yearmonth": "kuukausi (VVVV-KK)",
}
_TEMPORAL_PATTERNS = {
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "year": re.compile(r"\d{4}"),
    "yearmonth": re.compile(r"\d{4}-\d{2}"),
}


def _number(text: str, *, integer: bool) -> int | float:
    value = text.strip()
    if integer and not _INTEGER.fullmatch(value):
        raise ValueError(f"arvo {show(text)} ei ole kokonaisluku")
    if not _NUMBER.fullmatch(value):
        raise ValueError(f"arvo {show(text)} ei ole luku (desimaalierottimena piste, esim. 60.47)")
    number = int(value) if _INTEGER.fullmatch(value) else float(value)
    if not math.isfinite(number):
        raise ValueError(f"arvo {show(text)} on liian suuri luku")
    return number


def _boolean(text: str) -> bool:
    if text.strip() in _TRUE:
        return True
    if text.strip() in _FALSE:
        return False
    raise ValueError(f"arvo {show(text)} ei ole totuusarvo (true tai false)")


def _check_temporal(text: str, kind: str, pattern: str | None) -> None:
    pattern = pattern[4:] if pattern and pattern.startswith("fmt:") else pattern
    if pattern == "any":
        return
    try:
        if pattern and "%" in pattern:  # a strptime pattern, as Frictionless allows
            datetime.strptime(text, pattern)
            return
        regex = _TEMPORAL_PATTERNS.get(kind)
        if regex is not None and not regex.fullmatch(text):
            raise ValueError(text)
        if kind == "date":
            date.fromisoformat(text)
        elif kind == "datetime":
            if "T" not in text.upper():
                raise ValueError(text)
            datetime.fromisoformat(text)
        elif kind == "time":
            time.fromisoformat(text)
    except ValueError:
        wanted = f"muotoa {pattern}" if pattern and "%" in pattern else _TEMPORAL_FI[kind]
        raise ValueError(f"arvo {show(text)} ei ole {wanted}") from None


def convert(text: str, hsds_type: str, declared: tuple[str, str | None] | None = None) -> Any:
    """One non-empty cell as the value HSDS-JSON holds: a number where HSDS (or the package) says number,
    otherwise the text itself, checked against the type the package declares. ValueError in Finnish."""
    declared_type, declared_format = declared or ("string", None)
    if hsds_type in ("number", "integer") or declared_type in ("number", "integer"):
        number = _number(text, integer="integer" in (hsds_type, declared_type))
        # A column the package calls a number but HSDS a string (a postal code) keeps its text: "00100".
        return number if hsds_type in ("number", "integer") else text
    if hsds_type == "boolean" or declared_type == "boolean":
        flag = _boolean(text)
        return flag if hsds_type == "boolean" else text
    if declared_type in _TEMPORAL_FI:
        _check_temporal(text, declared_type, declared_format)
    return text


# --- the package --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    name: str
    """HSDS resource name (``"service"``, ``"contact"``)."""
    path: Path
    label: str
    """How messages name the file (``services.csv``; ``paketti/services.csv`` when importing several)."""
    types: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)
    """Column → (type, format) declared in ``datapackage.json``."""
    delimiter: str = ","


@dataclass
class Package:
    resources: dict[str, Resource]
    """By HSDS resource name."""
    warnings: list[str]


def _declared_types(schema: Any) -> dict[str, tuple[str, str | None]]:
    fields = schema.get("fields") if isinstance(schema, dict) else None
    out: dict[str, tuple[str, str | None]] = {}
    for item in fields if isinstance(fields, list) else ():
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            kind, fmt = item.get("type"), item.get("format")
            out[item["name"]] = (
                kind if isinstance(kind, str) else "string",
                fmt if isinstance(fmt, str) else None,
            )
    return out


def _read_descriptor(path: Path, label: str, issues: IssueCollector) -> list[Any] | None:
    where = f"tiedosto {label}"
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        issues.add(where, None, f"tiedostoa ei voi lukea: {error.strerror or error}")
        return None
    except UnicodeDecodeError as error:
        issues.add(where, None, f"tiedosto ei ole UTF-8-tekstiä ({error.reason})")
        return None
    except json.JSONDecodeError as error:
        issues.add(
            where, None, f"ei ole kelvollista JSONia (rivi {error.lineno}, sarake {error.colno}): {error.msg}"
        )
        return None
    resources = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(resources, list):
        issues.add(where, "resources", "puuttuu: datapackage.json-tiedoston pitää luetella paketin taulut")
        return None
    return resources


class _PackageReader:
    """Finds the tables of one package; problems go to ``issues``, skipped files to ``warnings``."""

    def __init__(self, folder: Path, prefix: str, issues: IssueCollector) -> None:
        self.folder = folder
        self.prefix = prefix
        self.issues = issues
        self.resources: dict[str, Resource] = {}
        self.warnings: list[str] = []

    def from_descriptor(self, descriptor: Path) -> None:
        label = self.prefix + descriptor.name
        items = _read_descriptor(descriptor, label, self.issues)
        for index, item in enumerate(items or ()):
            self._resource(f"tiedosto {label}", f"resources[{index}]", item)
        listed = {r.path.resolve() for r in self.resources.values()}
        for path in sorted(self.folder.glob("*.csv")):
            if path.resolve() not in listed:
                self.warnings.append(
                    f"{self.prefix}{path.name}: tiedostoa ei luettu, koska {label} ei mainitse sitä"
                )

    def _resource(self, where: str, at: str, item: Any) -> None:
        if not isinstance(item, dict):
            self.issues.add(where, at, "taulun kuvauksen pitää olla JSON-objekti")
            return
        raw = item.get("path")
        if not isinstance(raw, str) or not raw:
            self.issues.add(where, f"{at}.path", "puuttuu (Ovi lukee vain tiedostoina annetut taulut)")
            return
        relative = Path(raw)
        if "://" in raw or relative.is_absolute() or ".." in relative.parts:
            self.issues.add(
                where, f"{at}.path", f"{show(raw)}: pitää olla suhteellinen polku paketin kansiossa"
            )
            return
        name = item.get("name") if item.get("name") in _RESOURCE_NAMES else _FILE_KINDS.get(relative.name)
        if name is None:
            self.warnings.append(
                f"{self.prefix}{raw}: tuntematon taulu {show(item.get('name'))}; sitä ei luettu"
            )
            return
        problem = self._dialect_problem(item)
        if problem is not None:
            self.issues.add(where, f"{at}.{problem[0]}", problem[1])
        elif name in self.resources:
            self.issues.add(where, f"{at}.name", f"taulu {name} on kuvattu jo aiemmin")
        elif not (self.folder / relative).is_file():
            self.issues.add(f"tiedosto {self.prefix}{raw}", None, f"tiedosto puuttuu ({where} mainitsee sen)")
        else:
            dialect = item.get("dialect")
            delimiter = dialect.get("delimiter", ",") if isinstance(dialect, dict) else ","
            self.resources[name] = Resource(
                name,
                self.folder / relative,
                self.prefix + raw,
                _declared_types(item.get("schema")),
                delimiter,
            )

    @staticmethod
    def _dialect_problem(item: dict[str, Any]) -> tuple[str, str] | None:
        encoding = item.get("encoding")
        if encoding is not None and str(encoding).lower() not in _UTF8_NAMES:
            return "encoding", f"{show(encoding)}: Ovi lukee vain UTF-8-tiedostoja"
        dialect = item.get("dialect")
        delimiter = dialect.get("delimiter", ",") if isinstance(dialect, dict) else ","
        if not isinstance(delimiter, str) or len(delimiter) != 1:
            return "dialect.delimiter", f"{show(delimiter)}: erottimen pitää olla yksi merkki"
        return None

    def from_folder(self) -> None:
        for path in sorted(self.folder.glob("*.csv")):
            name = _FILE_KINDS.get(path.name)
            if name is None:
                self.warnings.append(f"{self.prefix}{path.name}: tuntematon HSDS-taulu; tiedostoa ei luettu")
            else:
                self.resources[name] = Resource(name, path, self.prefix + path.name)


def open_package(path: Path, prefix: str, issues: IssueCollector) -> Package | None:
    """The tables of the package at ``path`` (a folder or its ``datapackage.json``); None if it is missing."""
    if not path.exists():
        issues.add(f"tiedosto {path}", None, "kansiota tai tiedostoa ei löydy")
        return None
    folder = path if path.is_dir() else path.parent
    descriptor = path if path.is_file() and path.suffix.lower() == ".json" else folder / DATAPACKAGE
    reader = _PackageReader(folder, prefix, issues)
    if descriptor.is_file():
        reader.from_descriptor(descriptor)
    else:
        reader.from_folder()
    if "service" not in reader.resources and not issues:
        issues.add(
            f"tiedosto {prefix}services.csv",
            None,
            "pakollinen tiedosto puuttuu: paketissa pitää olla palvelut",
        )
    return Package(reader.resources, reader.warnings)


# --- rows ---------------------------------------------------------------------------------------------------


class _FileUnreadable(Exception):
    """The rest of a file cannot be read; the reason is already among the issues."""


def _at(label: str, line: int) -> str:
    return f"{label}, rivi {line}"


def _column_of(raw: bytes, header: Sequence[str], delimiter: str) -> str | None:
    """The column holding undecodable bytes, when the line is one whole row."""
    cells = next(csv.reader([raw.decode("utf-8", errors="replace")], delimiter=delimiter), [])
    if len(cells) != len(header):
        return None
    return next((name for name, value in zip(header, cells, strict=True) if "\ufffd" in value), None)


def _decoded_lines(
    binary: BinaryIO, resource: Resource, header: Sequence[str], issues: IssueCollector
) -> Iterator[str]:
    # Decoding line by line (not the whole file at once) names the line of a wrong byte and keeps memory flat.
    for number, raw in enumerate(binary, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as error:
            column = _column_of(raw, header, resource.delimiter) if header else None
            issues.add(
                _at(resource.label, number), column,
                f"tiedosto ei ole UTF-8-tekstiä (tavu 0x{raw[error.start]:02x}); tallenna se UTF-8-muodossa",
            )  # fmt: skip
            raise _FileUnreadable from error


_CSV_ERRORS_FI = {
    "unexpected end of data": "lainausmerkki jää sulkematta",
    "expected after": "lainausmerkin jälkeen pitää tulla erotin tai rivinvaihto",
    "new-line character seen in unquoted field": "rivinvaihto lainausmerkkien ulkopuolella",
    "field larger than field limit": "kenttä on liian pitkä",
}


def _csv_error_fi(error: csv.Error) -> str:
    text = str(error)
    return next((fi for en, fi in _CSV_ERRORS_FI.items() if en in text), "virheellinen rivi") + f" ({text})"


def _header_ok(label: str, header: Sequence[str], required: Iterable[str], issues: IssueCollector) -> bool:
    at = _at(label, 1)
    if not header:
        issues.add(at, None, "otsikkorivi on tyhjä: ensimmäisellä rivillä pitää olla sarakkeiden nimet")
        return False
    if len(header) == 1 and any(mark in header[0] for mark in ";\t|"):
        # Spreadsheets in Finnish locales save with semicolons; say so rather than list every missing column.
        issues.add(
            at,
            None,
            "otsikkorivillä on vain yksi sarake: erottimen pitää olla pilkku (tai dialect.delimiter)",
        )
        return False
    ok, seen = True, set()
    for index, name in enumerate(header, start=1):
        if not name:
            issues.add(at, None, f"sarakkeella {index} ei ole nimeä")
            ok = False
        elif name in seen:
            issues.add(at, name, "sarake esiintyy otsikkorivillä kahdesti")
            ok = False
        seen.add(name)
    for name in required:
        if name not in seen:
            issues.add(at, name, "pakollinen sarake puuttuu")
            ok = False
    return ok


def read_rows(
    resource: Resource, issues: IssueCollector, required: Iterable[str] = ()
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, non-empty cells by column) for each data row, streamed; problems go to ``issues``."""
    header: list[str] = []  # filled in once read, so that a wrong byte further down can name its column
    start = 1
    try:
        with resource.path.open("rb") as binary:
            reader = csv.reader(
                _decoded_lines(binary, resource, header, issues), delimiter=resource.delimiter, strict=True
            )
            try:
                first = next(reader, None)
                if first is None:
                    issues.add(f"tiedosto {resource.label}", None, "tiedosto on tyhjä: otsikkorivi puuttuu")
                    return
                header.extend(name.strip() for name in first)
                if not _header_ok(resource.label, header, required, issues):
                    return
                start = reader.line_num + 1
                for cells in reader:
                    line, start = start, reader.line_num + 1
                    if not any(cells):
                        continue  # a blank line
                    if len(cells) != len(header):
                        issues.add(
                            _at(resource.label, line), None,
                            f"rivillä on {len(cells)} kenttää, otsikkorivillä {len(header)} "
                            "(erotin tai lainausmerkit väärin?)",
                        )  # fmt: skip
                        continue
                    yield (
                        line,
                        {name: value for name, value in zip(header, cells, strict=True) if value != ""},
                    )
            except csv.Error as error:
                issues.add(_at(resource.label, start), None, f"CSV-muoto on rikki: {_csv_error_fi(error)}")
    except _FileUnreadable:
        return
    except OSError as error:
        issues.add(f"tiedosto {resource.label}", None, f"tiedostoa ei voi lukea: {error.strerror or error}")


@dataclass
class _Table:
    """The rows of one stored table, as HSDS objects by id (file order)."""

    kind: str
    label: str
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    unstored: Counter[str] = field(default_factory=Counter)
    """Columns Ovi does not store → rows with a value in them."""

    def at(self, object_id: str) -> str:
        return _at(self.label, self.lines[object_id])


def _object(
    table: _Table, resource: Resource, line: int, cells: Mapping[str, str], issues: IssueCollector
) -> dict[str, Any] | None:
    columns = TABLES_BY_KIND[table.kind].columns
    data: dict[str, Any] = {}
    dropped = set()
    ok = True
    for column, text in cells.items():
        if column not in columns:
            dropped.add(column)
            continue
        try:
            data[column] = convert(text, json_type(table.kind, column), resource.types.get(column))
        except ValueError as error:
            issues.add(_at(table.label, line), column, str(error))
            ok = False
    for column in _EMPTY_IS_TEXT.get(table.kind, ()):
        data.setdefault(column, "")
    for column in required_columns(table.kind):
        if column not in data and column not in cells:
            issues.add(_at(table.label, line), column, "pakollinen kenttä puuttuu (tyhjä solu)")
            ok = False
    table.unstored.update(dropped)
    return data if ok else None


def load_table(kind: str, resource: Resource, issues: IssueCollector, origins: dict[int, Origin]) -> _Table:
    table = _Table(kind, resource.label)
    for line, cells in read_rows(resource, issues, required_columns(kind)):
        data = _object(table, resource, line, cells, issues)
        if data is None:
            continue
        object_id = data["id"]
        if object_id in table.lines:
            issues.add(
                _at(table.label, line), "id", f"id {object_id} esiintyy jo rivillä {table.lines[object_id]}"
            )
            continue
        table.objects[object_id] = data
        table.lines[object_id] = line
        origins[id(data)] = (table.label, line)
    return table


# --- rows → nested service records --------------------------------------------------------------------------


def _list_field(owner: str, kind: str) -> str:
    """The list field of ``owner`` that holds objects of ``kind`` (``("location", "phone")`` → ``phones``)."""
    return next(name for name, (child, many) in KINDS[owner].nested.items() if child == kind and many)


class _Linker:
    """Nests the rows of one package into service records, following the foreign keys."""

    def __init__(self, tables: dict[str, _Table], issues: IssueCollector) -> None:
        self.tables = tables
        self.issues = issues
        self.warnings: list[str] = []
        self.used: dict[str, set[str]] = {kind: set() for kind in tables}

    def _target(self, kind: str, object_id: str, column: str, target: str) -> dict[str, Any] | None:
        """The row the foreign key ``column`` of one row names; an issue when there is none."""
        value = self.tables[kind].objects[object_id].get(column)
        found = self.tables[target].objects.get(value) if isinstance(value, str) else None
        if found is None:
            self.issues.add(
                self.tables[kind].at(object_id), column,
                f"{KINDS[target].label_fi} {value} puuttuu tiedostosta {self.tables[target].label}",
            )  # fmt: skip
        return found

    def _prepare(self) -> None:
        for kind, table in self.tables.items():
            lists = [name for name, (_, many) in KINDS[kind].nested.items() if many]
            for data in table.objects.values() if lists else ():
                for name in lists:
                    data[name] = []

    def _services(self) -> None:
        programs = self.tables["program"].objects
        for service_id, service in self.tables["service"].objects.items():
            org = self._target("service", service_id, "organization_id", "organization")
            if org is not None:
                service["organization"] = org
                self.used["organization"].add(org["id"])
            program = programs.get(service.get("program_id") or "")
            if program is not None:  # else a program only in the database, or none
                service["program"] = program
                self.used["program"].add(program["id"])

    def _programs(self) -> None:
        organizations = self.tables["organization"].objects
        for program in self.tables["program"].objects.values():
            org = organizations.get(program.get("organization_id") or "")
            if org is not None:
                org["programs"].append(program)
                if org["id"] in self.used["organization"]:
                    self.used["program"].add(program["id"])

    def _service_at_locations(self) -> None:
        for sal_id, sal in self.tables["service_at_location"].objects.items():
            service = self._target("service_at_location", sal_id, "service_id", "service")
            location = self._target("service_at_location", sal_id, "location_id", "location")
            if service is not None and location is not None:
                sal["location"] = location
                service["service_at_locations"].append(sal)
                self.used["location"].add(location["id"])

    def _children(self, kind: str) -> None:
        table, links = self.tables[kind], OWNER_LINKS[kind]
        several = 0
        for object_id, data in table.objects.items():
            given = [column for column in links if column in data]
            if not given:
                self.issues.add(
                    table.at(object_id), None,
                    f"rivi ei liity mihinkään: täytä jokin sarakkeista {', '.join(links)}",
                )  # fmt: skip
                continue
            owners = [self._target(kind, object_id, column, _LINK_KINDS[column]) for column in given]
            owner = owners[0]
            if owner is None or None in owners:
                continue
            if len(given) > 1:
                # A contact's phone that names the contact's service-at-location too loses nothing.
                several += any(owner.get(column) != data[column] for column in given[1:])
                for column in given[1:]:
                    del data[column]  # Ovi stores the row once, under its most specific owner
            owner[_list_field(_LINK_KINDS[given[0]], kind)].append(data)
        if several:
            self.warnings.append(
                f"{table.label}: rivejä, jotka nimeävät useamman omistajan: {several}; kukin tallennetaan "
                f"vain ensimmäiselle täytetyistä sarakkeista {', '.join(links)}"
            )

    def _entity(self, given: Any, link_id: str) -> str | None:
        if isinstance(given, str):
            return _ENTITIES.get(given.strip().lower(), given)
        return next((kind for kind, table in self.tables.items() if link_id in table.objects), None)

    def _attributes(self) -> None:
        table = self.tables["attribute"]
        elsewhere: Counter[str] = Counter()
        for attribute_id, data in table.objects.items():
            entity = self._entity(data.get("link_entity"), data["link_id"])
            if entity is None:
                self.issues.add(
                    table.at(attribute_id), "link_id", f"{data['link_id']} ei ole minkään paketin taulun rivi"
                )
                continue
            if entity not in f.ANNOTATED:
                elsewhere[entity] += 1
                continue
            owner = self._target("attribute", attribute_id, "link_id", entity)
            term = self._target("attribute", attribute_id, "taxonomy_term_id", "taxonomy_term")
            if owner is None or term is None:
                continue
            data["link_entity"] = entity
            data["taxonomy_term"] = term
            owner["attributes"].append(data)
            self.used["taxonomy_term"].add(term["id"])
        for entity, count in sorted(elsewhere.items()):
            self.warnings.append(
                f"{table.label}: taulun {entity} attribuutteja ei tallenneta (Ovi tallentaa palvelujen, "
                f"organisaatioiden, sijaintien ja niiden osien attribuutit): {count}"
            )

    def _metadata(self) -> None:
        table = self.tables["metadata"]
        skipped: Counter[str] = Counter()
        for data in table.objects.values():
            resource_id = data["resource_id"]
            entity = self._entity(data.get("resource_type"), resource_id)
            owner = self.tables[entity].objects.get(resource_id) if entity in f.ANNOTATED else None
            if owner is None:  # HSDS's own example types a service's row "location": find it by id
                owner = next(
                    (t.objects[resource_id] for k, t in self.tables.items()
                     if k in f.ANNOTATED and resource_id in t.objects),
                    None,
                )  # fmt: skip
            if owner is None:
                skipped[str(data.get("resource_type"))] += 1
                continue
            owner["metadata"].append(data)  # resource_type as written, as the JSON import keeps it
        for entity, count in sorted(skipped.items()):
            self.warnings.append(
                f"{table.label}: ohitettiin muutoshistoriarivit kohteista ({entity}), joita ei ole paketissa "
                f"tai joiden historiaa Ovi ei tallenna: {count}"
            )

    def _taxonomies(self) -> None:
        taxonomies = self.tables["taxonomy"].objects
        for term_id, term in self.tables["taxonomy_term"].objects.items():
            detail = taxonomies.get(term.get("taxonomy_id") or "")
            if term_id in self.used["taxonomy_term"] and detail is not None:
                term["taxonomy_detail"] = detail
                self.used["taxonomy"].add(detail["id"])

    def _unused(self) -> None:
        # The import is service by service: rows no imported service reaches are left out, and said so.
        for kind, what in (
            ("organization", "organisaatiot, joilla ei ole palveluja paketissa"),
            ("location", "sijainnit, joihin mikään service_at_location-rivi ei viittaa"),
            ("program", "ohjelmat, joiden organisaatio tai palvelut eivät ole paketissa"),
            ("taxonomy_term", "luokitustermit, joita mikään tuotava attribuutti ei käytä"),
            ("taxonomy", "luokitukset, joita mikään tuotava termi ei käytä"),
        ):
            table = self.tables[kind]
            count = len(table.objects.keys() - self.used[kind])
            if count:
                self.warnings.append(f"{table.label}: ohitettiin {what}: {count}")

    def link(self) -> list[Record]:
        self._prepare()
        self._services()
        self._programs()
        self._service_at_locations()
        for kind in OWNER_LINKS:
            self._children(kind)
        self._attributes()
        self._metadata()
        self._taxonomies()
        self._unused()
        services = self.tables["service"]
        return [
            Record(record_label(index, data, services.at(service_id)), data)
            for index, (service_id, data) in enumerate(services.objects.items(), start=1)
        ]


# --- the whole import ---------------------------------------------------------------------------------------


@dataclass
class PackageData:
    """What one package turned into: records to import, warnings, and where each object was read."""

    records: list[Record] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    origins: dict[int, Origin] = field(default_factory=dict)


def _unstored_warnings(tables: Iterable[_Table]) -> list[str]:
    return [
        f"{table.label}: sarakkeen {column} arvoja ei tallenneta (Ovi ei tue kenttää): {count} rivillä"
        for table in tables
        for column, count in sorted(table.unstored.items())
    ]


def read_package(path: Path, issues: IssueCollector, prefix: str = "") -> PackageData:
    """Read and nest one package. Problems go to ``issues``; the result is only meaningful without any."""
    out = PackageData()
    package = open_package(path, prefix, issues)
    if package is None or issues:
        return out
    out.warnings += package.warnings
    tables: dict[str, _Table] = {}
    for table in TABLES:
        resource = package.resources.get(table.kind)
        if resource is None:  # an absent optional table has no rows
            tables[table.kind] = _Table(table.kind, prefix + table.path)
        else:
            tables[table.kind] = load_table(table.kind, resource, issues, out.origins)
    for name in UNSTORED_TABLES:
        resource = package.resources.get(name)
        # Read through all the same, so that a broken file is an error here too.
        count = sum(1 for _ in read_rows(resource, issues)) if resource is not None else 0
        if resource is not None and count:
            out.warnings.append(
                f"{resource.label}: HSDS-taulua {name} ei tallenneta (Ovi ei tue sitä); rivejä: {count}"
            )
    if issues:
        return out
    linker = _Linker(tables, issues)
    out.records = linker.link()
    out.warnings += _unstored_warnings(tables.values()) + linker.warnings
    return out


_PATH_PART = re.compile(r"[^.\[\]]+|\[\d+\]")


def _origin(
    data: Any, field_path: str | None, origins: Mapping[int, Origin]
) -> tuple[Origin, str | None] | None:
    """The CSV row (and column) behind a field of a record: the deepest object on the path read from a row."""
    parts = _PATH_PART.findall(field_path or "")
    found, rest = origins.get(id(data)), 0
    node = data
    for index, part in enumerate(parts):
        if part.startswith("["):
            position = int(part[1:-1])
            if not isinstance(node, list) or position >= len(node):
                break
            node = node[position]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            break
        if isinstance(node, dict) and id(node) in origins:
            found, rest = origins[id(node)], index + 1
    if found is None:
        return None
    column = "".join(p if p.startswith("[") or i == 0 else f".{p}" for i, p in enumerate(parts[rest:]))
    return found, column or None


def _at_rows(
    error: ImportValidationError, records: Sequence[Record], origins: Mapping[int, Origin]
) -> ImportValidationError:
    """The same problems, each named by the CSV file, line and column its value came from."""
    by_label = {record.label: record.data for record in records}
    issues: dict[ImportIssue, None] = {}
    for issue in error.issues:
        located = _origin(by_label[issue.record], issue.field, origins) if issue.record in by_label else None
        if located is not None:
            (label, line), column = located
            issue = ImportIssue(_at(label, line), column, issue.message)
        # An organization or location shared by several services is one row: report its problem once.
        issues.setdefault(issue)
    return ImportValidationError(list(issues), more=error.more)


def import_hsds_csv(
    session: Session,
    paths: Path | str | Sequence[Path | str],
    *,
    dry_run: bool = False,
    encoder: SentenceEncoder | None = None,
    source: str | None = None,
    user: str | None = None,
    prune: bool = False,
) -> ImportResult:
    """Import one or more HSDS tabular data packages atomically (all of them in one transaction); the options
    as in :func:`~directory_db.importers.hsds_json.import_records` (the default source is ``hsds-csv``)."""
    path_list = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    issues = IssueCollector()
    # With several packages the messages name the folder too ("paketti/services.csv").
    prefixes = [f"{(p if p.is_dir() else p.parent).name}/" if len(path_list) > 1 else "" for p in path_list]
    packages = [read_package(path, issues, prefix) for path, prefix in zip(path_list, prefixes, strict=True)]
    issues.raise_if_any()
    records = [record for package in packages for record in package.records]
    origins = {key: value for package in packages for key, value in package.origins.items()}
    try:
        result = import_records(
            session, records, dry_run=dry_run, encoder=encoder, source=source, default_source=FORMAT,
            user=user or f"import:{FORMAT}", prune=prune,
        )  # fmt: skip
    except ImportValidationError as error:
        raise _at_rows(error, records, origins) from error
    warnings = [warning for package in packages for warning in package.warnings]
    return replace(result, warnings=(*warnings, *result.warnings))
