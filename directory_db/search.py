"""Service search: the one place that ranks services, for the lookup, the HSDS API, the CLI and the bot.

Design (in the spirit of Helsinki's smbackend: index at import time, keep the query simple):

Index
    search_index.py builds one document per service when the importer writes it (same transaction): BM25F
    term weights over Voikko base forms of the fields declared in ``Service.SEARCH_FIELDS`` (name 3,
    alternate name 2, class and target-group names 2, organization 1, description 1), compound parts at
    ``text_analysis.PART`` of a whole word, facets for filtering, and a multilingual-e5-small vector of the
    name, classes and the start of the description. Searches read an in-memory snapshot of those documents.

Query
    Lexical: the query goes through the same analysis plus repairs (spoken forms, lost ä/ö, case endings on
    slang, Voikko's spelling suggestions) and the synonym table (text_analysis.py); each term has a weight
    for how sure the repair is. Score: BM25 (``K1``, ``B``) with IDF over the active snapshot, summed over
    the query's terms × their weights; the readings of one query word (an ambiguous word's base forms,
    "yksin" → yksin, yksi) are alternatives and count once, by the best (``_readings``). Semantic: cosine
    of the query's e5 vector ("query: …") with the services' vectors ("passage: …"), which finds Swedish
    and English queries and words the texts lack; e5 reads the query with its repaired words and its
    synonyms (``_embedded_text``). The query is embedded on a worker thread while the
    filters and the lexical part run, and its cosines are one product with the snapshot's (dim, n) matrix.
    Words a caller adds to the person's own (``context``: the bot's search words of a need) are read by the
    lexical part with them, but embedded apart and added at ``CONTEXT_WEIGHT``: the same for every resident
    with that need, their vector comes from the encoder's query memory, so a resident's search embeds only
    the resident's few words (e5's time grows with the text: ~19 ms for a message, ~50 ms with the need's
    words appended).

Fusion
    ``score = W_LEXICAL × lexical / best lexical + W_SEMANTIC × max(0, (cos − SEMANTIC_FLOOR) /
    (1 − SEMANTIC_FLOOR)) + class boost + locality``. A service is a candidate when one of the parts is
    positive. The constants were chosen on the validation half of the evaluation queries
    (directory_db/search_eval, never on its test half); ``make bench`` prints the figures of every part.
    Relevance feedback, when the lexical part found something: the query's vector then moves toward the
    vector of the service that scores best by words, meaning and class boost (query + ``FEEDBACK`` × that
    service's vector, made unit length), and the semantic part is scored again with it: one more
    (dim)·(dim, n) product, no more e5. Services like the best match rise above those that only resembled the
    query's words; the explanation's ``semantic`` is the cosine with the moved vector.
    Requested service classes (the bot's, from ovi_lang.needs) add ``CLASS_BOOST × (n − i) / n`` for the
    best-placed requested class the service has ("P5" also matches "P5.7"), so the need's most specific
    class ranks first while the resident's own words still order services within it.

Filters
    ``municipality``: services with an area at that municipality, its wellbeing services county, its region
    or nationwide (areas.py). Without one, a query that names exactly one municipality ("päihdepalvelut
    oulussa", "skuldrådgivning i Uleåborg") is filtered by it, as a professional typing a place means.
    ``target_group``: services for that PTV group or its parent, plus services that name no group.
    ``language`` (ISO 639-1), ``provider_type`` (ngo, public, parish, private), ``free_of_charge`` and
    ``anonymous`` (the profile's ``ovi_cost`` / ``ovi_eligibility`` attributes, read by service_facts.py at
    indexing), ``open_at`` (open at that time in Finnish time, holidays included: service_facts.open_now_ids
    reads the remaining candidates' schedule rows). Status ``active`` only, unless asked otherwise.

Ranking
    Score, then the most local area that serves the municipality, then name in Finnish order. Locality also
    adds ``LOCALITY[level]`` to the score, so among near-equal services the local one comes first. Without
    text or classes every service that passes the filters is listed by locality and name.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict, Unpack

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.interfaces import ORMOption

from ovi_lang.embeddings import SentenceEncoder, default_encoder
from ovi_lang.municipalities import find_municipalities

from . import text_analysis
from .areas import AREA_LEVELS, AREA_RANK, AreaLevel, areas_serving
from .card_cache import cached_services
from .models import Attribute, Location, Organization, Schedule, Service, ServiceAtLocation
from .search_index import Snapshot, snapshot
from .service_facts import open_now_ids
from .text_analysis import QueryTerm

log = logging.getLogger(__name__)

# Chosen on the validation half of directory_db/search_eval (``quality --tune``: best nDCG@10 over
# W_SEMANTIC 1–6, SEMANTIC_FLOOR 0.77–0.83, SEMANTIC_MARGIN, B 0.3–0.6; checked again after the readings
# and the expanded semantic query): nDCG@10 0.856, recall@5 0.847, MRR 0.931 on validation (0.867, 0.868,
# 0.927 with the synonym table's law, health, gaming and Swedish/English entries of 2026-12).
# With relevance feedback (FEEDBACK) the same grid's best point (W_SEMANTIC 4, SEMANTIC_FLOOR 0.83,
# SEMANTIC_MARGIN 0.06, B 0.3) was ahead of these constants by a hair (nDCG@10 0.8816 against 0.881), so
# they stay.
# The semantic part weighs more than the lexical one because its scale is narrower: e5 cosines of a
# relevant and an unrelated service differ by ~0.05, best lexical scores are normalised to 1.
K1 = 1.2
B = 0.3
W_LEXICAL = 1.0
W_SEMANTIC = 4.0
SEMANTIC_FLOOR = 0.80
SEMANTIC_MARGIN = 0.04
SEMANTIC_MIN_GAP = 0.025
"""A query none of whose words is recognised answers by meaning only if its best match stands this far above
the 90th percentile of the services (the median moved with the directory's size: on 135 demo services
"asdfgh" stood 0.039 above it). Chosen between nonsense strings ("asdfgh", "xyzzy", "lorem ipsum": at most
0.022 above the 90th percentile, on the demo and the evaluation directory) and the validation half's
unrecognised queries ("asunottomuus" 0.027, "krisjour dygnet runt" 0.031)."""
SEMANTIC_DEPTH = 50  # semantic candidates considered per query
FEEDBACK = 1.0
"""Relevance feedback (see the design): how far the query's vector moves toward its best match's. The best
match was chosen by the words and the meaning together, so its vector says in the directory's own words what
the query is about: a slang word that the synonym table turns into "katkaisuhoito" finds the detox service
by its word, and then the other substance services by their likeness to it, rather than the services that
merely resemble the query's other words. Only when the lexical part found something: a best match chosen by
the vector alone would only repeat the vector. 1.0, the query and its best match equally, as first tried;
validation split, fused recall@5 0.868 → 0.882 (0.6), 0.887 (0.8), 0.894 (1.0), 0.889 (1.5), 0.882 (2.0,
where more queries lose than at 1.0: the best match starts to drown the query)."""
CONTEXT_WEIGHT = 1.0
"""The weight of the context's vector beside the person's own words' (both unit length); see the design."""
READING_ORIGINS = frozenset({"word", "ä/ö", "stem", "typo"})
"""Origins of the terms that read a query word itself (text_analysis.QueryTerm.origin); see _readings."""
_REPAIRS = frozenset({"ä/ö", "stem", "typo"})
MIN_REPAIRED_LENGTH = 5  # see _embedded_text
_WORD = re.compile(r"\w+(?:-\w+)*")  # text_analysis's tokens
CLASS_BOOST = 2.0
LOCALITY: dict[str, float] = {"municipality": 0.06, "county": 0.04, "region": 0.02, "nationwide": 0.0}
_NO_AREA = len(AREA_LEVELS)

