"""A small PDF writer for the figure tests and bench: real PDF files with text, vector drawings and raster
images at known positions.

Coordinates are PDF points with the origin at the bottom left of the page, as in the PDF itself. Text is
set in the standard Helvetica font (no font file embedded); images are RGB, Flate-compressed.

    page = Page()
    page.text(72, 700, "Figure 1: Overview of the method.")
    page.rect(72, 720, 200, 50, fill=(1, 0, 0))
    pdf_bytes = write_pdf([page])

``paper_pages`` lays out a paper-like document (body text, figures with captions) and returns where
everything went, so a test can check a crop against the truth.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

Color = tuple[float, float, float]
Box = tuple[float, float, float, float]
"""left, bottom, right, top in PDF points."""

LETTER = (612.0, 792.0)
LINE = 12.0
"""Leading of body text and captions (10 pt Helvetica)."""
BODY = "The method is evaluated on three benchmarks and compared with strong baselines from recent work."


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _rgb(color: Color) -> str:
    return " ".join(f"{c:.3f}" for c in color)


@dataclass
class Image:
    width: int
    height: int
    pixels: bytes
    """RGB, row by row from the top."""


@dataclass
class Page:
    width: float = LETTER[0]
    height: float = LETTER[1]
    ops: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)

    def text(self, x: float, y: float, text: str, size: float = 10.0) -> None:
        """One line of text with its baseline at ``y``."""
        self.ops.append(f"BT /F1 {size:g} Tf {x:g} {y:g} Td ({_escape(text)}) Tj ET")

    def rect(self, x: float, y: float, w: float, h: float, fill: Color | None = None,
             stroke: Color | None = None) -> None:
        paint = "B" if fill and stroke else "f" if fill else "S"
        colors = (f"{_rgb(fill)} rg " if fill else "") + (f"{_rgb(stroke)} RG " if stroke else "")
        self.ops.append(f"q {colors}1 w {x:g} {y:g} {w:g} {h:g} re {paint} Q")

    def line(self, x0: float, y0: float, x1: float, y1: float, color: Color = (0, 0, 0)) -> None:
        self.ops.append(f"q {_rgb(color)} RG 1 w {x0:g} {y0:g} m {x1:g} {y1:g} l S Q")

    def image(self, x: float, y: float, w: float, h: float, image: Image) -> None:
        self.images.append(image)
        self.ops.append(f"q {w:g} 0 0 {h:g} {x:g} {y:g} cm /Im{len(self.images)} Do Q")


def gradient(width: int, height: int) -> Image:
    """A colourful raster image (red-to-blue across, green down): no pixel is white or black."""
    rows = bytearray()
    for row in range(height):
        for col in range(width):
            rows += bytes((55 + 200 * col // max(1, width - 1), 40 + 120 * row // max(1, height - 1),
                           255 - 200 * col // max(1, width - 1)))
    return Image(width, height, bytes(rows))


def write_pdf(pages: Sequence[Page]) -> bytes:
    """The PDF file of ``pages``: catalog, page tree, one Helvetica font, content streams, image XObjects."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in once the page tree's number is known
    tree = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for page in pages:
        xobjects = []
        for n, image in enumerate(page.images, start=1):
            data = zlib.compress(image.pixels)
            number = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                         b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
                         % (image.width, image.height, len(data), data))
            xobjects.append(f"/Im{n} {number} 0 R")
        content = "\n".join(page.ops).encode("latin-1")
        stream = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        resources = f"<< /Font << /F1 {font} 0 R >> /XObject << {' '.join(xobjects)} >> >>"
        kids.append(add(f"<< /Type /Page /Parent {tree} 0 R /MediaBox [0 0 {page.width:g} {page.height:g}] "
                        f"/Resources {resources} /Contents {stream} 0 R >>".encode()))
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {tree} 0 R >>".encode()
    objects[tree - 1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                         f"/Count {len(kids)} >>").encode()

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


# -- paper-like layouts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placed:
    """A figure as laid out: its graphics, its caption block and the page it is on (1-based)."""

    page: int
    graphics: Box
    caption: Box
    caption_text: str


@dataclass(frozen=True)
class Layout:
    pdf: bytes
    figures: tuple[Placed, ...]
    body: tuple[tuple[int, Box], ...]
    """Every block of body text: (page, box)."""


