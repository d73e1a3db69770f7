"""Copy the rendered audio of an issue next to its pages.

The radio stage renders into ``<home>/audio/<week>/<segment.path>``; the site serves the same file from
``<out>/<week>/audio/<segment.path>``, which is what :func:`._view.audio_href` links to.
"""

from __future__ import annotations

import logging
from pathlib import Path, PurePosixPath

from ..config import Settings
from ..errors import PublishError
from ..models import Issue, Segment
from ..write import plain_text
from ._id3 import segment_title, tag_mp3
from ._output import Output, _as_publish_error

log = logging.getLogger(__name__)


def segments(issue: Issue) -> list[Segment]:
    """Every audio file of the issue: one per pick and language, then the full episodes."""
    found = [seg for pick in issue.picks for _, seg in sorted(pick.audio.items())]
    found += [episode.audio for _, episode in sorted(issue.episodes.items())]
    return found


def published_name(issue: Issue, segment: Segment) -> str:
    """The segment's path inside the output folder, checked to stay inside the audio folder."""
    path = PurePosixPath(segment.path)
    if not segment.path or path.is_absolute() or ".." in path.parts or "\\" in segment.path:
        raise PublishError(
            f"audio path {segment.path!r} of {issue.week} is not a plain relative path; "
            "re-run the radio stage"
        )
    return f"{issue.week}/audio/{path}"


def source_path(settings: Settings, issue: Issue, segment: Segment) -> Path:
    return settings.home / "audio" / str(issue.week) / segment.path


def publish_segment(out: Output, settings: Settings, issue: Issue, segment: Segment) -> Path | None:
    """Copy one segment into place; ``None`` when neither the rendered nor a published copy exists."""
    name = published_name(issue, segment)
    source = source_path(settings, issue, segment)
    if source.is_file():
        title, language, episode = segment_title(issue, segment)
        with _as_publish_error("read audio from", source):
            data = source.read_bytes()
        return out.write_bytes(name, tag_mp3(data, plain_text(title), settings, issue, language, episode))
    if (out.root / name).is_file():
        return out.keep(name)
    return None


def publish_issue_audio(out: Output, settings: Settings, issue: Issue) -> int:
    """Copy all audio of the issue; raise ``PublishError`` before copying anything if a file is missing."""
    wanted = segments(issue)
    missing = [
        seg for seg in wanted
        if not source_path(settings, issue, seg).is_file()
        and not (out.root / published_name(issue, seg)).is_file()
    ]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise PublishError(
            f"audio file {source_path(settings, issue, missing[0])} is missing{more}; "
            f"run the radio stage for {issue.week} again, or set radio = false to publish text only"
        )
    for segment in wanted:
        publish_segment(out, settings, issue, segment)
    return len(wanted)
