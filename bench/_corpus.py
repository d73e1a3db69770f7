"""What the benchmarks share: the shared corpus and the week they run on, from the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus" / "arxiv_cs_listings.jsonl.gz"


def corpus_args(description: str, extend: Callable[[argparse.ArgumentParser], None] | None = None
                ) -> argparse.Namespace:
    """``--source`` (default: the shared corpus) and ``--week``, plus what ``extend`` adds; exits with a hint
    when the corpus is absent."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--week", default="2026-W16")
    if extend is not None:
        extend(parser)
    args = parser.parse_args()
    if not args.source.exists():
        sys.exit(f"{args.source} not found (the shared corpus lives in ../shared/data)")
    return args
