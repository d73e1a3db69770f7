"""issue.json: the issue as data, deterministic so that publishing twice changes nothing."""

from __future__ import annotations

import json
from typing import Any

from ..models import Issue
from ._view import headline
from .publisher import Publication


def issue_data(issue: Issue) -> dict[str, Any]:
    """``Issue.to_dict()`` plus the ``title`` (headline) of the issue."""
    data = issue.to_dict()
    data["title"] = headline(issue)
    return data


def render(issue: Issue) -> str:
    return json.dumps(issue_data(issue), sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def publish(publication: Publication) -> None:
    publication.out.write_text(f"{publication.issue_dir()}/issue.json", render(publication.issue))
