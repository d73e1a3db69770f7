"""Speech text: turn written paper text into words a speech engine reads aloud, never as symbols.

``normalize(text, "en")`` strips HTML, URLs ("available at https://..." -> "available online") and citations
("[12]", "(Radford et al., 2021)", "\\cite{x}"), speaks LaTeX math ("$O(n^2)$" -> "O of n squared", "$10^{-5}$"
-> "10 to the power minus 5") and the Unicode super- and subscripts cleaned text carries ("10⁻⁶"), comparisons
("p < 0.001" -> "p less than 0.001"), units and numbers ("7.4%" -> "7.4 percent", "1.8x" -> "1.8 times",
"10M" -> "10 million", "44 ms" -> "44 milliseconds", "5K-10K" -> "5 thousand to 10 thousand", "v1.5" ->
"version 1.5", "in 2026" -> "in twenty twenty-six"), model names ("Llama-3.1-8B-Instruct" -> "Llama 3.1 8
billion Instruct"), expands abbreviations, spells acronyms letter by letter or reads them as words from a
small lexicon ("LLM" -> "L L M", "NASA" stays a word, "ImageNet" -> "Image Net") or when they are
pronounceable ("CARLA" -> "Carla"), and folds what is left to plain ASCII so odd Unicode (dashes, curly
quotes, emoji, CJK inside English) never reaches the engine.

``normalize(text, "zh")`` cleans markup and symbols, keeps Chinese characters and Latin names ("GPT-4"), and
reads numbers the Chinese way: "3.5%" -> "百分之三点五", "2026年" -> "二零二六年", "128" -> "一百二十八",
"1.5B" -> "十五亿", "10,000" -> "一万".
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal

__all__ = ["normalize", "speak_math", "spell", "zh_integer"]

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
    "CoT": "chain of thought", "ToM": "theory of mind", "ToT": "tree of thoughts", "FLOPs": "flops",
    "LLaVA": "Llava", "LLaDA": "Llada", "QwQ": "Q W Q", "mIoU": "mean I o U", "IoU": "I o U",
    "mAP": "mean average precision", "nDCG": "N D C G", "nnU": "N N U",
}
"""Tokens with a fixed spoken form, matched case-sensitively."""

WORDS = frozenset({
    "NASA", "COCO", "GLUE", "BLEU", "ROUGE", "YOLO", "CLIP", "SLAM", "RADAR", "LASER", "UNESCO", "NATO",
    "SIGGRAPH", "MIDAS", "SAM", "ADAM", "DINO", "MAMBA", "LAION", "WILDS", "PASCAL", "CUDA",
})
"""All-caps (or odd-case) tokens read as words, not spelled."""

_CONSONANT = "[BCDFGHJKLMNPQRSTVWXZ]"
_PRONOUNCEABLE = re.compile(
    rf"(?:{_CONSONANT}|[BCDFGKPT][LR]|S[CKLMNPTW]|[CST]H)?[AEIOU](?:{_CONSONANT}{{1,2}}[AEIOU])*{_CONSONANT}{{0,2}}")
"""An all-caps token of 4+ letters that alternates consonants and vowels like an English word ("CARLA",
"KITTI", "SOTA") is read as a word; anything else ("LVIS", "MMLU", "GRPO") is spelled."""

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
    "deg": "degrees", "eg": "for example", "ie": "that is", "etal": "and colleagues",
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
    "\u223c": " approximately ", "\u2113": " ell ", "\u00bd": " one half", "\u00bc": " one quarter",
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

_MAGNITUDE = {"k": "thousand", "K": "thousand", "M": "million", "B": "billion", "T": "trillion"}

_UNITS: dict[str, tuple[str, str]] = {
    "ms": ("millisecond", "milliseconds"), "s": ("second", "seconds"), "h": ("hour", "hours"),
    "min": ("minute", "minutes"), "ns": ("nanosecond", "nanoseconds"), "\u00b5s": ("microsecond", "microseconds"),
    "Hz": ("hertz", "hertz"), "kHz": ("kilohertz", "kilohertz"), "MHz": ("megahertz", "megahertz"),
    "GHz": ("gigahertz", "gigahertz"), "KB": ("kilobyte", "kilobytes"), "MB": ("megabyte", "megabytes"),
    "GB": ("gigabyte", "gigabytes"), "TB": ("terabyte", "terabytes"), "PB": ("petabyte", "petabytes"),
    "FPS": ("frame per second", "frames per second"), "fps": ("frame per second", "frames per second"),
    "nm": ("nanometre", "nanometres"), "mm": ("millimetre", "millimetres"), "cm": ("centimetre", "centimetres"),
    "km": ("kilometre", "kilometres"), "m": ("metre", "metres"), "mAh": ("milliamp hour", "milliamp hours"),
    "pp": ("percentage point", "percentage points"), "W": ("watt", "watts"), "kW": ("kilowatt", "kilowatts"),
    "\u00b0C": ("degree Celsius", "degrees Celsius"),
}
"""Units read after a number (singular after exactly 1); "s" only after a decimal or a space ("1990s")."""

# --- regexes ---------------------------------------------------------------------------------------

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_SUP = re.compile(r"<sup>\s*(.*?)\s*</sup>", re.I | re.S)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:)\]]", re.I)
_URL_AT = re.compile(r"\b(available|released|provided|hosted|found|accessible|obtained)(?:\s+(?:publicly|freely))?"
                     r"(?:\s+(?:at|on|from|via|here))?\s*:?\s*(?=(?:https?://|www\.))", re.I)
_URL_END = re.compile(r"(?:\s+(?:at|on|via|here))?\s*:\s*" + _URL.pattern + r"(?=[.;]?\s*$|[.;]\s)", re.I)
"""A URL that ends a sentence after a colon ("Code and models: https://...")."""
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_CITATION = re.compile(r"\s?\[\s*(?:\d+(?:\s*[,;\u2013-]\s*\d+)*|[^\[\]]*?\b\d{4}[a-z]?)\s*\]")
_INTERVAL_BEFORE = re.compile(r"\b(?:the|a|an|range|interval|within|between|over)\s*$", re.I)
_YEAR = r"(?:19|20)\d{2}[a-z]?"
_AUTHOR_YEAR = re.compile(
    rf"\s?\((?:e\.g\.,?\s*|see\s+)?(?:[^()]*?\bet al\.?|[A-Z][\w'-]+(?:\s+(?:and|&)\s+[A-Z][\w'-]+)?),?\s*{_YEAR}"
    rf"(?:\s*[;,]\s*[^()]*?{_YEAR})*\)|\s?\({_YEAR}\)")
"""Author-year citations "(Radford et al., 2021)", "(Khemlani & Johnson-Laird, 2022)" and a bare "(1996)"."""
_CITE = re.compile(r"~?\\cite[a-z]*\*?(?:\[[^\]]*\])*\{[^{}]*\}")
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)
_BARE_MATH = re.compile(r"(?<![\w\\])(?:[O\u0398\u03a9]\([^()\s]?[^()]{0,40}\)|[A-Za-z0-9]+\^\{?[\w-]+\}?"
                        r"|[A-Za-z]{1,3}_(?:\{[^{}]*\}|[A-Za-z0-9]{1,2}(?!\w)))")
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
_POWER = re.compile(r"\^\s*(?:\{([^{}]*)\}|(-?\d+|\\[A-Za-z]+|[A-Za-z]))")
_SUBSCRIPT = re.compile(r"_\s*(?:\{([^{}]*)\}|(\\?[A-Za-z0-9]))")


_SPOKEN_POWERS = {"2": "squared", "3": "cubed", "-1": "inverse", "T": "transpose", "\\top": "transpose",
                  "\\prime": "prime", "'": "prime", "*": "star", "\\star": "star", "\\circ": "degrees",
                  "o": "degrees", "\\dagger": "dagger"}


def _power(match: re.Match[str]) -> str:
    exponent = (match[1] if match[1] is not None else match[2]).strip()
    if exponent in ("th", "st", "nd", "rd"):  # "$k^{th}$" -> "kth"
        return exponent + " "
    if exponent in _SPOKEN_POWERS:
        return f" {_SPOKEN_POWERS[exponent]} "
    if len(exponent) > 1 and exponent.isalpha():  # a label, not a power: "CROC$^{syn}$" -> "CROC syn"
        return f" {exponent} "
    return f" to the power {exponent} "


def _subscript(match: re.Match[str]) -> str:
    return f" sub {(match[1] if match[1] is not None else match[2]).strip()} "


def _command(match: re.Match[str]) -> str:
    word = _COMMANDS.get(match[1])
    return f" {word} " if word else " "


_LETTER_RUN = re.compile(_WRAP.pattern + r"|(?<![\\A-Za-z{])[A-Za-z]{2,6}(?![A-Za-z}])")
"""A run of letters in math is a product of variables ("$O(MNd)$" -> "M N d"), unless it is a known word."""
_MATH_WORDS = frozenset({"log", "exp", "max", "min", "sin", "cos", "tan", "lim", "det", "mod", "arg", "sup", "inf",
                         "ln", "dim", "poly", "rank", "tr"})


def _letters(match: re.Match[str]) -> str:
    run = match[0]
    if match[1] is not None or run.lower() in _MATH_WORDS:  # \text{...} is read as written
        return run
    if "log" in run:  # "nlogn" -> "n log n"
        return run.replace("log", " log ")
    return " ".join(run)


def speak_math(math: str) -> str:
    """Read a LaTeX math expression aloud: "O(n^2)" -> "O of n squared"."""
    text = math.replace("\\left", "").replace("\\right", "").replace("\\,", " ").replace("\\;", " ")
    text = text.replace("\\!", "").replace("\\%", " percent").replace("%", " percent")
    range_ = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*(percent)?\s*", text)
    if range_:  # "$5-9\%$" is a range, not a subtraction
        return f" {range_[1]} to {range_[2]} {range_[3] or ''} "
    # a hyphen in \text{B-cos} is part of a name: keep it from being read as "minus"
    text = _LETTER_RUN.sub(_letters, text)
    text = re.sub(r"([_^])\s*" + _WRAP.pattern.split(r"\s*\{")[0], r"\1", text)  # "_\text{FLC}" -> "_{FLC}"
    text = _sub_loop(_WRAP, lambda m: m[1].replace("-", "\u2010"), text)
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


def _scripts(text: str) -> str:
    """Unicode super- and subscript runs as LaTeX: "10⁻⁶" -> "10^{-6}", "AP_rare" stays readable."""
    def fold(match: re.Match[str], mark: str) -> str:
        return mark + "{" + unicodedata.normalize("NFKC", match[0]).replace("\u2212", "-") + "}"

    text = re.sub(r"[\u00b2\u00b3\u00b9\u2070-\u207f\u1d2c-\u1d61\u02b0-\u02b8\u02e1-\u02e4\u1d9c-\u1dbf]+",
                  lambda m: fold(m, "^"), text)
    return re.sub(r"[\u2080-\u208e\u2090-\u209c\u1d62-\u1d6a]+", lambda m: fold(m, "_"), text)


def _latex(text: str) -> str:
    text = text.replace("\\%", "%").replace("\\&", "&").replace("\\_", " ").replace("\\#", "#")
    text = _CITE.sub("", text).replace("{\\deg}", "\u00b0")
    text = re.sub(r"\\\$", " dollars ", text)
    text = re.sub(r"(?<!\w)(?:~(?=\s?\d)|\u2248(?=\d))", " about ", text)  # "~8%", "≈8%" (as displayed)
    text = _MATH.sub(_math_match, text)
    text = re.sub(r" +-(?=[a-z]+\b)", "-", text)  # "$\alpha$-th" -> "alpha-th"
    text = _BARE_MATH.sub(lambda m: speak_math(m[0]), text)
    text = _sub_loop(_WRAP, r"\1", text)
    text = _COMMAND.sub(_command, text)
    return text.replace("$", " ").replace("{", "").replace("}", "").replace("~", " ")


def _relations(text: str) -> str:
    """Comparisons outside math: "p < 0.001" -> "p less than 0.001", "N=300" -> "N equals 300"."""
    for symbol, words in (("->", " to "), ("<=", " less than or equal to "), (">=", " greater than or equal to "),
                          ("<", " less than "), (">", " greater than "), ("=", " equals ")):
        text = re.sub(rf"(?<=[\w()\s]){re.escape(symbol)}(?=\s*[\w.(\u2212-])", words, text)
    return re.sub(r"\b([Aa])\s+(?:about|approximately)\b", r"\1n approximately", text)


def _unit(match: re.Match[str]) -> str:
    singular, plural = _UNITS[match[2]]
    return f"{match[1]} {singular if match[1] == '1' else plural}"


_UNIT = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s{0,2}(" +
                   "|".join(sorted((re.escape(u) for u in _UNITS if u != "s"), key=len, reverse=True)) +
                   r"|(?<=\.\d)s|(?<=\.\d\d)s|(?<=\s)s)(?![\w\u2010-])")


_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
         "seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
_YEAR_CONTEXT = re.compile(
    rf"(?:\b(?:in|In|since|Since|by|until|year|early|late|mid|before|after|during|{_MONTH_NAMES})"
    rf"|\b(?:{_MONTH_NAMES}) \d{{1,2}},|\bof(?=\s\d{{4}}\s*(?:[.,;:!?)]|$))"
    r"|\b(?:twenty|nineteen)(?: [a-z]+(?:-[a-z]+)?)? (?:and|or|to|through)"
    r"|\b[Ff]rom(?=\s\d{4}\s(?:to|until|through)\s\d{4})"
    r"|\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*|\b[A-Z][a-z]+[A-Z]\w*)[\s-]+((?:19[5-9]|20[0-3])\d)(?!\d|[.,]\d|\s?%|\s?[kKMBT]\b)")
"""A year after "in", "since", a month or date, an event name ("IMO 2025", "SemEval 2026"), or "of" at the end
of a clause ("week 16 of 2026:"); not "2048 tokens" or "of 2000 images"."""


def _two_digits(n: int) -> str:
    return _ONES[n] if n < 20 else _TENS[n // 10] + ("-" + _ONES[n % 10] if n % 10 else "")


def _year(match: re.Match[str]) -> str:
    """ "2026" -> "twenty twenty-six", "2005" -> "two thousand five", "1996" -> "nineteen ninety-six"."""
    year = int(match[1])
    if 2000 <= year < 2010:
        spoken = "two thousand" + (f" {_ONES[year % 10]}" if year % 10 else "")
    else:
        spoken = f"{_two_digits(year // 100)} {_two_digits(year % 100) if year % 100 else 'hundred'}"
    return match[0][: match.start(1) - match.start(0)] + spoken


def _numbers(text: str) -> str:
    text = _sub_loop(_YEAR_CONTEXT, _year, text)  # again for "in 2019 and 2020"
    text = re.sub(r"(?:-|\b)v(\d+(?:\.\d+)*)(?!\w)", r" version \1", text)  # "LLaVA-v1.5", "NYU Depth v2"
    text = re.sub(r"(?<=-)(\d+(?:\.\d+)?)b(?![A-Za-z0-9])", r"\1B", text)  # "Mistral-7b": a size
    text = re.sub(r"(?<![\w-])x(\d{1,2}(?:\.\d+)?)(?![\w.])", r"times \1", text)  # "x4" super-resolution
    text = re.sub(r"(\d)\s*[x\u00d7]\s*(\d)", r"\1 by \2", text)
    text = re.sub(r"(\d+(?:[.,]\d+)?)\s*%", r"\1 percent", text).replace("%", " percent ")
    text = re.sub(r"(\d+(?:\.\d+)?)\s*(?:[x\u00d7]|\*(?=\s))(?![A-Za-z0-9])", r"\1 times", text)
    # "ImageNet-1K" and "4K video" say "K"; "70K images" says "thousand"
    text = re.sub(r"(?<=[A-Za-z]{2}-)(\d+)[kK](?![A-Za-z0-9])|\b([248])K\b", lambda m: f"{m[1] or m[2]} K", text)
    text = re.sub(r"\b(\d+(?:\.\d+)?)([kKMBT])(?![A-Za-z0-9])(-(?=[A-Z]))?",
                  lambda m: f"{m[1]} {_MAGNITUDE[m[2]]}{' ' if m[3] else ''}", text)
    text = re.sub(r"\b(thousand|million|billion|trillion)[\u2013-](?=\d)", r"\1 to ", text)  # "5K-10K"
    text = re.sub(r"(?<![\w.\-])(\d+(?:\.\d+)?)\s*[\u2013-]\s*(\d+(?:\.\d+)?)(?![\w.\-])", r"\1 to \2", text)
    text = re.sub(r"(\d+):(\d+)(?!:)", r"\1 to \2", text)
    text = re.sub(r"(?<![\w)])[\u2212\u2013-](?=\d)", "minus ", text)
    text = re.sub(r"(?<![\w)])\+(?=\d)", "plus ", text)
    text = re.sub(r"(?<=\d)-(?=\d)", " ", text)  # "Qwen3-8B": a version then a size, not a range
    text = re.sub(r"(?<=\d)-(?=[A-Za-z])", " ", text)  # "Qwen2.5-VL", "GPT-5-mini", "4-bit"
    text = re.sub(r"([A-Za-z])-(?=\d)", r"\1 ", text)
    text = re.sub(r"\b([A-Za-z]{2,})(?=\d)", r"\1 ", text)
    text = re.sub(r"#\s?(?=\d)", "number ", text)
    text = re.sub(r"#(?=[A-Z]\b)", "sharp ", text)  # "#P-complete"
    text = _UNIT.sub(_unit, text)
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
        # a name made of acronyms and numbers ("HSMP-BERT", "DeepSeek-R1") is read with pauses, not hyphens
        parts = token.split("-")
        spoken = [_speak_token(part) for part in parts]
        out = spoken[0]
        for before, after, word in zip(parts, parts[1:], spoken[1:], strict=False):
            out += (" " if _is_name_part(before) or _is_name_part(after) else "-") + word
        return out
    core, plural = (token[:-1], True) if len(token) > 2 and token.endswith("s") and token[:-1].isupper() \
        else (token, False)
    if core.isupper() and core.isalpha():
        if core in _COMMON_CAPS or len(core) == 1:
            return token if len(core) == 1 else token.lower()
        if core in WORDS or core in LEXICON:
            return (LEXICON.get(core, core)) + ("s" if plural else "")
        if len(core) >= 4 and _PRONOUNCEABLE.fullmatch(core):
            return core.capitalize() + ("s" if plural else "")
        if len(core) <= 5 or not re.search(r"[AEIOUY]", core):
            return spell(core) + ("'s" if plural else "")
        return token.capitalize()
    humps = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", token)
    if len(humps) > 1 and any(c.islower() for c in token) and all(len(h) > 1 for h in humps):
        return " ".join(_hump(h) for h in humps)
    return token


def _hump(hump: str) -> str:
    """One part of a CamelCase name: "Net" stays, "GPT" is spelled, "HAND" (in "FreiHAND") is a word."""
    if not hump.isupper() or hump in WORDS:
        return hump
    return hump.capitalize() if len(hump) >= 4 and _PRONOUNCEABLE.fullmatch(hump) else spell(hump)


def _is_name_part(part: str) -> bool:
    return any(c.isdigit() for c in part) or (len(part) > 1 and part.isupper())


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


def _citation(match: re.Match[str]) -> str:
    """Drop a numeric citation "[12]", but read an interval "in the [1, 9] range" as "1 to 9"."""
    numbers = re.findall(r"\d+(?:\.\d+)?", match[0])
    if len(numbers) == 2 and "," in match[0] and _INTERVAL_BEFORE.search(match.string, 0, match.start()):
        return f" {numbers[0]} to {numbers[1]}"
    return ""


def normalize(text: str, language: str = "en") -> str:
    """Return ``text`` as words for a speech engine of ``language`` ("en" or "zh")."""
    text = html.unescape(text)
    text = _SUP.sub(r"^{\1}", text)
    text = _TAG.sub(" ", text)
    text = _URL_END.sub(" online", text)
    text = _URL_AT.sub(r"\1 online ", text)
    text = _URL.sub(" ", text)
    text = re.sub(r" online\s+(?=[.,;]|$)", " online", text)
    text = _EMAIL.sub(" ", text)
    text = _CITATION.sub(_citation, text)
    text = _AUTHOR_YEAR.sub("", text)
    text = "".join(_printable(c) for c in text)
    if language != "en":
        return _tidy_zh(text)
    text = _SPELLED_OUT.sub(_unless_spelled_out, text)
    text = _relations(_latex(_scripts(text)))
    for pattern, words in _ABBREVIATIONS:
        text = re.sub(pattern, words, text)
    text = _numbers(text)
    text = re.sub(r"(?<![\d.,])1\s+degrees\b", "1 degree", _ascii(text))
    text = _WORD.sub(_word, text)
    text = re.sub(r"[\"`*_^|<>=\\{}#$%@&~]", " ", text)
    text = re.sub(r"(?<=\s)'|'(?=\s)|^'|'$", " ", text)
    text = re.sub(r"\s*[(\[]\s*", ", ", text)
    text = re.sub(r"\s*[)\]]\s*(?=[.,;:!?])", "", text)
    text = re.sub(r"\s*[)\]]\s*", ", ", text)
    text = re.sub(r"/", " ", text)
    return _tidy(text)


_SPELLED_OUT = re.compile(r"\s*\(([A-Za-z][A-Za-z-]*)\)")


def _unless_spelled_out(match: re.Match[str]) -> str:
    """A parenthesized token dropped when its spoken form repeats the words before it: "chain-of-thought
    (CoT)" would be read "chain-of-thought, chain of thought"."""
    spoken = LEXICON.get(match[1])
    said = match.string[: match.start()].lower().replace("-", " ")
    return "" if spoken and said.endswith(spoken.lower()) else match[0]


