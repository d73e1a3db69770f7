"""Key figures: found by caption, cropped with the caption and nothing else, fetched politely and cached,
and every failure recorded on the write-up. PDFs are real files from tests/pdf_writer.py; downloads go to
a real local HTTP server."""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from paperradio import write
from paperradio.config import Settings
from paperradio.models import Pick
from paperradio.sources._http import PoliteClient, Politeness
from paperradio.write.figures import SCALE, Candidate, NoFigure, attach, candidates, key_figure, open_pdf
from paperradio.write.pdfs import PdfFetcher

from .arxiv_server import CONTACT, ArxivServer, FakeTime, Reply
from .pdf_writer import (
    Box,
    FigureSpec,
    Layout,
    Page,
    body_block,
    gradient,
    paper_pages,
    password_protected,
    write_pdf,
)
from .samples import sample_issue

OVERVIEW = FigureSpec("diagram", (400, 150), ("Figure 2: Overview of the architecture: three stages feed",
                                              "one another, from the encoder to the decoder."))
LOGO = FigureSpec("image", (40, 40), ("Figure 1: Our logo.",))
LOSS = FigureSpec("plot", (160, 90), ("Figure 3: Training loss.",))


def best(layout: Layout) -> Candidate:
    document = open_pdf(layout.pdf)
    try:
        return candidates(document)[0]
    finally:
        document.close()


def contains(outer: Box, inner: Box, slack: float = 1.5) -> bool:
    return (outer[0] <= inner[0] + slack and outer[1] <= inner[1] + slack
            and outer[2] >= inner[2] - slack and outer[3] >= inner[3] - slack)


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def caption_text_box(layout: Layout, index: int) -> Box:
    """The caption block as far as its text surely reaches (the first characters of every line)."""
    left, bottom, _, top = layout.figures[index].caption
    return left, bottom + 2, left + 40, top


# -- finding and cropping --------------------------------------------------------------------------------


def test_the_architecture_figure_wins_over_a_logo_and_a_plot() -> None:
    layout = paper_pages([[LOGO], [OVERVIEW], [LOSS]])
    chosen = best(layout)
    assert chosen.page == 2
    assert chosen.caption == " ".join(OVERVIEW.caption)
    document = open_pdf(layout.pdf)
    try:
        found = {c.caption.split(":")[0]: c for c in candidates(document)}
    finally:
        document.close()
    assert "Figure 1" not in found  # a 40-point logo is too small to show
    assert found["Figure 2"].score > found["Figure 3"].score


def test_keywords_beat_an_earlier_figure_of_the_same_size() -> None:
    plain = FigureSpec("plot", (400, 150), ("Figure 1: Training loss over steps.",))
    results = FigureSpec("image", (400, 150), ("Figure 2: Comparison of the main results with baselines.",))
    assert best(paper_pages([[plain], [results]])).page == 2
    assert best(paper_pages([[plain], [dataclasses.replace(results, caption=("Figure 2: Samples.",))]])).page == 1


def test_the_crop_holds_the_figure_and_its_caption_and_no_body_text() -> None:
    layout = paper_pages([[LOSS, OVERVIEW]])
    chosen = best(layout)
    overview = layout.figures[1]
    assert chosen.page == overview.page == 1
    assert contains(chosen.box, overview.graphics)
    assert contains(chosen.box, caption_text_box(layout, 1))
    loss = layout.figures[0]
    assert not overlaps(chosen.box, loss.graphics) and not overlaps(chosen.box, loss.caption)
    for page, body in layout.body:
        assert page != chosen.page or not overlaps(chosen.box, body), body


def test_the_png_shows_the_image_and_the_caption_and_white_around_them() -> None:
    picture = FigureSpec("image", (300, 200), ("Figure 1: Qualitative results of the method.",))
    layout = paper_pages([[picture]])
    found, png = key_figure(layout.pdf)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    left, bottom, right, top = found.box
    assert image.width == pytest.approx((right - left + 8) * SCALE, abs=2)
    assert image.height == pytest.approx((top - bottom + 8) * SCALE, abs=2)

    def pixel(x: float, y: float) -> tuple[int, int, int]:
        """The PNG's pixel at PDF point (x, y)."""
        rgb: tuple[int, int, int] = image.getpixel((int((x - left + 4) * SCALE), int((top + 4 - y) * SCALE)))  # type: ignore[assignment]
        return rgb

    graphics = layout.figures[0].graphics
    middle = pixel((graphics[0] + graphics[2]) / 2, (graphics[1] + graphics[3]) / 2)
    assert middle != (255, 255, 255) and len(set(middle)) > 1  # the gradient, in colour
    row = int(2 * SCALE)  # the padding above the figure: where body text would show
    assert all(image.getpixel((x, row)) == (255, 255, 255) for x in range(image.width))
    caption = layout.figures[0].caption
    dark = [image.getpixel((int((x - left + 4) * SCALE), int((top + 4 - y) * SCALE)))
            for x in range(int(caption[0]) + 1, int(caption[0]) + 60) for y in range(int(caption[1]) + 3,
                                                                                  int(caption[3]) - 2)]
    assert min(sum(p) for p in dark) < 200  # caption text is there


