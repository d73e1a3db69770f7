"""Lookup tables for the LaTeX converter: which command becomes which character, and which take arguments.

The lists come from counting the commands in 75k real arXiv cs abstracts and titles
(``\\%``, ``\\textbf``, ``\\times``, ``\\emph``, ... down to the ones seen about ten times).
"""

from __future__ import annotations

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
    "upsilon": "υ", "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}

_OPERATORS = {
    "times": "×", "div": "÷", "pm": "±", "mp": "∓", "cdot": "·", "circ": "∘", "ast": "*", "star": "⋆",
    "bullet": "•", "oplus": "⊕", "otimes": "⊗", "odot": "⊙", "setminus": "∖", "wedge": "∧", "land": "∧",
    "vee": "∨", "lor": "∨", "neg": "¬", "lnot": "¬", "cap": "∩", "cup": "∪", "bigcup": "⋃", "bigcap": "⋂",
    "sim": "~", "simeq": "≃", "approx": "≈", "cong": "≅", "equiv": "≡", "propto": "∝", "neq": "≠", "ne": "≠",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "leqslant": "≤", "geqslant": "≥", "ll": "≪", "gg": "≫",
    "lesssim": "≲", "gtrsim": "≳", "prec": "≺", "succ": "≻", "preceq": "⪯", "succeq": "⪰",
    "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "supset": "⊃", "subseteq": "⊆", "supseteq": "⊇",
    "mid": "|", "nmid": "∤", "parallel": "∥", "perp": "⊥", "top": "⊤", "bot": "⊥", "vdash": "⊢",
    "models": "⊨", "forall": "∀", "exists": "∃", "nexists": "∄", "emptyset": "∅", "varnothing": "∅",
    "infty": "∞", "partial": "∂", "nabla": "∇", "ell": "ℓ", "hbar": "ℏ", "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ",
    "sum": "Σ", "prod": "∏", "int": "∫", "oint": "∮", "angle": "∠", "triangle": "△", "square": "□",
    "prime": "′", "dagger": "†", "ddagger": "‡", "dag": "†", "ddag": "‡", "degree": "°",
    "deg": "°",  # in abstracts \deg is the degree sign ("90\deg"), not a polynomial degree
    "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "leftrightarrow": "↔", "Rightarrow": "⇒",
    "Leftarrow": "⇐", "Leftrightarrow": "⇔", "implies": "⇒", "iff": "⇔", "mapsto": "↦",
    "longrightarrow": "⟶", "longleftarrow": "⟵", "Longrightarrow": "⟹", "uparrow": "↑", "downarrow": "↓",
    "updownarrow": "↕", "rightleftharpoons": "⇌", "hookrightarrow": "↪", "nearrow": "↗", "searrow": "↘",
    "langle": "⟨", "rangle": "⟩", "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊", "rfloor": "⌋", "vert": "|",
    "Vert": "‖", "lvert": "|", "rvert": "|", "lVert": "‖", "rVert": "‖", "backslash": "\\",
    "ldots": "…", "dots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱", "dotsc": "…", "dotsb": "⋯",
    "checkmark": "✓", "cmark": "✓", "xmark": "✗", "S": "§", "P": "¶", "copyright": "©",
    "textregistered": "®", "texttrademark": "™", "textdegree": "°", "textasciitilde": "~",
    "textbackslash": "\\", "textendash": "–", "textemdash": "—", "textquoteright": "’", "textquoteleft": "‘",
    "textbullet": "•", "textbar": "|", "textless": "<", "textgreater": ">", "textunderscore": "_",
    "textasciicircum": "^", "textperthousand": "‰", "textmu": "μ", "euro": "€", "pounds": "£",
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å",
    "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ",
    "eg": "e.g.", "ie": "i.e.", "etal": "et al.", "etc": "etc.", "wrt": "w.r.t.", "vs": "vs.",
    "LaTeX": "LaTeX", "TeX": "TeX", "quad": " ", "qquad": " ", "enspace": " ", "thinspace": " ",
    "newline": " ", "linebreak": " ", "par": " ", "hfill": " ",
}

_WORD_OPERATORS = (
    "log", "ln", "lg", "exp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "arg", "max", "min", "sup",
    "inf", "lim", "limsup", "liminf", "det", "dim", "ker", "Pr", "gcd", "argmax", "argmin", "sgn",
    "softmax", "mod", "bmod", "pmod", "hom",
)