def _tidy_zh(text: str) -> str:
    """Chinese: keep the characters, drop markup symbols, emoji and control characters."""
    text = re.sub(r"\$[^$]*\$", " ", text)
    text = re.sub(r"\\[A-Za-z]+", " ", text)
    text = re.sub(r"[A-Za-z]+", lambda m: LEXICON_ZH.get(m[0], m[0]), text)
    text = re.sub(r"(?<!\w)(?<!\d )[~\u2248\uff5e]\s?(?=\d)", "约", text)  # "≈8%": about, not a range "3 ~ 5"
    text = _zh_numbers(text)
    out = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if category.startswith(("L", "N", "Z")) or char in "，。！？；：、,.!?;:%-()（） ":
            out.append(char)
        else:
            out.append(" ")
    text = re.sub(r"\s+", " ", "".join(out)).strip()
    return re.sub(r"(?<=[\u3400-\u9fff\uff0c\u3002\uff01\uff1f\uff1b\uff1a\u3001]) (?=[\u3400-\u9fff])|"
                  r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff\uff0c\u3002\uff01\uff1f\uff1b\uff1a\u3001])", "", text)


# --- Chinese numbers -------------------------------------------------------------------------------

_ZH_DIGITS = "零一二三四五六七八九"
_ZH_MAGNITUDE = {"k": 10**3, "K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}
_ZH_NUMBER = re.compile(r"([-\u2212]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:([kKMBT])(?![A-Za-z]))?(\s*[%\uff05])?")
_ZH_YEAR = re.compile(r"(?<![\w.])(\d{4})\s*年")
_ZH_NUMERAL = "零一二三四五六七八九十百千万亿两点负"


def _zh_group(n: int) -> str:
    """1..9999 in Chinese, with 零 for inner zeros: 1010 -> 一千零一十."""
    out, zero = "", False
    for power, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // power % 10
        if digit == 0:
            zero = bool(out)
            continue
        out += ("零" if zero else "") + _ZH_DIGITS[digit] + unit
        zero = False
    return out


def zh_integer(n: int) -> str:
    """A whole number as Chinese numerals: 128 -> 一百二十八, 10000 -> 一万, 1500000000 -> 十五亿."""
    if n == 0:
        return "零"
    groups: list[int] = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out, gap = "", False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            gap = bool(out)
            continue
        if out and (gap or group < 1000):
            out += "零"
        out += _zh_group(group) + ("", "万", "亿", "万亿")[index]
        gap = False
    return out[1:] if out.startswith("一十") else out


_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.")


def _in_latin_name(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is part of a Latin name such as "GPT-4", "Qwen2.5-7B" or "4-bit"."""
    left, right = start, end
    while left > 0 and text[left - 1] in _NAME_CHARS:
        left -= 1
    while right < len(text) and text[right] in _NAME_CHARS:
        right += 1
    return any(c.isalpha() for c in text[left:start] + text[end:right])


def _zh_number(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start else ""
    # digits inside a Latin name ("GPT-4", "Qwen2.5-7B", "4-bit") stay as they are
    if _in_latin_name(text, start, end):
        return match[0]
    sign, whole, fraction, magnitude, percent = match.groups()
    negative = bool(sign) and not (before.isdigit() or (before != "" and before in _ZH_NUMERAL + "%\uff05"))
    digits = whole.replace(",", "")
    if magnitude:  # "1.5B" -> 1500000000 -> 十五亿
        value = (Decimal(f"{digits}.{fraction or 0}") * _ZH_MAGNITUDE[magnitude]).normalize()
        digits, _, fraction = f"{value:f}".partition(".")
    spoken = zh_integer(int(digits))
    if fraction:
        spoken += "点" + "".join(_ZH_DIGITS[int(d)] for d in fraction)
    if digits == "2" and not fraction and not percent and before != "第" and re.match(r"\s*[^\W\d月日号点周A-Za-z]",
                                                                                   text[end:]):
        spoken = "两"  # "2 篇" -> 两篇: two of something, not the digit two
    if percent:
        spoken = "百分之" + spoken
    if sign:  # "-5" is negative; the "-" of "1-3" is a range
        spoken = ("负" if negative else "到") + spoken
    return spoken


def _zh_numbers(text: str) -> str:
    """Numbers read the Chinese way: "3.5%" -> 百分之三点五, "2026年" -> 二零二六年, "10,000" -> 一万."""
    text = _ZH_YEAR.sub(lambda m: "".join(_ZH_DIGITS[int(d)] for d in m[1]) + "年", text)
    text = _ZH_NUMBER.sub(_zh_number, text)
    return re.sub(rf"(?<=[{_ZH_NUMERAL}])\s*[~\uff5e\u2013]\s*(?=[{_ZH_NUMERAL}]|百分之)", "到", text)
