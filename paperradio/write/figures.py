"""Key figures: find the most informative figure of a paper's PDF and crop it, caption included, to a PNG.

A figure is found from its caption ("Figure 3:", "Fig. 2.", "FIGURE 1 |", "Fig. 4 –" starting a line). The
graphics above the caption (images, vector paths, shadings, embedded forms) up to the nearest line of body
text or another caption make the figure; text next to them (axis labels, legends) belongs to it.
Candidates are scored by caption keywords (overview, architecture, ... results, comparison), by size and
by position (earlier pages first); the best one is rendered by pdfium and cropped with its caption.

:func:`attach` is what the write stage calls: for each featured pick it fetches the PDF (see
:mod:`.pdfs`), crops the key figure into ``<home>/cache/figures/`` and sets ``Writeup.figure``, or records
in ``Writeup.figure_note`` why there is none.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from ..config import Settings
from ..errors import SourceError, WriteError
from ..models import Figure, Pick
from .pdfs import PdfFetcher, file_stem, save_atomically

log = logging.getLogger(__name__)

Box = tuple[float, float, float, float]
"""left, bottom, right, top in PDF points (origin at the bottom left of the page)."""

MAX_PAGES = 12
"""Pages searched; key figures sit early, appendices hold the rest."""
MAX_CAPTION_LINES = 8
MAX_CAPTION_CHARS = 400
MIN_AREA = 0.02
"""Smallest figure worth showing, as a fraction of the page (a logo or an icon is smaller)."""
MIN_SIDE = 36.0
"""Points; half an inch."""
LABEL_REACH = 24.0
"""Text this close to a figure's graphics (points) is one of its labels."""
PADDING = 4.0
SCALE = 2.0
"""Rendering scale: 144 dpi."""
MAX_WIDTH = 1600
"""Pixels; a full-width figure of a wide page is scaled down to this."""

_CAPTION_RE = re.compile(r"^fig(?:ure)?\.?\s*(\d+)\s*[:.|–—]", re.IGNORECASE)
_KEYWORDS: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (re.compile(rf"\b{stem}", re.IGNORECASE), weight)
    for stem, weight in (
        ("overview", 3.0), ("architectur", 3.0), ("framework", 3.0), ("pipeline", 3.0),
        ("illustrat", 2.0), ("schemati", 2.0), ("main result", 2.5), ("results", 2.0), ("comparison", 2.0),
        ("compared", 1.5), ("performance", 1.5), ("approach", 1.5), ("method", 1.5), ("qualitative", 1.0),
        ("model", 1.0),
    )
)
_MAX_KEYWORD_SCORE = 4.0
_GRAPHICS = [pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_SHADING,
             pdfium_c.FPDF_PAGEOBJ_FORM]


class NoFigure(WriteError):
    """Why a paper gets no key figure (the message is recorded in ``Writeup.figure_note``)."""


@dataclass(frozen=True)
class Candidate:
    """A figure found in a PDF: where it is (caption included), its caption and its score."""

    page: int
    """1-based."""
    box: Box
    """Graphics and caption together."""
    caption: str
    score: float


@dataclass(frozen=True)
class _Line:
    box: Box
    text: str


def _union(boxes: Iterable[Box]) -> Box:
    ls, bs, rs, ts = zip(*boxes, strict=True)
    return min(ls), min(bs), max(rs), max(ts)


def _overlaps_x(box: Box, span: tuple[float, float]) -> bool:
    return box[0] < span[1] and box[2] > span[0]


def _inside(box: Box, outer: Box, margin: float = 0.0) -> bool:
    return (box[0] >= outer[0] - margin and box[1] >= outer[1] - margin
            and box[2] <= outer[2] + margin and box[3] <= outer[3] + margin)


def _bounds(value: Any) -> Box:
    left, bottom, right, top = (float(v) for v in value)
    return left, bottom, right, top


def _column(caption: Box, page: Box) -> tuple[float, float]:
    """The caption's column: the whole page when it crosses the middle (one column, or a figure across
    two), else the half it is in."""
    middle = (page[0] + page[2]) / 2
    if caption[0] < middle - 10 and caption[2] > middle + 10:
        return page[0], page[2]
    return (page[0], middle) if caption[2] <= middle + 10 else (middle, page[2])


