"""The published site in a real headless Chromium, served over HTTP like production."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paperradio.models import Issue
from paperradio.publish import run
from paperradio.publish._view import headline
from paperradio.write import plain_text

from .publish_samples import settings_for, with_audio
from .samples import sample_issue

CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM = Path("/usr/bin/chromium")
NASTY = '<b>Diffusion</b> Transformers & "Scaling": $\\mathcal{L}_{\\text{DiT}}$ for Video — ünïcödé 视频'
SCRIPT_TITLE = "<script>window.pwned = true</script> Attention"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMEDRIVER.exists(), reason="needs chromium-driver at /usr/bin/chromedriver"),
]

LOAD_AUDIO = """
const done = arguments[arguments.length - 1];
const players = Array.from(document.querySelectorAll("audio"));
Promise.all(players.map((audio) => new Promise((resolve) => {
  const report = () => resolve({src: audio.currentSrc, ready: audio.readyState,
                                error: audio.error ? audio.error.code : null, duration: audio.duration});
  if (audio.readyState >= 1) { report(); return; }
  audio.addEventListener("loadedmetadata", report, {once: true});
  audio.addEventListener("error", report, {once: true});
  audio.preload = "metadata";
  audio.load();
}))).then(done);
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def issue() -> Issue:
    base = sample_issue()
    picks = list(base.picks)
    picks[9] = dataclasses.replace(picks[9], paper=dataclasses.replace(picks[9].paper, title=SCRIPT_TITLE))
    return dataclasses.replace(base, picks=tuple(picks))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, issue: Issue) -> Iterator[tuple[str, Issue]]:
    root = tmp_path_factory.mktemp("browser")
    settings = settings_for(root)
    published = with_audio(issue, settings.home)
    run(published, root / "site", settings)
    handler = functools.partial(_QuietHandler, directory=str(root / "site"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", published
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    if CHROMIUM.exists():
        options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", f"--user-data-dir={tmp_path_factory.mktemp('chrome-profile')}"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=webdriver.ChromeService(executable_path=str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(20)
    browser.set_script_timeout(20)
    try:
        yield browser
    finally:
        browser.quit()


def test_issue_page_shows_the_issue(driver: Any, server: tuple[str, Issue]) -> None:
    from selenium.webdriver.common.by import By

    base, issue = server
    driver.get(base + "2026-W16/index.html")
    assert driver.title == headline(issue)
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert len(driver.find_elements(By.CSS_SELECTOR, ".pick")) == 37
    assert len(driver.find_elements(By.CSS_SELECTOR, "article.pick.featured")) == 7
    assert driver.find_element(By.CSS_SELECTOR, "#featured-2 .title").text == plain_text(NASTY)
    assert driver.find_element(By.CSS_SELECTOR, "#nlp-3 a").text == SCRIPT_TITLE
    assert driver.find_elements(By.CSS_SELECTOR, "main b") == []
    assert driver.execute_script("return window.pwned === undefined")


def test_every_audio_player_loads_its_file(driver: Any, server: tuple[str, Issue]) -> None:
    base, _ = server
    driver.get(base + "2026-W16/index.html")
    results = driver.execute_async_script(LOAD_AUDIO)
    assert len(results) == 38
    broken = [r for r in results if r["error"] is not None or r["ready"] < 1]
    assert broken == []
    assert all(r["src"].startswith(base + "2026-W16/audio/en/") for r in results)
    assert all(0 < r["duration"] < 1 for r in results)  # the 0.1 s test files


def test_chapter_links_seek_the_episode_player(driver: Any, server: tuple[str, Issue]) -> None:
    from selenium.webdriver.common.by import By

    base, _ = server
    driver.get(base + "2026-W16/index.html")
    driver.execute_async_script(LOAD_AUDIO)
    driver.find_elements(By.CSS_SELECTOR, "ol.chapters a")[2].click()
    assert driver.current_url == base + "2026-W16/index.html"  # the script handled the click
    position = driver.execute_script("const p = document.getElementById('player'); p.pause(); return p.currentTime")
    assert position == pytest.approx(0.05, abs=0.03)


def test_editions_link_to_each_other_and_to_the_archive(driver: Any, server: tuple[str, Issue]) -> None:
    from selenium.webdriver.common.by import By

    base, _ = server
    driver.get(base + "2026-W16/index.html")
    driver.find_element(By.CSS_SELECTOR, "a.edition").click()
    assert driver.current_url == base + "2026-W16/index.zh.html"
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hans"
    body = driver.find_element(By.TAG_NAME, "body").text
    for heading in ("论文 1:", "作者:", "论文链接:", "摘要:", "推荐:", "本周 10 篇 NLP 精选论文是:",
                    "本周 10 篇 CV 精选论文是:", "本周 10 篇 ML 精选论文是:", "摘要为英文原文"):
        assert heading in body
    driver.find_element(By.CSS_SELECTOR, "a.edition").click()
    assert driver.current_url == base + "2026-W16/index.html"
    driver.find_element(By.ID, "archive-link").click()
    assert driver.current_url == base + "index.html"
    entries = driver.find_elements(By.CSS_SELECTOR, "li.issue")
    assert [e.get_attribute("id") for e in entries] == ["2026-W16"]
