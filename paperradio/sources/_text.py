"""Text as every source stores it: NFC Unicode, one space between words, no space at the ends."""

from __future__ import annotations

import unicodedata


def clean_text(text: str | None) -> str:
    """Normalize wire text; cheap for the common case of plain ASCII on one line."""
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if "\n" in text or "  " in text or "\t" in text or "\r" in text:
        return " ".join(text.split())
    return text.strip()
