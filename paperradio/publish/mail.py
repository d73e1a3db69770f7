"""issue.<lang>.eml: the email edition, an RFC 5322 message per edition, and optional sending over SMTP.

Each message is multipart/alternative: a plain-text part and an HTML part made for mail clients (tables,
inline styles, no script, no stylesheet link), both from the same :class:`~._view.IssueView` as the web
page. Mail is read away from the site, so every link and image points at an absolute URL under
``site_url``. The file is deterministic (fixed Date, Message-ID and MIME boundary) so publishing twice
changes nothing; :func:`send` stamps a fresh Date and Message-ID on what it sends.
"""

from __future__ import annotations

import dataclasses
import hashlib
import smtplib
import ssl
from collections.abc import Sequence
from datetime import UTC, datetime, time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urljoin, urlsplit

from ..config import Settings
from ..errors import ConfigError, PublishError
from ..models import Issue
from ._view import AudioView, IssueView, PickView, issue_view
from .podcast import FEED, base_url
from .publisher import Publication
from .site import _environment, page_name

SMTP_SCHEMES = {"smtp": 587, "smtps": 465, "smtp+plain": 25}
"""URL scheme of ``smtp_url`` and its default port: STARTTLS, TLS from the start, or no TLS at all."""


def file_name(language: str) -> str:
    return f"issue.{language}.eml"


@dataclasses.dataclass(frozen=True)
class MailLinks:
    """The absolute URLs a message links to besides its picks."""

    web: str
    archive: str
    feed: str
    editions: tuple[tuple[str, str], ...]
    """(edition name, web page) of the other editions."""


def _absolute_audio(audio: AudioView, folder: str) -> AudioView:
    return dataclasses.replace(audio, href=urljoin(folder, audio.href))


def _absolute_pick(pick: PickView, folder: str) -> PickView:
    audio = pick.audio and _absolute_audio(pick.audio, folder)
    figure = pick.figure and dataclasses.replace(pick.figure, href=urljoin(folder, pick.figure.href))
    return dataclasses.replace(pick, audio=audio, figure=figure)


def absolute_view(view: IssueView, folder: str) -> IssueView:
    """The view with its audio and figure links made absolute against the issue folder's URL."""
    episode = view.episode and dataclasses.replace(view.episode, audio=_absolute_audio(view.episode.audio, folder))
    sections = tuple(
        dataclasses.replace(s, picks=tuple(_absolute_pick(p, folder) for p in s.picks)) for s in view.sections
    )
    return dataclasses.replace(
        view,
        featured=tuple(_absolute_pick(p, folder) for p in view.featured),
        sections=sections,
        episode=episode,
    )


def _listen(audio: AudioView, label: str) -> str:
    return f"▶ {label} ({audio.clock}): {audio.href}"


def render_text(view: IssueView, links: MailLinks) -> str:
    """The plain-text part: what a mail client without HTML shows, every link spelled out."""
    s = view.strings
    lines = [view.headline, " · ".join(part for part in (view.dates, view.pool) if part), links.web, ""]
    if view.notice:
        lines += [view.notice, ""]
    if view.episode:
        lines += [s.episode, _listen(view.episode.audio, s.listen)]
        lines += [f"  {c.clock} {c.title}" for c in view.episode.chapters]
        lines += [""]
    if view.featured:
        lines += [f"== {s.featured} ==", ""]
    for pick in view.featured:
        lines += [f"{s.paper.format(n=pick.number)} {pick.title}", f"{s.authors} {pick.authors}"]
        if pick.affiliations:
            lines += [f"{s.affiliations} {pick.affiliations}"]
        lines += [f"{s.link} {pick.url}", ""]
        lines += [f"{s.summary} {p}" if s.summary and i == 0 else p for i, p in enumerate(pick.paragraphs)]
        if pick.fallback:
            lines += [s.fallback]
        if pick.figure:
            lines += [f"{pick.figure.caption} {pick.figure.href}"]
        if pick.recommendation:
            lines += [f"{s.recommendation} {pick.recommendation}"]
        lines += [pick.credit, *([_listen(pick.audio, s.listen)] if pick.audio else []), ""]
    if view.sections:
        lines += [f"== {s.radiostation} ==", ""]
    for section in view.sections:
        lines += [section.heading, ""]
        for pick in section.picks:
            lines += [f"{pick.number}. {pick.title}{pick.stop} {pick.credit}"]
            lines += [f"   {pick.line}"] if pick.line else []
            lines += [f"   {pick.url}"]
            if pick.audio:
                lines += [f"   {_listen(pick.audio, s.listen)}"]
        lines += [""]
    lines += [*(f"{name}: {href}" for name, href in links.editions)]
    lines += [f"{s.feed}: {links.feed}", f"{s.archive}: {links.archive}"]
    # Paragraphs stay on one line each: mail clients wrap them, and quoted-printable keeps lines short.
    return "\n".join(lines).rstrip("\n") + "\n"


def render_html(view: IssueView, links: MailLinks) -> str:
    return _environment().get_template("email.html").render(view=view, s=view.strings, links=links)


def _host(settings: Settings) -> str:
    return urlsplit(base_url(settings)).hostname or "localhost"


