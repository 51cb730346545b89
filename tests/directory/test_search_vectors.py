"""The search's arrays: the snapshot's (dim, n) matrix of vectors, the cosines read from it, the query
embedding computed beside the lexical part (a failing model leaves the words to answer), the text e5 embeds
for a query, and how the lexical part adds up a query word's terms."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from directory_db import search
from directory_db.importers import import_hsds_json
from directory_db.models import SearchDocument
from directory_db.search import (
    SearchOptions,
    _embedded_text,
    _lexical,
    _moved_toward_best,
    _readings,
    rank_services,
)
from directory_db.search_index import Snapshot, load_snapshot, snapshot
from directory_db.text_analysis import QueryTerm, query_terms

from .conftest import VALID
from .encoders import HashingEncoder


class TrigramEncoder(HashingEncoder):
    """The trigram stand-in for e5, noting the thread each query was embedded on."""

    model_id = "test-trigram-hash-384-vectors"

    def __init__(self) -> None:
        self.threads: list[int] = []

    def embed_queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.threads.append(threading.get_ident())
        return self._embed(texts)


class BrokenEncoder(TrigramEncoder):
    def embed_queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        raise RuntimeError("malli ei latautunut")


@pytest.fixture
def with_vectors(session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TrigramEncoder:
    monkeypatch.setenv("OVI_EMBEDDING_CACHE", str(tmp_path / "embedding-cache.sqlite3"))
    encoder = TrigramEncoder()
    import_hsds_json(session, VALID, encoder=encoder)
    return encoder


def _stored(session: Session) -> dict[str, npt.NDArray[np.float32]]:
    rows = session.execute(select(SearchDocument.service_id, SearchDocument.embedding))
    return {sid: np.frombuffer(blob, dtype=np.float16).astype(np.float32) for sid, blob in rows if blob}


def test_the_snapshot_holds_one_column_per_service(session: Session, with_vectors: TrigramEncoder) -> None:
    snap = snapshot(session)
    stored = _stored(session)
    assert snap.vectors.shape == (with_vectors.dim, snap.size)
    assert snap.vectors.dtype == np.float32 and snap.vectors.flags.c_contiguous
    assert snap.has_vector.all() and len(stored) == snap.size
    for i, sid in enumerate(snap.ids):
        np.testing.assert_array_equal(snap.vectors[:, i], stored[sid])


def test_a_service_without_a_vector_has_a_zero_column(session: Session, with_vectors: TrigramEncoder) -> None:
    first = session.scalars(select(SearchDocument.service_id).order_by(SearchDocument.service_id)).first()
    session.execute(update(SearchDocument).where(SearchDocument.service_id == first).values(embedding=None))
    snap = load_snapshot(session)
    i = snap.ids.index(str(first))
    assert not snap.has_vector[i] and not snap.vectors[:, i].any()
    assert int(snap.has_vector.sum()) == snap.size - 1
    others = [j for j in range(snap.size) if j != i]
    assert all(snap.vectors[:, j].any() for j in others)


def test_cosines_are_those_of_the_stored_vectors(session: Session, with_vectors: TrigramEncoder) -> None:
    text = "velkaneuvonta"
    ranked = rank_services(
        session, text, limit=None, options=SearchOptions(lexical=False), encoder=with_vectors
    )
    assert ranked
    query = with_vectors.embed_queries([text])[0]
    stored = _stored(session)
    for r in ranked:
        assert r.explanation.semantic == pytest.approx(float(stored[r.service_id] @ query), abs=1e-5)


def test_the_query_is_embedded_beside_the_lexical_part(
    session: Session, with_vectors: TrigramEncoder
) -> None:
    with_vectors.threads.clear()
    rank_services(session, "velkaneuvonta", limit=5, encoder=with_vectors)
    assert len(with_vectors.threads) == 1 and with_vectors.threads[0] != threading.get_ident()


def test_a_failing_model_leaves_the_words_to_answer(
    session: Session, with_vectors: TrigramEncoder, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="directory_db.search"):
        ranked = rank_services(session, "velkaneuvonta", limit=5, encoder=BrokenEncoder())
    assert ranked and ranked[0].explanation.lexical > 0
    assert all(r.explanation.semantic is None for r in ranked)
    assert "upotus epäonnistui" in caplog.text


def test_no_embedding_when_no_service_has_a_vector(session: Session) -> None:
    import_hsds_json(session, VALID)
    session.execute(update(SearchDocument).values(embedding=None))
    encoder = TrigramEncoder()
    ranked = rank_services(session, "velkaneuvonta", limit=5, encoder=encoder)
    assert ranked and encoder.threads == []


# --- lexical: the readings of one word count once ----------------------------------------------------------


def _tiny_snapshot(postings: dict[str, list[int]], size: int) -> Snapshot:
    none = np.zeros(0, dtype=np.int32)
    return Snapshot(
        token="t",
        ids=[f"s{i}" for i in range(size)],
        order=np.arange(size, dtype=np.int32),
        postings={
            t: (np.asarray(d, dtype=np.int32), np.ones(len(d), dtype=np.float32)) for t, d in postings.items()
        },
        lengths=np.ones(size, dtype=np.float32),
        active=np.ones(size, dtype=bool),
        most_local=np.zeros(size, dtype=np.int8),
        areas={},
        classes={},
        target_groups={"x": none},
        no_target_group=np.ones(size, dtype=bool),
        provider_types={},
        provider_of=[""] * size,
        languages={},
        free=np.zeros(size, dtype=bool),
        anonymous=np.zeros(size, dtype=bool),
        vectors=np.zeros((4, size), dtype=np.float32),
        has_vector=np.zeros(size, dtype=bool),
    )


def test_the_readings_of_one_word_count_once() -> None:
    # "yksin" reads as yksin and yksi: a text with both is not twice about the query word.
    terms = [QueryTerm("yksin", 1.0, "word", "yksin"), QueryTerm("yksi", 1.0, "word", "yksin")]
    snap = _tiny_snapshot({"yksin": [0, 1], "yksi": [0, 2]}, size=6)
    scores = _lexical(snap, terms, np.ones(6, dtype=bool))
    assert scores[0] == pytest.approx(scores[1]) and scores[1] == pytest.approx(scores[2]) and scores[0] > 0


def test_parts_and_synonyms_of_a_word_and_other_words_add_up() -> None:
    terms = [
        QueryTerm("päihdetyö", 1.0, "word", "päihdetyö"),
        QueryTerm("päihde", 0.4, "part", "päihdetyö"),
        QueryTerm("riippuvuus", 0.8, "synonym", "päihdetyö"),
        QueryTerm("nuori", 1.0, "word", "nuori"),
    ]
    snap = _tiny_snapshot(
        {"päihdetyö": [0, 1, 2, 3], "päihde": [0, 1, 2, 3], "riippuvuus": [0, 1], "nuori": [0]}, size=8
    )
    scores = _lexical(snap, terms, np.ones(8, dtype=bool))
    assert scores[0] > scores[1] > scores[2] > 0
    assert [len(g) for g in _readings(terms)] == [1, 1, 1, 1]


# --- semantic: the text e5 embeds ---------------------------------------------------------------------------


def test_the_embedded_query_carries_the_synonyms_of_its_words() -> None:
    text = "kämppä ja sossu"
    terms = query_terms(text)
    synonyms = [qt.term for qt in terms if qt.origin == "synonym"]
    assert synonyms  # the table knows both slang words
    embedded = _embedded_text(text, terms)
    assert embedded.startswith(f"{text}, ")
    assert all(term in embedded for term in synonyms)
    # Only the synonyms: not the words' own base forms, parts or repairs, and no word twice.
    assert _embedded_text("asunto", query_terms("asunto")).split(", ")[0] == "asunto"
    assert len(embedded.split(", ")) == 1 + len(set(synonyms) - set(text.split()))


def test_a_query_without_synonyms_is_embedded_as_typed() -> None:
    assert _embedded_text("avopalvelu kotkassa", query_terms("avopalvelu kotkassa")) == "avopalvelu kotkassa"
    assert _embedded_text("xyzzy", query_terms("xyzzy")) == "xyzzy"


def test_the_model_reads_the_expanded_query(session: Session, with_vectors: TrigramEncoder) -> None:
    seen: list[str] = []

    class Recording(TrigramEncoder):
        def embed_queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
            seen.extend(texts)
            return super().embed_queries(texts)

    rank_services(session, "kämppä", limit=5, encoder=Recording())
    assert seen == [_embedded_text("kämppä", query_terms("kämppä"))] and seen[0] != "kämppä"


def test_the_embedded_query_has_its_repaired_words() -> None:
    typo = "paihdeneuvla kotkassa"
    terms = query_terms(typo)
    assert any(qt.origin == "typo" and qt.term == "päihdeneuvola" for qt in terms)
    # Of Voikko's guesses (päihdeneula, päihdeneuvola), the one the directory's texts have.
    assert _embedded_text(typo, terms, known={"päihdeneuvola", "kotka"}.__contains__).startswith(
        "päihdeneuvola kotkassa"
    )
    assert _embedded_text(typo, terms, known={"päihdeneula"}.__contains__).startswith("päihdeneula kotkassa")
    # A short word has many near neighbours: it is read as typed ("runt" is Swedish, not a typo of "runo").
    short = "krisjour dygnet runt"
    assert _embedded_text(short, query_terms(short)).startswith(short)


def test_a_forked_worker_embeds_queries_too(session: Session, with_vectors: TrigramEncoder) -> None:
    """A server that forks its workers after a search: the child makes its own embedding threads."""
    assert rank_services(session, "velkaneuvonta", limit=3, encoder=with_vectors)  # the parent's pool
    pid = os.fork()
    if pid == 0:  # the child: a hang ends by the alarm, anything else by its exit status
        signal.alarm(20)
        try:
            ranked = rank_services(session, "velkaneuvonta", limit=3, encoder=with_vectors)
            os._exit(0 if ranked and ranked[0].explanation.semantic is not None else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_context_is_searched_with_the_words_and_embedded_apart(
    session: Session, with_vectors: TrigramEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "FEEDBACK", 0.0)  # the cosines of the query's own vector (see below)
    seen: list[list[str]] = []

    class Recording(TrigramEncoder):
        def embed_queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
            seen.append(list(texts))
            return super().embed_queries(texts)

    own, context = "kämppä lähtee alta", "velkaneuvonta ulosotto"
    ranked = rank_services(session, own, context=context, limit=None, encoder=Recording())
    # e5 reads the person's words (with their synonyms) and the context apart, in one call.
    assert seen == [[_embedded_text(own, query_terms(own)), _embedded_text(context, query_terms(context))]]
    # Its vector is their sum made unit length: the cosines are those of that vector.
    parts = with_vectors.embed_queries(seen[0])
    mixed = parts[0] + parts[1]
    mixed /= np.linalg.norm(mixed)
    stored = _stored(session)
    assert ranked
    for r in ranked:
        assert r.explanation.semantic == pytest.approx(float(stored[r.service_id] @ mixed), abs=1e-5)
    # The lexical part reads the words and the context as one text.
    together = rank_services(session, f"{own} {context}", limit=None, options=SearchOptions(semantic=False))
    alone = rank_services(session, own, context=context, limit=None, options=SearchOptions(semantic=False))
    assert [(r.service_id, r.explanation.lexical) for r in alone] == [
        (r.service_id, r.explanation.lexical) for r in together
    ]
    assert {"velkaneuvonta", "ulosotto"} & {t for r in alone for t in r.matched_terms}


def test_a_context_alone_is_embedded_alone(session: Session, with_vectors: TrigramEncoder) -> None:
    seen: list[list[str]] = []

    class Recording(TrigramEncoder):
        def embed_queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
            seen.append(list(texts))
            return super().embed_queries(texts)

    rank_services(session, None, context="velkaneuvonta", limit=5, encoder=Recording())
    assert seen == [["velkaneuvonta"]]


def test_each_result_carries_its_organizations_provider_type(session: Session) -> None:
    from directory_db.cli import DEMO_DIR
    from directory_db.models import Service

    import_hsds_json(session, sorted(DEMO_DIR.glob("*.json")))
    ranked = rank_services(session, None, limit=None)
    assert {"ngo", "public"} <= {r.provider_type for r in ranked}
    for r in ranked:
        service = session.get(Service, r.service_id)
        assert service is not None
        assert r.provider_type == service.organization.provider_type


def test_a_warmed_query_is_searched_without_embedding_it_again(
    session: Session, with_vectors: TrigramEncoder
) -> None:
    from directory_db.search import warm
    from ovi_lang.embeddings import QueryMemory

    asked: list[str] = []

    class Recording(TrigramEncoder):
        def embed_queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
            asked.extend(texts)
            return super().embed_queries(texts)

    memory = QueryMemory(Recording())
    own, context = "kämppä lähtee alta ja vuokrat rästissä", "asunto vuokra asumisneuvonta"
    pending = warm(session, own, context=context, encoder=memory)
    assert pending is not None
    pending.result()
    assert len(asked) == 2  # the words and the context
    before = rank_services(session, own, context=context, limit=5, encoder=Recording())
    after = rank_services(session, own, context=context, limit=5, encoder=memory)
    assert len(asked) == 2 + 2  # only the comparison run above embedded (twice: no memory there)
    assert [(r.service_id, r.explanation.semantic) for r in after] == [
        (r.service_id, r.explanation.semantic) for r in before
    ]


# --- relevance feedback: the query moves toward its best match ----------------------------------------------


def _unit(*values: float) -> npt.NDArray[np.float32]:
    vector = np.asarray(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


class FixedEncoder:
    """Every query is the same vector (the feedback tests choose the cosines)."""

    model_id = "test-fixed"
    dim = 4

    def __init__(self, vector: npt.NDArray[np.float32]) -> None:
        self.vector = vector

    def embed_queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return np.tile(self.vector, (len(texts), 1))

    def embed_passages(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        raise AssertionError("not used")


# s0 is the service the query's word names; s1 is much like s0 but shares no word with the query; s2 is
# nearer the query's vector than either, about something else. e5-like cosines (0.89–0.94).
_QUERY = _unit(0.5, 0, 0.87, 2)
_SERVICES = [_unit(1, 0, 0, 2), _unit(0.9, 0.45, 0, 2), _unit(0, 0.6, 0.8, 2)]


@pytest.fixture
def three_services(monkeypatch: pytest.MonkeyPatch) -> Snapshot:
    snap = _tiny_snapshot({"velkaneuvonta": [0]}, size=3)
    snap.vectors = np.stack(_SERVICES, axis=1).astype(np.float32)
    snap.has_vector = np.ones(3, dtype=bool)
    monkeypatch.setattr(search, "snapshot", lambda session: snap)
    return snap


def _order(text: str) -> list[str]:
    return [r.service_id for r in rank_services(None, text, limit=None, encoder=FixedEncoder(_QUERY))]  # type: ignore[arg-type]


def test_the_query_moves_toward_its_best_match(
    three_services: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The word finds s0; the services like it (s1) then rank above what only resembled the query (s2).
    assert _order("velkaneuvonta") == ["s0", "s1", "s2"]
    monkeypatch.setattr(search, "FEEDBACK", 0.0)
    assert _order("velkaneuvonta") == ["s0", "s2", "s1"]


def test_no_feedback_when_no_word_matched(three_services: Snapshot, monkeypatch: pytest.MonkeyPatch) -> None:
    # The best match by the vector alone would only repeat the vector: the order is the vector's.
    with_feedback = _order("asunto")
    monkeypatch.setattr(search, "FEEDBACK", 0.0)
    assert with_feedback == _order("asunto") == ["s2", "s0", "s1"]


def test_the_moved_vector_is_the_query_plus_its_best_match() -> None:
    snap = _tiny_snapshot({}, size=3)
    snap.vectors = np.stack(_SERVICES, axis=1).astype(np.float32)
    snap.has_vector = np.asarray([True, True, False])
    mask = np.asarray([False, True, True])
    # s0 scores best but is filtered out, s2 has no vector: the best match is s1.
    first = np.asarray([3.0, 1.0, 2.0], dtype=np.float32)
    moved = _moved_toward_best(snap, _QUERY, first, mask)
    assert moved is not None
    expected = _QUERY + search.FEEDBACK * _SERVICES[1]
    np.testing.assert_allclose(moved, expected / np.linalg.norm(expected), atol=1e-6)
    assert _moved_toward_best(snap, _QUERY, np.zeros(3, dtype=np.float32), mask) is None
