"""LexRank over TF-IDF cosine similarity."""

from __future__ import annotations

import numpy as np

from paperradio.write.centrality import cosine_matrix, lexrank, tfidf_matrix, tokens


def test_tokens_drop_stopwords_and_plural_s() -> None:
    assert tokens("The models improve accuracy by 7.4% on benchmarks.") == \
        ["model", "improve", "accuracy", "7", "4", "benchmark"]


def test_tfidf_rows_are_unit_length_and_cosine_is_symmetric() -> None:
    docs = [tokens(s) for s in ("sparse expert routing", "expert routing for long context", "cats")]
    vectors = tfidf_matrix(docs)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    sims = cosine_matrix(vectors)
    assert np.allclose(sims, sims.T)
    assert sims[0, 1] > 0.2 and sims[0, 2] == 0.0


def test_central_sentence_wins_and_isolated_one_loses() -> None:
    sentences = [
        "sparse expert routing scales language models",
        "expert routing assigns tokens to sparse experts",
        "routing tokens to experts cuts language model cost",
        "code is on the web",
    ]
    scores = lexrank(cosine_matrix(tfidf_matrix([tokens(s) for s in sentences])))
    assert scores.max() == 1.0
    assert int(np.argmin(scores)) == 3
    assert scores[3] < 0.5 * scores[:3].min()


def test_degenerate_inputs() -> None:
    assert lexrank(cosine_matrix(tfidf_matrix([]))).shape == (0,)
    assert lexrank(cosine_matrix(tfidf_matrix([["one"]]))).tolist() == [1.0]
    assert np.allclose(lexrank(cosine_matrix(tfidf_matrix([[], []]))), 1.0)
