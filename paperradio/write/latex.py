"""Turn the LaTeX found in arXiv titles and abstracts into plain Unicode text.

A small brace-aware converter, not a TeX engine: it knows the few hundred commands that occur in real
listings and degrades gracefully on the rest (an unknown ``\\ours`` becomes "ours", an unknown
``\\foo{x}`` becomes "x"). It never raises on malformed input such as unbalanced braces.
"""

from __future__ import annotations

import re
import unicodedata

from .symbols import (
    ACCENTS,
    ARG_DROP,
    ARG_KEEP,
    BLACKBOARD,
    COMBINING,
    DECLARATIONS,
    ESCAPES,
    LETTER_ACCENTS,
    SUBSCRIPTS,
    SUPERSCRIPTS,
    SYMBOLS,
)

_MARKUP = re.compile(r"[\\${}~`]|--|''")
_LITERAL_DOLLAR = "\ue000"  # private-use placeholder so "\$" survives the math-delimiter pass
# $$..$$, $..$, \(..\), \[..\]; inline $ must not start or end with a space, so "$5 and $10" is money.
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(?!\s)([^$]+?)(?<!\s)\$|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)
_STRAY_DOLLAR = re.compile(r"\$(?!\d)")
_COMMAND = re.compile(r"\\([A-Za-z]+|.?)", re.S)
_NEEDS_PARENS = re.compile(r"[\s+\-−*/=<>±,·×]")
_CHAR_CODE = re.compile(r"\s*(\"[0-9A-Fa-f]+|'[0-7]+|\d+)")
# "~8%", "(~8%)", "$\sim$8%": about 8%. Shown as "≈": Markdown reads a pair of "~" as strikethrough.
_ABOUT = re.compile(r"(?<![^\s(\[])(?<!\d )~(?= ?\d)")  # not a range: "3 ~ 5"


def latex_to_text(text: str) -> str:
    """Convert LaTeX markup (math and text mode) to Unicode; plain text passes through unchanged."""
    if not _MARKUP.search(text):
        return text
    text = text.replace("\\$", _LITERAL_DOLLAR)
    parts: list[str] = []
    last = 0
    for match in _MATH.finditer(text):
        parts.append(_Converter(text[last:match.start()], math=False).run())
        body = next(g for g in match.groups() if g is not None)
        parts.append(_Converter(body, math=True).run())
        last = match.end()
    parts.append(_Converter(text[last:], math=False).run())
    out = _ABOUT.sub("\u2248", _STRAY_DOLLAR.sub("", "".join(parts)))
    return unicodedata.normalize("NFC", out.replace(_LITERAL_DOLLAR, "$"))