def test_figures_are_found_on_later_pages() -> None:
    layout = paper_pages([[], [], [OVERVIEW]])
    chosen = best(layout)
    assert chosen.page == 3 and contains(chosen.box, layout.figures[0].graphics)


def test_in_two_columns_the_crop_keeps_to_the_figure_s_column() -> None:
    page = Page()
    body_block(page, 720, 40, left=318, width=222)  # the right column: text all the way down
    body_block(page, 720, 5, left=72, width=222)
    page.image(92, 480, 180, 140, gradient(90, 70))
    page.text(72, 462, "Figure 1: Overview of the pipeline.")
    page.text(72, 450, "Data flows from left to right.")
    found, _ = key_figure(write_pdf([page]))
    assert contains(found.box, (92, 480, 272, 620))
    assert found.box[2] < 318 and found.box[3] < 720 - 5 * 12
    assert found.caption == "Figure 1: Overview of the pipeline. Data flows from left to right."


def captioned_image(caption: str) -> bytes:
    page = Page()
    body_block(page, 720, 5)
    page.image(156, 480, 300, 160, gradient(60, 32))
    page.text(72, 462, caption)
    return write_pdf([page])


@pytest.mark.parametrize("caption", ["Fig. 2. Overview of the system.", "FIGURE 1 | Overview of the system.",
                                     "Figure 3: Overview of the system.", "Fig 4: Overview of the system."])
def test_caption_styles_are_recognised(caption: str) -> None:
    found, _ = key_figure(captioned_image(caption))
    assert found.caption == caption and contains(found.box, (156, 480, 456, 640))


@pytest.mark.parametrize("line", ["Figure 3 shows an overview of the system.", "Figures 1 and 2: overview.",
                                  "Configure 3: the system."])
def test_body_text_naming_a_figure_is_no_caption(line: str) -> None:
    with pytest.raises(NoFigure):
        key_figure(captioned_image(line))


def test_a_pdf_without_figures_says_so() -> None:
    with pytest.raises(NoFigure, match="no captioned figure large enough to show in the first 2 pages"):
        key_figure(paper_pages([[], []]).pdf)
    page = Page()
    body_block(page, 720, 10)
    page.text(72, 560, "Figure 1: A caption with nothing drawn above it.")
    with pytest.raises(NoFigure, match="no captioned figure"):
        key_figure(write_pdf([page]))


@pytest.mark.parametrize(("data", "reason"), [
    (b"%PDF-1.4\nthis is not a real PDF\n", "cannot open the PDF: .*Data format error"),
    (paper_pages([[OVERVIEW]]).pdf[:600], "cannot open the PDF"),
    (password_protected(paper_pages([[OVERVIEW]]).pdf), "cannot open the PDF: .*password"),
])
def test_broken_and_locked_pdfs_say_why(data: bytes, reason: str) -> None:
    with pytest.raises(NoFigure, match=reason):
        key_figure(data)


# -- fetching and attaching ------------------------------------------------------------------------------


@pytest.fixture
def server() -> Iterator[ArxivServer]:
    with ArxivServer() as s:
        yield s


def featured(count: int = 3) -> list[Pick]:
    return [p for p in sample_issue().picks if p.section == "featured"][:count]


def settings_for(tmp_path: Path, base: str, **changes: object) -> Settings:
    return Settings(home=tmp_path / "home", database_url="sqlite://", arxiv_pdf_url=f"{base}/pdf/").replace(**changes)


@contextlib.contextmanager
def fetching(server: ArxivServer, settings: Settings) -> Iterator[PdfFetcher]:
    """A fetcher on the server's fake clock."""
    with server.client() as client:
        yield PdfFetcher(settings, client)


def pdf_reply(layout: Layout) -> Reply:
    return Reply(body=layout.pdf, content_type="application/pdf")