_embedder: tuple[int, ThreadPoolExecutor] | None = None
_embedder_lock = threading.Lock()


def _embedding_pool() -> ThreadPoolExecutor:
    """This process's query-embedding threads. Made again in a forked child (a server's worker): the
    parent's threads do not exist there, and its pool would queue the work for none of them."""
    global _embedder
    with _embedder_lock:
        if _embedder is None or _embedder[0] != os.getpid():
            pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="ovi-query-embedding")
            _embedder = (os.getpid(), pool)
        return _embedder[1]


BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Explanation:
    """Which part of the search found a service, for ``search --explain`` and the lookup's JSON."""

    lexical: float
    lexical_rank: int | None
    matched: tuple[str, ...]
    semantic: float | None
    semantic_rank: int | None
    class_boost: float
    locality: float
    place_from_text: str | None = None
    """The municipality code read from the query's words ("päihdepalvelut oulussa") and used as the filter."""

    def as_dict(self) -> dict[str, object]:
        return {
            "lexical": round(self.lexical, 4),
            "lexical_rank": self.lexical_rank,
            "matched": list(self.matched),
            "semantic": None if self.semantic is None else round(self.semantic, 4),
            "semantic_rank": self.semantic_rank,
            "class_boost": round(self.class_boost, 4),
            "locality": self.locality,
            "place_from_text": self.place_from_text,
        }


