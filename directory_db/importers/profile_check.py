"""Checks of Ovi's Finnish profile of HSDS (SPEC §5) on records that already passed the JSON schema.

Per record: service areas name known municipalities / counties / regions (or the nationwide extent), service
classes and target groups are known PTV codes with matching URIs, the organization has one known organization
type, nested ids agree with their parents, and the attributes of Ovi's own taxonomies (profile.OVI_TAXONOMIES:
eligibility, cost, confidential address, holiday hours, source ids) use known codes, sit on the objects they
are meant for and carry the values they need; a translation (``ovi_translation``) names a profile language and
a translatable field of its object. Across the file: ids are unique, and an organization, location
or program repeated by several services is the same every time.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from ovi_lang import codes

from ..areas import AreaError, classify_service_area
from ..profile import (
    COST_TAXONOMY,
    FEE,
    FLAG_VALUES,
    FREE,
    ORGANIZATION_TYPE_TAXONOMY,
    OVI_TAXONOMIES,
    PROVIDER_TYPES,
    SERVICE_CLASS_TAXONOMY,
    TARGET_GROUP_TAXONOMY,
    TRANSLATED_FIELDS,
    TRANSLATION_LANGUAGES,
    TRANSLATION_TAXONOMY,
    parse_translation_code,
)
from .schema_check import show
from .structure import KINDS, PARENT_LINK_FIELD, SHARED_KINDS, Node, Record, children, walk

Problem = tuple[str | None, str]
FileProblem = tuple[str, str | None, str]
"""(record label, field, message)"""

_ISO_639_1 = re.compile(r"^[a-z]{2}$")
_UNKNOWN_TERM_FI = {
    SERVICE_CLASS_TAXONOMY: "tuntematon palveluluokka",
    TARGET_GROUP_TAXONOMY: "tuntematon kohderyhmä",
}


# --- one record ---------------------------------------------------------------------------------------------


def _parent_link(node: Node) -> Iterator[Problem]:
    parent = node.parent
    if parent is None or node.kind in ("organization", "location", "taxonomy_term", "taxonomy"):
        return
    if node.kind == "attribute":
        checks = {"link_id": parent.id, "link_entity": parent.kind}
    elif node.kind == "metadata":
        checks = {"resource_id": parent.id}
    elif node.kind == "program":
        # A service names its program by program_id; a program listed by an organization belongs to it.
        checks = {"organization_id": parent.id} if parent.kind == "organization" else {}
    elif parent.kind in PARENT_LINK_FIELD:
        checks = {PARENT_LINK_FIELD[parent.kind]: parent.id}
    else:
        checks = {}
    for name, expected in checks.items():
        value = node.data.get(name)
        if value is not None and value != expected:
            yield node.field_path(name), f"arvo {show(value)} ei vastaa ylemmän tason arvoa {show(expected)}"


def _nested_id_matches(node: Node, link: str, nested: str) -> Iterator[Problem]:
    # service.organization_id must name the nested organization; service_at_location.location_id its location
    value, inner = node.data.get(link), node.data.get(nested)
    if value is not None and isinstance(inner, dict) and value != inner.get("id"):
        yield (
            node.field_path(link),
            f"arvo {show(value)} ei vastaa kentän {nested}.id arvoa {show(inner.get('id'))}",
        )


def _service_area(node: Node) -> Iterator[Problem]:
    data = node.data
    try:
        classify_service_area(data.get("uri"), data.get("extent"), data.get("extent_type"))
    except AreaError as error:
        yield node.field_path("uri"), str(error)


def _translation_code(code: Any, owner: str) -> str | None:
    """What is wrong with the code of an ``ovi_translation`` attribute on ``owner`` (an object that may have
    translations), if anything."""
    parsed = parse_translation_code(code)
    languages = ", ".join(TRANSLATION_LANGUAGES)
    if parsed is None:
        return f'käännöksen koodin pitää olla muotoa kieli:kenttä (esim. "sv:name"), ei {show(code)}'
    language, field_name = parsed
    if language == "fi":
        return f"suomenkielinen teksti kuuluu itse kenttään {field_name} (käännösten kielet: {languages})"
    if language not in TRANSLATION_LANGUAGES:
        return f"käännöksen kieli {show(language)} ei ole profiilin kieli (sallitut: {languages})"
    fields = TRANSLATED_FIELDS[owner]
    if field_name not in fields:
        allowed = ", ".join(fields)
        return f"{KINDS[owner].genitive_fi} kenttää {show(field_name)} ei käännetä (sallitut: {allowed})"
    return None


def _ovi_attribute(node: Node, term: dict[str, Any]) -> Iterator[Problem]:
    """An attribute of one of Ovi's own taxonomies: known code, allowed owner, the value it needs."""
    term_path = node.field_path("taxonomy_term")
    spec = OVI_TAXONOMIES[term["taxonomy"]]
    code, value = term.get("code"), node.data.get("value")
    owner = node.parent.kind if node.parent is not None else None
    # A translation's code is checked by its parts (language, field), after its owner: the list of all its
    # codes would say little.
    translation = spec.name == TRANSLATION_TAXONOMY
    code_problem = None
    if translation and owner is not None and owner in spec.owners:
        code_problem = _translation_code(code, owner)
    if code_problem is not None:
        yield f"{term_path}.code", code_problem
    elif code not in spec.codes and not translation:
        allowed = ", ".join(spec.codes)
        yield f"{term_path}.code", f"tuntematon {spec.name}-koodi {show(code)} (sallitut: {allowed})"
    elif owner not in spec.owners:
        where = " tai ".join(KINDS[kind].genitive_fi for kind in sorted(spec.owners))
        message = f"luokituksen {spec.name} attribuutti kuuluu vain {where} attribuutteihin"
        yield f"{term_path}.taxonomy", message
    elif spec.value == "flag" and value not in FLAG_VALUES:
        yield node.field_path("value"), f'arvo {show(value)} ei ole sallittu (tyhjä, "true" tai "false")'
    elif spec.value == "required" and not (isinstance(value, str) and value.strip()):
        yield node.field_path("value"), f"luokituksen {spec.name} attribuutilla pitää olla arvo (value)"


