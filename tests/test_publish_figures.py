"""Key figures in the published issue: copied next to the pages, shown in Markdown and HTML with the caption
as text (never markup), kept in issue.json, and left out cleanly when the PNG is gone."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from urllib.parse import unquote

from paperradio.models import Figure, Issue
from paperradio.publish import run
from paperradio.write.figures import key_figure

from .pdf_writer import FigureSpec, paper_pages
from .publish_samples import settings_for
from .samples import sample_issue
from .test_publish_html import Page

CAPTION = "Figure 2: Overview of SparseRoute when k < 5 & n > 3 with its *router*. Experts are [chosen](x) per span."


def with_figure(issue: Issue, home: Path) -> tuple[Issue, bytes]:
    """The issue with a real cropped figure on its first featured pick, the PNG in the cache."""
    layout = paper_pages([[FigureSpec("diagram", (400, 150), ("Figure 2: Overview.",))]])
    _, png = key_figure(layout.pdf)
    folder = home / "cache" / "figures"
    folder.mkdir(parents=True)
    (folder / "2604.10000.png").write_bytes(png)
    first = issue.section("featured")[0]
    assert first.writeup is not None
    figure = Figure("2604.10000.png", CAPTION, page=3, width=880, height=370)
    picks = [dataclasses.replace(p, writeup=dataclasses.replace(first.writeup, figure=figure)) if p is first else p
             for p in issue.picks]
    return dataclasses.replace(issue, picks=tuple(picks)), png


def test_the_figure_is_published_in_markdown_html_and_json(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, radio=False)
    issue, png = with_figure(sample_issue(), settings.home)
    site = tmp_path / "site"
    files = run(issue, site, settings)
    folder = site / "2026-W16"
    assert (folder / "figures" / "2604.10000.png").read_bytes() == png
    assert folder / "figures" / "2604.10000.png" in files

    md = (folder / "issue.en.md").read_text(encoding="utf-8")
    alt = r"Figure 2: Overview of SparseRoute when k \< 5 & n \> 3 with its \*router\*."
    assert f"![{alt}](figures/2604.10000.png)" in md
    assert f"*{alt} Experts are \\[chosen\\](x) per span.*" in md
    assert md.count("![") == 1
    # after the first featured pick's summary, before its recommendation
    article = md.split("### ", 2)[1]
    assert article.index("Large language models") < article.index("![")
    assert article.index("![") < article.index("Read it for")

    html = Page((folder / "index.html").read_text(encoding="utf-8"))
    [image] = html.all("img")
    assert image["alt"] == "Figure 2: Overview of SparseRoute when k < 5 & n > 3 with its *router*."
    assert image["width"] == "880" and image["height"] == "370"
    assert (folder / unquote(image["src"] or "")).read_bytes() == png
    assert html.all("a", href="x") == []
    assert CAPTION in html.text
    assert len(html.with_class("key-figure")) == 1

    data = json.loads((folder / "issue.json").read_text(encoding="utf-8"))
    writeup = data["picks"][0]["writeup"]
    assert writeup["figure"] == {"path": "2604.10000.png", "caption": CAPTION, "page": 3, "width": 880,
                                 "height": 370}


def test_republishing_after_the_cache_is_cleaned_keeps_the_published_figure(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, radio=False)
    issue, png = with_figure(sample_issue(), settings.home)
    site = tmp_path / "site"
    run(issue, site, settings)
    (settings.home / "cache" / "figures" / "2604.10000.png").unlink()
    run(issue, site, settings)
    assert len(Page((site / "2026-W16" / "index.html").read_text(encoding="utf-8")).all("img")) == 1
    assert (site / "2026-W16" / "figures" / "2604.10000.png").read_bytes() == png


def test_a_missing_figure_is_left_out_without_failing(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, radio=False)
    issue, _ = with_figure(sample_issue(), settings.home)
    (settings.home / "cache" / "figures" / "2604.10000.png").unlink()
    site = tmp_path / "site"
    run(issue, site, settings)
    folder = site / "2026-W16"
    assert "![" not in (folder / "issue.en.md").read_text(encoding="utf-8")
    assert Page((folder / "index.html").read_text(encoding="utf-8")).all("img") == []
    writeup = json.loads((folder / "issue.json").read_text(encoding="utf-8"))["picks"][0]["writeup"]
    assert writeup["figure"] is None and writeup["figure_note"] == "figure file missing at publish time"
    assert not (folder / "figures").exists()