@dataclass(frozen=True)
class RankedService:
    service_id: str
    score: float
    area_level: AreaLevel | None
    matched_classes: tuple[str, ...]
    matched_terms: tuple[str, ...]
    explanation: Explanation
    provider_type: str | None = None
    """ngo, public, parish, private (the organization's), read from the index: no service row is loaded."""


@dataclass(frozen=True)
class SearchHit:
    service: Service
    score: float
    area_level: AreaLevel | None
    matched_classes: tuple[str, ...]
    matched_terms: tuple[str, ...]
    explanation: Explanation


@dataclass(frozen=True)
class SearchOptions:
    """Which parts take part (the benchmark compares them; the product uses both)."""

    lexical: bool = True
    semantic: bool = True


# --- filters ----------------------------------------------------------------------------------------------


def _mask_of(snap: Snapshot, docs: Sequence[npt.NDArray[np.int32]]) -> BoolArray:
    mask = np.zeros(snap.size, dtype=bool)
    for d in docs:
        mask[d] = True
    return mask


def _place_in(text: str, municipality: str | None) -> tuple[str | None, str]:
    """The one municipality a query names ("ensisuoja tampere", "ruoka-apu salo"; None: none, or several),
    and the text without the words that name the place the search is filtered by (the given
    ``municipality``, else the one named). A search box is where people type places, so a name that is
    also a word counts as written.

    The semantic part reads the text without the place. The filter has done what those words ask, and to
    e5 a town's name weighs as much as the need: "halpaa safkaa turussa" found the town's employment and
    Kela offices, "paihdeongelma raisiossa" the town's housing advice before its substance services
    (development directory: fused recall@5 0.782 → 0.800; validation 0.887 → 0.894). The lexical part keeps
    the words: a service whose own name names the town ("Ohjaamo Tampere") is the local one, which is what
    the professional typing the town is after (without them: development nDCG@10 −0.01, validation −0.008).
    """
    matches = find_municipalities(text, expecting_place=True) if text else []
    codes = {m.municipality.code for m in matches}
    named = next(iter(codes)) if len(codes) == 1 else None
    used = municipality or named
    for m in sorted(matches, key=lambda m: m.start, reverse=True):
        if m.municipality.code == used:
            text = f"{text[: m.start]} {text[m.end :]}"
    return (named if municipality is None else None), " ".join(text.split())


def _within(code: str, requested: str) -> bool:
    return code == requested or code.startswith(requested + ".")


def _levels(snap: Snapshot, municipality: str | None) -> npt.NDArray[np.int8]:
    """Per service: rank of the most local area that serves the municipality (or its most local area)."""
    if municipality is None:
        return snap.most_local
    levels = np.full(snap.size, _NO_AREA, dtype=np.int8)
    for ref in areas_serving(municipality):
        docs = snap.areas.get((ref.level, ref.code))
        if docs is not None:
            levels[docs] = np.minimum(levels[docs], AREA_RANK[ref.level])
    return levels


def _filter(
    snap: Snapshot,
    levels: npt.NDArray[np.int8],
    *,
    municipality: str | None,
    target_group: str | None,
    language: str | None,
    provider_type: str | None,
    active_only: bool,
) -> BoolArray:
    mask = snap.active.copy() if active_only else np.ones(snap.size, dtype=bool)
    if municipality is not None:
        mask &= levels < _NO_AREA
    if target_group is not None:
        groups = [d for code, d in snap.target_groups.items() if _within(target_group, code)]
        mask &= _mask_of(snap, groups) | snap.no_target_group
    if language is not None:
        mask &= _mask_of(snap, [snap.languages.get(language.lower(), np.zeros(0, dtype=np.int32))])
    if provider_type is not None:
        mask &= _mask_of(snap, [snap.provider_types.get(provider_type, np.zeros(0, dtype=np.int32))])
    return mask


