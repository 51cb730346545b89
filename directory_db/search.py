"""Service search: Finnish-aware full text, service classes, and "serves this municipality".

Design (in the spirit of Helsinki's smbackend, which indexes at import time and keeps the query simple):

Index
    Built per service whenever the importer writes it (same transaction), from the fields declared in
    ``Service.SEARCH_FIELDS`` with their weights: name 3, alternate name 2, names of its service classes and
    target groups 2, organization name 1, description 1. Each word becomes its Voikko base forms plus, for
    compounds, the base forms of the parts ("Päihdetyön" → päihdetyö, päihde, työ), minus stop words
    (text_analysis.py). One row per (service, term, field) in ``service_search_terms`` with the field's
    weight: a plain indexed table, so SQLite and PostgreSQL behave the same and need no extension.

Query
    The query text goes through the same analysis ("päihteisiin" → päihde), so inflected and compound words
    meet the index halfway. A service's text score is the sum of the weights of its rows whose term is one of
    the query's terms (a term counts once per field, however often the text repeats it). Requested service
    classes add a boost: ``CLASS_BOOST × (n − i) / n`` for the best-placed requested class the service has
    (position ``i`` of ``n``; "P5" also matches its sub-classes such as "P5.7"), so the caller's most specific
    class ranks first, as ovi_lang.needs intends.

Filters
    ``municipality``: only services with a service area at that municipality, its wellbeing services county,
    its region (derived from the county, see areas.py) or nationwide. ``target_group``: services aimed at that
    PTV target group or its parent group ("KR1.3" Nuoret is inside "KR1" Kansalaiset), plus services that
    name no target group at all (they are for everyone). Only services with status ``active`` are returned.

Ranking
    Score, then the most local area that serves the municipality (municipality > county > region >
    nationwide), then name in Finnish alphabetical order. With text, a hit needs score > 0 (a class boost
    counts, so the bot's classes can surface a service whose text misses the user's words); without text,
    requested classes select the services; with neither, every service serving the municipality is listed
    by name. Without a municipality, ``area_level`` is the service's most local area.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, delete, insert, or_, select
from sqlalchemy.orm import Session, selectinload

from . import text_analysis
from .areas import AREA_RANK, AreaLevel, areas_serving
from .models import Attribute, Service, ServiceArea, ServiceSearchTerm, TaxonomyTerm
from .profile import SERVICE_CLASS_TAXONOMY, TARGET_GROUP_TAXONOMY

CLASS_BOOST = 4.0


@dataclass(frozen=True)
class SearchHit:
    service: Service
    score: float
    area_level: AreaLevel | None
    matched_classes: tuple[str, ...]
    matched_terms: tuple[str, ...]


# --- index -------------------------------------------------------------------------------------------------


def index_rows(service: Service) -> dict[tuple[str, str], int]:
    """(term, field) → weight for one service."""
    rows: dict[tuple[str, str], int] = {}
    texts = service.search_texts()
    for field, weight in Service.SEARCH_FIELDS.items():
        for text in texts[field]:
            for term in text_analysis.terms(text):
                rows[(term, field)] = weight
    return rows


def rebuild_index(session: Session, service_ids: Iterable[str] | None = None) -> int:
    """(Re)build the index rows of the given services (default: all); returns the number of rows written."""
    query = select(Service).options(selectinload(Service.attributes).joinedload(Attribute.taxonomy_term))
    delete_rows = delete(ServiceSearchTerm)
    if service_ids is not None:
        ids = list(service_ids)
        query = query.where(Service.id.in_(ids))
        delete_rows = delete_rows.where(ServiceSearchTerm.service_id.in_(ids))
    session.execute(delete_rows, execution_options={"synchronize_session": False})
    values = [
        {"service_id": service.id, "term": term, "field": field, "weight": weight}
        for service in session.scalars(query)
        for (term, field), weight in index_rows(service).items()
    ]
    if values:
        session.execute(insert(ServiceSearchTerm), values)
    return len(values)


# --- query -------------------------------------------------------------------------------------------------


@dataclass
class _Candidate:
    text_score: float = 0.0
    terms: set[str] | None = None
    class_boost: float = 0.0
    classes: tuple[str, ...] = ()


def _text_scores(session: Session, terms: Sequence[str]) -> dict[str, tuple[float, set[str]]]:
    scores: dict[str, float] = defaultdict(float)
    matched: dict[str, set[str]] = defaultdict(set)
    rows = session.execute(
        select(ServiceSearchTerm.service_id, ServiceSearchTerm.term, ServiceSearchTerm.weight).where(
            ServiceSearchTerm.term.in_(terms)
        )
    )
    for service_id, term, weight in rows:
        scores[service_id] += weight
        matched[service_id].add(term)
    return {sid: (score, matched[sid]) for sid, score in scores.items()}


def _codes_by_service(session: Session, taxonomy: str) -> dict[str, list[str]]:
    rows = session.execute(
        select(Attribute.link_id, TaxonomyTerm.code)
        .join(TaxonomyTerm, Attribute.taxonomy_term_id == TaxonomyTerm.id)
        .where(Attribute.link_entity == "service", TaxonomyTerm.taxonomy == taxonomy)
        .order_by(Attribute.position)
    )
    out: dict[str, list[str]] = defaultdict(list)
    for service_id, code in rows:
        if code:
            out[service_id].append(code)
    return out


def _within(code: str, requested: str) -> bool:
    return code == requested or code.startswith(requested + ".")


def _class_matches(session: Session, requested: Sequence[str]) -> dict[str, tuple[float, tuple[str, ...]]]:
    """service id → (boost, matched class codes ordered by the caller's priority)."""
    n = len(requested)
    out: dict[str, tuple[float, tuple[str, ...]]] = {}
    for service_id, codes in _codes_by_service(session, SERVICE_CLASS_TAXONOMY).items():
        ranked = [(i, code) for code in codes for i, want in enumerate(requested) if _within(code, want)]
        if ranked:
            ranked.sort()
            matched = tuple(dict.fromkeys(code for _, code in ranked))
            out[service_id] = (CLASS_BOOST * (n - ranked[0][0]) / n, matched)
    return out


def _serving_levels(session: Session, municipality: str) -> dict[str, AreaLevel]:
    """service id → the most local level at which it serves the municipality."""
    refs = areas_serving(municipality)
    condition = or_(*(and_(ServiceArea.area_level == r.level, ServiceArea.area_code == r.code) for r in refs))
    best: dict[str, AreaLevel] = {}
    for service_id, level in session.execute(
        select(ServiceArea.service_id, ServiceArea.area_level).where(condition)
    ):
        if service_id not in best or AREA_RANK[level] < AREA_RANK[best[service_id]]:
            best[service_id] = level
    return best


def _target_group_ok(groups: list[str], wanted: str) -> bool:
    return not groups or any(wanted == g or wanted.startswith(g + ".") for g in groups)


def _candidates(
    session: Session, terms: Sequence[str], service_classes: Sequence[str]
) -> dict[str, _Candidate] | None:
    """Scored candidates, or None meaning "every service" (no text, no classes)."""
    if not terms and not service_classes:
        return None
    out: dict[str, _Candidate] = {}
    if terms:
        for sid, (score, matched) in _text_scores(session, terms).items():
            out[sid] = _Candidate(text_score=score, terms=matched)
    if service_classes:
        for sid, (boost, classes) in _class_matches(session, service_classes).items():
            candidate = out.setdefault(sid, _Candidate())
            candidate.class_boost, candidate.classes = boost, classes
    return out


def search_services(
    session: Session,
    text: str | None,
    *,
    municipality: str | None = None,
    service_classes: Sequence[str] = (),
    target_group: str | None = None,
    limit: int | None = 20,
    active_only: bool = True,
) -> list[SearchHit]:
    """Services matching the query, best first (see the module docstring for the rules).

    Raises :class:`directory_db.areas.AreaError` (a ValueError with a Finnish message) for an unknown
    municipality code.
    """
    terms = text_analysis.terms(text)
    candidates = _candidates(session, terms, service_classes)
    levels = _serving_levels(session, municipality) if municipality else None

    query = select(Service).options(
        selectinload(Service.attributes).joinedload(Attribute.taxonomy_term),
        selectinload(Service.service_areas),
    )
    if candidates is not None:
        query = query.where(Service.id.in_(list(candidates)))
    if levels is not None:
        query = query.where(Service.id.in_(list(levels)))
    if active_only:
        query = query.where(Service.status == "active")
    groups = _codes_by_service(session, TARGET_GROUP_TAXONOMY) if target_group else {}

    hits: list[SearchHit] = []
    for service in session.scalars(query):
        if target_group and not _target_group_ok(groups.get(service.id, []), target_group):
            continue
        candidate = (candidates or {}).get(service.id, _Candidate())
        if levels is not None:
            level: AreaLevel | None = levels[service.id]
        else:
            refs = service.area_refs
            level = refs[0].level if refs else None
        hits.append(
            SearchHit(
                service=service,
                score=candidate.text_score + candidate.class_boost,
                area_level=level,
                matched_classes=candidate.classes,
                matched_terms=tuple(sorted(candidate.terms or ())),
            )
        )
    hits.sort(
        key=lambda h: (
            -h.score,
            AREA_RANK.get(h.area_level, len(AREA_RANK)),
            text_analysis.finnish_sort_key(h.service.name),
            h.service.id,
        )
    )
    return hits if limit is None else hits[:limit]
