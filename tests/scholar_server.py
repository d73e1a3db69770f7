"""Routes for the local test server (tests/arxiv_server.py) that answer like OpenAlex and Semantic Scholar.

The records come from recorded-format fixture files (tests/fixtures/openalex, tests/fixtures/semantic_scholar);
the routes select and page them as the real services do: OpenAlex filters with "|"-joined ids, ``per-page``
and ``page``; Semantic Scholar's batch endpoint answers a list in the order of the posted ids, null for an
unknown one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.arxiv_server import Reply, Seen

FIXTURES = Path(__file__).parent / "fixtures"
JSON = "application/json"


def fixture(path: str) -> Any:
    return json.loads((FIXTURES / path).read_text(encoding="utf-8"))


def json_reply(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, json.dumps(body).encode(), headers or {}, content_type=JSON)


class OpenAlexApi:
    """``/works?filter=doi:...`` and ``/authors?filter=openalex:...`` from the fixture records."""

    def __init__(self, works: str = "openalex/works.json", authors: str = "openalex/authors.json", *,
                 page_size: int | None = None) -> None:
        self.page_size = page_size
        """Serve pages of this size whatever ``per-page`` asks (to exercise paging)."""
        self.works = {w["doi"].removeprefix("https://doi.org/"): w for w in fixture(works)["results"]}
        self.authors = {a["id"].rsplit("/", 1)[-1]: a for a in fixture(authors)["results"]}

    def __call__(self, seen: Seen) -> Reply:
        kind, _, values = seen.query["filter"].partition(":")
        table = {("/works", "doi"): self.works, ("/authors", "openalex"): self.authors}.get((seen.path, kind))
        if table is None:
            return json_reply(fixture("openalex/error_400.json"), 400)
        matches = [table[v.lower() if kind == "doi" else v] for v in values.split("|")
                   if (v.lower() if kind == "doi" else v) in table]
        size = self.page_size or int(seen.query.get("per-page", "25"))
        page = int(seen.query.get("page", "1"))
        return json_reply({
            "meta": {"count": len(matches), "db_response_time_ms": 12, "page": page, "per_page": size,
                     "groups_count": None},
            "results": matches[(page - 1) * size : page * size],
            "group_by": [],
        })


class SemanticScholarApi:
    """``POST /paper/batch`` from the fixture records, keyed by their arXiv id."""

    def __init__(self, batch: str = "semantic_scholar/batch.json") -> None:
        self.papers = {p["externalIds"]["ArXiv"]: p for p in fixture(batch) if p is not None}

    def __call__(self, seen: Seen) -> Reply:
        ids = json.loads(seen.body)["ids"]
        return json_reply([self.papers.get(i.removeprefix("ARXIV:")) for i in ids])
