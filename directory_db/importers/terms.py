"""Taxonomy terms and taxonomies of an import, resolved to stored rows.

A term of a code list is stored once: terms are matched by (``taxonomy``, ``code``) first and by id only
when they have no code, so two sources that give "ptvserclass2/P5.7" different ids share one term (the first
id stored wins). The profile's own taxonomies (service classes, target groups, organization types and Ovi's
extensions in :data:`directory_db.profile.OVI_TAXONOMIES`) get a ``taxonomies`` row with a fixed id, and
their terms always point at it; other terms keep the taxonomy the file names in ``taxonomy_detail`` or
``taxonomy_id``. Terms of Ovi's own taxonomies always get their Finnish names from the profile.

:func:`ovi_attribute` builds the HSDS attribute of an Ovi extension, for converters and the importer.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ovi_lang import codes

from .. import hsds_fields as f
from ..models import Taxonomy, TaxonomyTerm
from ..profile import (
    ORGANIZATION_TYPE_TAXONOMY,
    OVI_TAXONOMIES,
    SERVICE_CLASS_TAXONOMY,
    TARGET_GROUP_TAXONOMY,
)
from .errors import IssueCollector
from .structure import Node

PROFILE_TAXONOMIES: dict[str, tuple[str, str | None]] = {
    SERVICE_CLASS_TAXONOMY: ("PTV:n palveluluokitus (koodistot.suomi.fi)", codes.SCHEMES["ptvserclass2"]),
    TARGET_GROUP_TAXONOMY: ("PTV:n kohderyhmät (koodistot.suomi.fi)", codes.SCHEMES["ptvkohderyhmat"]),
    ORGANIZATION_TYPE_TAXONOMY: ("PTV:n organisaatiotyypit sekä seurakunta (parish)", None),
    **{name: (taxonomy.description_fi, None) for name, taxonomy in OVI_TAXONOMIES.items()},
}

# Ids that Ovi derives (stable ids of non-UUID source ids, Ovi's own terms and attributes) live under this
# namespace, so the same input gives the same ids in every database.
OVI_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ovi:hsds")


def ovi_uuid(name: str) -> str:
    """``uuid5(OVI_NAMESPACE, name)``: a stable id for something Ovi derives."""
    return str(uuid.uuid5(OVI_NAMESPACE, name))


def ovi_term(taxonomy: str, code: str) -> dict[str, Any]:
    """The HSDS ``taxonomy_term`` of one code of an Ovi taxonomy (profile.OVI_TAXONOMIES)."""
    spec = OVI_TAXONOMIES[taxonomy]
    return {
        "id": ovi_uuid(f"taxonomy_term:{taxonomy}/{code}"),
        "code": code,
        "name": spec.codes[code],
        "description": f"Ovin profiili, luokitus {taxonomy}: {spec.codes[code]}",
        "taxonomy": taxonomy,
        "language": "fi",
    }


def ovi_attribute(owner_id: str, taxonomy: str, code: str, value: str | None = None) -> dict[str, Any]:
    """An HSDS attribute of an Ovi extension for the object ``owner_id`` (its id from owner and code)."""
    term = ovi_term(taxonomy, code)
    out: dict[str, Any] = {
        "id": ovi_uuid(f"attribute:{owner_id}:{taxonomy}/{code}"),
        "taxonomy_term_id": term["id"],
    }
    if value is not None:
        out["value"] = value
    out["taxonomy_term"] = term
    return out


def profile_taxonomy_id(name: str) -> str:
    """Stable id of a profile taxonomy, the same in every Ovi database."""
    uri = PROFILE_TAXONOMIES[name][1]
    return str(uuid.uuid5(uuid.NAMESPACE_URL, uri or f"urn:ovi:taxonomy:{name}"))


def _columns(data: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    return {name: data.get(name) for name in names if name != "id"}


class TermResolver:
    def __init__(self, session: Session, issues: IssueCollector) -> None:
        self.session = session
        self.issues = issues
        self._by_file_id: dict[str, TaxonomyTerm] = {}
        self._by_key: dict[tuple[str, str], TaxonomyTerm] = {}
        self._taxonomies: dict[str, Taxonomy] = {}

    def _taxonomy(self, taxonomy_id: str, values: dict[str, Any]) -> Taxonomy:
        taxonomy = self._taxonomies.get(taxonomy_id) or self.session.get(Taxonomy, taxonomy_id)
        if taxonomy is None:
            taxonomy = Taxonomy(id=taxonomy_id, **values)
            self.session.add(taxonomy)
        else:
            for name, value in values.items():
                setattr(taxonomy, name, value)
        self._taxonomies[taxonomy_id] = taxonomy
        return taxonomy

    def load_taxonomy_details(self, nodes: Iterable[Node]) -> None:
        """Store every ``taxonomy_detail`` of the file first, so any term may refer to one by id."""
        for node in nodes:
            if node.kind == "taxonomy" and node.id is not None:
                self._taxonomy(node.id, _columns(node.data, f.TAXONOMY_SCALARS))

    def _taxonomy_id(self, label: str, node: Node) -> str | None:
        data = node.data
        name = data.get("taxonomy")
        if name in PROFILE_TAXONOMIES:
            description, uri = PROFILE_TAXONOMIES[name]
            values = {"name": name, "description": description, "uri": uri, "version": None}
            return self._taxonomy(profile_taxonomy_id(name), values).id
        detail = data.get("taxonomy_detail")
        if isinstance(detail, dict):
            return str(detail["id"])
        taxonomy_id = data.get("taxonomy_id")
        if taxonomy_id is None:
            return None
        if taxonomy_id in self._taxonomies or self.session.get(Taxonomy, taxonomy_id) is not None:
            return str(taxonomy_id)
        self.issues.add(
            label,
            node.field_path("taxonomy_id"),
            f"tuntematon luokitus {taxonomy_id} (anna luokituksen tiedot kentässä taxonomy_detail)",
        )
        return None

    def _values(self, label: str, node: Node) -> dict[str, Any]:
        values = _columns(node.data, f.TAXONOMY_TERM_SCALARS)
        values["taxonomy_id"] = self._taxonomy_id(label, node)
        official = codes.taxonomy_code(values.get("taxonomy") or "", values.get("code") or "")
        if official is not None:
            values["term_uri"] = official.uri  # checked to match when given; fill it in when not
        ovi = OVI_TAXONOMIES.get(values.get("taxonomy") or "")
        if ovi is not None and values.get("code") in ovi.codes:
            values["name"] = ovi.codes[values["code"]]  # one Finnish name, whatever the file calls it
        return values

    def _find(self, key: tuple[str, str] | None) -> TaxonomyTerm | None:
        if key is None:
            return None
        return self._by_key.get(key) or self.session.scalar(
            select(TaxonomyTerm).where(TaxonomyTerm.taxonomy == key[0], TaxonomyTerm.code == key[1])
        )

    def resolve(self, label: str, node: Node) -> TaxonomyTerm | None:
        """The stored term for one ``taxonomy_term`` object (created or updated); None after an issue."""
        assert node.id is not None  # the schema requires ids
        if node.id in self._by_file_id:
            return self._by_file_id[node.id]
        taxonomy, code = node.data.get("taxonomy"), node.data.get("code")
        key = (taxonomy, code) if isinstance(taxonomy, str) and isinstance(code, str) else None
        with self.session.no_autoflush:
            values = self._values(label, node)
            term = self._find(key) or self.session.get(TaxonomyTerm, node.id)
            if term is not None and key is not None and (term.taxonomy, term.code) != key:
                self.issues.add(
                    label,
                    node.field_path("id"),
                    f"luokitustermin id {node.id} on tietokannassa jo termillä {term.taxonomy}/{term.code}",
                )
                return None
            if term is None:
                term = TaxonomyTerm(id=node.id, **values)
                self.session.add(term)
            else:
                for name, value in values.items():
                    setattr(term, name, value)
        self._by_file_id[node.id] = term
        if key is not None:
            self._by_key[key] = term
        return term