# --- scoring ----------------------------------------------------------------------------------------------


def _readings(terms: Sequence[QueryTerm]) -> list[list[QueryTerm]]:
    """The terms in groups that score as one: the readings of one query word (Voikko's base forms of an
    ambiguous word, "yksin" → yksin, yksi; "jälkeen" → jälkeen, jälki; or the guesses of one repair) are
    alternatives, of which a service scores by the best; its compound parts and synonyms stay separate
    terms (each is more evidence)."""
    groups: dict[tuple[str, str], list[QueryTerm]] = {}
    for qt in terms:
        key = (qt.word.lower(), "" if qt.origin in READING_ORIGINS else f"{qt.origin}:{qt.term}")
        groups.setdefault(key, []).append(qt)
    return list(groups.values())


def _lexical(snap: Snapshot, terms: Sequence[QueryTerm], mask: BoolArray) -> FloatArray:
    scores = np.zeros(snap.size, dtype=np.float32)
    eligible = int(mask.sum())
    if not terms or not eligible:
        return scores
    norm = K1 * (1.0 - B + B * snap.lengths / snap.average_length)
    for group in _readings(terms):
        best = scores if len(group) == 1 else np.zeros(snap.size, dtype=np.float32)
        for qt in group:
            posting = snap.postings.get(qt.term)
            if posting is None:
                continue
            docs, weights = posting
            df = int(mask[docs].sum())
            if df == 0:
                continue
            idf = np.log(1.0 + (eligible - df + 0.5) / (df + 0.5))
            value = qt.weight * idf * weights * (K1 + 1.0) / (weights + norm[docs])
            if best is scores:
                scores[docs] += value
            else:
                best[docs] = np.maximum(best[docs], value)
        if best is not scores:
            scores += best
    scores[~mask] = 0.0
    return scores


def _embedded_text(text: str, terms: Sequence[QueryTerm], known: Callable[[str], bool] | None = None) -> str:
    """The query as e5 reads it: the words the lexical part repaired written as repaired (lost ä/ö, spoken
    forms, case endings on slang, typos: "paihdeneuvla" → päihdeneuvola), then the service-language words
    the synonym table gives for its words ("kämppä ja sossu" → "…, asunto, sosiaalityö"). e5 knows
    standard Finnish far better than misspellings, slang and agency jargon, so it then finds services by
    meaning even when their texts use neither the query's word nor its synonym (validation: semantic
    recall@5 0.714 → 0.808). Words shorter than ``MIN_REPAIRED_LENGTH`` stay as typed: a short word has
    many near neighbours, and in a Swedish or English query ("runt", "rape") it is often no typo at all. Of
    a word's guesses, the first the index ``known`` has ("paihdeneuvla": päihdeneuvola, not päihdeneula)."""
    repaired: dict[str, str] = {}
    guesses = [qt for qt in terms if qt.origin in _REPAIRS and len(qt.word) >= MIN_REPAIRED_LENGTH]
    if known is not None:
        guesses.sort(key=lambda qt: not known(qt.term))  # stable: Voikko's order among equals
    for qt in guesses:
        repaired.setdefault(qt.word, qt.term)
    if repaired:
        text = _WORD.sub(lambda m: repaired.get(m.group(), m.group()), text)
    low = text.lower()
    extra = dict.fromkeys(qt.term for qt in terms if qt.origin == "synonym" and qt.term not in low)
    return ", ".join([text, *extra])


def _start_embedding(
    parts: Sequence[tuple[str, float]], encoder: SentenceEncoder | None
) -> Future[FloatArray]:
    """The query's e5 vector, the weighted sum of its parts' vectors (text, weight) made unit length,
    computed on a worker thread while the filters and the lexical part run (the encoder's C code releases
    the GIL): with a core free, the search waits for the longer of the two, not for their sum (on a machine
    whose both cores are busy it gains nothing, and costs nothing)."""

    def embed() -> FloatArray:
        vectors = (encoder or default_encoder()).embed_queries([text for text, _ in parts])
        if len(parts) == 1:
            return vectors[0]
        mixed = np.sum([weight * vector for (_, weight), vector in zip(parts, vectors, strict=True)], axis=0)
        return (mixed / max(float(np.linalg.norm(mixed)), 1e-12)).astype(np.float32)

    return _embedding_pool().submit(embed)


