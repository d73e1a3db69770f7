"""Issues with real (short, silent) MP3 audio rendered into a home folder, for the publish tests."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import soundfile

from paperradio.config import Settings
from paperradio.models import Chapter, Episode, Issue, Segment, Week

from .samples import sample_issue

SITE_URL = "https://radio.example.org/weekly/"

CHAPTERS = (
    Chapter("Intro", 0.0),
    Chapter("Featured papers", 0.02),
    Chapter("NLP <radio> & friends", 0.05),
    Chapter("CV", 0.07),
    Chapter("ML", 0.09),
)


def settings_for(tmp_path: Path, **changes: object) -> Settings:
    settings = Settings(home=tmp_path / "home", database_url="sqlite://", site_url=SITE_URL)
    return settings.replace(**changes) if changes else settings


def write_mp3(path: Path) -> None:
    """0.1 s of silence as a real MP3 file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(path, np.zeros(2205, dtype="float32"), 22050, format="MP3")


def with_audio(issue: Issue, home: Path, *, episode: bool = True) -> Issue:
    """The issue with an English segment per pick (and an episode), the MP3 files written under home."""
    folder = home / "audio" / str(issue.week)
    template = folder / "en" / "episode.mp3"
    write_mp3(template)
    picks = []
    for pick in issue.picks:
        relative = f"en/{pick.section}-{pick.rank:02d}.mp3"
        shutil.copyfile(template, folder / relative)
        text = pick.writeup.line if pick.writeup else pick.paper.title
        picks.append(dataclasses.replace(pick, audio={"en": Segment(relative, 42.0, "test", text)}))
    episodes = {}
    if episode:
        audio = Segment("en/episode.mp3", 754.2, "test", f"Welcome to the issue of {issue.week}.\nBye.")
        episodes["en"] = Episode("en", audio, CHAPTERS, loudness_lufs=-16.0, true_peak_dbfs=-1.5)
    else:
        template.unlink()
    return dataclasses.replace(issue, picks=tuple(picks), episodes=episodes)


def issue_of(week: Week, home: Path, *, episode: bool = True) -> Issue:
    """A sample issue for another week, with audio."""
    return with_audio(dataclasses.replace(sample_issue(), week=week), home, episode=episode)