def _lines(textpage: Any) -> list[_Line]:
    """Printed lines: pdfium's text runs in reading order, runs side by side on one baseline merged."""
    lines: list[_Line] = []
    for index in range(textpage.count_rects()):
        box = _bounds(textpage.get_rect(index))
        text = " ".join(textpage.get_text_bounded(*box).split())
        if not text:
            continue
        if lines:
            last = lines[-1].box
            height = min(box[3] - box[1], last[3] - last[1])
            shared = min(box[3], last[3]) - max(box[1], last[1])
            if shared > 0.5 * height and 0 <= box[0] - last[2] < 1.2 * max(height, 1.0):
                lines[-1] = _Line(_union((last, box)), f"{lines[-1].text} {text}")
                continue
        lines.append(_Line(box, text))
    return lines


def _captions(lines: Sequence[_Line]) -> list[_Line]:
    """Caption blocks: a line starting "Figure n:" and the lines that continue it just below."""
    found = []
    for i, line in enumerate(lines):
        if not _CAPTION_RE.match(line.text):
            continue
        box, parts = line.box, [line.text]
        height = line.box[3] - line.box[1]
        for below in lines[i + 1 : i + MAX_CAPTION_LINES]:
            gap = box[1] - below.box[3]
            if _CAPTION_RE.match(below.text) or not -0.5 * height < gap < 0.9 * height or not \
                    _overlaps_x(below.box, (box[0], box[2])):
                break
            box, parts = _union((box, below.box)), [*parts, below.text]
        found.append(_Line(box, " ".join(parts)))
    return found


def _short(caption: str) -> str:
    if len(caption) <= MAX_CAPTION_CHARS:
        return caption
    return caption[:MAX_CAPTION_CHARS].rsplit(" ", 1)[0] + " …"


def keyword_score(caption: str) -> float:
    """How strongly a caption announces an overview or a main result."""
    return min(_MAX_KEYWORD_SCORE, sum(weight for pattern, weight in _KEYWORDS if pattern.search(caption)))


def _page_candidates(page: Any, number: int) -> list[Candidate]:
    bounds = _bounds(page.get_cropbox())
    width, height = bounds[2] - bounds[0], bounds[3] - bounds[1]
    textpage = page.get_textpage()
    try:
        lines = _lines(textpage)
    finally:
        textpage.close()
    captions = _captions(lines)
    if not captions:
        return []
    graphics = [box for obj in page.get_objects(filter=_GRAPHICS, max_depth=0)
                for box in [_bounds(obj.get_bounds())]
                if (box[2] - box[0]) * (box[3] - box[1]) < 0.9 * width * height
                and max(box[2] - box[0], box[3] - box[1]) > 0.5]
    # Lines that bound a figure from above: body text (wide lines not drawn inside a graphic) and captions.
    wide = 0.3 * width
    panels = [g for g in graphics if g[2] - g[0] >= wide]  # the only graphics a wide line can sit inside
    walls = [line.box for line in lines
             if line.box[2] - line.box[0] >= wide and not any(_inside(line.box, g, 1.0) for g in panels)]
    walls += [caption.box for caption in captions]
    found = []
    for caption in captions:
        top = caption.box[3]
        span = _column(caption.box, bounds)
        ceiling = min((w[1] for w in walls if w[1] >= top - 1.0 and _overlaps_x(w, span)), default=bounds[3])
        parts = [g for g in graphics if g[1] >= top - 2.0 and g[3] <= ceiling + 2.0 and _overlaps_x(g, span)]
        if not parts:
            continue
        figure = _union(parts)
        labels = [line.box for line in lines if line.box[1] >= top - 1.0 and line.box[3] <= ceiling + 1.0
                  and _inside(line.box, figure, LABEL_REACH)]
        figure = _union([figure, *labels])
        area = (figure[2] - figure[0]) * (figure[3] - figure[1]) / (width * height)
        if area < MIN_AREA or min(figure[2] - figure[0], figure[3] - figure[1]) < MIN_SIDE:
            continue
        score = keyword_score(caption.text) + 3.0 * min(1.0, area / 0.25) + 2.0 / number
        found.append(Candidate(number, _union([figure, caption.box]), _short(caption.text), round(score, 3)))
    return found


