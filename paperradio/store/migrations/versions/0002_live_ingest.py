"""Live ingestion: a resumption cursor per source, and the daily announcements (new, cross, replace).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ingest_runs") as batch:
        batch.add_column(sa.Column("cursor", sa.Text))
    op.create_table(
        "announcements",
        sa.Column("arxiv_id", sa.String(64), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("category", sa.String(32), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_announcements_day", "announcements", ["day"])


def downgrade() -> None:
    op.drop_table("announcements")
    with op.batch_alter_table("ingest_runs") as batch:
        batch.drop_column("cursor")
