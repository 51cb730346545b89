"""The sentence encoder: multilingual, normalised vectors of a fixed size."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import numpy as np
import pytest

from ovi_lang.embeddings import QueryMemory, default_encoder, embed_message, model_encoder

DIM = 384


@pytest.mark.parametrize("method", ["embed_queries", "embed_passages"])
def test_vectors_are_384_dim_normalised_float32(method: str) -> None:
    encoder = default_encoder()
    assert encoder.dim == DIM
    vectors = getattr(encoder, method)(["mulla ei oo kämppää", "jag har skulder", "thanks a lot", " "])
    assert vectors.dtype == np.float32
    assert vectors.shape == (4, DIM)
    assert np.all(np.isfinite(vectors))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_one_message_gives_one_vector() -> None:
    vector = embed_message("tarviin apua vuokran kanssa")
    assert vector.shape == (DIM,)
    assert vector.dtype == np.float32
    np.testing.assert_allclose(vector, default_encoder().embed_queries(["tarviin apua vuokran kanssa"])[0],
                               atol=1e-6)


@pytest.mark.parametrize(("fi", "sv", "unrelated"), [
    ("minulla ei ole asuntoa", "jag har ingen bostad", "kissani pitää kalasta"),
    ("kiitos paljon avusta", "tack så mycket för hjälpen", "huomenna sataa lunta"),
])
def test_the_same_sentence_in_finnish_and_swedish_is_closer_than_an_unrelated_one(
        fi: str, sv: str, unrelated: str) -> None:
    v_fi, v_sv, v_other = default_encoder().embed_queries([fi, sv, unrelated])
    assert float(v_fi @ v_sv) > float(v_fi @ v_other)


@pytest.mark.parametrize("method", ["embed_queries", "embed_passages"])
def test_empty_input_gives_no_rows(method: str) -> None:
    vectors = getattr(default_encoder(), method)([])
    assert vectors.shape == (0, DIM)


class _Counting:
    """A stand-in model at the boundary: counts what it is asked to embed."""

    model_id = "counting"
    dim = 4

    def __init__(self) -> None:
        self.asked: list[str] = []

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.asked += texts
        return np.array([[len(t), t.count("a"), 1.0, 0.0] for t in texts], dtype=np.float32)

    embed_passages = embed_queries


def test_the_query_memory_gives_the_models_vectors_and_asks_it_once_per_text() -> None:
    model = _Counting()
    memory = QueryMemory(model, size=10)
    first = memory.embed_queries(["kiitos", "kotka", "kiitos"])
    np.testing.assert_array_equal(first, model.embed_queries(["kiitos", "kotka", "kiitos"]))
    model.asked.clear()
    again = memory.embed_queries(["kotka", "asun kotkassa", "kiitos"])
    assert model.asked == ["asun kotkassa"]  # the two seen before come from the memory
    np.testing.assert_array_equal(again, model.embed_queries(["kotka", "asun kotkassa", "kiitos"]))


def test_the_query_memory_forgets_the_least_recently_used_and_keeps_passages_out() -> None:
    model = _Counting()
    memory = QueryMemory(model, size=2)
    memory.embed_queries(["a", "bb"])
    memory.embed_queries(["a"])  # "a" used again: "bb" is now the oldest
    memory.embed_queries(["ccc"])
    model.asked.clear()
    memory.embed_queries(["a", "ccc", "bb"])
    assert model.asked == ["bb"]
    memory.embed_passages(["a"])
    memory.embed_passages(["a"])
    assert model.asked == ["bb", "a", "a"]


def test_a_caller_changing_its_vectors_does_not_change_the_memory() -> None:
    memory = QueryMemory(_Counting(), size=4)
    memory.embed_queries(["kotka"])[0, :] = 99.0
    assert memory.embed_queries(["kotka"])[0, 0] == len("kotka")


def test_the_process_encoder_remembers_and_the_model_is_there_for_benchmarks() -> None:
    assert isinstance(default_encoder(), QueryMemory)
    assert default_encoder().encoder is model_encoder()  # type: ignore[attr-defined]
    np.testing.assert_allclose(default_encoder().embed_queries(["velkaneuvonta kotkassa"]),
                               model_encoder().embed_queries(["velkaneuvonta kotkassa"]), atol=1e-6)


def test_a_text_another_caller_is_embedding_is_waited_for_not_embedded_twice() -> None:
    gate, started = threading.Event(), threading.Event()

    class Slow(_Counting):
        def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
            started.set()
            gate.wait(10)
            return super().embed_queries(texts)

    model = Slow()
    memory = QueryMemory(model, size=10)
    results: dict[str, np.ndarray] = {}
    first = threading.Thread(target=lambda: results.update(first=memory.embed_queries(["asunto"])))
    first.start()
    assert started.wait(10)
    second = threading.Thread(target=lambda: results.update(second=memory.embed_queries(["asunto", "velka"])))
    second.start()
    time.sleep(0.2)  # the second call is now waiting for "asunto" (and embedding "velka" itself)
    gate.set()
    first.join(10)
    second.join(10)
    assert model.asked.count("asunto") == 1 and model.asked.count("velka") == 1
    np.testing.assert_array_equal(results["second"][0], results["first"][0])


def test_a_warmed_text_is_embedded_once_on_the_warming_thread_and_waited_for() -> None:
    gate, started = threading.Event(), threading.Event()
    threads: list[str] = []

    class Slow(_Counting):
        def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
            threads.append(threading.current_thread().name)
            started.set()
            gate.wait(10)
            return super().embed_queries(texts)

    model = Slow()
    memory = QueryMemory(model, size=10)
    memory.warm(["kämppä lähtee alta", "kämppä lähtee alta"])  # returns at once, the model still busy
    assert started.wait(10) and model.asked == []
    threading.Timer(0.2, gate.set).start()
    vector = memory.embed_queries(["kämppä lähtee alta"])  # waits for the warming, does not embed again
    assert model.asked == ["kämppä lähtee alta"] and threads[0].startswith("ovi-warm-queries")
    np.testing.assert_array_equal(vector, _Counting().embed_queries(["kämppä lähtee alta"]))
    memory.warm(["kämppä lähtee alta"])  # already known: nothing to do
    assert memory.embed_queries(["kämppä lähtee alta"]).shape == (1, 4) and len(model.asked) == 1


def test_a_failed_warming_leaves_the_text_to_whoever_asks_next() -> None:
    class Failing(_Counting):
        fail = True

        def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
            if self.fail:
                self.fail = False
                raise RuntimeError("the model is not there")
            return super().embed_queries(texts)

    model = Failing()
    memory = QueryMemory(model, size=10)
    memory.warm(["velka"])
    assert memory.embed_queries(["velka"])[0, 0] == len("velka")  # waited for the failure, then embedded
    assert model.asked == ["velka"]
