"""The email edition: real MIME files parsed back with the standard parser, absolute links only, escaped text,
and delivery to a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import socket
import threading
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword

from paperradio.config import Settings
from paperradio.errors import ConfigError, PublishError
from paperradio.models import Issue
from paperradio.publish import run
from paperradio.publish._view import headline
from paperradio.publish.mail import send

from .publish_samples import SITE_URL, settings_for, with_audio
from .samples import sample_issue
from .test_cli import run as cli
from .test_cli import snapshot
from .test_publish_browser import CHROMEDRIVER, _QuietHandler
from .test_publish_browser import driver as chromium  # noqa: F401 (the headless browser, as a fixture here)
from .test_publish_figures import with_figure
from .test_publish_html import Page

HOSTILE = "<script>window.pwned = true</script> Tom & Jerry's Routing for k < 5"
RECIPIENTS = ("alice@example.org", "bob@example.net")


def hostile(issue: Issue) -> Issue:
    """The issue with HTML-special characters in its first featured title."""
    first = issue.section("featured")[0]
    paper = dataclasses.replace(first.paper, title=HOSTILE)
    picks = tuple(dataclasses.replace(p, paper=paper) if p is first else p for p in issue.picks)
    return dataclasses.replace(issue, picks=picks)


def parse(path: Path) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(message, EmailMessage)
    return message


def parts(message: EmailMessage) -> tuple[str, str]:
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert isinstance(plain, EmailMessage) and isinstance(html, EmailMessage)
    return plain.get_content(), html.get_content()


@pytest.fixture
def published(tmp_path: Path) -> tuple[Issue, Settings, Path]:
    settings = settings_for(tmp_path, email_to=RECIPIENTS)
    issue, _ = with_figure(hostile(with_audio(sample_issue(), settings.home)), settings.home)
    files = run(issue, tmp_path / "site", settings)
    folder = tmp_path / "site" / "2026-W16"
    assert folder / "issue.en.eml" in files and folder / "issue.zh.eml" in files
    return issue, settings, folder


def test_each_edition_is_a_multipart_alternative_message(published: tuple[Issue, Settings, Path]) -> None:
    issue, _, folder = published
    title = headline(issue)
    for language, subject, content_language in (
        ("en", f"paperradio weekly 2026-W16: {title}", "en"),
        ("zh", f"paperradio weekly 2026-W16 期：{title}", "zh-Hans"),
    ):
        raw = (folder / f"issue.{language}.eml").read_bytes()
        assert raw.isascii()  # 7-bit clean: encoded words in headers, quoted-printable bodies
        message = parse(folder / f"issue.{language}.eml")
        assert message.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
        assert all(p.get_content_charset() == "utf-8" for p in message.iter_parts())
        assert message["Subject"] == subject
        assert message["From"] == "paperradio weekly <paperradio@example.org>"
        assert message["To"].addresses[1].addr_spec == "bob@example.net"
        assert message["Date"].datetime.date().isoformat() == "2026-04-17"
        assert message["Message-ID"] == f"<paperradio.2026-W16.{language}@radio.example.org>"
        assert message["Content-Language"] == content_language
        assert message["List-Unsubscribe"] == "<mailto:paperradio@example.org?subject=unsubscribe>"
    text, html = parts(parse(folder / "issue.zh.eml"))
    assert "论文 1:" in text and "论文链接: https://arxiv.org/abs/2604.10000" in text
    assert "本周精选论文" in Page(html).text


def test_every_link_and_image_in_the_html_part_is_absolute(published: tuple[Issue, Settings, Path]) -> None:
    issue, _, folder = published
    paper_urls = {p.paper.url for p in issue.picks}
    for language in ("en", "zh"):
        text, html = parts(parse(folder / f"issue.{language}.eml"))
        page = Page(html)
        hrefs = [a["href"] for a in page.all("a")]
        assert len(hrefs) > len(issue.picks)
        for href in hrefs:
            assert href is not None and (href.startswith(SITE_URL) or href in paper_urls), href
            if href.startswith(SITE_URL):  # and it points at a published file
                assert (folder.parent / unquote(href.removeprefix(SITE_URL))).is_file(), href
        assert {h for h in hrefs if h in paper_urls} == paper_urls
        web = f"{SITE_URL}2026-W16/{'index.html' if language == 'en' else 'index.zh.html'}"
        assert web in hrefs and web in text
        assert f"{SITE_URL}feed.xml" in hrefs and f"{SITE_URL}feed.xml" in text
        [image] = page.all("img")
        assert image["src"] == f"{SITE_URL}2026-W16/figures/2604.10000.png"
        assert image["alt"] and image["alt"].startswith("Figure 2: Overview of SparseRoute when k < 5 & n > 3")
        assert (folder / "figures" / "2604.10000.png").is_file()
        # made for mail clients: no script, no stylesheet, no <style> block (clients drop it); inline styles
        assert not page.all("script") and not page.all("link") and not page.all("style")
        assert "<script" not in html.lower() and "stylesheet" not in html
        assert page.all("table") and all(t == "a" or "style" in a for t, a in page.with_class("listen"))


def test_each_picks_mp3_is_linked_in_both_parts(published: tuple[Issue, Settings, Path]) -> None:
    issue, _, folder = published
    text, html = parts(parse(folder / "issue.en.eml"))
    listen = {a["href"]: a for a in Page(html).all("a", **{"class": "listen"})}
    for pick in issue.picks:
        mp3 = f"{SITE_URL}2026-W16/audio/{pick.audio['en'].path}"
        assert (folder / "audio" / pick.audio["en"].path).is_file()
        assert f"▶ Listen (0:42): {mp3}" in text
        assert mp3 in listen
        if pick.section != "featured":  # a Radiostation pick says what it does in one sentence
            assert pick.writeup is not None and f"   {pick.writeup.line}\r\n" in text
            assert pick.writeup.line in Page(html).text
    episode = f"{SITE_URL}2026-W16/audio/en/episode.mp3"
    assert f"▶ Listen (12:34): {episode}" in text and episode in listen
    assert "▶ Listen (0:42)" in Page(html).text
    # The Chinese edition has no Chinese audio in this issue: no dead links
    zh_text, zh_html = parts(parse(folder / "issue.zh.eml"))
    assert ".mp3" not in zh_text and ".mp3" not in zh_html


def test_html_special_characters_in_titles_are_escaped(published: tuple[Issue, Settings, Path]) -> None:
    _, _, folder = published
    text, html = parts(parse(folder / "issue.en.eml"))
    assert "&lt;script&gt;window.pwned = true&lt;/script&gt; Tom &amp; Jerry&#39;s Routing for k &lt; 5" in html
    page = Page(html)
    assert HOSTILE in page.text and not page.all("script")
    assert f"1. {HOSTILE}" in text  # plain text is shown as it is


def test_publishing_twice_writes_the_same_bytes(published: tuple[Issue, Settings, Path], tmp_path: Path) -> None:
    issue, settings, folder = published
    before = (folder / "issue.zh.eml").read_bytes()
    run(issue, tmp_path / "site", settings)
    assert (folder / "issue.zh.eml").read_bytes() == before


class Recorder:
    """An aiosmtpd handler that keeps every envelope it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:  # aiosmtpd calls it by this name
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


