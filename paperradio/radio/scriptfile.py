"""The episode script as a text file an editor can change and render again (``paperradio radio --from-script``).

    # paperradio script: week 2026-W16, edition en
    ## intro
    Welcome to paperradio weekly, week 16 of 2026: ...

    This week: ...

    ## featured-01 2604.14148
    Featured paper 1.

    Sparse Mixture-of-Experts Routing for Long-Context Language Models.

A "## " line starts a segment and names it (a pick's segment also names its paper); each paragraph under
it, up to a blank line, is one spoken line. Other lines starting with "#" are comments. Every segment of the
episode must be there, once, with something to say; a paragraph left as it was keeps its cached speech.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from ..config import Settings
from ..errors import RadioError
from ..models import Issue
from .script import Part, Script, edited_part, voices

__all__ = ["ScriptFile", "apply_script", "read_script", "script_text"]

_TITLE = re.compile(r"^# paperradio script: week (\S+), edition (\S+)\s*$")
_SEGMENT = re.compile(r"^##(?:\s+(\S+)(?:\s+(\S+))?)?\s*$")


def _arxiv_id(issue: Issue, part: Part) -> str:
    return "" if part.pick is None else issue.picks[part.pick].paper.arxiv_id


def script_text(issue: Issue, script: Script) -> str:
    """The script of one edition as an editable text file."""
    lines = [f"# paperradio script: week {issue.week}, edition {script.language}",
             f"# Edit the text, then render it: paperradio radio --week {issue.week} --from-script <this file>",
             "# A \"## segment\" line starts a segment; each paragraph under it (up to a blank line) is one",
             "# spoken line. Paragraphs left as they are keep their recorded speech. Once rendered, an edited",
             "# script is spoken in every later run for the week, until this file is deleted."]
    if script.language != "en":
        lines.append("# A paragraph without Chinese characters is read by the English voice.")
    for part in script.episode:
        lines += ["", f"## {part.key} {_arxiv_id(issue, part)}".rstrip()]
        for index, line in enumerate(part.lines):
            lines += [""] * bool(index) + [" ".join(line.text.split())]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class _Segment:
    line: int
    """Line number of its "## " line in the file."""
    arxiv_id: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class ScriptFile:
    """A script file as read: which week and edition it is for, and each segment's paragraphs."""

    path: Path
    week: str
    language: str
    segments: dict[str, _Segment]


def read_script(path: Path) -> ScriptFile:
    """Read a script file; RadioError naming the file and line when it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RadioError(f"cannot read the script {path}: {exc}") from None
    week = language = ""
    segments: dict[str, _Segment] = {}
    current: tuple[str, int, str] | None = None
    paragraphs: list[str] = []
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            paragraphs.append(" ".join(paragraph))
            paragraph.clear()

    def end_segment() -> None:
        end_paragraph()
        if current is not None:
            segments[current[0]] = _Segment(current[1], current[2], tuple(paragraphs))
        paragraphs.clear()

    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        title = _TITLE.match(stripped)
        if title and not week:
            week, language = title[1], title[2]
        elif stripped.startswith("##"):
            header = _SEGMENT.match(stripped)
            if header is None or header[1] is None:
                raise RadioError(f"{path}:{number}: a segment line is \"## <segment> [arXiv id]\", not {stripped!r}")
            end_segment()
            if header[1] in segments:
                raise RadioError(f"{path}:{number}: segment {header[1]!r} again (first at line "
                                 f"{segments[header[1]].line})")
            current = (header[1], number, header[2] or "")
        elif stripped.startswith("#"):
            continue
        elif not stripped:
            end_paragraph()
        elif current is None:
            raise RadioError(f"{path}:{number}: text before the first \"## <segment>\" line")
        else:
            paragraph.append(stripped)
    end_segment()
    if not week:
        raise RadioError(f"{path}: no \"# paperradio script: week <week>, edition <language>\" line; "
                         "start from a script the radio stage wrote")
    return ScriptFile(path, week, language, segments)


def apply_script(issue: Issue, script: Script, edits: ScriptFile, settings: Settings) -> Script:
    """``script`` (generated from ``issue``) saying what the script file says."""
    where = edits.path
    if edits.week != str(issue.week) or edits.language != script.language:
        raise RadioError(f"{where}: the script is for week {edits.week}, edition {edits.language}, "
                         f"not week {issue.week}, edition {script.language}")
    known = {part.key: part for part in script.episode}
    for key, segment in edits.segments.items():
        if key not in known:
            raise RadioError(f"{where}:{segment.line}: unknown segment {key!r}; week {issue.week} has "
                             f"{', '.join(known)}")
        expected = _arxiv_id(issue, known[key])
        if segment.arxiv_id and segment.arxiv_id != expected:
            raise RadioError(f"{where}:{segment.line}: segment {key!r} is paper {expected or 'none'} this week, "
                             f"not {segment.arxiv_id}; the picks changed since the script was written")
    missing = [key for key in known if key not in edits.segments]
    if missing:
        raise RadioError(f"{where}: segment {missing[0]!r} is missing; every segment of the episode must be in "
                         "the script")
    all_voices = voices(settings)
    parts: list[Part] = []
    for part in script.episode:
        segment = edits.segments[part.key]
        try:
            parts.append(edited_part(part, list(segment.paragraphs), script.language, all_voices))
        except RadioError as exc:
            raise RadioError(f"{where}:{segment.line}: {exc}") from None
    segments = {part.pick: part for part in parts if part.pick is not None}
    return dataclasses.replace(script, segments=segments, episode=tuple(parts))
