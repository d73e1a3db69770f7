"""The language-model writer and the Chinese edition against a real local chat-completions server.

The server (tests/openai_server.py) answers from each request, deterministically; only time is fake, so
backoff and Retry-After waits cost nothing. Nothing of the client, the parser or the store is mocked.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import Iterator
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperradio import write
from paperradio.cli import cli
from paperradio.config import Settings, load_settings
from paperradio.errors import ConfigError, WriteError
from paperradio.models import Issue, Pick, Writeup
from paperradio.publish import data, markdown, site
from paperradio.publish._view import issue_view
from paperradio.store import Store
from paperradio.write import abstractive, translation
from paperradio.write.abstractive import FALLBACK_METHOD, AbstractiveWriter, fallback
from paperradio.write.chat import FAILURES_IN_A_ROW, ChatClient, json_object
from paperradio.write.clean import plain_text
from tests.openai_server import SLOW_SECONDS, OpenAIServer
from tests.samples import WEEK, sample_issue

KEY = "sk-test-0123456789abcdef"
MODEL = "test-model-7b"


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as s:
        yield s


@pytest.fixture
def settings(tmp_path: Path, server: OpenAIServer) -> Settings:
    return Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path / 'store.db'}", writer="llm",
                    llm_base_url=server.url, llm_model=MODEL, llm_api_key=KEY, http_retries=2, llm_timeout=5.0,
                    figures=False)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    with Store(settings.database_url) as s:
        yield s


def bare_picks(count: int | None = None) -> list[Pick]:
    picks = [dataclasses.replace(p, writeup=None) for p in sample_issue(with_writeups=False).picks]
    return picks[:count] if count is not None else picks


def featured_and_radio() -> list[Pick]:
    picks = bare_picks()
    return [picks[0], next(p for p in picks if p.section == "nlp")]


def write_with(server: OpenAIServer, picks: list[Pick], settings: Settings, store: Store | None) -> list[Writeup]:
    return AbstractiveWriter(connect=server.connect).write(picks, settings, store)


_NUMBER = re.compile(r"\d+(?:\.\d+)?%?")


# -- the write-up ---------------------------------------------------------------------------------------


def test_the_endpoint_writes_featured_and_radiostation_writeups(server: OpenAIServer, settings: Settings,
                                                                 store: Store) -> None:
    featured, radio = featured_and_radio()
    writeups = write_with(server, [featured, radio], settings, store)
    assert [w.method for w in writeups] == ["llm", "llm"]
    assert [p.split(":")[0] for p in writeups[0].paragraphs] == ["The problem", "The idea", "The evidence"]
    assert len(writeups[1].paragraphs) == 1
    abstract = plain_text(featured.paper.abstract)
    assert "7.4%" in writeups[0].paragraphs[2] and "38%" in writeups[0].paragraphs[2]
    assert set(_NUMBER.findall(" ".join(writeups[0].paragraphs))) <= set(_NUMBER.findall(abstract))
    assert writeups[0].headline == "Sparse Mixture-of-Experts Routing for Long-Context Language Models"
    assert writeups[0].line.startswith("We propose SparseRoute")
    # What went over the wire: an OpenAI-style request with the schema, the key only in the header.
    first = server.seen[0]
    assert first.path == "/v1/chat/completions"
    assert first.headers["authorization"] == f"Bearer {KEY}"
    assert KEY not in json.dumps(first.body)
    assert first.body["model"] == MODEL
    assert [m["role"] for m in first.body["messages"]] == ["system", "user"]
    schema = first.body["response_format"]["json_schema"]["schema"]
    assert (schema["properties"]["paragraphs"]["minItems"], schema["properties"]["paragraphs"]["maxItems"]) == (2, 4)
    assert schema["required"] == ["paragraphs", "recommendation", "headline", "line"]
    assert "maxLength" not in json.dumps(schema)  # length limits are checked here: strict servers refuse them
    assert server.seen[1].body["response_format"]["json_schema"]["schema"]["properties"]["paragraphs"][
        "maxItems"] == 1
    assert "Abstract: " + abstract in first.user
    assert server.time.sleeps == []  # no arXiv-style spacing between requests to the model


def test_an_answer_wrapped_in_prose_is_accepted(server: OpenAIServer, settings: Settings) -> None:
    server.script("prose")
    [writeup] = write_with(server, bare_picks(1), settings, None)
    assert writeup.method == "llm"
    assert len(server.seen) == 1
    assert json_object('noise {"a": 1 then {"b": [1, 2]} tail') == {"b": [1, 2]}
    assert json_object("no object [1, 2]") is None


@pytest.mark.parametrize(("mode", "sleeps"), [
    ("429", [7.0, 7.0]),
    ("500", [2.0, 4.0]),
    ("malformed", [2.0, 4.0]),
    ("schema", [2.0, 4.0]),
    ("invented", [2.0, 4.0]),
])
def test_each_failure_is_retried_then_the_paper_falls_back(server: OpenAIServer, settings: Settings,
                                                            store: Store, mode: str, sleeps: list[float],
                                                            caplog: pytest.LogCaptureFixture) -> None:
    server.fail_after(0, mode)
    pick = bare_picks(1)[0]
    [writeup] = write_with(server, [pick], settings, store)
    assert len(server.seen) == 3  # http_retries = 2
    assert server.time.sleeps == sleeps
    assert writeup == fallback(pick.paper, featured=True)
    assert writeup.method == FALLBACK_METHOD == "extractive-fallback"
    assert f"{pick.paper.arxiv_id} falls back to the extractive writer" in caplog.text
    assert store.cache_get(abstractive.NAMESPACE, abstractive.cache_key(MODEL, pick.paper, True)) is None


def test_the_rejection_reason_is_reported(server: OpenAIServer, settings: Settings) -> None:
    server.fail_after(0, "invented")
    with server.connect(settings.replace(http_retries=0)) as chat, pytest.raises(WriteError) as caught:
        chat.ask(abstractive.system_prompt(True), abstractive.paper_prompt(bare_picks(1)[0].paper),
                 schema_name="writeup", schema=abstractive.writeup_schema(True),
                 check=lambda answer: abstractive.invented_numbers(answer, bare_picks(1)[0].paper))
    assert "numbers not in the abstract: 99.9" in str(caught.value)


def test_a_slow_answer_times_out_and_is_retried(server: OpenAIServer, settings: Settings) -> None:
    server.script("slow")
    [writeup] = write_with(server, bare_picks(1), settings.replace(llm_timeout=SLOW_SECONDS / 4), None)
    assert writeup.method == "llm"
    assert len(server.seen) == 2
    assert server.time.sleeps == [2.0]


def test_a_slow_server_ends_in_the_fallback(server: OpenAIServer, settings: Settings) -> None:
    server.fail_after(0, "slow")
    pick = bare_picks(1)[0]
    [writeup] = write_with(server, [pick], settings.replace(llm_timeout=SLOW_SECONDS / 4, http_retries=1), None)
    assert writeup.method == FALLBACK_METHOD
    assert len(server.seen) == 2


def test_a_transient_429_is_waited_out_and_answered(server: OpenAIServer, settings: Settings) -> None:
    server.script("429", "500")
    [writeup] = write_with(server, bare_picks(1), settings, None)
    assert writeup.method == "llm"
    assert server.time.sleeps == [7.0, 4.0]


def test_a_dead_endpoint_is_given_up_after_a_few_papers(server: OpenAIServer, settings: Settings) -> None:
    server.fail_after(0, "500")
    writeups = write_with(server, bare_picks(6), settings.replace(http_retries=0), None)
    assert [w.method for w in writeups] == [FALLBACK_METHOD] * 6
    assert len(server.seen) == FAILURES_IN_A_ROW


def test_writer_llm_without_an_endpoint_is_a_config_error(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, database_url="sqlite://", writer="llm")
    with pytest.raises(ConfigError, match=r"needs an endpoint: set llm_base_url"):
        write.run(bare_picks(1), settings)
    with pytest.raises(ConfigError, match=r"llm_model is empty"):
        write.run(bare_picks(1), settings.replace(llm_base_url="http://127.0.0.1:9/v1"))


# -- cache and checkpoints ------------------------------------------------------------------------------


def test_a_run_that_fails_midway_keeps_its_answers_and_the_rerun_asks_only_for_the_rest(
        server: OpenAIServer, settings: Settings, store: Store) -> None:
    picks = bare_picks(12)
    server.fail_after(5, "500")
    first = write_with(server, picks, settings.replace(http_retries=0), store)
    assert [w.method for w in first] == ["llm"] * 5 + [FALLBACK_METHOD] * 7
    assert len(server.seen) == 5 + FAILURES_IN_A_ROW
    server.heal()
    server.seen.clear()
    second = write_with(server, picks, settings, store)
    assert [w.method for w in second] == ["llm"] * 12
    assert second[:5] == first[:5]
    asked = [s.user for s in server.seen]
    assert len(asked) == 7
    assert all(plain_text(p.paper.abstract) in text for p, text in zip(picks[5:], asked, strict=True))
    server.seen.clear()
    assert write_with(server, picks, settings, store) == second
    assert server.seen == []


def test_the_cache_key_holds_the_model_and_the_prompt_version(server: OpenAIServer, settings: Settings,
                                                               store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    picks = bare_picks(2)
    write_with(server, picks, settings, store)
    write_with(server, picks, settings, store)
    assert len(server.seen) == 2
    write_with(server, picks, settings.replace(llm_model="another-model"), store)
    assert len(server.seen) == 4
    assert server.seen[-1].body["model"] == "another-model"
    monkeypatch.setattr(abstractive, "PROMPT_VERSION", "writeup-next")
    write_with(server, picks, settings, store)
    assert len(server.seen) == 6
    key = json.loads(abstractive.cache_key(MODEL, picks[0].paper, True))
    assert key == [MODEL, picks[0].paper.arxiv_id, 1, "featured", "writeup-next", "en"]


# -- the command line: estimate, secrets -------------------------------------------------------------------


def ranked_store(settings: Settings) -> None:
    issue = sample_issue(with_writeups=False)
    with Store(settings.database_url) as s:
        papers = [p.paper for p in issue.picks]
        s.add_papers(papers, source="test", lines_done=len(papers), completed=True)
        s.save_picks(WEEK, issue.picks, pool_size=issue.pool_size)


def env_for(settings: Settings, **extra: str) -> dict[str, str]:
    env = {"PAPERRADIO_HOME": str(settings.home), "PAPERRADIO_DATABASE_URL": settings.database_url,
           "PAPERRADIO_WRITER": "llm", "PAPERRADIO_LLM_BASE_URL": settings.llm_base_url,
           "PAPERRADIO_LLM_MODEL": MODEL, "PAPERRADIO_LLM_API_KEY": KEY, "PAPERRADIO_HTTP_RETRIES": "0"}
    return {**env, **extra}


def test_estimate_counts_tokens_and_cost_without_calling_the_endpoint(server: OpenAIServer,
                                                                       settings: Settings) -> None:
    ranked_store(settings)
    env = env_for(settings, PAPERRADIO_LLM_PRICE_INPUT="0.5", PAPERRADIO_LLM_PRICE_OUTPUT="1.5")
    runner = CliRunner()
    result = runner.invoke(cli, ["--json", "write", "--week", str(WEEK), "--estimate"], env=env)
    assert result.exit_code == 0, result.output
    assert server.seen == []
    found = json.loads(result.stdout)
    assert (found["writeups"], found["translations"], found["cached"]) == (37, 37, 0)
    picks = bare_picks()
    prompt = sum(-(-len(abstractive.system_prompt(p.section == "featured")) // 4)
                 + -(-len(abstractive.paper_prompt(p.paper)) // 4) for p in picks)
    # Translations of write-ups not written yet count at a typical length (1400 / 450 characters).
    prompt += 37 * -(-len(translation.SYSTEM) // 4) + 7 * 350 + 30 * 113
    assert found["prompt_tokens"] == prompt
    assert found["answer_tokens"] == 7 * 350 + 30 * 112 + round(7 * 1400 * 0.5 + 30 * 450 * 0.5)
    assert found["cost"] == pytest.approx((prompt * 0.5 + found["answer_tokens"] * 1.5) / 1e6, abs=1e-6)
    text = runner.invoke(cli, ["write", "--week", str(WEEK), "--estimate"], env=env)
    assert text.stdout.startswith(f"37 write-ups and 37 translations to request from {MODEL} at {server.url}")
    # After a run everything is cached: a re-run would cost nothing.
    assert runner.invoke(cli, ["write", "--week", str(WEEK)], env=env).exit_code == 0
    assert len(server.seen) == 74
    again = json.loads(runner.invoke(cli, ["--json", "write", "--week", str(WEEK), "--estimate"], env=env).stdout)
    assert (again["writeups"], again["translations"], again["cached"], again["cost"]) == (0, 0, 74, 0)
    assert len(server.seen) == 74


def test_the_key_never_reaches_logs_output_or_errors(server: OpenAIServer, settings: Settings,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    ranked_store(settings)
    server.fail_after(3, "echo-key")
    caplog.set_level(logging.DEBUG)
    result = CliRunner().invoke(cli, ["-vv", "--json", "write", "--week", str(WEEK)], env=env_for(settings))
    assert result.exit_code == 0, result.output
    assert any(s.kind == "writeup" and s.headers.get("authorization") == f"Bearer {KEY}" for s in server.seen)
    assert "answered HTTP 401" in caplog.text
    assert "Incorrect API key provided: Bearer ***" in caplog.text
    assert KEY not in caplog.text
    assert KEY not in result.output
    assert KEY not in repr(load_settings(env=env_for(settings)))
    with server.connect(settings) as chat, pytest.raises(WriteError) as caught:
        chat.ask("system", "user", schema_name="writeup", schema={"type": "object"})
    assert KEY not in str(caught.value)


# -- the Chinese edition --------------------------------------------------------------------------------


def written_issue(picks: list[Pick]) -> Issue:
    return dataclasses.replace(sample_issue(), picks=tuple(picks))


def test_the_chinese_edition_prints_the_translations_with_the_classic_headings(
        server: OpenAIServer, settings: Settings, store: Store) -> None:
    picks = write.run(bare_picks(), settings, cache=store)
    assert server.kinds() == ["writeup"] * 37 + ["translation"] * 37
    assert all(p.translations["zh"].language == "zh" for p in picks)
    store.add_papers([p.paper for p in picks], source="test", lines_done=37, completed=True)
    store.save_picks(WEEK, picks, pool_size=1654)
    store.save_writeups(picks)
    loaded = store.load_issue(WEEK)
    assert loaded is not None
    assert [p.translations for p in loaded.picks] == [p.translations for p in picks]
    assert Issue.from_dict(loaded.to_dict()) == loaded
    first = loaded.picks[0]
    zh = first.translations["zh"]
    assert first.writeup is not None
    assert zh.paragraphs[0].startswith("【译】问题: ")
    assert "7.4%" in zh.paragraphs[2] and "SparseRoute" in zh.paragraphs[1]
    assert zh.headline == first.writeup.headline  # the issue title stays in English, like the paper titles

    page = markdown.render(issue_view(loaded, "zh", ["en", "zh"], with_audio=False))
    for heading in ("### 论文 1: ", "**作者:** ", "**论文链接:** ", "**摘要:** ", "**推荐:** ",
                    "### 本周 10 篇 NLP 精选论文是:"):
        assert heading in page
    assert f"**摘要:** {markdown.escape(zh.paragraphs[0])}" in page
    assert f"**推荐:** {markdown.escape(zh.recommendation)}" in page
    assert "未配置翻译服务" not in page
    # Titles, names and credits are assembled from the paper, never from the translation.
    for pick in loaded.picks:
        assert markdown.escape(plain_text(pick.paper.title)) in page
    assert f"**作者:** {markdown.escape('José M. Álvarez Jr., Wei Zhang, Author 0')} 等" in page
    assert "(from Yann LeCun)" in page
    html = site.render_issue(loaded, "zh", ["en", "zh"], with_audio=False)
    assert '<div class="summary" lang="zh">' in html and "未配置翻译服务" not in html
    assert f"{escape(zh.paragraphs[1])}</p>" in html
    assert f'<span class="title" lang="en">{escape(plain_text(first.paper.title))}</span>' in html
    english = markdown.render(issue_view(loaded, "en", ["en", "zh"], with_audio=False))
    assert "【译】" not in english
    assert markdown.escape(first.writeup.paragraphs[0]) in english
    assert data.issue_data(loaded)["picks"][0]["translations"]["zh"]["paragraphs"] == list(zh.paragraphs)

    # The translation request carried only the writer's text, and said what to keep.
    request = next(s for s in server.seen if s.kind == "translation")
    assert set(json.loads(request.user)) == {"paragraphs", "recommendation", "line"}
    assert "paper titles" in request.body["messages"][0]["content"]
    server.seen.clear()
    assert write.run(bare_picks(), settings, cache=store) == picks
    assert server.seen == []
    # Written again without an endpoint: the old translations go with the old write-ups.
    store.save_writeups(write.run(bare_picks(), Settings(home=settings.home, database_url=settings.database_url,
                                                              figures=False)))
    reloaded = store.load_issue(WEEK)
    assert reloaded is not None and all(p.translations == {} for p in reloaded.picks)


def test_without_an_endpoint_the_chinese_edition_keeps_english_summaries_with_a_note(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, database_url="sqlite://", figures=False)
    picks = write.run(bare_picks(), settings)
    assert all(p.translations == {} for p in picks)
    page = markdown.render(issue_view(written_issue(picks), "zh", ["en", "zh"], with_audio=False))
    assert "> 摘要为英文原文：未配置翻译服务。" in page
    assert "### 论文 1: " in page and "**推荐:** " in page
    assert picks[0].writeup is not None
    assert f"**摘要:** {markdown.escape(picks[0].writeup.paragraphs[0])}" in page


def test_a_failed_translation_leaves_that_pick_in_english(server: OpenAIServer, settings: Settings) -> None:
    picks = write.run(bare_picks(7), settings.replace(writer="extractive", editions=("en",)))
    server.script("ok", "500")
    translated = write.translate(picks, settings.replace(http_retries=0), connect=server.connect)
    assert [("zh" in p.translations) for p in translated] == [True, False, True, True, True, True, True]
    page = markdown.render(issue_view(written_issue(translated), "zh", ["en", "zh"], with_audio=False))
    assert "> 部分摘要为英文原文：翻译未成功。" in page
    assert translated[0].translations["zh"].method == "extractive"


def test_a_fallback_is_marked_in_the_markdown_and_the_data(server: OpenAIServer, settings: Settings) -> None:
    server.script("500")
    picks = write.run(bare_picks(7), settings.replace(editions=("en",), http_retries=0))
    assert [p.writeup.method for p in picks if p.writeup] == [FALLBACK_METHOD] + ["llm"] * 6
    issue = written_issue(picks)
    page = markdown.render(issue_view(issue, "en", ["en"], with_audio=False))
    assert page.count("*Summary drafted from the abstract's own sentences: the language model failed") == 1
    html = site.render_issue(issue, "zh", ["en", "zh"], with_audio=False)
    assert html.count('<p class="fallback" lang="zh-Hans">本文摘要摘自论文摘要原句：语言模型处理失败。</p>') == 1
    assert data.issue_data(issue)["picks"][0]["writeup"]["method"] == FALLBACK_METHOD


def test_the_chat_client_refuses_to_start_without_a_model(settings: Settings) -> None:
    with pytest.raises(ConfigError):
        ChatClient(settings.replace(llm_model=""))