def _embedding_parts(
    text: str, context: str, terms: Sequence[QueryTerm], known: Callable[[str], bool]
) -> list[tuple[str, float]]:
    """What e5 reads (see ``_embedded_text``): the person's words, and apart from them the context's."""
    if not context:
        return [(_embedded_text(text, terms, known), 1.0)]
    own_words = set(text_analysis.tokens(text))
    context_part = (_embedded_text(context, [qt for qt in terms if qt.word not in own_words], known),
                    CONTEXT_WEIGHT)
    if not text:
        return [context_part]
    return [(_embedded_text(text, [qt for qt in terms if qt.word in own_words], known), 1.0), context_part]


def _query_vector(snap: Snapshot, pending: Future[FloatArray], mask: BoolArray) -> FloatArray | None:
    """The query's e5 vector (None: the model failed, or no candidate has a vector)."""
    try:
        vector = pending.result()
    except Exception:  # the model is an optional part: lexical search still answers
        log.exception("kyselyn upotus epäonnistui; haetaan vain sanoilla")
        return None
    if not (mask & snap.has_vector).any():
        return None
    return np.asarray(vector, dtype=np.float32)


def _cosines(snap: Snapshot, vector: FloatArray, mask: BoolArray) -> FloatArray:
    # One product over the whole (dim, n) matrix: ~7 ms at 100k services, as fast as gathering the rows a
    # municipality filter leaves (~15 % of a national directory) and multiplying those, whatever the filters.
    sims = (vector @ snap.vectors).astype(np.float32, copy=False)
    sims[~(mask & snap.has_vector)] = -1.0
    return sims


def _semantic_part(snap: Snapshot, sims: FloatArray, mask: BoolArray) -> FloatArray:
    """Cosines above the floor, scaled to 0..1, for the ``SEMANTIC_DEPTH`` best services (0 for the rest)."""
    # Across languages e5's cosines run lower (an English query to a Finnish text: ~0.77 at best), so
    # the floor also sits SEMANTIC_MARGIN below the best match, and the best few still count.
    floor = min(SEMANTIC_FLOOR, float(sims[mask].max(initial=-1.0)) - SEMANTIC_MARGIN)
    part = np.clip((sims - floor) / (1.0 - floor), 0.0, None)
    if snap.size > SEMANTIC_DEPTH:
        keep = np.zeros(snap.size, dtype=bool)
        keep[np.argpartition(-sims, SEMANTIC_DEPTH)[:SEMANTIC_DEPTH]] = True
        part[~keep] = 0.0
    return part


def _moved_toward_best(
    snap: Snapshot, vector: FloatArray, first: FloatArray, mask: BoolArray
) -> FloatArray | None:
    """The query's vector moved toward its best match by the first fusion's ``first`` scores (``FEEDBACK``),
    unit length; None when no scored candidate has a vector."""
    scored = np.flatnonzero(mask & snap.has_vector & (first > 0))
    if not len(scored):
        return None
    best = int(scored[np.argmax(first[scored])])
    moved = vector + FEEDBACK * snap.vectors[:, best]
    return (moved / max(float(np.linalg.norm(moved)), 1e-12)).astype(np.float32)


def _meaningful(text: str, sims: FloatArray, mask: BoolArray) -> bool:
    """May the semantic part alone answer? e5 gives nonsense ("xyzzy") a best cosine as high as a real
    English question gets, so: a recognised word, or matches that stand out from the rest."""
    if text_analysis.recognisable(text):
        return True
    eligible = sims[mask]
    return bool(eligible.size) and float(eligible.max() - np.percentile(eligible, 90)) >= SEMANTIC_MIN_GAP


ClassMatch = tuple[int, str, npt.NDArray[np.int32]]
"""A requested class that a class of the snapshot is within: (its place in the request, the snapshot's class
code, the services that have it)."""


def _class_boosts(snap: Snapshot, requested: Sequence[str]) -> tuple[FloatArray, list[ClassMatch]]:
    """Each service's boost, and the matches that give them (read for the services returned only, by
    :func:`_matched_classes`: a broad class such as "P5" has thousands of services)."""
    boosts = np.zeros(snap.size, dtype=np.float32)
    matches: list[ClassMatch] = []
    n = len(requested)
    for code, docs in snap.classes.items():
        for i, want in enumerate(requested):
            if _within(code, want):
                boost = CLASS_BOOST * (n - i) / n
                boosts[docs] = np.maximum(boosts[docs], boost)
                matches.append((i, code, docs))
    return boosts, matches


