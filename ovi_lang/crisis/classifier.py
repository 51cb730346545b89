"""A learned crisis classifier over multilingual sentence embeddings, for indirect and unseen phrasings.

A small neural network (numpy only, so it runs in both environments): the message's embedding
(``ovi_lang.embeddings``) and what the rules saw in it (``rules.FEATURES``: context cues such as past or
figure of speech, weak or strong signals) → one hidden layer (ReLU) → the labels ``none`` + the crisis
kinds. The embedding carries the meaning of indirect and unseen phrasings; the rule features let the
network learn how much a cue such as "told in the past tense" weighs against it. A hidden layer, unlike a
linear model, can learn that the same topic is acute in one context and not in another; an average of a
few networks trained from different seeds is steadier than one.

Its P(acute) is averaged with that of ``lexical`` (character n-grams), which sees the exact words the
embedding blurs; the kind comes from the network alone.

Its weights are data (``data/classifier.npz``), trained by ``python -m ovi_lang.crisis.train`` on the
corpus's train split and stamped with the embedding model and a hash of the training data; the thresholds
that turn its probability into a decision are chosen by cross-validation over the train split's authors and
written, with their
reasoning, to ``data/thresholds.json``.
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
from ovi_lang.crisis.lexical import LexicalModel, fit_lexical

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Network:
    w1: Array
    """(inputs, hidden)"""
    b1: Array
    w2: Array
    """(hidden, labels)"""
    b2: Array

    def probabilities(self, x: Array) -> Array:
        return _softmax(np.maximum(0.0, x @ self.w1 + self.b1) @ self.w2 + self.b2)


@dataclass(frozen=True)
class CrisisClassifier:
    networks: tuple[Network, ...]
    mean: Array
    scale: Array
    labels: tuple[str, ...]
    model_id: str
    data_hash: str
    lexical: LexicalModel

    def probabilities(self, vectors: npt.NDArray[Any]) -> Array:
        """(n, labels): the networks' class probabilities for (n, inputs) inputs (see ``inputs``)."""
        x = (np.asarray(vectors, dtype=np.float64) - self.mean) / self.scale
        return np.mean([net.probabilities(x) for net in self.networks], axis=0)

    def p_acute(self, vectors: npt.NDArray[Any], texts: list[str]) -> Array:
        """(n,) P(acute): the networks' 1 − P(none) averaged with the lexical model's."""
        return combine(1.0 - self.probabilities(vectors)[:, 0], self.lexical.p_acute(texts))

    def crisis_probability(self, vector: npt.NDArray[Any], text: str) -> tuple[float, dict[str, float]]:
        """P(acute) for one message's input and text, and the networks' probability of every label."""
        probs = self.probabilities(np.asarray(vector).reshape(1, -1))[0]
        by_label = {label: float(p) for label, p in zip(self.labels, probs, strict=True)}
        lexical = float(self.lexical.p_acute([text])[0])
        return float(combine(1.0 - by_label[NONE], lexical)), by_label

    def save(self, path: Any) -> None:
        arrays = {f"{name}_{i}": getattr(net, name) for i, net in enumerate(self.networks)
                  for name in ("w1", "b1", "w2", "b2")}
        np.savez_compressed(path, mean=self.mean, scale=self.scale, labels=np.array(self.labels),
                            model_id=np.array(self.model_id), data_hash=np.array(self.data_hash),
                            networks=np.array(len(self.networks)), lexical_weights=self.lexical.weights,
                            lexical_bias=np.array(self.lexical.bias), lexical_idf=self.lexical.idf, **arrays)


def combine(p_network: Any, p_lexical: Any) -> Any:
    """The plain mean: in cross-validation it beat the larger of the two and the geometric mean, and a
    weighting learnt on the same folds would be tuned to them."""
    return (np.asarray(p_network) + np.asarray(p_lexical)) / 2.0


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


@dataclass(frozen=True)
class Training:
    hidden: int = 128
    epochs: int = 60
    dropout: float = 0.3
    l2: float = 1e-3
    learning_rate: float = 1e-3
    batch: int = 64
    seeds: tuple[int, ...] = (0, 1, 2)


def _train_network(x: Array, onehot: Array, sample_weight: Array, cfg: Training, seed: int) -> Network:
    """Mini-batch Adam with dropout on the hidden layer and L2 on the weights."""
    rng = np.random.default_rng(seed)
    n, d = x.shape
    k = onehot.shape[1]
    params = [rng.normal(0.0, np.sqrt(2.0 / d), (d, cfg.hidden)), np.zeros(cfg.hidden),
              rng.normal(0.0, np.sqrt(1.0 / cfg.hidden), (cfg.hidden, k)), np.zeros(k)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    step = 0
    for _ in range(cfg.epochs):
        order = rng.permutation(n)
        for start in range(0, n, cfg.batch):
            b = order[start:start + cfg.batch]
            w1, b1, w2, b2 = params
            h = np.maximum(0.0, x[b] @ w1 + b1)
            keep = (rng.random(h.shape) > cfg.dropout) / (1.0 - cfg.dropout)
            hd = h * keep
            g = (_softmax(hd @ w2 + b2) - onehot[b]) * sample_weight[b, None] / len(b)
            gh = (g @ w2.T) * keep * (h > 0)
            grads = [x[b].T @ gh + cfg.l2 * w1, gh.sum(axis=0), hd.T @ g + cfg.l2 * w2, g.sum(axis=0)]
            step += 1
            for i, grad in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * grad
                v[i] = 0.999 * v[i] + 0.001 * grad * grad
                m_hat = m[i] / (1 - 0.9 ** step)
                v_hat = v[i] / (1 - 0.999 ** step)
                params[i] = params[i] - cfg.learning_rate * m_hat / (np.sqrt(v_hat) + 1e-8)
    return Network(*params)


def fit(vectors: npt.NDArray[Any], texts: list[str], labels: list[str], *, model_id: str, data_hash: str,
        cfg: Training = Training()) -> CrisisClassifier:
    """Train the networks. ``none`` weighs as much as all acute kinds together, and the kinds weigh equally
    among themselves: the decision that matters most is acute or not, and a rare kind must not be drowned
    by a common one."""
    x = np.asarray(vectors, dtype=np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    x = (x - mean) / scale
    index = {label: i for i, label in enumerate(LABELS)}
    y = np.array([index[label] for label in labels])
    k = len(LABELS)
    onehot = np.eye(k)[y]
    counts = np.maximum(onehot.sum(axis=0), 1.0)
    class_weight = len(y) / (2 * counts)
    class_weight[1:] /= k - 1
    sample_weight = class_weight[y] / class_weight[y].mean()
    networks = tuple(_train_network(x, onehot, sample_weight, cfg, seed) for seed in cfg.seeds)
    lexical = fit_lexical(texts, [label != NONE for label in labels])
    return CrisisClassifier(networks, mean, scale, LABELS, model_id, data_hash, lexical)


def load(path: Any) -> CrisisClassifier:
    with np.load(path, allow_pickle=False) as data:
        networks = tuple(Network(*(data[f"{name}_{i}"] for name in ("w1", "b1", "w2", "b2")))
                         for i in range(int(data["networks"])))
        return CrisisClassifier(
            networks=networks, mean=data["mean"], scale=data["scale"],
            labels=tuple(str(x) for x in data["labels"]), model_id=str(data["model_id"]),
            data_hash=str(data["data_hash"]),
            lexical=LexicalModel(data["lexical_weights"], float(data["lexical_bias"]), data["lexical_idf"]),
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
