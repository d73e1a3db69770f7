"""The CLI over real files and a real store: exit codes and one-line messages."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperradio.cli import cli
from tests.test_sources_snapshot import record, write_lines


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--silent", *args])
    return result.exit_code, result.stdout, result.stderr


def snapshot(tmp_path: Path, n: int = 60) -> Path:
    lines = [json.dumps(record(i, categories=["cs.CL cs.LG", "cs.CV", "cs.AI cs.LG"][i % 3],
                               announced="2026-04-14")) for i in range(n)]
    return write_lines(tmp_path / "week.jsonl", [*lines, "{truncated"])


def test_help_lists_every_stage() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for command in ("ingest", "rank", "write", "radio", "publish", "weekly"):
        assert command in out


def test_live_run_with_a_dead_endpoint_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("PAPERRADIO_ARXIV_OAI_URL", f"http://127.0.0.1:{port}/oai")
    code, _, err = run("weekly", "--week", "2026-W16")
    assert code == 1
    assert err.startswith(f"Error: cannot reach http://127.0.0.1:{port}/oai") and len(err.strip().splitlines()) == 1


def test_live_run_refuses_a_week_arxiv_has_not_finished() -> None:
    code, _, err = run("weekly", "--week", "2099-W10")
    assert code == 1
    assert "arXiv has not finished announcing week 2099-W10: its last listing (2099-03-06)" in err


def test_missing_file_bad_week_and_unwritable_output(tmp_path: Path) -> None:
    code, _, err = run("ingest", "--source", str(tmp_path / "missing.jsonl.gz"))
    assert (code, err.strip()) == (1, f"Error: snapshot file {tmp_path / 'missing.jsonl.gz'} not found")
    code, _, err = run("rank", "--week", "2026-16")
    assert code == 2 and "bad week '2026-16': expected YYYY-Www" in err
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, _, err = run("weekly", "--source", str(snapshot(tmp_path)), "--week", "2026-W16",
                       "--out", str(blocker / "site"))
    assert code == 1 and err.startswith(f"Error: cannot create the output folder {blocker / 'site'}")


def test_ingest_reports_skipped_lines_and_rank_prints_json(tmp_path: Path) -> None:
    source = snapshot(tmp_path)
    code, out, err = run("ingest", "--source", str(source))
    assert code == 0
    assert "skipped line 61: not valid JSON" in err
    assert "read 60, new 60, updated 0, unchanged 0, skipped 1" in err
    code, _, err = run("ingest", "--source", str(source))
    assert code == 0 and "already imported" in err
    code, out, _ = run("--json", "rank", "--week", "2026-W16")
    assert code == 0
    picks = json.loads(out)
    assert len(picks) == 37 and len({p["arxiv_id"] for p in picks}) == 37
    assert {p["section"] for p in picks} == {"featured", "nlp", "cv", "ml"}


def test_a_week_without_papers_is_an_error(tmp_path: Path) -> None:
    run("ingest", "--source", str(snapshot(tmp_path)))
    code, _, err = run("rank", "--week", "2026-W20")
    assert code == 1
    assert "no papers announced in week 2026-W20 (2026-05-11 … 2026-05-15)" in err


def test_later_stages_say_which_stage_to_run_first(tmp_path: Path) -> None:
    run("ingest", "--source", str(snapshot(tmp_path)))
    code, _, err = run("write", "--week", "2026-W16")
    assert code == 1 and "run `paperradio rank --week 2026-W16` first" in err
    run("rank", "--week", "2026-W16")
    code, _, err = run("radio", "--week", "2026-W16")
    assert code == 1 and "run `paperradio write --week 2026-W16` first" in err


def test_a_malformed_script_file_is_one_line_naming_its_line(tmp_path: Path) -> None:
    run("ingest", "--source", str(snapshot(tmp_path)))
    run("rank", "--week", "2026-W16")
    run("write", "--week", "2026-W16")
    script = tmp_path / "script.en.txt"
    script.write_text("# paperradio script: week 2026-W16, edition en\n\n## intro\nHello.\n\n## nope-01\nHi.\n",
                      encoding="utf-8")
    code, _, err = run("radio", "--week", "2026-W16", "--from-script", str(script))
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and f"{script}:6: unknown segment 'nope-01'" in err
    assert "intro, featured, featured-01" in err and not (tmp_path / "home" / "audio").exists()


def test_config_file_errors_are_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "paperradio.toml"
    bad.write_text("featured_count = 'seven'")
    code, _, err = run("--config", str(bad), "rank", "--week", "2026-W16")
    assert code == 1 and "featured_count" in err and "Traceback" not in err


def test_ingest_and_rank_on_postgresql(tmp_path: Path, postgres_database: str,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERRADIO_DATABASE_URL", postgres_database)
    source = snapshot(tmp_path)
    assert run("ingest", "--source", str(source))[0] == 0
    assert "already imported" in run("ingest", "--source", str(source))[2]
    code, out, _ = run("--json", "rank", "--week", "2026-W16")
    assert code == 0 and len(json.loads(out)) == 37
    assert not (tmp_path / "home" / "paperradio.db").exists()


def test_live_weekly_harvests_the_week_from_arxiv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`weekly` without --source against a real local OAI-PMH server: harvest, rank, write, publish."""
    from tests.oai_server import chain, chain_pages, raw_record, serving

    categories = ["cs.CL cs.LG", "cs.CV", "cs.AI cs.LG"]
    records = [raw_record(f"2604.{i:05d}", dates=("Mon, 13 Apr 2026 10:00:00 GMT",), categories=categories[i % 3],
                          authors=f"Student {i} and Lead {i % 7}")
               for i in range(60)]
    with serving(chain(chain_pages([records[:30], records[30:]]))) as server:
        monkeypatch.setenv("PAPERRADIO_ARXIV_OAI_URL", server.url)
        monkeypatch.setenv("PAPERRADIO_OAI_SETS", "cs")
        code, out, err = run("--json", "weekly", "--week", "2026-W16", "--out", str(tmp_path / "site"), "--no-radio")
        assert code == 0, err
        requests = list(server.requests)
    assert requests[0]["verb"] == "ListRecords" and requests[0]["set"] == "cs"
    assert (requests[0]["from"], requests[0]["until"]) == ("2026-04-09", "2026-04-18")
    assert "ingest cs: fetched 60 in 2 pages, new 60" in err
    issue = json.loads((tmp_path / "site" / "2026-W16" / "issue.json").read_text())
    assert len(issue["picks"]) == 37
    assert {p["paper"]["announced"] for p in issue["picks"]} == {"2026-04-14"}
    assert json.loads(out)["week"] == "2026-W16"