def _matched_classes(matches: Sequence[ClassMatch], doc: int) -> tuple[str, ...]:
    """The snapshot's classes of the service at ``doc`` that match the request, the best-placed request's
    first (then by code), each once."""
    pairs = sorted((i, code) for i, code, docs in matches if _contains(docs, doc))
    return tuple(dict.fromkeys(code for _, code in pairs))


def _contains(docs: npt.NDArray[np.int32], doc: int) -> bool:
    """Is ``doc`` in ``docs`` (a snapshot's index array, in order)?"""
    at = int(np.searchsorted(docs, doc))
    return at < len(docs) and int(docs[at]) == doc


def _rank_in(pool: FloatArray | None, value: float) -> int | None:
    """1-based rank of a positive value among a part's positive values (None: the part did not find it)."""
    if pool is None or value <= 0:
        return None
    return int((pool > value).sum()) + 1


def _matched_terms(
    snap: Snapshot, terms: Sequence[QueryTerm], docs: Sequence[int]
) -> dict[int, list[QueryTerm]]:
    """The query terms each of ``docs`` has, in the query's order (a lookup per term for all of them)."""
    found: dict[int, list[QueryTerm]] = {doc: [] for doc in docs}
    wanted = np.asarray(docs, dtype=np.int64)
    for qt in terms:
        posting = snap.postings.get(qt.term)
        if posting is None or not len(wanted):
            continue
        have = posting[0]
        at = np.minimum(np.searchsorted(have, wanted), len(have) - 1)
        for doc in wanted[have[at] == wanted].tolist():
            found[doc].append(qt)
    return found


class Filters(TypedDict, total=False):
    """What the caller filters and boosts by (every public search function takes these as keywords)."""

    municipality: str | None
    service_classes: Sequence[str]
    target_group: str | None
    language: str | None
    provider_type: str | None
    free_of_charge: bool
    anonymous: bool
    open_at: datetime | None
    active_only: bool
    options: SearchOptions
    encoder: SentenceEncoder | None
    context: str
    """Words added to the text by the caller (the bot: a need's search words); see the design."""


@dataclass
class _Run:
    """One search's arrays, before explanations are made (only for the services returned)."""

    snap: Snapshot
    order: list[int]
    score: FloatArray
    lexical: FloatArray
    sims: FloatArray | None
    semantic_part: FloatArray | None
    boosts: FloatArray | None
    class_matches: list[ClassMatch]
    locality: FloatArray
    levels: npt.NDArray[np.int8]
    terms: list[QueryTerm]
    place: str | None
    mask: BoolArray


@dataclass(frozen=True)
class _Query:
    own: str
    context: str
    text: str
    """The person's words and the context, as the lexical part reads them."""
    terms: list[QueryTerm]
    known: Callable[[str], bool]

    unplaced: str
    """The person's words without those naming the place the search is filtered by: what e5 reads."""

    @classmethod
    def read(
        cls, snap: Snapshot, text: str | None, context: str | None, *, unplaced: str | None = None
    ) -> _Query:
        own, context = (text or "").strip(), (context or "").strip()
        joined = f"{own} {context}".strip()
        known = snap.postings.__contains__
        terms = text_analysis.query_terms(joined, known=known) if joined else []
        return cls(own, context, joined, terms, known, own if unplaced is None else unplaced)

    @property
    def embeds(self) -> bool:
        """Is there anything for e5 to read (a place alone, "turku", is only a filter)?"""
        return bool(self.unplaced or self.context)

    def embedding(self, encoder: SentenceEncoder | None) -> Future[FloatArray]:
        parts = _embedding_parts(self.unplaced, self.context, self.terms, self.known)
        return _start_embedding(parts, encoder)


def warm(
    session: Session, text: str | None, *, context: str = "", encoder: SentenceEncoder | None = None
) -> Future[FloatArray] | None:
    """Start embedding a query that will be searched soon (the bot, while the resident answers its next
    question), and return without waiting: its vectors then wait in the encoder's query memory
    (``QueryMemory``). Returns the pending vector (None: nothing to embed)."""
    snap = snapshot(session)
    # As the search will read them when the town they name is the one searched (see _place_in); the place is
    # not known yet when the bot warms the words.
    _, unplaced = _place_in((text or "").strip(), None)
    query = _Query.read(snap, text, context, unplaced=unplaced)
    return query.embedding(encoder) if query.embeds and snap.has_vector.any() else None


