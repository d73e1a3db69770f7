"""Clean arXiv title and abstract text for display and speech."""

from __future__ import annotations

import html
import logging
import re
import unicodedata

from .latex import latex_to_text

log = logging.getLogger(__name__)

# Only real HTML tags: abstracts also use "<think>" or "<SEG>" as literal tokens, which must stay.
_HTML_TAG = re.compile(
    r"</?(?:a|abbr|b|big|blockquote|br|center|code|del|div|em|font|h[1-6]|hr|i|ins|kbd|li|mark|ol|p|pre|"
    r"q|s|small|span|strike|strong|sub|sup|table|tbody|td|th|thead|tr|tt|u|ul)(?:\s[^<>]*)?/?>",
    re.I,
)
# Only entities closed by ";": html.unescape alone would turn "&notation" into "¬ation".
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_HYPHEN_WRAP = re.compile(r"(?<=\w)-\n[ \t]*(?=\w)")
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_KEEP_FORMAT = {"\u200d"}  # zero-width joiner holds emoji sequences together
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?%)\]])(?=\s|$|[,.;:!?)\]])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[])\s+")
_EMPTY_BRACKETS = re.compile(r"\s*(?:\(\s*[,;]?\s*\)|\[\s*[,;]?\s*\])")
# "tasks.However" -> "tasks. However": a sentence end whose space was lost; not a domain or a path.
_GLUED_SENTENCE = re.compile(r"(?<![/@.\w])([A-Za-z]*[a-z]{3}|\w*\))\.([A-Z][a-z]+)\b(?![./@])")


def plain_text(text: object) -> str:
    """Clean display text: join wraps, strip HTML, turn LaTeX into Unicode, normalize, collapse spaces.

    Accepts anything (``None`` gives ""), never raises: on an unexpected failure it falls back to the
    input with its whitespace collapsed.
    """
    if text is None:
        return ""
    raw = text if isinstance(text, str) else str(text)
    try:
        return _clean(raw)
    except Exception:  # display text must never stop a run; keep the raw text instead
        log.warning("could not clean text, keeping it raw: %.60r", raw, exc_info=True)
        return " ".join(_drop_invisible(raw).split())


def _clean(text: str) -> str:
    text = _drop_invisible(text.replace("\r\n", "\n"))
    text = unicodedata.normalize("NFC", text).translate(_LIGATURES)
    text = _HYPHEN_WRAP.sub("-", text)
    text = _HTML_TAG.sub(lambda m: " " if _is_block(m.group(0)) else "", text)
    text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    text = latex_to_text(text)
    text = _drop_invisible(text)  # \unicode{...} and entities can produce control characters too
    text = " ".join(text.split())
    text = _EMPTY_BRACKETS.sub("", text)
    text = _SPACE_AFTER_OPEN.sub(r"\1", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _GLUED_SENTENCE.sub(r"\1. \2", text)
    return unicodedata.normalize("NFC", text).strip()


def _is_block(tag: str) -> bool:
    name = tag.strip("</>").split()[0].lower() if tag.strip("</>") else ""
    return name in {"br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "blockquote", "hr",
                    "pre", "center", "h1", "h2", "h3", "h4", "h5", "h6"}


def _drop_invisible(text: str) -> str:
    """Remove control and format characters (zero-width spaces, BOMs, soft hyphens, lone surrogates)."""
    if text.isprintable() and "\ufffd" not in text:
        return text
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\n\t\r\f\v" or category == "Zs":
            out.append(" " if char != "\n" else "\n")
        elif category in {"Cc", "Cs", "Co"} or (category == "Cf" and char not in _KEEP_FORMAT):
            continue
        elif char != "\ufffd":
            out.append(char)
    return "".join(out)
