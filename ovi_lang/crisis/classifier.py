"""A learned crisis classifier over multilingual sentence embeddings, for indirect and unseen phrasings.

Multinomial logistic regression (numpy only, so it runs in both environments) from a message's embedding
(``ovi_lang.embeddings``) and what the rules saw in it (``rules.FEATURES``: context cues such as past or
figure of speech, weak or strong signals) to the labels ``none`` + the crisis kinds. The embedding carries
the meaning of indirect and unseen phrasings; the rule features let it learn how much a cue such as "told
in the past tense" weighs against it. Its weights are data
(``data/classifier.npz``), trained by ``python -m ovi_lang.crisis.train`` on the corpus's train split and
stamped with the embedding model and a hash of the training data; the thresholds that turn its
probability into a decision are chosen on the validation split and written, with their reasoning, to
``data/thresholds.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from ovi_lang.crisis.kinds import LABELS, NONE

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class CrisisClassifier:
    weights: Array
    """(dim, labels)"""
    bias: Array
    mean: Array
    scale: Array
    labels: tuple[str, ...]
    model_id: str
    data_hash: str

    def probabilities(self, vectors: npt.NDArray[Any]) -> Array:
        """(n, labels) class probabilities for (n, dim) embeddings."""
        x = (np.asarray(vectors, dtype=np.float64) - self.mean) / self.scale
        return _softmax(x @ self.weights + self.bias)

    def crisis_probability(self, vector: npt.NDArray[Any]) -> tuple[float, dict[str, float]]:
        """P(acute) = 1 − P(none) for one message's input (``inputs``), and the probability of every label."""
        probs = self.probabilities(np.asarray(vector).reshape(1, -1))[0]
        by_label = {label: float(p) for label, p in zip(self.labels, probs, strict=True)}
        return 1.0 - by_label[NONE], by_label

    def save(self, path: Any) -> None:
        np.savez_compressed(path, weights=self.weights, bias=self.bias, mean=self.mean, scale=self.scale,
                            labels=np.array(self.labels), model_id=np.array(self.model_id),
                            data_hash=np.array(self.data_hash))


def inputs(embeddings: npt.NDArray[Any], features: npt.NDArray[Any] | list[Any]) -> Array:
    """The classifier's input: embedding(s) and rule features side by side."""
    e = np.asarray(embeddings, dtype=np.float64)
    f = np.asarray(features, dtype=np.float64)
    if e.ndim == 1:
        return np.concatenate([e, f])
    return np.hstack([e, f])


def _softmax(z: Array) -> Array:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit(vectors: npt.NDArray[Any], labels: list[str], *, model_id: str, data_hash: str, l2: float = 1e-2,
        epochs: int = 600, learning_rate: float = 0.5, acute_weight: float = 1.0) -> CrisisClassifier:
    """Train by full-batch gradient descent with L2; classes are weighted so each counts equally, and the
    acute classes together get ``acute_weight`` times the weight of ``none`` (recall first)."""
    x = np.asarray(vectors, dtype=np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    x = (x - mean) / scale
    index = {label: i for i, label in enumerate(LABELS)}
    y = np.array([index[label] for label in labels])
    n, dim = x.shape
    k = len(LABELS)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y] = 1.0
    counts = np.maximum(onehot.sum(axis=0), 1.0)
    class_weight = n / (k * counts)
    class_weight[1:] *= acute_weight
    sample_weight = class_weight[y]
    sample_weight /= sample_weight.mean()
    w = np.zeros((dim, k))
    b = np.zeros(k)
    for _ in range(epochs):
        p = _softmax(x @ w + b)
        grad = (p - onehot) * sample_weight[:, None] / n
        w -= learning_rate * (x.T @ grad + l2 * w)
        b -= learning_rate * grad.sum(axis=0)
    return CrisisClassifier(w, b, mean, scale, LABELS, model_id, data_hash)


def load(path: Any) -> CrisisClassifier:
    with np.load(path, allow_pickle=False) as data:
        return CrisisClassifier(
            weights=data["weights"], bias=data["bias"], mean=data["mean"], scale=data["scale"],
            labels=tuple(str(x) for x in data["labels"]), model_id=str(data["model_id"]),
            data_hash=str(data["data_hash"]),
        )


@cache
def default_classifier() -> CrisisClassifier:
    with resources.as_file(resources.files("ovi_lang.crisis").joinpath("data/classifier.npz")) as path:
        classifier = load(path)
    if classifier.labels != LABELS:
        raise ValueError(f"classifier.npz: labels {classifier.labels} ≠ {LABELS}: run `make crisis-model`")
    return classifier


@dataclass(frozen=True)
class Thresholds:
    classifier: float
    """P(acute) at or above which a message with no rule signal is acute."""
    with_rule: float
    """P(acute) at or above which a weak or context-weakened rule signal is acute."""


@cache
def default_thresholds() -> Thresholds:
    raw = json.loads(resources.files("ovi_lang.crisis").joinpath("data/thresholds.json").read_text("utf-8"))
    return Thresholds(classifier=float(raw["classifier"]), with_rule=float(raw["with_rule"]))