def build_message(issue: Issue, language: str, settings: Settings, editions: Sequence[str],
                  with_audio: bool) -> EmailMessage:
    """The email edition of ``issue`` in ``language``, with absolute links under ``settings.site_url``."""
    base = base_url(settings)
    folder = urljoin(base, f"{issue.week}/")
    view = absolute_view(issue_view(issue, language, editions, with_audio), folder)
    links = MailLinks(
        web=urljoin(folder, page_name(language)),
        archive=urljoin(base, "index.html"),
        feed=urljoin(base, FEED),
        editions=tuple((o.edition_name, urljoin(folder, page_name(o.language))) for o in view.others),
    )
    text, html = render_text(view, links), render_html(view, links)
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = view.strings.email_subject.format(title=settings.podcast_title, week=view.week,
                                                           headline=view.headline)
    message["From"] = formataddr((settings.podcast_title, settings.contact_email))
    if settings.email_to:
        message["To"] = ", ".join(settings.email_to)
    # The issue's date (Friday of its week) keeps the file stable across runs; send() stamps the real one.
    message["Date"] = format_datetime(datetime.combine(issue.week.friday, time(12), UTC))
    message["Message-ID"] = f"<paperradio.{issue.week}.{language}@{_host(settings)}>"
    message["List-Unsubscribe"] = f"<mailto:{settings.contact_email}?subject=unsubscribe>"
    message.set_content(text, cte="quoted-printable")
    message.add_alternative(html, subtype="html", cte="quoted-printable")
    message["Content-Language"] = view.strings.html_lang  # after the content: set_content clears Content-*
    # A boundary derived from the content instead of a random one: same issue, same bytes.
    message.set_boundary("=_paperradio_" + hashlib.sha256((text + html).encode()).hexdigest()[:32])
    return message


def publish(publication: Publication) -> None:
    for language in publication.editions:
        message = build_message(publication.issue, language, publication.settings, publication.editions,
                                publication.with_audio)
        publication.out.write_bytes(f"{publication.issue_dir()}/{file_name(language)}", bytes(message))


class SmtpServer(NamedTuple):
    scheme: str
    host: str
    port: int
    user: str


def smtp_server(url: str) -> SmtpServer:
    """Parse ``smtp_url``; ``ConfigError`` for an unknown scheme or a password written into the URL."""
    parts = urlsplit(url)
    if parts.scheme not in SMTP_SCHEMES or not parts.hostname:
        raise ConfigError(f"setting smtp_url: cannot use {url.split('@')[-1]!r}; write smtp://user@host:587 "
                          "(STARTTLS), smtps://user@host:465 (TLS) or smtp+plain://host:25 (no TLS)")
    if parts.password is not None:
        raise ConfigError("setting smtp_url: keep the password out of the URL; set $PAPERRADIO_SMTP_PASSWORD")
    try:
        port = parts.port or SMTP_SCHEMES[parts.scheme]
    except ValueError:
        raise ConfigError(f"setting smtp_url: bad port in {parts.hostname}") from None
    return SmtpServer(parts.scheme, parts.hostname, port, unquote(parts.username or ""))


def check_sending(settings: Settings) -> SmtpServer:
    """The mail server to send through, or ``ConfigError`` saying which setting is missing or wrong."""
    if not settings.smtp_url or not settings.email_to or not settings.email_editions:
        raise ConfigError("sending the email edition needs the settings smtp_url, email_to and email_editions")
    server = smtp_server(settings.smtp_url)
    if server.user and not settings.smtp_password:
        raise ConfigError(f"smtp_url names the user {server.user!r}; set $PAPERRADIO_SMTP_PASSWORD")
    return server


def send(folder: Path, settings: Settings, timeout: float = 30.0) -> list[Path]:
    """Send the .eml files of ``settings.email_editions`` written in the issue ``folder`` to
    ``settings.email_to`` through ``settings.smtp_url``; return the files sent.

    Raises ``ConfigError`` when sending is not configured and ``PublishError`` (one line, no password)
    when a file is missing or the server cannot be reached, refuses TLS or login, or rejects a recipient.
    """
    server = check_sending(settings)
    paths = [folder / file_name(language) for language in dict.fromkeys(settings.email_editions)]
    messages = []
    for path in paths:
        if not path.is_file():
            raise PublishError(f"cannot send {path}: it does not exist; publish the edition first "
                               "(email_editions must be among editions)")
        message = BytesParser(policy=policy.SMTP).parsebytes(path.read_bytes())
        assert isinstance(message, EmailMessage)
        message.replace_header("Date", format_datetime(datetime.now(UTC)))
        message.replace_header("Message-ID", make_msgid("paperradio", domain=_host(settings)))
        messages.append(message)
    where = f"{server.host}:{server.port}"
    try:
        context = ssl.create_default_context()
        smtp = (smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=context)
                if server.scheme == "smtps" else smtplib.SMTP(server.host, server.port, timeout=timeout))
        with smtp:
            if server.scheme == "smtp":
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    raise PublishError(f"cannot send the email edition via {where}: the server offers no STARTTLS; "
                                       "use smtps:// or, on a trusted network, smtp+plain://")
                smtp.starttls(context=context)
            if server.user:
                smtp.login(server.user, settings.smtp_password)
            for message in messages:
                smtp.send_message(message, to_addrs=list(settings.email_to))
    except smtplib.SMTPRecipientsRefused as exc:
        refused = ", ".join(exc.recipients)
        raise PublishError(f"cannot send the email edition via {where}: recipients refused: {refused}") from None
    except smtplib.SMTPResponseException as exc:
        reason = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        raise PublishError(f"cannot send the email edition via {where}: {exc.smtp_code} {reason}") from None
    except (smtplib.SMTPException, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or exc.__class__.__name__
        raise PublishError(f"cannot send the email edition via {where}: {reason}") from None
    return paths
