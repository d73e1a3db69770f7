"""Show the write-ups of a week's first featured papers, offline and through a language model endpoint.

    PYTHONPATH=$PWD .venv/bin/python bench/llm_demo.py [--source FILE] [--week 2026-W16] [--papers 3]

Ingests the corpus into a fresh home, ranks the week, then runs `paperradio write` twice: offline (the
extractive writer; the Chinese edition keeps English summaries) and with writer = "llm" against the local
chat-completions server of the tests (tests/openai_server.py, started here on 127.0.0.1), which also
translates for the Chinese edition. Prints the estimate, the English and Chinese Markdown of the first
``--papers`` featured papers of each run, and the requests made. ``--base-url``/``--model`` point it at a
real endpoint instead (the key from $PAPERRADIO_LLM_API_KEY).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from _corpus import corpus_args
from click.testing import CliRunner, Result

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.openai_server


def paperradio(args: list[str], env: dict[str, str]) -> Result:
    from paperradio.cli import cli

    result = CliRunner().invoke(cli, ["--silent", "-q", *args], env=env, catch_exceptions=False)
    if result.exit_code != 0:
        sys.exit(f"paperradio {' '.join(args)} failed: {result.stderr}")
    return result


def featured(home: Path, week: str, language: str, count: int) -> str:
    """The first ``count`` featured papers of the ``language`` edition, as the published Markdown has them."""
    from paperradio.config import load_settings
    from paperradio.models import Week
    from paperradio.publish import markdown
    from paperradio.publish._view import issue_view
    from paperradio.store import Store

    with Store(load_settings(overrides={"home": str(home)}).database_url) as store:
        issue = store.load_issue(Week.parse(week))
    assert issue is not None
    page = markdown.render(issue_view(issue, language, ["en", "zh"], with_audio=False))
    notice = next((line for line in page.splitlines() if line.startswith("> ")), "")
    starts = [m.start() for m in re.finditer(r"^### ", page, re.M)]
    return "\n\n".join(filter(None, [notice, page[starts[0]:starts[count]].strip()]))


def options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--papers", type=int, default=3, help="featured papers to show")
    parser.add_argument("--base-url", default="", help="a real endpoint instead of the local test server")
    parser.add_argument("--model", default="test-model")


def main() -> None:
    from tests.openai_server import OpenAIServer

    args = corpus_args(__doc__.split("\n\n")[0], options)
    with tempfile.TemporaryDirectory() as tmp, OpenAIServer() as server:
        home = Path(tmp) / "home"
        env = {"PAPERRADIO_HOME": str(home), "PAPERRADIO_EDITIONS": "en,zh"}
        start = time.perf_counter()
        paperradio(["ingest", "--source", str(args.source)], env)
        paperradio(["rank", "--week", args.week], env)
        print(f"# {args.week}: corpus ingested and week ranked in {time.perf_counter() - start:.0f} s")
        paperradio(["write", "--week", args.week], env)
        for language in ("en", "zh"):
            print(f"\n## Offline, {language}\n\n{featured(home, args.week, language, args.papers)}")
        llm = {**env, "PAPERRADIO_WRITER": "llm", "PAPERRADIO_LLM_BASE_URL": args.base_url or server.url,
               "PAPERRADIO_LLM_MODEL": args.model}
        if "PAPERRADIO_LLM_API_KEY" in os.environ:
            llm["PAPERRADIO_LLM_API_KEY"] = os.environ["PAPERRADIO_LLM_API_KEY"]
        print(f"\n## Estimate\n\n{paperradio(['write', '--week', args.week, '--estimate'], llm).stdout.strip()}")
        start = time.perf_counter()
        paperradio(["write", "--week", args.week], llm)
        print(f"\nwritten in {time.perf_counter() - start:.1f} s; the local server saw {len(server.seen)} requests "
              f"({server.kinds().count('writeup')} write-ups, {server.kinds().count('translation')} translations)")
        for language in ("en", "zh"):
            print(f"\n## Through {args.model} at {llm['PAPERRADIO_LLM_BASE_URL']}, {language}\n\n"
                  f"{featured(home, args.week, language, args.papers)}")


if __name__ == "__main__":
    main()