SYMBOLS: dict[str, str] = {**_GREEK, **{w: w for w in _WORD_OPERATORS}, **_OPERATORS}
"""Commands without arguments and the text that replaces them."""

ESCAPES: dict[str, str] = {
    "%": "%", "&": "&", "_": "_", "#": "#", "{": "{", "}": "}", "|": "‖", "\\": " ", ",": " ", ";": " ",
    ":": " ", ">": " ", " ": " ", "!": "", "-": "", "/": "", "@": "", "\n": " ", "\t": " ",
}
"""Single-character commands that are not accents."""

ACCENTS: dict[str, str] = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307",
}
"""Text-mode accent commands written with a symbol, mapped to the combining mark."""

LETTER_ACCENTS: dict[str, str] = {
    "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "k": "\u0328", "r": "\u030a", "d": "\u0323",
    "b": "\u0331", "t": "\u0361",
}
"""Text-mode accent commands written with a letter (``\\c{c}``, ``\\v{s}``), mapped to the combining mark."""

COMBINING: dict[str, str] = {
    "hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303", "widetilde": "\u0303", "bar": "\u0304",
    "overline": "\u0305", "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308", "acute": "\u0301",
    "grave": "\u0300", "check": "\u030c", "breve": "\u0306", "mathring": "\u030a",
}
"""Math accents: applied to a one-character argument, dropped on a longer one."""

ARG_KEEP: frozenset[str] = frozenset({
    "textbf", "textit", "emph", "texttt", "textsc", "textsf", "textrm", "textmd", "textup", "textsl",
    "textnormal", "text", "mbox", "hbox", "fbox", "makebox", "underline", "uline", "uwave",
    "sout", "st", "hl", "mathrm", "mathbf", "mathit", "mathsf", "mathtt", "mathcal", "mathscr", "mathfrak",
    "mathnormal", "mathbold", "boldsymbol", "bm", "pmb", "operatorname", "operatornamewithlimits",
    "ensuremath", "url", "nolinkurl", "path", "enquote", "mathop", "mathbin", "mathrel", "mathord",
    "overbrace", "underbrace", "boxed", "smash", "phantom", "lowercase", "uppercase", "MakeUppercase",
    "MakeLowercase", "textcircled", "emoji",
})
"""Formatting commands whose one argument is the visible text."""

ARG_DROP: dict[str, int] = {
    "cite": 1, "citep": 1, "citet": 1, "citealp": 1, "citeauthor": 1, "citeyear": 1, "nocite": 1,
    "ref": 1, "eqref": 1, "autoref": 1, "cref": 1, "Cref": 1, "pageref": 1, "label": 1, "color": 1,
    "vspace": 1, "hspace": 1, "includegraphics": 1, "footnotemark": 0, "fontsize": 2, "setlength": 2,
    "renewcommand": 2, "newcommand": 2, "def": 0, "faGithub": 0, "ding": 1, "raisebox": 1,
}
"""Commands whose arguments are invisible (citations, labels, colours, layout), with their argument count."""

DECLARATIONS: frozenset[str] = frozenset({
    "bf", "it", "em", "rm", "tt", "sc", "sf", "sl", "bfseries", "itshape", "mdseries", "scshape", "upshape",
    "normalfont", "tiny", "scriptsize", "footnotesize", "small", "normalsize", "large", "Large", "LARGE",
    "huge", "Huge", "displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle", "noindent",
    "indent", "centering", "raggedright", "nobreak", "limits", "nolimits", "left", "right", "big", "Big",
    "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "middle", "protect", "relax",
    "xspace", "clearpage", "newpage", "allowbreak", "mathstrut", "strut", "boldmath", "unboldmath",
    "maketitle", "item", "medskip", "smallskip", "bigskip", "vfill",
})
"""Commands that only change the look of what follows: dropped, with no argument."""

BLACKBOARD: dict[str, str] = {
    "R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ", "H": "ℍ", "1": "𝟙", "I": "𝕀",
}

SUPERSCRIPTS: dict[str, str] = dict(zip(
    "0123456789+-−=()nijkmtxyabcdefghloprsuvwzATU",
    "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱʲᵏᵐᵗˣʸᵃᵇᶜᵈᵉᶠᵍʰˡᵒᵖʳˢᵘᵛʷᶻᴬᵀᵁ",
    strict=True,
))
SUBSCRIPTS: dict[str, str] = dict(zip(
    "0123456789+-−=()aehijklmnoprstuvx",
    "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ",
    strict=True,
))