def test_a_featured_pick_gets_its_figure_downloaded_once(server: ArxivServer, tmp_path: Path) -> None:
    picks = featured(2)
    server.script(f"/pdf/{picks[0].paper.arxiv_id}", pdf_reply(paper_pages([[LOGO], [OVERVIEW]])))
    server.script(f"/pdf/{picks[1].paper.arxiv_id}", pdf_reply(paper_pages([[LOSS]])))
    settings = settings_for(tmp_path, server.url)
    with fetching(server, settings) as fetcher:
        written = attach(picks, settings, fetcher)
    first = written[0].writeup
    assert first is not None and first.figure is not None and first.figure_note == ""
    assert (first.figure.page, first.figure.caption) == (2, " ".join(OVERVIEW.caption))
    png = settings.cache_dir / "figures" / first.figure.path
    with Image.open(png) as image:
        assert image.size == (first.figure.width, first.figure.height)
    assert written[1].writeup is not None and written[1].writeup.figure is not None
    assert written[0].writeup.paragraphs == picks[0].writeup.paragraphs  # type: ignore[union-attr]
    assert len(server.seen) == 2 and all(CONTACT in s.headers["user-agent"] for s in server.seen)
    assert server.seen[1].at - server.seen[0].at >= 3.0

    with fetching(server, settings) as fetcher:
        again = attach(picks, settings, fetcher)
    assert len(server.seen) == 2  # both PDFs came from the cache
    assert again == written


def test_a_compressed_answer_is_unpacked(server: ArxivServer, tmp_path: Path) -> None:
    pick = featured(1)[0]
    layout = paper_pages([[OVERVIEW]])
    server.script(f"/pdf/{pick.paper.arxiv_id}", Reply(body=gzip.compress(layout.pdf), content_type="application/pdf",
                                                       headers={"Content-Encoding": "gzip"}))
    settings = settings_for(tmp_path, server.url)
    with fetching(server, settings) as fetcher:
        assert fetcher.fetch(pick.paper) == layout.pdf
        [written] = attach([pick], settings, fetcher)
    assert written.writeup is not None and written.writeup.figure is not None


def test_radiostation_picks_get_no_figure(server: ArxivServer, tmp_path: Path) -> None:
    picks = [p for p in sample_issue().picks if p.section == "nlp"][:2]
    settings = settings_for(tmp_path, server.url)
    with fetching(server, settings) as fetcher:
        assert attach(picks, settings, fetcher) == picks
    assert server.seen == []


@pytest.mark.parametrize(("reply", "changes", "reason"), [
    (Reply(body=b"x" * 5000, content_type="application/pdf"), {"pdf_max_mb": 0.001},
     "answer of 0.0 MB is over the 0.0 MB limit; not downloaded"),
    (Reply(body=b"<html><body>Paper withdrawn</body></html>", content_type="text/html; charset=utf-8"), {},
     "answered text/html, not a PDF"),
    (Reply(404, b"not found", content_type="text/plain"), {}, "answered HTTP 404: not found"),
    (Reply(body=b"%PDF-1.5\n%garbage through and through", content_type="application/pdf"), {},
     "cannot open the PDF"),
])
def test_a_refused_download_leaves_the_writeup_without_figure_and_says_why(
        server: ArxivServer, tmp_path: Path, reply: Reply, changes: dict[str, object], reason: str) -> None:
    pick = featured(1)[0]
    server.script(f"/pdf/{pick.paper.arxiv_id}", reply)
    settings = settings_for(tmp_path, server.url, **changes)
    with fetching(server, settings) as fetcher:
        [written] = attach([pick], settings, fetcher)
    assert written.writeup is not None and written.writeup.figure is None
    assert written.writeup.figure_note.startswith("no key figure: ") and reason in written.writeup.figure_note
    if "PDF" not in reason:
        assert not (settings.cache_dir / "pdf").exists() or not any((settings.cache_dir / "pdf").iterdir())


def test_an_unwritable_figure_cache_is_a_recorded_reason(server: ArxivServer, tmp_path: Path) -> None:
    pick = featured(1)[0]
    server.script(f"/pdf/{pick.paper.arxiv_id}", pdf_reply(paper_pages([[OVERVIEW]])))
    settings = settings_for(tmp_path, server.url)
    settings.cache_dir.mkdir(parents=True)
    (settings.cache_dir / "figures").write_text("a file where the folder should be")
    with fetching(server, settings) as fetcher:
        [written] = attach([pick], settings, fetcher)
    assert written.writeup is not None and written.writeup.figure is None
    assert written.writeup.figure_note.startswith("no key figure: ") and "figures" in written.writeup.figure_note


def test_a_missing_paper_does_not_stop_the_next_one(server: ArxivServer, tmp_path: Path) -> None:
    picks = featured(2)
    server.script(f"/pdf/{picks[1].paper.arxiv_id}", pdf_reply(paper_pages([[OVERVIEW]])))
    settings = settings_for(tmp_path, server.url)
    with fetching(server, settings) as fetcher:
        written = attach(picks, settings, fetcher)
    assert [w.writeup.figure is not None for w in written if w.writeup] == [False, True]
    assert len(server.seen) == 2