def _attribute(node: Node) -> Iterator[Problem]:
    term = node.data.get("taxonomy_term")
    if not isinstance(term, dict):
        yield node.field_path("taxonomy_term"), "puuttuu (Ovi tallentaa attribuutit luokitustermeinä)"
        return
    term_path = node.field_path("taxonomy_term")
    taxonomy, code = term.get("taxonomy"), term.get("code")
    if taxonomy in _UNKNOWN_TERM_FI:
        known = codes.taxonomy_code(taxonomy, code) if isinstance(code, str) else None
        if known is None:
            yield (
                f"{term_path}.code",
                f"{_UNKNOWN_TERM_FI[taxonomy]} {show(code) if code is not None else '(puuttuu)'}",
            )
        elif term.get("term_uri") not in (None, known.uri):
            yield f"{term_path}.term_uri", f"ei vastaa koodia {code} (odotettiin {known.uri})"
    elif taxonomy == ORGANIZATION_TYPE_TAXONOMY:
        if node.parent is None or node.parent.kind != "organization":
            yield f"{term_path}.taxonomy", "organisaatiotyyppi kuuluu organisaation attribuutteihin"
        elif code not in PROVIDER_TYPES:
            allowed = ", ".join(PROVIDER_TYPES)
            yield f"{term_path}.code", f"tuntematon organisaatiotyyppi {show(code)} (sallitut: {allowed})"
    elif taxonomy in OVI_TAXONOMIES:
        yield from _ovi_attribute(node, term)


