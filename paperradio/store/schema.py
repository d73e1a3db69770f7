"""The store's tables. Changing them needs a migration in store/migrations/versions/."""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Float, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

papers = Table(
    "papers",
    metadata,
    Column("arxiv_id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("abstract", Text, nullable=False),
    Column("categories", Text, nullable=False),  # space-separated, primary first
    Column("primary_category", String(32), nullable=False),
    Column("announced", Date, nullable=False),
    Column("submitted", DateTime(timezone=True)),
    Column("comments", Text),
    Column("journal_ref", Text),
    Column("doi", Text),
    Column("source", String(32), nullable=False),
    Index("ix_papers_announced", "announced"),
)

paper_authors = Table(
    "paper_authors",
    metadata,
    Column("arxiv_id", String(64), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("author_key", String(255), nullable=False),
    Column("affiliation", Text),
    Index("ix_paper_authors_key", "author_key"),
)

ingest_runs = Table(
    "ingest_runs",
    metadata,
    Column("source", Text, primary_key=True),  # a file's path, size and mtime
    Column("lines_done", Integer, nullable=False),
    Column("completed", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("cursor", Text),  # e.g. an OAI-PMH resumption token to continue from
)

announcements = Table(
    "announcements",
    metadata,
    Column("arxiv_id", String(64), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("kind", String(16), primary_key=True),  # new, cross, replace, replace-cross
    Column("category", String(32), primary_key=True),  # the listing it was announced in
    Column("version", Integer, nullable=False),
    Index("ix_announcements_day", "day"),
)

skipped = Table(
    "skipped",
    metadata,
    Column("source", Text, primary_key=True),
    Column("item", String(255), primary_key=True),  # line number or identifier
    Column("reason", Text, nullable=False),
)

picks = Table(
    "picks",
    metadata,
    Column("week", String(8), primary_key=True),
    Column("arxiv_id", String(64), primary_key=True),
    Column("section", String(16), nullable=False),
    Column("field", String(8), nullable=False),
    Column("rank", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("features", Text, nullable=False),  # JSON
    Column("credit", Text, nullable=False),  # JSON
)

issues = Table(
    "issues",
    metadata,
    Column("week", String(8), primary_key=True),
    Column("pool_size", Integer, nullable=False),
    Column("ranked_at", DateTime(timezone=True), nullable=False),
)

writeups = Table(
    "writeups",
    metadata,
    Column("arxiv_id", String(64), primary_key=True),
    Column("language", String(8), primary_key=True),
    Column("section_kind", String(16), primary_key=True),  # "featured" or "radiostation"
    Column("data", Text, nullable=False),  # JSON of models.Writeup
)

audio = Table(
    "audio",
    metadata,
    Column("week", String(8), primary_key=True),
    Column("item", String(64), primary_key=True),  # arxiv_id, or "episode"
    Column("language", String(8), primary_key=True),
    Column("data", Text, nullable=False),  # JSON of models.Segment or models.Episode
)

cache = Table(
    "cache",
    metadata,
    Column("namespace", String(64), primary_key=True),  # e.g. "openalex-author", "llm-writeup"
    Column("key", String(255), primary_key=True),
    Column("value", Text, nullable=False),  # JSON
    Column("stored_at", DateTime(timezone=True), nullable=False),
)
