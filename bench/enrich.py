"""Benchmark the cost of online author metrics on a real week, once their answers are in the store.

    .venv/bin/python bench/enrich.py [--source FILE] [--week 2026-W16]

Ranks the week offline (the baseline), then with ``author_sources = ["semantic_scholar"]`` as a second run
of the week sees it: every answer for the ``enrich_top`` best papers already cached (here filled with
synthetic metrics, as no network is used; the index URL points at a closed port, so a request would show
as a warning). Prints both times and their ratio, and how many credits the metrics changed. The first run
of a week adds the requests themselves: one batch per 500 papers for Semantic Scholar (1-3 s apart), about
two list queries per 50 papers for OpenAlex (1 s apart).
"""

from __future__ import annotations

import socket
import sys
import tempfile
import time
import zlib
from datetime import timedelta
from pathlib import Path

from _corpus import corpus_args

from paperradio import rank
from paperradio.config import load_settings
from paperradio.models import Week
from paperradio.rank.enrich import week_metrics
from paperradio.sources import ingest_snapshot
from paperradio.store import Store


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def main() -> int:
    args = corpus_args(__doc__.split("\n\n")[0])
    home = Path(tempfile.gettempdir()) / "paperradio-bench-enrich"
    home.mkdir(parents=True, exist_ok=True)
    settings = load_settings(overrides={"home": str(home)})
    week = Week.parse(args.week)
    with Store(settings.database_url) as store:
        ingest_snapshot(args.source, store)
        pool = store.papers_announced(week.monday, week.friday)
        prior = store.papers_announced(week.monday - timedelta(weeks=rank.PRIOR_WEEKS),
                                       week.monday - timedelta(days=1))
        history = list(store.authorships(week.monday - timedelta(days=settings.history_days),
                                         week.monday - timedelta(days=1)))

        start = time.perf_counter()
        offline = rank.run(pool, history, settings, week.monday, prior=prior)
        baseline = time.perf_counter() - start

        best = sorted(rank.candidates(pool, history, settings, week.monday, prior=prior),
                      key=lambda c: (-c.score, c.paper.arxiv_id))[: settings.enrich_top]
        for c in best:  # what a first run would have cached: synthetic, stable metrics per author name
            store.cache_put("s2-paper", c.paper.arxiv_id, {"paperId": c.paper.arxiv_id, "authors": [
                {"name": a.name, "hIndex": zlib.crc32(a.key.encode()) % 80, "citationCount": 1000}
                for a in c.paper.authors]})

        enriched_settings = settings.replace(author_sources=("semantic_scholar",),
                                             semantic_scholar_url=closed_port_url())
        start = time.perf_counter()
        online = week_metrics(pool, history, enriched_settings, week.monday, store, prior=prior)
        enriched = rank.run(pool, history, enriched_settings, week.monday, prior=prior, online=online)
        with_metrics = time.perf_counter() - start

    changed = sum(a.credit.names != b.credit.names for a, b in zip(offline, enriched, strict=False))
    print(f"week {week}: {len(pool)} papers, metrics for {len(online)} of the {len(best)} best")
    print(f"rank offline              {baseline:6.2f} s  (baseline)")
    print(f"rank with cached metrics  {with_metrics:6.2f} s  ({with_metrics / baseline:.2f}x the baseline)")
    print(f"picks whose credit changed: {changed} of {len(enriched)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