PASSWORD = "s3cret-pa55"


def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"editor", PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server() -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, authenticator=authenticate,
                            auth_require_tls=False)
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()


def test_send_delivers_each_edition_to_the_envelope_recipients(
    published: tuple[Issue, Settings, Path], smtp_server: tuple[Recorder, int]
) -> None:
    _, settings, folder = published
    recorder, port = smtp_server
    settings = settings.replace(smtp_url=f"smtp+plain://editor@127.0.0.1:{port}", smtp_password=PASSWORD,
                                email_editions=("en", "zh"))
    written_bytes = [(folder / f"issue.{lang}.eml").read_bytes() for lang in ("en", "zh")]
    sent = send(folder, settings)
    assert sent == [folder / "issue.en.eml", folder / "issue.zh.eml"]
    assert [e.rcpt_tos for e in recorder.envelopes] == [list(RECIPIENTS)] * 2
    assert {e.mail_from for e in recorder.envelopes} == {"paperradio@example.org"}
    for envelope, path in zip(recorder.envelopes, sent, strict=True):
        assert isinstance(envelope.original_content, bytes)
        received = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        written = parse(path)
        assert received["Subject"] == written["Subject"]
        assert parts(received) == parts(written)
        # sent now, as a new message: not the issue's fixed date and id
        assert received["Date"].datetime.year >= 2026 and received["Date"] != written["Date"]
        assert received["Message-ID"] != written["Message-ID"]
    assert [p.read_bytes() for p in sent] == written_bytes  # the files stay as published


