"""Where papers enter: snapshot files today; arXiv RSS, API and OAI-PMH clients next."""

from .ingest import IngestReport, ingest_snapshot
from .schedule import announcement_date
from .snapshot import SkippedLine, read_snapshot

__all__ = ["IngestReport", "SkippedLine", "announcement_date", "ingest_snapshot", "read_snapshot"]
