"""Text as every source stores it: NFC Unicode, one space between words, no space at the ends."""

from __future__ import annotations

import unicodedata


def clean_text(text: str | None) -> str:
    """Normalize wire text; cheap for the common cases of plain ASCII on one line or wrapped at line ends."""
    if not text:
        return ""
    if text.isascii():
        if "\n" in text:  # a wrapped abstract: two C scans instead of splitting it into words
            text = text.replace("\n", " ")
        # the ASCII characters str.split() takes for whitespace, besides single spaces
        if ("  " in text or "\t" in text or "\r" in text or "\x0b" in text or "\x0c" in text or "\x1c" in text
                or "\x1d" in text or "\x1e" in text or "\x1f" in text):
            return " ".join(text.split())
        return text.strip()
    text = unicodedata.normalize("NFC", text)
    if "\n" in text or "  " in text or "\t" in text or "\r" in text:
        return " ".join(text.split())
    return text.strip()
