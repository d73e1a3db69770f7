"""issue.<lang>.md: the issue as Markdown (CommonMark, GitHub-flavoured friendly).

Every piece of text that comes from a paper or a writer goes through :func:`escape`, so a title such as
``<b>x</b> & [y](z)`` prints as itself and cannot open a tag, a link or a heading.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ._view import AudioView, FigureView, IssueView, PickView, issue_view
from .publisher import Publication

_ACTIVE_RE = re.compile(r"([\\`*_\[\]<>~$#])")
"""Characters that open Markdown (or GFM strike-through and math) constructs anywhere in a line.

``|`` is left alone: a GFM table also needs a delimiter row on the next line, which escaped text,
always collapsed to one line, cannot produce."""
_ENTITY_RE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
"""An ampersand that would start a character reference such as ``&amp;``."""
_BLOCK_START_RE = re.compile(r"^([-+=]|\d+(?=[.)]))")
"""Markers that only act at the start of a line: list bullets, ordered lists, setext underlines."""
_URL_SAFE = ":/?#@!$&'*+,;=%~"


def escape(text: str, *, line_start: bool = False) -> str:
    """Escape ``text`` so Markdown shows it verbatim; ``line_start`` when it begins a line."""
    text = " ".join(text.split())
    text = _ACTIVE_RE.sub(r"\\\1", text)
    text = _ENTITY_RE.sub(r"\\&", text)
    if line_start:
        match = _BLOCK_START_RE.match(text)
        if match and match[1][0].isdigit():
            end = match.end()
            text = text[:end] + "\\" + text[end:]
        elif match:
            text = "\\" + text
    return text


def url(href: str) -> str:
    """A link destination with spaces, parentheses, brackets and angle brackets percent-encoded."""
    return quote(href, safe=_URL_SAFE)


def _link(text: str, href: str) -> str:
    return f"[{escape(text)}]({url(href)})"


def _listen(audio: AudioView | None, label: str) -> str:
    return f"[▶ {label} ({audio.clock})]({url(audio.href)})" if audio else ""


def _figure(figure: FigureView) -> list[str]:
    return [f"![{escape(figure.alt)}]({url(figure.href)})", "", f"*{escape(figure.caption)}*", ""]


def _featured(view: IssueView, pick: PickView) -> list[str]:
    s = view.strings
    lines = [f"### {s.paper.format(n=pick.number)} {escape(pick.title)}", ""]
    lines += [f"**{s.authors}** {escape(pick.authors)}", ""]
    if pick.affiliations:
        lines += [f"**{s.affiliations}** {escape(pick.affiliations)}", ""]
    lines += [f"**{s.link}** <{url(pick.url)}>", ""]
    for i, paragraph in enumerate(pick.paragraphs):
        label = f"**{s.summary}** " if s.summary and i == 0 else ""
        lines += [label + escape(paragraph, line_start=not label), ""]
    if pick.fallback:
        lines += [f"*{escape(s.fallback)}*", ""]
    if pick.figure:
        lines += _figure(pick.figure)
    if pick.recommendation:
        lines += [f"**{s.recommendation}** {escape(pick.recommendation)}", ""]
    lines += [escape(pick.credit, line_start=True), ""]
    if pick.audio:
        lines += [_listen(pick.audio, s.listen), ""]
    return lines


def _line(pick: PickView, listen: str) -> str:
    line = f"{pick.number}. {_link(pick.title, pick.url)}{pick.stop} {escape(pick.credit)}"
    if pick.audio:
        line += f" · {_listen(pick.audio, listen)}"
    return line


def render(view: IssueView) -> str:
    """The Markdown of one edition."""
    s = view.strings
    lines = [f"# {escape(view.headline)}", ""]
    lines += [" · ".join(escape(part) for part in (view.dates, view.pool) if part), ""]
    links = [f"[{o.edition_name}](issue.{o.language}.md)" for o in view.others]
    lines += [" · ".join([*links, f"[{s.archive}](../index.html)"]), ""]
    if view.notice:
        lines += [f"> {escape(view.notice)}", ""]
    if view.episode:
        lines += [f"## {s.episode}", "", _listen(view.episode.audio, s.listen), ""]
        if view.episode.chapters:
            lines += [f"**{s.chapters}**", ""]
            lines += [f"- {c.clock} {escape(c.title)}" for c in view.episode.chapters]
            lines += [""]
    lines += [f"## {s.contents}", ""]
    if view.featured:
        lines += [f"1. {s.featured}"]
        lines += [f"   {p.number}. {escape(p.title)}" for p in view.featured]
    if view.sections:
        lines += [f"{2 if view.featured else 1}. {s.radiostation}"]
        lines += [f"   - {escape(section.heading)}" for section in view.sections]
    lines += [""]
    if view.featured:
        lines += [f"## {s.featured}", ""]
        for pick in view.featured:
            lines += _featured(view, pick)
    if view.sections:
        lines += [f"## {s.radiostation}", ""]
        for section in view.sections:
            lines += [f"### {escape(section.heading)}", ""]
            lines += [_line(pick, s.listen) for pick in section.picks]
            lines += [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def publish(publication: Publication) -> None:
    for language in publication.editions:
        view = issue_view(publication.issue, language, publication.editions, publication.with_audio)
        publication.out.write_text(f"{publication.issue_dir()}/issue.{language}.md", render(view))