def _ovi_attributes_together(node: Node) -> Iterator[Problem]:
    """Across one object's attributes: no code twice, one value where one is meant, cost kinds that agree."""
    seen: dict[tuple[str, str], int] = {}
    per_taxonomy: dict[str, list[int]] = {}
    cost: dict[str, int] = {}
    for i, item in enumerate(children(node.data, "attributes")):
        term = item.get("taxonomy_term")
        if not isinstance(term, dict) or term.get("taxonomy") not in OVI_TAXONOMIES:
            continue
        taxonomy, code = str(term["taxonomy"]), str(term.get("code"))
        path = f"{node.field_path('attributes')}[{i}]"
        if (taxonomy, code) in seen:
            message = f"{taxonomy}/{code} on jo attribuutissa [{seen[taxonomy, code]}]"
            yield f"{path}.taxonomy_term.code", message
        seen.setdefault((taxonomy, code), i)
        per_taxonomy.setdefault(taxonomy, []).append(i)
        if taxonomy == COST_TAXONOMY and (item.get("value") or "").lower() != "false":
            cost[code] = i
    for taxonomy, positions in per_taxonomy.items():
        if OVI_TAXONOMIES[taxonomy].one_per_owner and len(positions) > 1:
            where = f"{node.field_path('attributes')}[{positions[1]}]"
            yield f"{where}.taxonomy_term.taxonomy", f"luokitusta {taxonomy} saa olla vain yksi attribuutti"
    # A voucher may cover the whole price, so free + service_voucher is fine; free + fee is a contradiction.
    if FREE in cost and FEE in cost:
        yield (
            f"{node.field_path('attributes')}[{cost[FREE]}].taxonomy_term.code",
            f"maksuton ({FREE}) ei sovi yhteen maksullisen ({FEE}) kanssa",
        )


def _organization(node: Node) -> Iterator[Problem]:
    terms = [a.get("taxonomy_term") for a in children(node.data, "attributes")]
    types = [t for t in terms if isinstance(t, dict) and t.get("taxonomy") == ORGANIZATION_TYPE_TAXONOMY]
    if not types:
        yield (
            node.field_path("attributes"),
            (
                "organisaatiotyyppi puuttuu (attribuutti, jonka taxonomy_term.taxonomy on "
                f'"{ORGANIZATION_TYPE_TAXONOMY}")'
            ),
        )
    elif len(types) > 1:
        yield node.field_path("attributes"), "organisaatiolla saa olla vain yksi organisaatiotyyppi"


def _language(node: Node) -> Iterator[Problem]:
    code = node.data.get("code")
    if code is not None and not _ISO_639_1.match(code):
        yield node.field_path("code"), f'kielikoodin {show(code)} pitää olla ISO 639-1 -koodi (esim. "fi")'


_NODE_CHECKS = {
    "service_area": _service_area,
    "attribute": _attribute,
    "organization": _organization,
    "language": _language,
}


def _service(record: dict[str, Any]) -> Iterator[Problem]:
    if not isinstance(record.get("organization"), dict):
        yield "organization", "palvelulta puuttuu organisaatio (organization)"
    if not children(record, "service_areas"):
        yield (
            "service_areas",
            (
                'palvelulla pitää olla vähintään yksi palvelualue (valtakunnallinen: {"name": "Koko Suomi", '
                '"extent_type": "text", "extent": "FI"})'
            ),
        )


def _control_characters(node: Node) -> Iterator[Problem]:
    # U+0000 is valid JSON but no database text: PostgreSQL refuses the whole import without saying where.
    for name, value in node.data.items():
        if isinstance(value, str) and "\x00" in value:
            yield node.field_path(name), "teksti sisältää NUL-merkin (U+0000)"


def record_problems(record: dict[str, Any], nodes: Sequence[Node] | None = None) -> Iterator[Problem]:
    """Finnish-profile problems of one schema-valid service record (``nodes``: its walk, if already made)."""
    yield from _service(record)
    for node in nodes if nodes is not None else walk("service", record):
        yield from _control_characters(node)
        yield from _parent_link(node)
        if node.kind == "service":
            yield from _nested_id_matches(node, "organization_id", "organization")
            yield from _nested_id_matches(node, "program_id", "program")
        elif node.kind == "service_at_location":
            yield from _nested_id_matches(node, "location_id", "location")
        check = _NODE_CHECKS.get(node.kind)
        if check is not None:
            yield from check(node)
        if "attributes" in KINDS[node.kind].nested:
            yield from _ovi_attributes_together(node)


