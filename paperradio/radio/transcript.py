"""The episode's transcript as WebVTT: one cue per spoken part, timed from where it starts in the MP3."""

from __future__ import annotations

from collections.abc import Sequence


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def webvtt(texts: Sequence[str], starts: Sequence[float], total: float) -> str:
    """A WebVTT file whose cue ``i`` spans from ``starts[i]`` to the next start (or ``total``)."""
    ends = [*starts[1:], total]
    cues = ["WEBVTT", ""]
    for number, (text, start, end) in enumerate(zip(texts, starts, ends, strict=True), start=1):
        # "-->" and blank lines end a cue early in WebVTT; the script never needs them.
        body = "\n".join(line for line in text.replace("-->", "→").splitlines() if line.strip())
        if body:
            cues += [str(number), f"{_timestamp(start)} --> {_timestamp(end)}", body, ""]
    return "\n".join(cues)
