"""Where papers enter: snapshot files, arXiv's daily RSS announcements and API, OAI-PMH harvests."""

from .arxiv_api import AtomPage, fetch_by_ids, parse_atom
from .arxiv_rss import RssPage, fetch_announcements, parse_rss
from .ingest import IngestReport, ingest_snapshot
from .live import LiveReport, ingest_announcements
from .schedule import announcement_date
from .snapshot import SkippedLine, read_snapshot

__all__ = [
    "AtomPage",
    "IngestReport",
    "LiveReport",
    "RssPage",
    "SkippedLine",
    "announcement_date",
    "fetch_announcements",
    "fetch_by_ids",
    "ingest_announcements",
    "ingest_snapshot",
    "parse_atom",
    "parse_rss",
    "read_snapshot",
]
