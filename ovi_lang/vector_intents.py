"""A second reading of a message's intent: softmax regression over its multilingual e5 sentence vector.

Why a second reading: Rasa's DIET reads the e5 vector too, but beside thousands of word and character
n-gram counts, and it leans on the words it has seen: "My ex-partner and I separated in the summer. Our son
is 5 and we cannot agree on when he stays with me" was violence at 0.89, a laid-off factory worker's long
story "not understood" with violence as its best guess. A linear model over the vector alone reads what a
message means, in Finnish, Swedish or English, and errs differently, so the two pooled (``mix``) are right
more often than either. Measured on the opening messages of the three development conversation sets (384,
vague openings left out; bot/dev), main need as the best non-crisis guess of the classifiers alone (no
thresholds): DIET 245/312 (team's set), 29/36 (Varsinais-Suomi), 26/36 (Pohjois-Savo); this model 236, 23,
24; pooled with ``MIX_WEIGHT`` 0.5, geometric 255, 29, 28 (arithmetic 262, 29, 29). Through the whole NLU
pipeline (fallback threshold, ``UNCUED_GUESS_MIN``, crisis override) the arithmetic mean lost: 238 → 248,
28 → 23, 28 → 27, while the geometric mean gave 238 → 260, 28 → 29, 28 → 28 and "not understood" 22 → 9
(see ``mix``).

The model is small (the vector's 384 dimensions standardised × the intents) and trained in a second or
two with the rest of the NLU model; numpy only, so it runs in both environments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

MIX_WEIGHT = 0.5
"""The share of the other classifier (DIET) in the mixed probabilities; see the module docstring."""
FLOOR = 1e-4
"""The probability given to an intent the other classifier did not rank (DIET ranks its best ten)."""
EPOCHS = 600
RATE = 0.5
L2 = 1e-3
"""Full-batch gradient descent on the cross-entropy; with the vectors standardised, 600 steps fit the
training examples (≈ 3100) fully, and the L2 term keeps the weights from growing without end."""

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class VectorIntentModel:
    labels: tuple[str, ...]
    mean: FloatArray
    scale: FloatArray
    weights: FloatArray
    """(dimensions, labels)"""
    bias: FloatArray

    def probabilities(self, vector: npt.ArrayLike) -> dict[str, float]:
        """P(intent | vector) for every intent the model was trained on."""
        x = (np.asarray(vector, dtype=np.float64).reshape(-1) - self.mean) / self.scale
        z = x @ self.weights + self.bias
        p = np.exp(z - z.max())
        p /= p.sum()
        return {label: float(value) for label, value in zip(self.labels, p, strict=True)}

    def arrays(self) -> dict[str, npt.NDArray[np.generic]]:
        """What ``from_arrays`` needs (for ``numpy.savez``)."""
        return {"labels": np.asarray(self.labels), "mean": self.mean, "scale": self.scale,
                "weights": self.weights, "bias": self.bias}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[np.generic]]) -> VectorIntentModel:
        def floats(key: str) -> FloatArray:
            return np.asarray(arrays[key], dtype=np.float64)

        return cls(tuple(str(label) for label in arrays["labels"]), floats("mean"), floats("scale"),
                   floats("weights"), floats("bias"))


def fit(vectors: npt.ArrayLike, labels: Sequence[str]) -> VectorIntentModel:
    """Train on sentence vectors (n, dim) and their intents (n)."""
    x = np.asarray(vectors, dtype=np.float64)
    if x.ndim != 2 or len(x) != len(labels) or not len(labels):
        raise ValueError(f"need one vector per label, got {x.shape} vectors for {len(labels)} labels")
    names = tuple(sorted(set(labels)))
    y = np.eye(len(names))[[names.index(label) for label in labels]]
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    x = (x - mean) / scale
    weights = np.zeros((x.shape[1], len(names)))
    bias = np.zeros(len(names))
    for _ in range(EPOCHS):
        z = x @ weights + bias
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        gradient = (p - y) / len(x)
        weights -= RATE * (x.T @ gradient + L2 * weights)
        bias -= RATE * gradient.sum(axis=0)
    return VectorIntentModel(names, mean, scale, weights, bias)


def mix(ranking: Sequence[tuple[str, float]], vector_probabilities: Mapping[str, float],
        weight: float = MIX_WEIGHT) -> list[tuple[str, float]]:
    """The two readings pooled, best first: the normalised weighted geometric mean, ``weight`` for the
    other classifier's confidences (its ranking; an intent it did not rank counts as ``FLOOR``) and
    1 − ``weight`` for this model's. A geometric mean stays sure where both are and drops where they
    disagree; an average would halve the confidence of every message one of them is unsure of, and the
    thresholds read after it (FallbackClassifier's, ``ovi_lang.needs.UNCUED_GUESS_MIN``) would send them
    all to "not understood"."""
    other = dict(ranking)
    names = list(dict.fromkeys([*other, *vector_probabilities]))
    logs = np.array([weight * np.log(max(other.get(name, 0.0), FLOOR))
                     + (1.0 - weight) * np.log(max(vector_probabilities.get(name, 0.0), FLOOR))
                     for name in names])
    pooled = np.exp(logs - logs.max())
    pooled /= pooled.sum()
    return sorted(zip(names, pooled.tolist(), strict=True), key=lambda item: (-item[1], item[0]))