def _run(session: Session, text: str | None, limit: int | None, filters: Filters) -> _Run:
    snap = snapshot(session)
    place, unplaced = _place_in((text or "").strip(), filters.get("municipality"))
    municipality = filters.get("municipality") or place
    # The query's terms first: the semantic part embeds the text with its synonyms (_embedded_text).
    query = _Query.read(snap, text, filters.get("context"), unplaced=unplaced)
    text, analysed = query.text, query.terms
    service_classes = filters.get("service_classes", ())
    options = filters.get("options", SearchOptions())
    pending = (
        query.embedding(filters.get("encoder"))
        if query.embeds and options.semantic and snap.has_vector.any()
        else None
    )
    levels = _levels(snap, municipality)
    mask = _filter(
        snap,
        levels,
        municipality=municipality,
        target_group=filters.get("target_group"),
        language=filters.get("language"),
        provider_type=filters.get("provider_type"),
        active_only=filters.get("active_only", True),
    )
    if filters.get("free_of_charge"):
        mask &= snap.free
    if filters.get("anonymous"):
        mask &= snap.anonymous
    open_at = filters.get("open_at")
    if open_at is not None and mask.any():
        # Opening hours need the schedule rows (exceptions, holidays): read for the remaining candidates only.
        open_ids = open_now_ids(session, [snap.ids[d] for d in np.flatnonzero(mask)], open_at)
        mask &= np.fromiter((sid in open_ids for sid in snap.ids), dtype=bool, count=snap.size)
    terms = analysed if options.lexical else []
    lexical = _lexical(snap, terms, mask)
    vector = _query_vector(snap, pending, mask) if pending is not None else None
    sims = _cosines(snap, vector, mask) if vector is not None else None
    boosts, class_matches = _class_boosts(snap, service_classes) if service_classes else (None, [])

    best_lexical = float(lexical.max()) if snap.size else 0.0
    score = np.zeros(snap.size, dtype=np.float32)
    if best_lexical > 0:
        score += W_LEXICAL * lexical / best_lexical
    if boosts is not None:
        score += boosts
    semantic_part = None
    if sims is not None and best_lexical <= 0 and not _meaningful(text, sims, mask):
        sims = None
    if sims is not None and vector is not None:
        semantic_part = _semantic_part(snap, sims, mask)
        if FEEDBACK > 0 and best_lexical > 0:
            moved = _moved_toward_best(snap, vector, score + W_SEMANTIC * semantic_part, mask)
            if moved is not None:
                sims = _cosines(snap, moved, mask)
                semantic_part = _semantic_part(snap, sims, mask)
        score += W_SEMANTIC * semantic_part

    # A text of stop words only ("mistä?") asks for nothing: list what the filters allow.
    asked = bool(terms) or sims is not None or bool(service_classes)
    candidates = mask & (score > 0) if asked else mask.copy()
    locality = np.zeros(snap.size, dtype=np.float32)
    if municipality is not None:
        for name, bonus in LOCALITY.items():
            locality[levels == AREA_RANK[name]] = bonus
        score = np.where(score > 0, score + locality, score)

    idx = np.flatnonzero(candidates)
    # Score (rounded, so float noise does not beat locality), then locality, then Finnish name order.
    rounded = np.round(score[idx], 6)
    ranked = idx[np.lexsort((snap.order[idx], levels[idx], -rounded))]
    order = ranked.tolist() if limit is None else ranked[:limit].tolist()
    return _Run(
        snap, order, score, lexical, sims, semantic_part, boosts, class_matches, locality, levels, terms,
        place, mask,
    )  # fmt: skip


def ranked_ids(
    session: Session, text: str | None, *, limit: int | None = None, **filters: Unpack[Filters]
) -> list[str]:
    """Just the ids, best first: what a paged listing needs (no explanations are made)."""
    run = _run(session, text, limit, filters)
    return [run.snap.ids[d] for d in run.order]


