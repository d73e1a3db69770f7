"""Topic novelty: how far a paper's embedding lies from the papers of the weeks before.

Embeddings come from WordLlama (``l2_supercat``, 256 dimensions), whose weights and tokenizer ship inside
the ``wordllama`` wheel: nothing is downloaded. A paper is embedded from its title and abstract, and its
novelty is one minus the mean cosine similarity to its ``NEIGHBOURS`` nearest ``prior`` papers (0: the
topic was already everywhere; about 0.5: nothing like it in the previous weeks). Without prior papers every
novelty is zero.

Embedding is the slow part (about 0.5 ms a paper), so vectors are cached per announcement week under
``<cache_dir>/embeddings`` when a cache folder is given: ranking a week embeds its own pool and reuses the
previous weeks' files.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from ..models import Paper

NEIGHBOURS = 5
MODEL = "l2_supercat-256"
"""Part of the cache file names: a new model means new files."""
_BLOCK = 2048  # rows of the similarity matrix computed at once, to bound memory

Vectors = np.ndarray[Any, np.dtype[np.float32]]


@functools.cache
def _model() -> Any:
    import wordllama

    # The wheel ships its tokenizer under wordllama/tokenizers/, where load() only looks when that folder is
    # given as the cache folder; disable_download keeps it from ever reaching for the network.
    return wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)


def embed_texts(texts: Sequence[str]) -> Vectors:
    """Unit-length embeddings (one row per text)."""
    if not texts:
        return np.zeros((0, 256), np.float32)
    return np.asarray(_model().embed(list(texts), norm=True), np.float32)


def _text(paper: Paper) -> str:
    return f"{paper.title}. {paper.abstract}"


def embed(papers: Sequence[Paper], cache_dir: Path | None = None) -> Vectors:
    """Embeddings of ``papers`` (in order), read from and added to the per-week cache when given."""
    if cache_dir is None:
        return embed_texts([_text(p) for p in papers])
    by_week: dict[date, list[int]] = defaultdict(list)
    for i, p in enumerate(papers):
        by_week[p.announced - timedelta(days=p.announced.weekday())].append(i)
    out = np.zeros((len(papers), 256), np.float32)
    folder = cache_dir / "embeddings"
    for monday, rows in by_week.items():
        path = folder / f"{MODEL}-{monday.isoformat()}.npz"
        known: dict[str, int] = {}
        ids: list[str] = []
        vectors = np.zeros((0, 256), np.float32)
        if path.exists():
            with np.load(path) as saved:
                ids, vectors = [str(i) for i in saved["ids"]], saved["vectors"].astype(np.float32)
            known = {a: j for j, a in enumerate(ids)}
        missing = [i for i in rows if papers[i].arxiv_id not in known]
        if missing:
            # rounded as stored, so a week ranks the same whether its vectors were cached or not
            fresh = embed_texts([_text(papers[i]) for i in missing]).astype(np.float16).astype(np.float32)
            for i in missing:
                known[papers[i].arxiv_id] = len(ids)
                ids.append(papers[i].arxiv_id)
            vectors = np.vstack([vectors, fresh])
            folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp.npz")
            np.savez(tmp, ids=np.array(ids), vectors=vectors.astype(np.float16))
            tmp.replace(path)
        for i in rows:
            out[i] = vectors[known[papers[i].arxiv_id]]
    return out


class Novelty:
    """Novelty of each paper of the week against the ``prior`` papers."""

    def __init__(self, pool: Sequence[Paper], prior: Sequence[Paper], cache_dir: Path | None = None) -> None:
        self.scores: dict[str, float] = {}
        if not pool or not prior:
            return
        week, before = embed(pool, cache_dir), embed(prior, cache_dir)
        k = min(NEIGHBOURS, len(prior))
        for start in range(0, len(pool), _BLOCK):
            sims = week[start:start + _BLOCK] @ before.T
            nearest = -np.partition(-sims, k - 1, axis=1)[:, :k]
            for paper, value in zip(pool[start:start + _BLOCK], 1.0 - nearest.mean(axis=1), strict=True):
                self.scores[paper.arxiv_id] = float(value)

    def score(self, paper: Paper) -> float:
        return self.scores.get(paper.arxiv_id, 0.0)