# --- across the file ----------------------------------------------------------------------------------------


def _term_key(data: dict[str, Any]) -> tuple[Any, Any]:
    return data.get("taxonomy"), data.get("code")


def _key(kind: str, object_id: str) -> bytes:
    # 16 bytes per object instead of its (kind, id) strings: a large import holds one per object of the file.
    return hashlib.blake2b(f"{kind}:{object_id}".encode(), digest_size=16).digest()


def _fingerprint(node: Node) -> Any:
    """What a repeat of a shared object must equal: a term's (taxonomy, code), another object's whole data."""
    if node.kind == "taxonomy_term":
        return _term_key(node.data)
    text = json.dumps(node.data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _shared_owner(node: Node) -> bytes | None:
    """The nearest enclosing organization or location: objects inside one repeat whenever it does."""
    parent = node.parent
    while parent is not None:
        if parent.kind in SHARED_KINDS:
            return _key(parent.kind, parent.id) if parent.id is not None else None
        parent = parent.parent
    return None


class _First(NamedTuple):
    """Where an id was first seen, and what a repeat is compared with (compact: one per object of a file)."""

    record: int
    path: str
    owner: bytes | None
    fingerprint: Any


class RepeatCheck:
    """Across the file, one record at a time: duplicate ids, and shared objects that differ between records.

    Holds per id only a digest, the first record's number, its path (interned: paths repeat from record to
    record) and a fingerprint, never the records, so a streamed import's memory does not hold the file.
    """

    def __init__(self) -> None:
        self._labels: list[str] = []
        self._first: dict[bytes, tuple[int, str, bytes | None, Any]] = {}

    def add(self, record: Record, nodes: Sequence[Node] | None = None) -> Iterator[FileProblem]:
        """(record label, field, message) of the repeats in ``record`` (checked against earlier records)."""
        number = len(self._labels)
        self._labels.append(record.label)
        for node in nodes if nodes is not None else walk("service", record.data):
            if node.id is None:
                continue
            key = _key(node.kind, node.id)
            first = self._first.get(key)
            if first is None:
                shared = node.kind in SHARED_KINDS
                # Stored as a plain tuple of strings and numbers, which the garbage collector stops
                # tracking: a large import holds millions, and every full collection would walk them all.
                self._first[key] = (
                    number, sys.intern(node.path), None if shared else _shared_owner(node),
                    _fingerprint(node) if shared else None,
                )  # fmt: skip
                continue
            problem = self._repeat_problem(node, _First(*first))
            if problem is not None:
                yield record.label, node.field_path("id"), problem

    def _repeat_problem(self, node: Node, first: _First) -> str | None:
        """What is wrong with an id seen a second time, if anything."""
        kind = KINDS[node.kind]
        where = f"{self._labels[first.record]}, kenttä {first.path or 'id'}"
        if node.kind not in SHARED_KINDS:
            owner = _shared_owner(node)
            if owner is not None and owner == first.owner:
                return None  # part of a repeated organization or location, compared as a whole
            return f"{kind.genitive_fi} id {node.id} esiintyy jo: {where}"
        if node.kind == "taxonomy_term":
            if _term_key(node.data) == first.fingerprint:
                return None
            return (
                f"luokitustermin id {node.id} tarkoittaa jo toista termiä "
                f"({'/'.join(map(str, first.fingerprint))}): {where}"
            )
        if _fingerprint(node) == first.fingerprint:
            return None
        return (
            f"{kind.label_fi} id={node.id} on jo määritelty eri tiedoin ({where}); "
            "saman id:n tietojen pitää olla joka kohdassa samat"
        )
