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
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ovi_lang import codes

from .. import hsds
from .. import hsds_fields as f
from ..models import Taxonomy, TaxonomyTerm
from ..profile import (
    ORGANIZATION_TYPE_TAXONOMY,
    OVI_TAXONOMIES,
    SERVICE_CLASS_TAXONOMY,
    TARGET_GROUP_TAXONOMY,
)
from .errors import IssueCollector
from .structure import Node, children

_CHUNK = 500  # term ids per IN (...)

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
    return dict(_ovi_term(taxonomy, code))  # a copy: the caller's record may be changed in place


@cache
def _ovi_term(taxonomy: str, code: str) -> dict[str, Any]:
    # Cached: every service of an import gets an ovi_source term, and its id is a SHA-1 each time.
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
        # Term ids by file id from earlier batches of the same import: a term is created or updated by its
        # first occurrence in the import, and later ones only refer to it, whichever batch they are in.
        self._earlier: dict[str, str] = {}
        self._earlier_rows: dict[str, TaxonomyTerm] | None = None
        self._details_loaded = False
        self.previous: dict[str, dict[str, Any]] = {}
        """Stored terms this import changed: their HSDS JSON before (for the history of the services)."""

    def resolve_first(self, taxonomies: Iterable[Node], terms: Iterable[tuple[str, Node]]) -> None:
        """Resolve every term of the import before the first batch is written (the pipeline's way): a term
        gets its final values at once, so each batch's services are compared with what the import ends with,
        and :attr:`previous` tells what they were before. ``terms``: (record label, term) in the order the
        writer meets them; ``taxonomies``: every ``taxonomy_detail`` of the file, in file order."""
        self.load_taxonomy_details(taxonomies)
        self._details_loaded = True
        for label, node in terms:
            self.resolve(label, node)

    def resolved(self) -> dict[str, TaxonomyTerm]:
        """The terms of the current batch by the ids the file gives them; after :meth:`resolve_first`, before
        the first batch, every term of the import."""
        return dict(self._by_file_id)

    def next_batch(self, issues: IssueCollector) -> None:
        """Forget the rows of the last batch (the session let go of them), remember what they resolved to."""
        self._earlier.update({file_id: term.id for file_id, term in self._by_file_id.items()})
        self._by_file_id.clear()
        self._by_key.clear()
        self._taxonomies.clear()
        self._earlier_rows = None
        self.issues = issues

    def _stored_earlier(self) -> dict[str, TaxonomyTerm]:
        """The stored terms of earlier batches by id, read once per batch in a few queries rather than one
        per term and batch (each batch of a large import names most of its terms)."""
        if self._earlier_rows is None:
            self._earlier_rows = {}
            ids = sorted(set(self._earlier.values()))
            with self.session.no_autoflush:  # as Session.get, which this replaces, never flushes
                for start in range(0, len(ids), _CHUNK):
                    query = select(TaxonomyTerm).where(TaxonomyTerm.id.in_(ids[start : start + _CHUNK]))
                    self._earlier_rows.update((term.id, term) for term in self.session.scalars(query))
        return self._earlier_rows

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
        if self._details_loaded:
            return  # all of the import's were stored before its first batch
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

    def attribute_terms(self, label: str, owner: Node) -> Iterator[tuple[int, dict[str, Any], TaxonomyTerm]]:
        """(position, attribute, its stored term) of each of ``owner``'s attributes whose term resolved."""
        for position, item in enumerate(children(owner.data, "attributes")):
            # A term resolved already is looked up without making its node (a path string per attribute).
            term = self._by_file_id.get(item["taxonomy_term"].get("id"))
            if term is None:
                path = f"{owner.field_path('attributes')}[{position}].taxonomy_term"
                term = self.resolve(label, Node("taxonomy_term", path, item["taxonomy_term"], None))
            if term is not None:
                yield position, item, term

    def resolve(self, label: str, node: Node) -> TaxonomyTerm | None:
        """The stored term for one ``taxonomy_term`` object (created or updated); None after an issue."""
        assert node.id is not None  # the schema requires ids
        if node.id in self._by_file_id:
            return self._by_file_id[node.id]
        if node.id in self._earlier:
            earlier = self._stored_earlier().get(self._earlier[node.id])
            if earlier is not None:
                self._by_file_id[node.id] = earlier
                return earlier
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
                if term.id not in self.previous and any(getattr(term, n) != v for n, v in values.items()):
                    self.previous[term.id] = hsds.taxonomy_term(term, with_taxonomy_detail=False)
                for name, value in values.items():
                    setattr(term, name, value)
        self._by_file_id[node.id] = term
        if key is not None:
            self._by_key[key] = term
        return term


class ImportTerms:
    """The terms and taxonomies of a whole import, gathered record by record for
    :meth:`TermResolver.resolve_first`: each term's first occurrence (in the order the writer meets them:
    object by object, an object's attributes in order) and each taxonomy's last, holding only them."""

    def __init__(self) -> None:
        self.terms: dict[str, tuple[str, Node]] = {}
        self.taxonomies: dict[str, Node] = {}

    def add(self, label: str, nodes: Iterable[Node]) -> None:
        for node in nodes:
            if node.kind == "taxonomy" and node.id is not None:
                self.taxonomies[node.id] = Node(node.kind, node.path, node.data, None)
            if node.kind not in f.ANNOTATED or node.id is None:
                continue
            attributes = node.data.get("attributes")
            for position, item in enumerate(attributes if isinstance(attributes, list) else []):
                term = item.get("taxonomy_term") if isinstance(item, dict) else None
                if not isinstance(term, dict) or not isinstance(term.get("id"), str):
                    continue
                if term["id"] not in self.terms:
                    path = f"{node.field_path('attributes')}[{position}].taxonomy_term"
                    self.terms[term["id"]] = (label, Node("taxonomy_term", path, term, None))