@dataclass(frozen=True)
class FigureSpec:
    """A figure to lay out: ``kind`` "diagram" (boxes and arrows), "image" (a raster), "plot" (axes and
    a curve) or "scatter" (1,500 points); ``size`` (width, height) in points; ``caption`` lines (the first
    starts "Figure n:")."""

    kind: str
    size: tuple[float, float]
    caption: tuple[str, ...]


MARGIN = 72.0


def body_block(page: Page, top: float, lines: int, left: float = MARGIN, width: float = 468.0) -> Box:
    """Full-width lines of body text below ``top``; returns their box."""
    for n in range(lines):
        page.text(left, top - LINE * (n + 1) + 3, BODY[: int(width / 5)])
    return (left, top - LINE * lines, left + width, top)


def _draw(page: Page, kind: str, box: Box) -> None:
    left, bottom, right, top = box
    w, h = right - left, top - bottom
    if kind == "image":
        page.image(left, bottom, w, h, gradient(int(w), int(h)))
    elif kind == "diagram":
        boxes = 3
        cell = w / (2 * boxes - 1)
        for n in range(boxes):
            x = left + 2 * n * cell
            page.rect(x, bottom + h * 0.25, cell, h * 0.5, fill=(0.85, 0.2 + 0.3 * n, 0.2), stroke=(0, 0, 0))
            page.text(x + 4, bottom + h * 0.5 - 3, f"Stage {n + 1}", size=8)
            if n:
                page.line(x - cell, bottom + h / 2, x, bottom + h / 2)
        page.rect(left, bottom, w, h, stroke=(0.3, 0.3, 0.3))
    elif kind == "plot":
        page.line(left, bottom, right, bottom)
        page.line(left, bottom, left, top)
        steps = 12
        for n in range(steps):
            page.line(left + w * n / steps, bottom + h * (n / steps) ** 2,
                      left + w * (n + 1) / steps, bottom + h * ((n + 1) / steps) ** 2, color=(0, 0, 0.8))
    elif kind == "scatter":  # a dense vector plot: one path per point, as plotting libraries write them
        page.line(left, bottom, right, bottom)
        page.line(left, bottom, left, top)
        for n in range(1500):
            x, y = (n * 37 % 997) / 997, (n * 61 % 991) / 991
            page.rect(left + x * (w - 3), bottom + y * (h - 3), 2, 2, fill=(0.1, 0.3 + 0.5 * x, 0.6))
    else:
        raise ValueError(kind)


def paper_pages(pages: Sequence[Sequence[FigureSpec]], body_lines: int = 6) -> Layout:
    """One page per entry: body text, then each figure (centred) with its caption below, then more body text."""
    built, placed, body = [], [], []
    figure_number = 0
    for number, specs in enumerate(pages, start=1):
        page = Page()
        top = page.height - MARGIN
        box = body_block(page, top, body_lines)
        body.append((number, box))
        top = box[1] - 18
        for spec in specs:
            figure_number += 1
            w, h = spec.size
            left = (page.width - w) / 2
            graphics = (left, top - h, left + w, top)
            _draw(page, spec.kind, graphics)
            caption_top = top - h - 8
            for n, text in enumerate(spec.caption):
                page.text(MARGIN, caption_top - LINE * (n + 1) + 3, text)
            caption = (MARGIN, caption_top - LINE * len(spec.caption), MARGIN + 468.0, caption_top)
            placed.append(Placed(number, graphics, caption, " ".join(spec.caption)))
            top = caption[1] - 18
        if top - LINE * body_lines > MARGIN:
            box = body_block(page, top, body_lines)
            body.append((number, box))
        built.append(page)
    return Layout(write_pdf(built), tuple(placed), tuple(body))


def password_protected(pdf: bytes) -> bytes:
    """``pdf`` with a Standard security handler whose password nobody knows: readers refuse to open it."""
    lock = (b"/Encrypt << /Filter /Standard /V 1 /R 2 /O <" + b"00" * 32 + b"> /U <" + b"11" * 32
            + b"> /P -4 >> /ID [<01020304> <01020304>]")
    head, trailer = pdf.rsplit(b"trailer\n<<", 1)
    return head + b"trailer\n<< " + lock + trailer
