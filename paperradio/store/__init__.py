"""The store: SQLAlchemy tables and migrations; SQLite by default, PostgreSQL by URL."""

from .db import Store

__all__ = ["Store"]