def open_pdf(data: bytes) -> Any:
    """The pdfium document, or ``NoFigure`` saying why it cannot be read (broken, encrypted)."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise NoFigure(f"cannot open the PDF: {exc}") from None


def candidates(document: Any, max_pages: int = MAX_PAGES) -> list[Candidate]:
    """Every figure found in the first pages, best first."""
    found: list[Candidate] = []
    for index in range(min(len(document), max_pages)):
        page = document[index]
        try:
            if page.get_rotation() == 0:  # boxes of turned pages would need turning too; rare for figures
                found += _page_candidates(page, index + 1)
        finally:
            page.close()
    return sorted(found, key=lambda c: -c.score)


def render_crop(document: Any, candidate: Candidate) -> bytes:
    """The candidate's box (plus a little padding) rendered from its page, as PNG bytes."""
    page = document[candidate.page - 1]
    try:
        crop_l, crop_b, crop_r, crop_t = _bounds(page.get_cropbox())
        left, bottom, right, top = candidate.box
        left, bottom = max(crop_l, left - PADDING), max(crop_b, bottom - PADDING)
        right, top = min(crop_r, right + PADDING), min(crop_t, top + PADDING)
        scale = min(SCALE, MAX_WIDTH / max(right - left, 1.0))
        bitmap = page.render(scale=scale, crop=(left - crop_l, bottom - crop_b, crop_r - right, crop_t - top))
        buffer = io.BytesIO()
        bitmap.to_pil().save(buffer, format="PNG")
        return buffer.getvalue()
    finally:
        page.close()


def key_figure(data: bytes) -> tuple[Candidate, bytes]:
    """The best figure of a PDF and its PNG; ``NoFigure`` says why there is none."""
    document = open_pdf(data)
    try:
        pages = len(document)
        if pages == 0:
            raise NoFigure("the PDF has no pages")
        found = candidates(document)
        if not found:
            raise NoFigure(f"no captioned figure large enough to show in the first {min(pages, MAX_PAGES)} pages")
        return found[0], render_crop(document, found[0])
    except pdfium.PdfiumError as exc:
        raise NoFigure(f"cannot read the PDF: {exc}") from None
    finally:
        document.close()


def figure_for(pick: Pick, fetcher: PdfFetcher) -> Figure:
    """Fetch, find, crop and save the pick's key figure; ``NoFigure``, ``SourceError`` or ``OSError`` (the
    cache cannot be written) say why not."""
    data = fetcher.fetch(pick.paper)
    found, png = key_figure(data)
    name = f"{file_stem(pick.paper)}.png"
    save_atomically(fetcher.settings.cache_dir / "figures" / name, png)
    with Image.open(io.BytesIO(png)) as image:  # reads the header only
        width, height = image.size
    return Figure(path=name, caption=found.caption, page=found.page, width=width, height=height)


def attach(picks: Sequence[Pick], settings: Settings, fetcher: PdfFetcher | None = None) -> list[Pick]:
    """The picks with a key figure (or the reason for none) on each featured write-up; others unchanged."""
    own = fetcher is None
    fetcher = fetcher or PdfFetcher(settings)
    result, shown, missing = [], 0, 0
    try:
        for pick in picks:
            if pick.section != "featured" or pick.writeup is None:
                result.append(pick)
                continue
            try:
                writeup = dataclasses.replace(pick.writeup, figure=figure_for(pick, fetcher), figure_note="")
                shown += 1
            except (NoFigure, SourceError, OSError) as exc:
                note = f"no key figure: {exc}"
                log.info("%s: %s", pick.paper.arxiv_id, note)
                writeup = dataclasses.replace(pick.writeup, figure=None, figure_note=note)
                missing += 1
            result.append(dataclasses.replace(pick, writeup=writeup))
    finally:
        if own:
            fetcher.close()
    log.info("figures: %d featured picks with a key figure, %d without", shown, missing)
    return result