class _Converter:
    """One left-to-right pass over a string; groups and arguments recurse with a new converter."""

    def __init__(self, text: str, *, math: bool) -> None:
        self.text = text
        self.math = math
        self.pos = 0
        self.out: list[str] = []

    def run(self) -> str:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == "\\":
                self._command()
            elif char == "{":
                self.out.append(self._sub(self._group()))
            elif char == "}":
                self.pos += 1  # unbalanced closing brace: drop it
            elif self.math and char in "^_":
                self.pos += 1
                self.out.append(self._script(self._argument(), up=char == "^"))
            elif char == "~":
                self.pos += 1
                # A tie glued to a word ("Fig.~3") is a space; a free "~10%" or "(~10%)" means "about".
                glued = self.math or (self.pos > 1 and not (text[self.pos - 2].isspace() or text[self.pos - 2] in "(["))
                self.out.append(" " if glued else "~")
            elif not self.math and text.startswith("``", self.pos):
                self.pos += 2
                self.out.append("“")
            elif not self.math and text.startswith("''", self.pos):
                self.pos += 2
                self.out.append("”")
            elif not self.math and text.startswith("---", self.pos):
                self.pos += 3
                self.out.append("—")
            elif not self.math and text.startswith("--", self.pos) and self._is_dash_pair():
                self.pos += 2
                self.out.append("–")
            else:
                self.pos += 1
                self.out.append(char)
        return "".join(self.out)

    def _is_dash_pair(self) -> bool:
        """True for "10--20" and " -- ", false for a command-line flag such as "--help"."""
        before = self.text[self.pos - 1] if self.pos else " "
        after = self.text[self.pos + 2] if self.pos + 2 < len(self.text) else " "
        return (before.isdigit() and after.isdigit()) or (before.isspace() and after.isspace())

    def _sub(self, text: str) -> str:
        return _Converter(text, math=self.math).run()

    def _group(self) -> str:
        """Read a balanced {...} starting at pos; return its raw inside (to the end if unbalanced)."""
        depth = 0
        start = self.pos + 1
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\":
                self.pos += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    self.pos += 1
                    return self.text[start:self.pos - 1]
            self.pos += 1
        return self.text[start:]

    def _argument(self) -> str:
        """Read one macro argument: a group, a command, or a single character (raw text)."""
        while self.pos < len(self.text) and self.text[self.pos] == " ":
            self.pos += 1
        if self.pos >= len(self.text):
            return ""
        char = self.text[self.pos]
        if char == "{":
            return self._group()
        if char == "\\":
            match = _COMMAND.match(self.text, self.pos)
            end = match.end() if match else self.pos + 1
            raw = self.text[self.pos:end]
            self.pos = end
            return raw
        self.pos += 1
        return char

    def _optional(self) -> str | None:
        if self.pos < len(self.text) and self.text[self.pos] == "[":
            end = self.text.find("]", self.pos)
            if end != -1:
                inside = self.text[self.pos + 1:end]
                self.pos = end + 1
                return inside
        return None

    def _next_is_group(self) -> bool:
        rest = self.text[self.pos:].lstrip(" ")
        return rest.startswith("{")

    def _command(self) -> None:
        text = self.text
        match = _COMMAND.match(text, self.pos)
        assert match is not None  # the pattern always matches at a backslash
        name = match.group(1) or ""
        self.pos = match.end()
        if not name:
            return
        if not name.isalpha():
            self._symbol_command(name)
            return
        if name in LETTER_ACCENTS and self._next_is_group():
            self._letter_accent(name)
        elif name in SYMBOLS:
            self.out.append(SYMBOLS[name])
        elif name in DECLARATIONS:
            if name in {"left", "right", "bigl", "bigr", "Bigl", "Bigr", "big", "Big"} and \
                    text.startswith(".", self.pos):
                self.pos += 1  # \left. is an invisible delimiter
        elif name in ARG_KEEP:
            self.out.append(self._sub(self._argument()))
        elif name in ARG_DROP:
            for _ in range(ARG_DROP[name]):
                self._optional()
                self._argument()
        else:
            self._structured(name)

    def _symbol_command(self, name: str) -> None:
        if name in ESCAPES:
            self.out.append(ESCAPES[name])
        elif name in ACCENTS:
            self.out.append(self._accent(self._argument(), ACCENTS[name]))
        elif name in {"(", ")", "[", "]"}:
            pass  # a delimiter that _MATH could not pair
        else:
            self.out.append(name)

    def _accent(self, raw: str, mark: str) -> str:
        base = self._sub(raw).replace("ı", "i")
        if not base:
            return mark.strip()
        return unicodedata.normalize("NFC", base[0] + mark + base[1:])

    def _letter_accent(self, name: str) -> None:
        raw = self._group_after_spaces()
        # Some listings mangle \rho into \r{ho} and \beta into \b{eta}: restore the symbol.
        if name + raw in SYMBOLS:
            self.out.append(SYMBOLS[name + raw])
        else:
            self.out.append(self._accent(raw, LETTER_ACCENTS[name]))

    def _group_after_spaces(self) -> str:
        while self.text.startswith(" ", self.pos):
            self.pos += 1
        return self._group()

    def _structured(self, name: str) -> None:
        if name == "frac" or name in {"dfrac", "tfrac"}:
            num, den = self._sub(self._argument()), self._sub(self._argument())
            self.out.append(f"{_wrap(num)}/{_wrap(den)}")
        elif name == "sqrt":
            degree = self._optional()
            root = {"3": "∛", "4": "∜"}.get(degree or "", "√")
            self.out.append(root + _wrap(self._sub(self._argument())))
        elif name == "binom":
            top, bottom = self._sub(self._argument()), self._sub(self._argument())
            self.out.append(f"C({top}, {bottom})")
        elif name in {"href"}:
            url, label = self._argument(), self._sub(self._argument())
            self.out.append(url if not label or label == url else f"{label} ({url})")
        elif name in {"textcolor", "colorbox"}:
            self._argument()
            self.out.append(self._sub(self._argument()))
        elif name == "footnote":
            self.out.append(f" ({self._sub(self._argument())})")
        elif name in {"mathbb", "mathbbm", "mathds"}:
            inner = self._sub(self._argument())
            self.out.append(BLACKBOARD.get(inner, inner))
        elif name in COMBINING:
            inner = self._sub(self._argument())
            self.out.append(inner + COMBINING[name] if len(inner) == 1 else inner)
        elif name in {"textsuperscript", "textsubscript"}:
            self.out.append(self._script(self._argument(), up=name == "textsuperscript"))
        elif name == "unicode" or name == "char":
            self.out.append(self._codepoint(name))
        elif self._next_is_group():
            inner = self._sub(self._argument())
            # "\ours{}" is a user macro kept apart from the next word; "\foo{x}" is formatting.
            self.out.append(inner if inner else name)
        else:
            self.out.append(name)

    def _codepoint(self, name: str) -> str:
        if name == "unicode":
            raw = self._argument().strip()
        else:
            match = _CHAR_CODE.match(self.text, self.pos)
            if not match:
                return ""
            raw = match.group(1)
            self.pos = match.end()
        try:
            if raw[:1] in {"x", "X", '"'}:
                value = int(raw[1:], 16)
            elif raw[:1] == "'":
                value = int(raw[1:], 8)
            else:
                value = int(raw)
            return chr(value) if 0 < value < 0x110000 else ""
        except ValueError:
            return ""

    def _script(self, raw: str, *, up: bool) -> str:
        table = SUPERSCRIPTS if up else SUBSCRIPTS
        inner = self._sub(raw).strip()
        if up and inner in {"∘", "°"}:
            return "°"
        if up and inner in {"⊤", "T"}:
            return "ᵀ"
        if up and inner in {"*", "⋆", "′", "†", "‡", "''", "'"}:
            return inner
        if inner and all(c in table for c in inner):
            return "".join(table[c] for c in inner)
        if not inner:
            return ""
        mark = "^" if up else "_"
        return mark + (f"({inner})" if up and len(inner) > 1 and not inner.isalnum() else inner)


def _wrap(part: str) -> str:
    """Parenthesize a fraction or root operand that has spaces or operators in it: "(n+1)", not "(√T)"."""
    part = part.strip()
    if (part.startswith("(") and part.endswith(")")) or not _NEEDS_PARENS.search(part):
        return part
    return f"({part})"
