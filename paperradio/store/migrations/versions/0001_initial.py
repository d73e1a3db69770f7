"""Initial schema: papers, authorships, ingest progress, skips, picks, issues, writeups, audio.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "papers",
        sa.Column("arxiv_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("abstract", sa.Text, nullable=False),
        sa.Column("categories", sa.Text, nullable=False),
        sa.Column("primary_category", sa.String(32), nullable=False),
        sa.Column("announced", sa.Date, nullable=False),
        sa.Column("submitted", sa.DateTime(timezone=True)),
        sa.Column("comments", sa.Text),
        sa.Column("journal_ref", sa.Text),
        sa.Column("doi", sa.Text),
        sa.Column("source", sa.String(32), nullable=False),
    )
    op.create_index("ix_papers_announced", "papers", ["announced"])
    op.create_table(
        "paper_authors",
        sa.Column("arxiv_id", sa.String(64), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("author_key", sa.String(255), nullable=False),
        sa.Column("affiliation", sa.Text),
    )
    op.create_index("ix_paper_authors_key", "paper_authors", ["author_key"])
    op.create_table(
        "ingest_runs",
        sa.Column("source", sa.Text, primary_key=True),
        sa.Column("lines_done", sa.Integer, nullable=False),
        sa.Column("completed", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "skipped",
        sa.Column("source", sa.Text, primary_key=True),
        sa.Column("item", sa.String(255), primary_key=True),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_table(
        "picks",
        sa.Column("week", sa.String(8), primary_key=True),
        sa.Column("arxiv_id", sa.String(64), primary_key=True),
        sa.Column("section", sa.String(16), nullable=False),
        sa.Column("field", sa.String(8), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("features", sa.Text, nullable=False),
        sa.Column("credit", sa.Text, nullable=False),
    )
    op.create_table(
        "issues",
        sa.Column("week", sa.String(8), primary_key=True),
        sa.Column("pool_size", sa.Integer, nullable=False),
        sa.Column("ranked_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "writeups",
        sa.Column("arxiv_id", sa.String(64), primary_key=True),
        sa.Column("language", sa.String(8), primary_key=True),
        sa.Column("section_kind", sa.String(16), primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_table(
        "audio",
        sa.Column("week", sa.String(8), primary_key=True),
        sa.Column("item", sa.String(64), primary_key=True),
        sa.Column("language", sa.String(8), primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("audio", "writeups", "issues", "picks", "skipped", "ingest_runs", "paper_authors", "papers"):
        op.drop_table(table)
