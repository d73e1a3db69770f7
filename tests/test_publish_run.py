from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

import pytest

from paperradio.errors import PublishError
from paperradio.models import Issue, Segment
from paperradio.publish import PUBLISHERS, run
from paperradio.publish._view import headline

from .publish_samples import settings_for, with_audio
from .samples import sample_issue


def test_layout_and_returned_paths(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    issue = with_audio(sample_issue(), settings.home)
    site = tmp_path / "site"
    paths = run(issue, site, settings)
    relative = {p.relative_to(site).as_posix() for p in paths}
    expected = {"index.html", "feed.xml", "cover.png", "2026-W16/index.html", "2026-W16/index.zh.html",
                "2026-W16/issue.en.md", "2026-W16/issue.zh.md", "2026-W16/issue.json",
                "2026-W16/issue.en.eml", "2026-W16/issue.zh.eml",
                "2026-W16/audio/en/episode.mp3", "2026-W16/audio/en/chapters.json",
                "2026-W16/audio/en/transcript.txt"}
    assert expected <= relative
    audio = {r for r in relative if r.startswith("2026-W16/audio/en/") and r.endswith(".mp3")}
    assert len(audio) == 38
    assert len(paths) == len(relative) == len(expected) + 37
    assert all(p.is_file() for p in paths)
    on_disk = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert on_disk == relative  # no probe or temporary files left behind
    assert list(PUBLISHERS) == ["markdown", "json", "html", "podcast", "email"]


def test_issue_json_is_the_issue_as_data_written_deterministically(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, radio=False)
    issue = sample_issue()
    run(issue, tmp_path / "site", settings)
    text = (tmp_path / "site" / "2026-W16" / "issue.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    assert "视频" in text  # not \u escapes
    assert data["title"] == headline(issue)
    assert data["week"] == "2026-W16" and data["pool_size"] == 1654
    assert len(data["picks"]) == 37
    first = data["picks"][0]
    assert (first["arxiv_id"], first["section"], first["rank"], first["score"]) == ("2604.10000", "featured", 1, 9.9)
    assert first["credit"]["names"] == ["Yann LeCun"]
    assert first["writeup"]["recommendation"] == "Read it for the nlp results."
    del data["title"]
    assert Issue.from_dict(data) == issue


def test_publishing_twice_changes_nothing(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    issue = with_audio(sample_issue(), settings.home)
    first = run(issue, tmp_path / "site", settings)
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in first}
    second = run(issue, tmp_path / "site", settings)
    assert second == first
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in second} == before


def test_published_audio_survives_a_cleaned_home(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    issue = with_audio(sample_issue(), settings.home)
    run(issue, tmp_path / "site", settings)
    shutil.rmtree(settings.home / "audio")
    paths = run(issue, tmp_path / "site", settings)
    assert (tmp_path / "site" / "2026-W16" / "audio" / "en" / "episode.mp3") in paths


def test_output_below_a_file_is_one_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(PublishError) as caught:
        run(sample_issue(), blocker / "site", settings_for(tmp_path, radio=False))
    message = str(caught.value)
    assert "\n" not in message
    assert str(blocker / "site") in message and "output folder" in message


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores permission bits")
def test_read_only_output_folder_is_one_clear_error(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    site.chmod(0o555)
    try:
        with pytest.raises(PublishError, match=r"cannot write to the output folder .*Permission denied"):
            run(sample_issue(), site, settings_for(tmp_path, radio=False))
    finally:
        site.chmod(0o755)


def test_missing_audio_fails_before_writing_anything(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    issue = with_audio(sample_issue(), settings.home)
    (settings.home / "audio" / "2026-W16" / "en" / "nlp-03.mp3").unlink()
    with pytest.raises(PublishError, match=r"nlp-03\.mp3 is missing; run the radio stage for 2026-W16 again, or "
                                           r"set radio = false"):
        run(issue, tmp_path / "site", settings)
    assert list((tmp_path / "site").iterdir()) == []


def test_audio_path_may_not_leave_the_audio_folder(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    issue = sample_issue()
    picks = list(issue.picks)
    picks[0] = dataclasses.replace(picks[0], audio={"en": Segment("../../../etc/passwd", 1.0, "v", "t")})
    with pytest.raises(PublishError, match="not a plain relative path"):
        run(dataclasses.replace(issue, picks=tuple(picks)), tmp_path / "site", settings)


def test_unknown_edition_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="edition 'fr' is not supported; set editions to some of: en, zh"):
        run(sample_issue(), tmp_path / "site", settings_for(tmp_path, editions=("en", "fr")))