def test_an_unreachable_host_is_tried_once_per_run(tmp_path: Path) -> None:
    with ArxivServer() as gone:
        url = gone.url  # nothing listens there any more: connections are refused
    settings = settings_for(tmp_path, url)
    with PdfFetcher(settings) as fetcher:  # the client the weekly run makes from the settings
        written = attach(featured(3), settings, fetcher)
        assert fetcher.client.requests == 1
    notes = [p.writeup.figure_note for p in written if p.writeup]
    host = url.removeprefix("http://")
    assert notes[0].startswith(f"no key figure: cannot reach {host}: ConnectError")
    assert notes == [notes[0]] * 3


def test_a_host_that_keeps_timing_out_is_given_up_for_the_run(server: ArxivServer, tmp_path: Path) -> None:
    picks = featured(3)
    for pick in picks:
        server.script(f"/pdf/{pick.paper.arxiv_id}", Reply(body=b"%PDF-late", delay=0.5))
    settings = settings_for(tmp_path, server.url)
    client = PoliteClient(CONTACT, Politeness(timeout=0.2, retries=1), clock=server.time.clock,
                          sleep=server.time.sleep)
    with client:
        written = attach(picks, settings, PdfFetcher(settings, client))
    assert len(server.seen) == 2  # the first paper and its one retry; the others skipped
    notes = {p.writeup.figure_note for p in written if p.writeup}
    assert notes == {f"no key figure: {server.url.removeprefix('http://')}: gave up after 2 attempts (timed out)"}


def test_the_write_stage_attaches_figures_only_when_asked(server: ArxivServer, tmp_path: Path) -> None:
    picks = featured(1)
    bare = [dataclasses.replace(p, writeup=None) for p in picks]
    server.script(f"/pdf/{picks[0].paper.arxiv_id}", pdf_reply(paper_pages([[OVERVIEW]])))
    off = write.run(bare, settings_for(tmp_path, server.url, figures=False))
    assert off[0].writeup is not None and off[0].writeup.figure is None and off[0].writeup.figure_note == ""
    assert server.seen == []
    # The stage's own client (3 s apart, real clock): one request, so nothing to wait for.
    on = write.run(bare, settings_for(tmp_path, server.url, figures=True))
    assert on[0].writeup is not None and on[0].writeup.figure is not None
    assert on[0].writeup.paragraphs == off[0].writeup.paragraphs


def test_a_writeup_with_a_figure_round_trips_through_the_store(server: ArxivServer, tmp_path: Path) -> None:
    from paperradio.store import Store

    issue = sample_issue()
    pick = issue.section("featured")[0]
    server.script(f"/pdf/{pick.paper.arxiv_id}", pdf_reply(paper_pages([[OVERVIEW]])))
    settings = settings_for(tmp_path, server.url)
    with fetching(server, settings) as fetcher:
        picks = attach(issue.picks, settings, fetcher)
    store = Store(f"sqlite:///{tmp_path / 'store.db'}")
    store.add_papers([p.paper for p in picks], source="t", lines_done=1)
    store.save_picks(issue.week, picks, pool_size=issue.pool_size)
    store.save_writeups(picks)
    loaded = store.load_issue(issue.week)
    assert loaded is not None
    assert {p.paper.arxiv_id: p.writeup for p in loaded.picks} == {p.paper.arxiv_id: p.writeup for p in picks}


def test_pdf_downloads_keep_the_polite_interval() -> None:
    """The polite interval applies to PDFs like to every arXiv request (on the fake clock here)."""
    clock = FakeTime()
    with ArxivServer(clock) as server, server.client() as client:
        server.script("/pdf/a", Reply(body=b"%PDF-1"))
        server.script("/pdf/b", Reply(body=b"%PDF-2"))
        client.get(f"{server.url}/pdf/a", max_bytes=100)
        assert client.get(f"{server.url}/pdf/b", max_bytes=100).content == b"%PDF-2"
        assert clock.sleeps == [3.0]


def test_an_offline_weekly_write_skips_the_figures_fast_and_says_why(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from .test_cli import run, snapshot

    with ArxivServer() as gone:
        url = gone.url
    monkeypatch.setenv("PAPERRADIO_ARXIV_PDF_URL", f"{url}/pdf/")
    assert run("ingest", "--source", str(snapshot(tmp_path)))[0] == 0
    assert run("rank", "--week", "2026-W16")[0] == 0
    code, out, err = run("--json", "write", "--week", "2026-W16", "--figures")
    assert code == 0, err
    assert "37 write-ups (37 extractive), 0 key figures" in err
    notes = {p["writeup"]["figure_note"] for p in json.loads(out) if p["section"] == "featured"}
    assert len(notes) == 1 and notes.pop().startswith(f"no key figure: cannot reach {url.removeprefix('http://')}")
    monkeypatch.setenv("PAPERRADIO_FIGURES", "true")
    code, out, err = run("--json", "write", "--week", "2026-W16", "--no-figures")
    assert code == 0 and "key figures" not in err
    assert {p["writeup"]["figure_note"] for p in json.loads(out)} == {""}