def test_a_wrong_password_is_one_line_without_the_password(
    published: tuple[Issue, Settings, Path], smtp_server: tuple[Recorder, int]
) -> None:
    _, settings, folder = published
    recorder, port = smtp_server
    settings = settings.replace(smtp_url=f"smtp+plain://editor@127.0.0.1:{port}", smtp_password="wrong-one")
    with pytest.raises(PublishError, match=rf"via 127\.0\.0\.1:{port}: 535 .*[Aa]uthentication") as error:
        send(folder, settings)
    assert "wrong-one" not in str(error.value) and "\n" not in str(error.value)
    assert "wrong-one" not in repr(settings)
    assert not recorder.envelopes


def test_smtp_scheme_insists_on_starttls(
    published: tuple[Issue, Settings, Path], smtp_server: tuple[Recorder, int]
) -> None:
    _, settings, folder = published
    recorder, port = smtp_server
    settings = settings.replace(smtp_url=f"smtp://editor@127.0.0.1:{port}", smtp_password=PASSWORD)
    with pytest.raises(PublishError, match="the server offers no STARTTLS; use smtps://"):
        send(folder, settings)
    assert not recorder.envelopes


def test_a_dead_port_is_a_clear_error(published: tuple[Issue, Settings, Path]) -> None:
    _, settings, folder = published
    port = free_port()
    settings = settings.replace(smtp_url=f"smtp+plain://127.0.0.1:{port}")
    with pytest.raises(PublishError, match=rf"^cannot send the email edition via 127\.0\.0\.1:{port}: "
                       "Connection refused$"):
        send(folder, settings, timeout=5)


@pytest.mark.parametrize(("changes", "message"), [
    ({"smtp_url": ""}, "needs the settings smtp_url, email_to and email_editions"),
    ({"email_to": ()}, "needs the settings smtp_url, email_to and email_editions"),
    ({"smtp_url": "http://mail.example.org"}, "cannot use 'http://mail.example.org'; write smtp://user@host:587"),
    ({"smtp_url": "smtps://me:hunter2@mail.example.org"}, "keep the password out of the URL"),
    ({"smtp_url": "smtps://me@mail.example.org"}, "names the user 'me'; set \\$PAPERRADIO_SMTP_PASSWORD"),
])
def test_sending_settings_are_checked(published: tuple[Issue, Settings, Path], changes: dict[str, Any],
                                      message: str) -> None:
    _, settings, folder = published
    settings = settings.replace(**{"smtp_url": "smtp+plain://127.0.0.1:25", **changes})
    with pytest.raises(ConfigError, match=message) as error:
        send(folder, settings)
    assert "hunter2" not in str(error.value)


