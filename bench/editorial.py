"""Editorial benchmark: does ``rank.run`` pick what human curators picked, well ahead of simple baselines?

    .venv/bin/python bench/editorial.py [--home DIR] [--weeks fit|report|all] [--sample 20]

The shared corpus (``../shared/data/corpus``) is ingested once into a store under ``--home`` (default a
cached folder in the temp dir; a re-run reuses it). For every development week with curated labels,
Hugging Face Daily Papers weeks (2025-12-01 … 2026-04-06) and dair-ai "ML Papers of the Week" weeks of
2025, we rank the week exactly as ``paperradio rank`` does (pool: papers announced Monday–Friday; history:
authorships of the ``history_days`` before Monday) and score the 37 picks:

- **hits@37**: picks that are among the week's curated labels, counting only labels whose paper is in the
  week's pool (a label outside the pool cannot be picked by anyone);
- **upvote share** (HF weeks): upvotes of the picks / upvotes of the best possible 37 papers of the pool.
  A paper listed on several days counts its highest upvote count. The weeks 2026-03-30 and 2026-04-06 come
  from the API with final upvotes; earlier weeks are homepage snapshots with early counts.

The same 37-pick budget is given to baselines computed in this script, each taking the top 37 of the whole
pool by one key (ties on arXiv id):

- ``random``: the mean of 100 seeded uniform draws of 37 papers;
- ``authors``: most authors first;
- ``abstract``: longest abstract first;
- ``code``: papers linking code or a project page first (then by arXiv id);
- ``hotness``: a TF-IDF burst rank. A term (lower-cased word of 3+ letters, or a pair of adjacent words,
  stop words dropped) *bursts* when its document frequency this week, ``df_w``, exceeds its document
  frequency over the eight weeks before, ``df_p`` (both as fractions of the papers, +1 smoothing):
  ``burst = log((df_w*N_w + 1)/(N_w + 1)) - log((df_p*N_p + 1)/(N_p + 1))``, kept when positive and the
  term occurs in at least 3 papers this week. A paper's hotness is the sum over its distinct terms of
  ``idf_week(term) * burst(term)``, divided by the square root of the number of its distinct terms.

Labels are read *only* here, for scoring; no ranking signal reads them. Weight tuning protocol: the default
weights and the shipped topic prior were fitted with ``paperradio tune ../shared/data/labels --fit odd
--topic-prior paperradio/rank/topic_prior.json`` on this store, i.e. on the ``fit`` weeks (odd ISO weeks, of
both label sets), and are reported on the other ``report`` weeks as well as on all weeks; ``--weeks``
chooses. The topic prior has seen the fit weeks' labels, so only the ``report`` weeks are a fair measure.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from paperradio import rank
from paperradio.config import Settings, load_settings
from paperradio.models import Authorship, Paper, Pick
from paperradio.rank.hotness import Hotness
from paperradio.rank.score import CODE_PATTERN
from paperradio.rank.tune import label_week
from paperradio.sources import ingest_snapshot
from paperradio.store import Store

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CORPUS = DATA / "corpus" / "arxiv_cs_listings.jsonl.gz"
HF_LABELS = DATA / "labels" / "hf_daily_papers.dev.jsonl"
DAIR_LABELS = DATA / "labels" / "dair_ai_weekly_2025.jsonl"
PICKS = 37
RANDOM_DRAWS = 100
PRIOR_WEEKS = rank.PRIOR_WEEKS
TARGET_RATIO = 2.0


@dataclass
class WeekLabels:
    monday: date
    kind: str  # "hf" or "dair"
    upvotes: dict[str, int] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        iso = self.monday.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"

    @property
    def fit(self) -> bool:
        """Weeks used to fit weights: odd ISO weeks, as ``paperradio tune --fit odd`` splits them."""
        return self.monday.isocalendar().week % 2 == 1


def load_labels() -> list[WeekLabels]:
    weeks: dict[tuple[str, date], WeekLabels] = {}
    with HF_LABELS.open() as fh:
        for line in fh:
            row = json.loads(line)
            monday = label_week(row)
            week = weeks.setdefault(("hf", monday), WeekLabels(monday, "hf"))
            week.ids.add(row["arxiv_id"])
            week.upvotes[row["arxiv_id"]] = max(week.upvotes.get(row["arxiv_id"], 0), int(row.get("upvotes") or 0))
    with DAIR_LABELS.open() as fh:
        for line in fh:
            row = json.loads(line)
            monday = label_week(row)
            weeks.setdefault(("dair", monday), WeekLabels(monday, "dair")).ids.add(row["arxiv_id"])
    return sorted(weeks.values(), key=lambda w: (w.kind, w.monday))


def open_store(home: Path) -> Store:
    home.mkdir(parents=True, exist_ok=True)
    store = Store(f"sqlite:///{home / 'paperradio.db'}")
    start = time.perf_counter()
    report = ingest_snapshot(CORPUS, store)
    if not report.already_done:
        print(f"ingested {report.read} records in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return store


# -- baselines --------------------------------------------------------------------------------------


def top(pool: Sequence[Paper], key: Callable[[Paper], float]) -> list[str]:
    return [p.arxiv_id for p in sorted(pool, key=lambda p: (-key(p), p.arxiv_id))[:PICKS]]


def baselines(pool: Sequence[Paper], prior: Sequence[Paper]) -> dict[str, Callable[[], list[list[str]]]]:
    def draws() -> list[list[str]]:
        rng = random.Random(1234)
        ids = sorted(p.arxiv_id for p in pool)
        return [rng.sample(ids, min(PICKS, len(ids))) for _ in range(RANDOM_DRAWS)]

    def code(p: Paper) -> float:
        return 1.0 if CODE_PATTERN.search(f"{p.abstract} {p.comments or ''}") else 0.0

    def hot() -> list[list[str]]:
        hotness = Hotness(pool, prior)
        return [top(pool, hotness.score)]

    return {
        "random": draws,
        "authors": lambda: [top(pool, lambda p: len(p.authors))],
        "abstract": lambda: [top(pool, lambda p: len(p.abstract))],
        "code": lambda: [top(pool, code)],
        "hotness": hot,
    }


# -- scoring ----------------------------------------------------------------------------------------


@dataclass
class Score:
    hits: float = 0.0
    upvotes: float = 0.0


def score(picked: list[list[str]], labels: WeekLabels, in_pool: set[str], best_upvotes: int) -> Score:
    hits = sum(len(set(ids) & labels.ids & in_pool) for ids in picked) / len(picked)
    ups = sum(sum(labels.upvotes.get(i, 0) for i in ids) for ids in picked) / len(picked)
    return Score(hits, ups / best_upvotes if best_upvotes else 0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=Path(tempfile.gettempdir()) / "paperradio-bench-editorial")
    parser.add_argument("--weeks", choices=("fit", "report", "all"), default="all")
    parser.add_argument("--sample", type=int, default=20)
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 1
    store = open_store(args.home)
    settings: Settings = load_settings(overrides={"home": str(args.home)})
    names = ["ours", "random", "authors", "abstract", "code", "hotness"]
    rows: list[tuple[WeekLabels, int, int, dict[str, Score], float]] = []
    samples: list[Pick] = []
    credited = last_credited = 0
    for week in load_labels():
        if args.weeks != "all" and week.fit != (args.weeks == "fit"):
            continue
        friday = week.monday + timedelta(days=4)
        pool = store.papers_announced(week.monday, friday)
        in_pool = {p.arxiv_id for p in pool}
        labelled = week.ids & in_pool
        if not pool or not labelled:
            continue
        prior = store.papers_announced(week.monday - timedelta(weeks=PRIOR_WEEKS), week.monday - timedelta(days=1))
        history: list[Authorship] = list(store.authorships(week.monday - timedelta(days=settings.history_days),
                                                           week.monday - timedelta(days=1)))
        start = time.perf_counter()
        picks = rank.run(pool, history, settings, week.monday, prior=prior)
        seconds = time.perf_counter() - start
        ups = sorted((week.upvotes.get(i, 0) for i in in_pool), reverse=True)
        best = sum(ups[:PICKS])
        scores = {"ours": score([[p.paper.arxiv_id for p in picks]], week, in_pool, best)}
        for name, run in baselines(pool, prior).items():
            scores[name] = score(run(), week, in_pool, best)
        rows.append((week, len(pool), len(labelled), scores, seconds))
        for p in picks:
            if p.credit.names:
                credited += 1
                last_credited += p.credit.names[0] == p.paper.authors[-1].name
        samples.extend(p for p in picks if p.paper.arxiv_id in labelled)
    report(rows, names)
    print(f"\ncredited picks: {credited}; first credited author is the last author: "
          f"{last_credited / max(credited, 1):.0%}")
    print(f"\nsample of {args.sample} picks that curators also picked, with credit and evidence:")
    for p in random.Random(7).sample(samples, min(args.sample, len(samples))):
        print(f"- {p.paper.arxiv_id} [{p.section}] {p.paper.title[:80]}\n    {p.credit.line}: {p.credit.evidence}")
    return 0


def report(rows: list[tuple[WeekLabels, int, int, dict[str, Score], float]], names: list[str]) -> None:
    head = f"{'week':9} {'src':4} {'fit':3} {'pool':>5} {'lab':>4} {'sec':>4} " + " ".join(f"{n:>9}" for n in names)
    print("hits@37 (upvote share for HF weeks)\n" + head)
    below = []
    for week, pool, labelled, scores, seconds in rows:
        cells = " ".join(
            f"{scores[n].hits:4.1f}/{scores[n].upvotes:.2f}" if week.kind == "hf" else f"{scores[n].hits:9.1f}"
            for n in names)
        print(f"{week.name:9} {week.kind:4} {'yes' if week.fit else '':3} {pool:5} {labelled:4} {seconds:4.1f} {cells}")
        best_base = max(scores[n].hits for n in names[1:])
        if scores["ours"].hits < best_base:
            below.append(week.name)
    for kind in ("hf", "dair", "all"):
        for subset in ("fit", "report", "all"):
            chosen = [r for r in rows
                      if kind in ("all", r[0].kind) and subset in ("all", "fit" if r[0].fit else "report")]
            if not chosen:
                continue
            hits = {n: sum(r[3][n].hits for r in chosen) for n in names}
            labelled = sum(r[2] for r in chosen)
            best_name = max(names[1:], key=lambda n: hits[n])
            ratio = hits["ours"] / hits[best_name] if hits[best_name] else math.inf
            ups = ""
            if kind == "hf":
                ups = " upvote share " + " ".join(
                    f"{n}={sum(r[3][n].upvotes for r in chosen) / len(chosen):.3f}" for n in names)
            print(f"\npooled {kind:4} weeks={subset:6} ({len(chosen)} weeks, {labelled} labels in pools): "
                  + " ".join(f"{n}={hits[n]:.1f}" for n in names)
                  + f"\n    best baseline {best_name}; ours/best = {ratio:.2f} (target >= {TARGET_RATIO}){ups}")
    print(f"\nweeks where ours is below the best baseline: {', '.join(below) or 'none'}")


if __name__ == "__main__":
    sys.exit(main())
