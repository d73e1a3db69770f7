"""paperradio: a weekly papers & radio issue from arXiv — picks, summaries, audio and a podcast feed.

The pipeline, one package per stage: sources -> store -> rank -> write -> radio -> publish.
"""

from .config import Settings, load_settings
from .errors import PaperRadioError
from .models import Author, Credit, Episode, Issue, Paper, Pick, Segment, Week, Writeup
from .store import Store

__all__ = [
    "Author",
    "Credit",
    "Episode",
    "Issue",
    "Paper",
    "PaperRadioError",
    "Pick",
    "Segment",
    "Settings",
    "Store",
    "Week",
    "Writeup",
    "load_settings",
]