def test_publish_send_email_from_the_cli(tmp_path: Path, smtp_server: tuple[Recorder, int],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    recorder, port = smtp_server
    monkeypatch.setenv("PAPERRADIO_RADIO", "false")
    monkeypatch.setenv("PAPERRADIO_SITE_URL", SITE_URL)
    monkeypatch.setenv("PAPERRADIO_EMAIL_TO", "alice@example.org")
    monkeypatch.setenv("PAPERRADIO_SMTP_URL", f"smtp+plain://editor@127.0.0.1:{port}")
    monkeypatch.setenv("PAPERRADIO_SMTP_PASSWORD", PASSWORD)
    for stage in (["ingest", "--source", str(snapshot(tmp_path))], ["rank", "--week", "2026-W16"],
                  ["write", "--week", "2026-W16"]):
        assert cli(*stage)[0] == 0
    site = tmp_path / "site"
    code, _, err = cli("publish", "--week", "2026-W16", "--out", str(site), "--send-email")
    assert code == 0, err
    assert "email: sent issue.en.eml to 1 recipients" in err and PASSWORD not in err
    [envelope] = recorder.envelopes
    assert envelope.rcpt_tos == ["alice@example.org"]

    monkeypatch.setenv("PAPERRADIO_SMTP_URL", f"smtp+plain://editor@127.0.0.1:{free_port()}")
    code, _, err = cli("publish", "--week", "2026-W16", "--out", str(site), "--send-email")
    assert code == 1
    assert "cannot send the email edition via 127.0.0.1:" in err.strip().splitlines()[-1]
    assert "Traceback" not in err and PASSWORD not in err
    assert (site / "2026-W16" / "issue.en.eml").is_file() and (site / "2026-W16" / "issue.zh.eml").is_file()
    assert cli("publish", "--week", "2026-W16", "--out", str(site))[0] == 0  # not sent unless asked
    assert len(recorder.envelopes) == 1


@pytest.mark.slow
@pytest.mark.skipif(not CHROMEDRIVER.exists(), reason="needs chromium-driver at /usr/bin/chromedriver")
def test_the_html_part_renders_in_chromium_with_its_images_from_the_site(request: pytest.FixtureRequest,
                                                                          tmp_path: Path) -> None:
    """Served like production: site_url is a local server, the HTML part is opened from disk like a mail client."""
    browser = request.getfixturevalue("chromium")
    site = tmp_path / "site"
    site.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            base = f"http://127.0.0.1:{httpd.server_address[1]}/"
            settings = settings_for(tmp_path, site_url=base)
            issue, _ = with_figure(hostile(with_audio(sample_issue(), settings.home)), settings.home)
            run(issue, site, settings)
            _, html = parts(parse(site / "2026-W16" / "issue.en.eml"))
            page = tmp_path / "mail.html"
            page.write_text(html, encoding="utf-8")
            browser.set_window_size(420, 900)  # a phone-sized mail client
            browser.get(page.as_uri())
            assert browser.execute_script("return window.pwned === undefined && document.scripts.length === 0")
            image = browser.execute_script("""
                const img = document.querySelector("img");
                return {natural: img.complete ? img.naturalWidth : -1, shown: img.getBoundingClientRect().width,
                        page: document.documentElement.scrollWidth};""")
            assert image["natural"] > 400  # the real PNG, loaded from the site over HTTP
            assert 0 < image["shown"] <= 420 and image["page"] <= 420  # shrinks to the window, no sideways scroll
            titles = browser.execute_script('return Array.from(document.querySelectorAll("h3 a"), a => a.textContent)')
            assert HOSTILE in titles
        finally:
            httpd.shutdown()
            thread.join(timeout=5)


def test_weekly_checks_the_mail_settings_before_any_work(tmp_path: Path) -> None:
    code, _, err = cli("weekly", "--source", str(snapshot(tmp_path)), "--week", "2026-W16",
                       "--out", str(tmp_path / "site"), "--send-email")
    assert code == 1
    assert err.strip() == "Error: sending the email edition needs the settings smtp_url, email_to and email_editions"
    assert not (tmp_path / "site" / "2026-W16").exists()
