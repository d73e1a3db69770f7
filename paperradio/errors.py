"""Errors paperradio raises. The CLI prints each as one line and exits non-zero.

    PaperRadioError
    ├── ConfigError      bad settings file, value or environment variable
    ├── SourceError      unreadable input: missing file, dead endpoint, bad feed
    ├── StoreError       database cannot be opened or migrated
    ├── RankError        nothing to rank (for example a week with no papers)
    ├── WriteError       summaries cannot be written
    ├── RadioError       speech engine missing or failed
    └── PublishError     output cannot be written

Messages say what went wrong and how to fix it.
"""


class PaperRadioError(Exception):
    """Root of every error paperradio raises on purpose."""


class ConfigError(PaperRadioError):
    pass


class SourceError(PaperRadioError):
    pass


class StoreError(PaperRadioError):
    pass


class RankError(PaperRadioError):
    pass


class WriteError(PaperRadioError):
    pass


class RadioError(PaperRadioError):
    pass


class PublishError(PaperRadioError):
    pass
