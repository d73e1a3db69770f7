"""Speech text: turn written paper text into words a speech engine reads aloud, never as symbols.

``normalize(text, "en")`` strips HTML, URLs and citation brackets, speaks LaTeX math ("$O(n^2)$" ->
"O of n squared"), units and numbers ("7.4%" -> "7.4 percent", "1.8x" -> "1.8 times", "10M" -> "10
million"), expands abbreviations, spells acronyms letter by letter or reads them as words from a small
lexicon ("LLM" -> "L L M", "NASA" stays a word, "ImageNet" -> "Image Net"), and folds what is left to
plain ASCII so odd Unicode (dashes, curly quotes, emoji, CJK inside English) never reaches the engine.
``normalize(text, "zh")`` only cleans markup and symbols and keeps Chinese characters.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable

__all__ = ["normalize", "spell"]

# --- lexicon ---------------------------------------------------------------------------------------

LEXICON: dict[str, str] = {
    # spelled the way a listener expects, where letter-by-letter or word reading would be wrong
    "AI": "AI", "AIs": "AIs", "OpenAI": "Open AI", "ChatGPT": "Chat G P T", "DiT": "D I T",
    "ImageNet": "Image Net", "ResNet": "Res Net", "UNet": "U Net", "U-Net": "U Net",
    "PyTorch": "Pie Torch", "arXiv": "archive", "GitHub": "Git Hub", "LoRA": "Lora", "QLoRA": "Q Lora",
    "NeRF": "nerf", "NeRFs": "nerfs", "SQuAD": "squad", "RoBERTa": "Roberta", "LLaMA": "Llama",
    "DALL-E": "Dally", "NVIDIA": "en vidia", "ReLU": "relu", "GeLU": "gelu", "GELU": "gelu",
    "LaTeX": "lay tech", "TeX": "tech", "k-NN": "K nearest neighbour", "kNN": "K nearest neighbour",
    "RAG": "rag", "GAN": "gan", "GANs": "gans", "BERT": "bert", "ViT": "vit", "ViTs": "vits",
    "dB": "decibels", "nlp": "N L P", "cv": "C V", "ml": "M L", "FLOPS": "flops", "LiDAR": "lidar",
    "LIDAR": "lidar", "ICLR": "I C L R", "ICML": "I C M L", "CVPR": "C V P R", "ECCV": "E C C V", "ACL": "eh C L",
    "EMNLP": "E M N L P", "AAAI": "triple eh I", "IJCAI": "idge kai", "NeurIPS": "Neur I P S",
    "CoT": "chain of thought", "ToM": "theory of mind",
}
"""Tokens with a fixed spoken form, matched case-sensitively."""

WORDS = frozenset({
    "NASA", "COCO", "GLUE", "BLEU", "ROUGE", "YOLO", "CLIP", "SLAM", "RADAR", "LASER", "UNESCO", "NATO",
    "SIGGRAPH", "MIDAS", "SAM", "ADAM", "DINO", "MAMBA", "LAION", "WILDS", "PASCAL", "CUDA",
})
"""All-caps (or odd-case) tokens read as words, not spelled."""

LEXICON_ZH: dict[str, str] = {"NLP": "自然语言处理", "CV": "计算机视觉", "ML": "机器学习", "AI": "人工智能",
                              "arXiv": "预印本平台", "LLM": "大语言模型", "LLMs": "大语言模型"}
"""Latin tokens in Chinese text, which the Mandarin voice would read as pinyin."""

_COMMON_CAPS = frozenset({"A", "I", "AN", "THE", "OF", "IN", "ON", "TO", "AND", "OR", "IS", "IT", "AT", "AS",
                          "BY", "FOR", "WE", "NO", "NOT", "BE", "DO", "IF", "SO", "UP", "US", "MY", "HOW",
                          "WHY", "ARE", "ALL", "NEW", "CAN", "YOU", "WITH", "FROM", "INTO", "OUT", "ONE"})

_LETTER = {"A": "eh"}
"""A spelled "A" written as a separate word is read as the article "uh"; "eh" is read as the letter."""


def spell(word: str) -> str:
    """Spell an acronym letter by letter: "LLM" -> "L L M", "API" -> "eh P I"."""
    return " ".join(_LETTER.get(c, c) for c in word.upper() if c.isalnum())


# --- tables ----------------------------------------------------------------------------------------

_GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
          "pi varpi rho sigma tau upsilon phi varphi chi psi omega").split()

_COMMANDS: dict[str, str] = {
    **{g: g.removeprefix("var") for g in _GREEK},
    **{g.capitalize(): g.capitalize() for g in ("gamma", "delta", "theta", "lambda", "xi", "pi", "sigma",
                                                "upsilon", "phi", "psi", "omega")},
    "times": "times", "cdot": "times", "div": "divided by", "pm": "plus or minus", "mp": "minus or plus",
    "leq": "less than or equal to", "le": "less than or equal to", "geq": "greater than or equal to",
    "ge": "greater than or equal to", "neq": "not equal to", "ne": "not equal to", "ll": "much less than",
    "gg": "much greater than", "approx": "approximately", "sim": "approximately", "simeq": "approximately",
    "propto": "proportional to", "equiv": "equivalent to", "in": "in", "notin": "not in", "subset": "subset of",
    "subseteq": "subset of", "cup": "union", "cap": "intersection", "to": "to", "rightarrow": "to",
    "mapsto": "maps to", "Rightarrow": "implies", "leftarrow": "from", "infty": "infinity", "sum": "sum",
    "prod": "product", "int": "integral", "partial": "partial", "nabla": "gradient", "log": "log",
    "ln": "log", "exp": "exp", "sin": "sine", "cos": "cosine", "tan": "tangent", "max": "max", "min": "min",
    "argmax": "arg max", "argmin": "arg min", "lim": "limit", "sup": "soup", "inf": "inf", "det": "determinant",
    "mid": "given", "forall": "for all", "exists": "there exists", "ell": "ell", "dots": "and so on",
    "ldots": "and so on", "cdots": "and so on", "top": "transpose", "star": "star", "circ": "composed with",
    "oplus": "plus", "otimes": "times", "odot": "times", "emptyset": "the empty set", "neg": "not",
    "land": "and", "lor": "or", "hat": "hat", "bar": "bar", "tilde": "tilde", "prime": "prime",
}
"""LaTeX commands and how they are read; any other command is dropped, its braces unwrapped."""

_SYMBOLS: dict[str, str] = {
    "\u2014": ", ", "\u2013": ", ", "\u2012": ", ", "\u2015": ", ", "\u2212": " minus ", "\u2026": "...",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\u2018": "'", "\u2019": "'",
    "\u2192": " to ", "\u2190": " from ", "\u2194": " and ", "\u21d2": " implies ", "\u2248": " approximately ",
    "\u2264": " less than or equal to ", "\u2265": " greater than or equal to ", "\u2260": " not equal to ",
    "\u00b1": " plus or minus ", "\u00d7": " times ", "\u00f7": " divided by ", "\u00b0": " degrees ",
    "\u221e": " infinity ", "\u2211": " sum ", "\u221a": " square root of ", "\u2208": " in ",
    "\u2022": ", ", "\u00b7": ", ", "\u00a7": " section ", "\u20ac": " euros ", "\u00a3": " pounds ",
    "\u00b5": " micro ", "&": " and ", "@": " at ", "\u2122": "", "\u00ae": "", "\u00a9": "",
    "\u00b2": " squared", "\u00b3": " cubed", "\u00bd": " one half", "\u00bc": " one quarter",
}
_GREEK_UNICODE = {chr(0x3B1 + i): name for i, name in enumerate(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
    "final-sigma sigma tau upsilon phi chi psi omega".split()) if name != "final-sigma"}
_GREEK_UNICODE.update({"\u0394": "Delta", "\u03a3": "Sigma", "\u03a9": "Omega", "\u0398": "Theta",
                       "\u03a6": "Phi", "\u03a0": "Pi", "\u039b": "Lambda", "\u0393": "Gamma"})

_ABBREVIATIONS: list[tuple[str, str]] = [
    (r"\be\.\s?g\.(?=\W|$)", "for example"), (r"\bi\.\s?e\.(?=\W|$)", "that is"),
    (r"\bet\s+al\.?(?=\W|$)", "and colleagues"), (r"\betc\.(?=\W|$)", "et cetera"),
    (r"\bw\.r\.t\.?(?=\W|$)", "with respect to"), (r"\bvs\.?(?=\W|$)", "versus"), (r"\bcf\.(?=\W)", "compare"),
    (r"\bFigs?\.(?=\s*\d)", "Figure"), (r"\bEqs?\.(?=\s*\(?\d)", "Equation"), (r"\bSec\.(?=\s*\d)", "Section"),
    (r"\bapprox\.(?=\W)", "approximately"), (r"\bresp\.(?=\W)", "respectively"), (r"\bNo\.(?=\s*\d)", "number"),
]

_MAGNITUDE = {"k": "thousand", "M": "million", "B": "billion", "T": "trillion"}

# --- regexes ---------------------------------------------------------------------------------------

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_SUP = re.compile(r"<sup>\s*(.*?)\s*</sup>", re.I | re.S)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:)\]]", re.I)
_URL_AT = re.compile(r"\b(?:available|released|provided|hosted)\s+(?:at|on|from|via)\s+(?=(?:https?://|www\.))",
                     re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_CITATION = re.compile(r"\s?\[\s*(?:\d+(?:\s*[,;\u2013-]\s*\d+)*|[^\[\]]*?\b\d{4}[a-z]?)\s*\]")
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)
_BARE_MATH = re.compile(r"(?<![\w\\])(?:[O\u0398\u03a9]\([^()\s]?[^()]{0,40}\)|[A-Za-z0-9]+\^\{?[\w-]+\}?)")
_COMMAND = re.compile(r"\\([A-Za-z]+)\*?\s?")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9']*(?:-[A-Za-z][A-Za-z0-9']*)*")


def _sub_loop(pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str], text: str) -> str:
    """Apply a substitution until nothing changes (for nested braces)."""
    for _ in range(10):
        new = pattern.sub(repl, text)
        if new == text:
            break
        text = new
    return text


_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_SQRT = re.compile(r"\\sqrt\s*(?:\[([^\]]*)\])?\s*\{([^{}]*)\}")
_WRAP = re.compile(r"\\(?:text|mathrm|mathcal|mathbf|mathit|mathbb|mathsf|mathtt|operatorname|boldsymbol|"
                   r"textbf|textit|emph|bm|texttt|textrm)\s*\{([^{}]*)\}")
_BIG_O = re.compile(r"(?<![A-Za-z])(O|\\Theta|\\Omega|\\mathcal\{O\}|\u0398|\u03a9)\s*\(")
_POWER = re.compile(r"\^\s*(?:\{([^{}]*)\}|(\\?[A-Za-z0-9]))")
_SUBSCRIPT = re.compile(r"_\s*(?:\{([^{}]*)\}|(\\?[A-Za-z0-9]))")


def _power(match: re.Match[str]) -> str:
    exponent = (match[1] if match[1] is not None else match[2]).strip()
    spoken = {"2": " squared", "3": " cubed", "-1": " inverse", "T": " transpose", "\\top": " transpose",
              "\\prime": " prime", "'": " prime", "*": " star", "\\star": " star"}
    return spoken.get(exponent, f" to the power {exponent} ")


def _subscript(match: re.Match[str]) -> str:
    return f" sub {(match[1] if match[1] is not None else match[2]).strip()} "


def _command(match: re.Match[str]) -> str:
    word = _COMMANDS.get(match[1])
    return f" {word} " if word else " "


def speak_math(math: str) -> str:
    """Read a LaTeX math expression aloud: "O(n^2)" -> "O of n squared"."""
    text = math.replace("\\left", "").replace("\\right", "").replace("\\,", " ").replace("\\;", " ")
    text = text.replace("\\!", "").replace("\\%", " percent").replace("%", " percent")
    text = _sub_loop(_WRAP, r"\1", text)
    text = _BIG_O.sub(lambda m: ("O" if "O" in m[1] else m[1].lstrip("\\")) + " of (", text)
    text = _sub_loop(_FRAC, r" \1 over \2 ", text)
    text = _sub_loop(_SQRT, lambda m: f" {m[1] + 'th ' if m[1] else ''}square root of {m[2]} ", text)
    text = _sub_loop(_POWER, _power, text)
    text = _sub_loop(_SUBSCRIPT, _subscript, text)
    text = _COMMAND.sub(_command, text)
    for symbol, word in (("<=", " less than or equal to "), (">=", " greater than or equal to "),
                         ("!=", " not equal to "), ("=", " equals "), ("+", " plus "), ("<", " less than "),
                         (">", " greater than "), ("/", " over "), ("*", " times "), ("'", " prime ")):
        text = text.replace(symbol, word)
    text = re.sub(r"(?<=[\w\s])-(?=[\w\s(\\])", " minus ", text)
    text = re.sub(r"^\s*-", " minus ", text)
    text = re.sub(r"[{}()\[\]|\\^_$&~]", " ", text)
    return " " + re.sub(r"\s+", " ", text).strip() + " "


def _math_match(match: re.Match[str]) -> str:
    return speak_math(next(g for g in match.groups() if g is not None))


def _latex(text: str) -> str:
    text = text.replace("\\%", "%").replace("\\&", "&").replace("\\_", " ").replace("\\#", "#")
    text = re.sub(r"\\\$", " dollars ", text)
    text = re.sub(r"(?<!\w)~(?=\s?\d)", " about ", text)
    text = _MATH.sub(_math_match, text)
    text = re.sub(r" +-(?=[a-z]+\b)", "-", text)  # "$\alpha$-th" -> "alpha-th"
    text = _BARE_MATH.sub(lambda m: speak_math(m[0]), text)
    text = _sub_loop(_WRAP, r"\1", text)
    text = _COMMAND.sub(_command, text)
    return text.replace("$", " ").replace("{", "").replace("}", "").replace("~", " ")


def _numbers(text: str) -> str:
    text = re.sub(r"(\d)\s*[x\u00d7]\s*(\d)", r"\1 by \2", text)
    text = re.sub(r"(\d+(?:[.,]\d+)?)\s*%", r"\1 percent", text).replace("%", " percent ")
    text = re.sub(r"(\d+(?:\.\d+)?)\s*(?:[x\u00d7]|\*(?=\s))(?![A-Za-z0-9])", r"\1 times", text)
    text = re.sub(r"\b(\d+(?:\.\d+)?)\s?([kMBT])(?![A-Za-z0-9])", lambda m: f"{m[1]} {_MAGNITUDE[m[2]]}", text)
    text = re.sub(r"(?<![\w.\-])(\d+(?:\.\d+)?)\s*[\u2013-]\s*(\d+(?:\.\d+)?)(?![\w.\-])", r"\1 to \2", text)
    text = re.sub(r"(\d+):(\d+)(?!:)", r"\1 to \2", text)
    text = re.sub(r"(?<![\w)])[\u2212\u2013-](?=\d)", "minus ", text)
    text = re.sub(r"(?<![\w)])\+(?=\d)", "plus ", text)
    text = re.sub(r"(?<=\d)-(?=\d)", " ", text)  # "Qwen3-8B": a version then a size, not a range
    text = re.sub(r"([A-Za-z])-(?=\d)", r"\1 ", text)
    text = re.sub(r"\b([A-Za-z]{2,})(?=\d)", r"\1 ", text)
    text = re.sub(r"#\s?(?=\d)", "number ", text)
    return re.sub(r"\$\s?(\d+(?:\.\d+)?)", r"\1 dollars", text)


def _word(match: re.Match[str]) -> str:
    return _speak_token(match[0])


def _speak_token(token: str) -> str:
    """How one word-like token is read: lexicon, word list, spelled acronym or split CamelCase."""
    if token in LEXICON:
        return LEXICON[token]
    if token in WORDS:
        return token
    if "-" in token:
        return "-".join(_speak_token(part) for part in token.split("-"))
    core, plural = (token[:-1], True) if len(token) > 2 and token.endswith("s") and token[:-1].isupper() \
        else (token, False)
    if core.isupper() and core.isalpha():
        if core in _COMMON_CAPS or len(core) == 1:
            return token if len(core) == 1 else token.lower()
        if core in WORDS or core in LEXICON:
            return (LEXICON.get(core, core)) + ("s" if plural else "")
        if len(core) <= 5 or not re.search(r"[AEIOUY]", core):
            return spell(core) + ("'s" if plural else "")
        return token.capitalize()
    humps = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", token)
    if len(humps) > 1 and any(c.islower() for c in token) and all(len(h) > 1 for h in humps):
        return " ".join(spell(h) if h.isupper() and h not in WORDS else h for h in humps)
    return token


def _ascii(text: str) -> str:
    """Replace known symbols with words, fold accents, drop anything else that is not plain ASCII."""
    text = "".join(_SYMBOLS.get(c) or _GREEK_UNICODE.get(c) or c for c in text)
    folded = unicodedata.normalize("NFKD", text)
    out = []
    for char in folded:
        if unicodedata.combining(char):
            continue
        if char.isascii() and (char.isprintable() or char.isspace()):
            out.append(char)
        elif unicodedata.category(char).startswith("Z") or char in "\u200b\ufeff":
            out.append(" ")
        else:
            out.append(" ")  # emoji, CJK, control characters: nothing an English voice can read
    return "".join(out)


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"[,;:]\s*([.!?])", r"\1", text)
    text = re.sub(r"([.!?])\s*[,;:]", r"\1", text)
    text = re.sub(r"\.{4,}", "...", text)
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)
    text = re.sub(r"([,;:])(?=\S)", lambda m: m[1] if _between_digits(m) else m[1] + " ", text)
    return text.strip(" ,;:")


def _between_digits(match: re.Match[str]) -> bool:
    text, start = match.string, match.start()
    return 0 < start < len(text) - 1 and text[start - 1].isdigit() and text[start + 1].isdigit()


def _printable(char: str) -> str:
    """Spaces, line breaks and control characters become a space; invisible format characters go."""
    if char.isprintable():
        return char
    category = unicodedata.category(char)
    return " " if category.startswith("Z") or category == "Cc" else ""


def normalize(text: str, language: str = "en") -> str:
    """Return ``text`` as words for a speech engine of ``language`` ("en" or "zh")."""
    text = html.unescape(text)
    text = _SUP.sub(r"^{\1}", text)
    text = _TAG.sub(" ", text)
    text = _URL_AT.sub("available online ", text)
    text = _URL.sub(" ", text)
    text = re.sub(r"available online\s+(?=[.,;]|$)", "available online", text)
    text = _EMAIL.sub(" ", text)
    text = _CITATION.sub("", text)
    text = "".join(_printable(c) for c in text)
    if language != "en":
        return _tidy_zh(text)
    text = _latex(text)
    for pattern, words in _ABBREVIATIONS:
        text = re.sub(pattern, words, text)
    text = _numbers(text)
    text = _ascii(text)
    text = _WORD.sub(_word, text)
    text = re.sub(r"[\"`*_^|<>=\\{}]", " ", text)
    text = re.sub(r"(?<=\s)'|'(?=\s)|^'|'$", " ", text)
    text = re.sub(r"\s*[(\[]\s*", ", ", text)
    text = re.sub(r"\s*[)\]]\s*(?=[.,;:!?])", "", text)
    text = re.sub(r"\s*[)\]]\s*", ", ", text)
    text = re.sub(r"/", " ", text)
    return _tidy(text)


def _tidy_zh(text: str) -> str:
    """Chinese: keep the characters, drop markup symbols, emoji and control characters."""
    text = re.sub(r"\$[^$]*\$", " ", text)
    text = re.sub(r"\\[A-Za-z]+", " ", text)
    text = re.sub(r"[A-Za-z]+", lambda m: LEXICON_ZH.get(m[0], m[0]), text)
    out = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if category.startswith(("L", "N", "Z")) or char in "，。！？；：、,.!?;:%-()（） ":
            out.append(char)
        else:
            out.append(" ")
    return re.sub(r"\s+", " ", "".join(out)).strip()
