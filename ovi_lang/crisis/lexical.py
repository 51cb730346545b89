"""A lexical crisis model: logistic regression over character n-grams, the classifier's second opinion.

The sentence embedding (``ovi_lang.embeddings``) carries meaning, but a 4-bit multilingual-e5-small blurs the
exact words that make a Finnish message acute or not: "otin koko purkin" against "otin purkin mukaan", an
inflected verb, a spoken form, a typo. Character n-grams see those word pieces whatever their ending or
spelling. The two are wrong on different messages, so the classifier averages their P(acute): measured by
cross-validation over the corpus's authors (``python -m ovi_lang.crisis.train``), the average caught
about 4 in 10 of the crises that the embedding network alone missed at the same false-alarm rate.

Features: the 3-, 4- and 5-character pieces of the lower-cased message with a space at each end and of
the same text without diacritics (so "en jaksa enaa" meets "en jaksa enää"), and its whole words; each
hashed (CRC-32, stable across processes and Python versions) into ``2**BITS`` buckets, weighted by
log(1 + count) × IDF and L2-normalised. Sparse throughout (numpy only): a message has a few hundred
pieces, and both environments (Rasa's and the app's) run it.

Binary (acute or not), not per kind: the kind comes from the embedding network and the rules, which see the
whole meaning; what the words add is whether it is happening now.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ovi_lang.text import fold

Array = npt.NDArray[np.float64]

BITS = 14
"""2**14 buckets: more buckets did not help in cross-validation, fewer collided visibly."""
_NGRAMS = (3, 4, 5)
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def pieces(text: str) -> list[str]:
    """The character n-grams (of the text and of its diacritic-free form) and whole words of a message."""
    low = " " + _SPACES.sub(" ", text.lower()).strip() + " "
    out: list[str] = []
    for variant in {low, fold(low)}:
        out += [variant[i:i + n] for n in _NGRAMS for i in range(len(variant) - n + 1)]
    out += ["w:" + word for word in _WORD.findall(low)]
    return out


@dataclass(frozen=True)
class Sparse:
    """Rows of bucket counts: ``rows[k]`` is the message of the ``k``-th (bucket, value) pair."""

    rows: npt.NDArray[np.int64]
    buckets: npt.NDArray[np.int64]
    values: Array
    n: int


def count(texts: Sequence[str], bits: int = BITS) -> Sparse:
    mask = (1 << bits) - 1
    rows: list[int] = []
    buckets: list[int] = []
    values: list[float] = []
    for i, text in enumerate(texts):
        counts: dict[int, int] = {}
        for piece in pieces(text):
            bucket = zlib.crc32(piece.encode()) & mask
            counts[bucket] = counts.get(bucket, 0) + 1
        rows += [i] * len(counts)
        buckets += counts.keys()
        values += [float(c) for c in counts.values()]
    return Sparse(np.array(rows, dtype=np.int64), np.array(buckets, dtype=np.int64),
                  np.array(values, dtype=np.float64), len(texts))


def _weighted(x: Sparse, idf: Array) -> Sparse:
    values = np.log1p(x.values) * idf[x.buckets]
    norms = np.sqrt(np.bincount(x.rows, weights=values * values, minlength=x.n))
    return Sparse(x.rows, x.buckets, values / (norms[x.rows] + 1e-9), x.n)


@dataclass(frozen=True)
class LexicalModel:
    weights: Array
    bias: float
    idf: Array

    @property
    def bits(self) -> int:
        return int(np.log2(len(self.weights)))

    def p_acute(self, texts: Sequence[str]) -> Array:
        x = _weighted(count(texts, self.bits), self.idf)
        z = np.bincount(x.rows, weights=x.values * self.weights[x.buckets], minlength=x.n) + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


@dataclass(frozen=True)
class LexicalTraining:
    iterations: int = 300
    l2: float = 1e-5
    learning_rate: float = 0.05


def fit_lexical(texts: Sequence[str], acute: Sequence[bool], cfg: LexicalTraining = LexicalTraining(),
                bits: int = BITS) -> LexicalModel:
    """Full-batch Adam on the logistic loss; acute and non-acute messages weigh half each (as the
    network's ``none`` against all kinds together)."""
    raw = count(texts, bits)
    size = 1 << bits
    docs_with = np.bincount(raw.buckets, minlength=size)
    idf = np.log((raw.n + 1) / (docs_with + 1)) + 1.0
    x = _weighted(raw, idf)
    y = np.asarray(acute, dtype=np.float64)
    share = min(max(y.mean(), 1e-6), 1 - 1e-6)
    sample_weight = np.where(y == 1, 0.5 / share, 0.5 / (1 - share)) / len(y)
    w = np.zeros(size)
    b = 0.0
    m, v = np.zeros(size), np.zeros(size)
    mb = vb = 0.0
    for step in range(1, cfg.iterations + 1):
        z = np.bincount(x.rows, weights=x.values * w[x.buckets], minlength=x.n) + b
        g = (1.0 / (1.0 + np.exp(-z)) - y) * sample_weight
        gw = np.bincount(x.buckets, weights=x.values * g[x.rows], minlength=size) + cfg.l2 * w
        gb = float(g.sum())
        m, v = 0.9 * m + 0.1 * gw, 0.999 * v + 0.001 * gw * gw
        w -= cfg.learning_rate * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
        mb, vb = 0.9 * mb + 0.1 * gb, 0.999 * vb + 0.001 * gb * gb
        b -= cfg.learning_rate * (mb / (1 - 0.9 ** step)) / (np.sqrt(vb / (1 - 0.999 ** step)) + 1e-8)
    return LexicalModel(w, b, idf)
