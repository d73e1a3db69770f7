"""Sentence centrality by LexRank: PageRank over the TF-IDF cosine-similarity graph of the sentences."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_STOPWORD_TEXT = """
a about above after again against all also am an and any are as at be because been being below between
both but by can could did do does doing down during each few for from further had has have having he her
here hers him his how i if in into is it its itself just me more most my no nor not now of off on once
only or other our ours out over own same she should so some such than that the their theirs them then
there these they this those through to too under until up upon very was we were what when where which
while who whom why will with would you your via thus however therefore moreover furthermore yet may
might must shall us within without across among based using use used new paper work propose
proposed present introduce show shows demonstrate approach method
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def tokens(sentence: str) -> list[str]:
    """Content words of a sentence, lower-cased, with a light plural strip so "models" meets "model"."""
    out: list[str] = []
    for word in _WORD.findall(sentence.lower()):
        if word in _STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        out.append(word)
    return out


def tfidf_matrix(docs: Sequence[Sequence[str]]) -> FloatArray:
    """Rows are L2-normalized TF-IDF vectors of the token lists (smoothed IDF over these docs)."""
    vocab: dict[str, int] = {}
    for doc in docs:
        for word in doc:
            vocab.setdefault(word, len(vocab))
    matrix = np.zeros((len(docs), max(len(vocab), 1)), dtype=np.float64)
    if not vocab:
        return matrix
    df = Counter(word for doc in docs for word in set(doc))
    n = len(docs)
    for row, doc in enumerate(docs):
        for word, count in Counter(doc).items():
            idf = math.log((1 + n) / (1 + df[word])) + 1.0
            matrix[row, vocab[word]] = (1.0 + math.log(count)) * idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    normalized: FloatArray = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    return normalized


def cosine_matrix(vectors: FloatArray) -> FloatArray:
    """Pairwise cosine similarity of L2-normalized rows."""
    sims: FloatArray = np.clip(vectors @ vectors.T, 0.0, 1.0)
    return sims


def lexrank(similarity: FloatArray, *, damping: float = 0.85, tol: float = 1e-9,
            max_iter: int = 200) -> FloatArray:
    """Stationary scores of a random walk on the similarity graph (continuous LexRank), max-normalized to 1.

    A sentence that shares no words with any other gets only the teleport share, so isolated
    boilerplate ("Code is available.") ranks low.
    """
    n = similarity.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.float64)
    if n == 1:
        return np.ones(1, dtype=np.float64)
    weights = similarity.copy()
    np.fill_diagonal(weights, 0.0)
    row_sums = weights.sum(axis=1, keepdims=True)
    # A sentence with no edges spreads its mass evenly, so the chain stays stochastic.
    transition = np.where(row_sums > 0, weights / np.where(row_sums > 0, row_sums, 1.0), 1.0 / n)
    scores = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        updated = (1.0 - damping) / n + damping * (transition.T @ scores)
        if float(np.abs(updated - scores).sum()) < tol:
            scores = updated
            break
        scores = updated
    top = float(scores.max())
    result: FloatArray = scores / top if top > 0 else scores
    return result