def rank_services(
    session: Session, text: str | None, *, limit: int | None = 20, **filters: Unpack[Filters]
) -> list[RankedService]:
    """Ranked service ids with scores and explanations, best first; no service rows are loaded.

    Raises :class:`directory_db.areas.AreaError` (a ValueError with a Finnish message) for an unknown
    municipality code.
    """
    run = _run(session, text, limit, filters)
    snap, lexical, semantic_part = run.snap, run.lexical, run.semantic_part
    lexical_pool = lexical[run.mask & (lexical > 0)] if run.terms else None
    semantic_pool = semantic_part[run.mask & (semantic_part > 0)] if semantic_part is not None else None
    out = []
    matches = _matched_terms(snap, run.terms, run.order)
    for d in run.order:
        level_rank = int(run.levels[d])
        level: AreaLevel | None = AREA_LEVELS[level_rank] if level_rank < _NO_AREA else None
        matched = matches[d]
        out.append(
            RankedService(
                service_id=snap.ids[d],
                score=float(run.score[d]),
                area_level=level,
                matched_classes=_matched_classes(run.class_matches, d),
                matched_terms=tuple(sorted({qt.term for qt in matched})),
                explanation=Explanation(
                    lexical=float(lexical[d]),
                    lexical_rank=_rank_in(lexical_pool, float(lexical[d])),
                    matched=tuple(qt.describe() for qt in matched),
                    semantic=None if run.sims is None else float(run.sims[d]),
                    semantic_rank=_rank_in(
                        semantic_pool, float(semantic_part[d]) if semantic_part is not None else 0.0
                    ),
                    class_boost=0.0 if run.boosts is None else float(run.boosts[d]),
                    locality=float(run.locality[d]),
                    place_from_text=run.place,
                ),
                provider_type=snap.provider_type(d),
            )
        )
    return out


def search_services(
    session: Session, text: str | None, *, limit: int | None = 20, **filters: Unpack[Filters]
) -> list[SearchHit]:
    """Like :func:`rank_services`, with the services loaded (only those returned)."""
    return load_hits(session, rank_services(session, text, limit=limit, **filters))


def load_hits(session: Session, ranked: Sequence[RankedService]) -> list[SearchHit]:
    """The services of these search results loaded, in the same order (a caller that chooses from many
    results loads only those it chose)."""
    services = load_services(session, [r.service_id for r in ranked])
    return [
        SearchHit(
            service=services[r.service_id],
            score=r.score,
            area_level=r.area_level,
            matched_classes=r.matched_classes,
            matched_terms=r.matched_terms,
            explanation=r.explanation,
        )
        for r in ranked
        if r.service_id in services
    ]


def _card_details() -> tuple[ORMOption, ...]:
    """What a service card reads (directory_db.service_facts: phone, address, opening hours, open now; the
    provider's type; the languages served), loaded for all the chosen services in one query per relationship.
    Read one service at a time, lazily, they were some 60 queries per recommendation, a fifth of the action
    server's time under load (tests/directory/test_card_loading.py)."""
    organization = joinedload(Service.organization)
    at_location = selectinload(Service.service_at_locations)
    location = at_location.joinedload(ServiceAtLocation.location)
    return (
        selectinload(Service.attributes).joinedload(Attribute.taxonomy_term),
        selectinload(Service.service_areas),
        selectinload(Service.languages),  # "serves in your language", for a Swedish or English resident
        selectinload(Service.phones),
        selectinload(Service.schedules).selectinload(Schedule.attributes),
        organization.selectinload(Organization.phones),
        organization.selectinload(Organization.attributes),
        at_location.selectinload(ServiceAtLocation.phones),
        at_location.selectinload(ServiceAtLocation.schedules).selectinload(Schedule.attributes),
        location.selectinload(Location.phones),
        location.selectinload(Location.addresses),
        location.selectinload(Location.attributes),
        location.selectinload(Location.schedules).selectinload(Schedule.attributes),
    )


def load_services(session: Session, ids: Sequence[str]) -> dict[str, Service]:
    """The services of ``ids`` that exist, by id, with what their cards read (kept between requests while the
    directory is unchanged: card_cache.py)."""
    if not ids:
        return {}
    return cached_services(session, ids, _load_cards)


def _load_cards(session: Session, ids: Sequence[str]) -> dict[str, Service]:
    query = select(Service).where(Service.id.in_(list(ids))).options(*_card_details())
    return {service.id: service for service in session.scalars(query)}
