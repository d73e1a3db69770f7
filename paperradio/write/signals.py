"""Reasons to read a paper that sit outside its abstract: an accepted venue, released code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..models import Paper
from .clean import plain_text

CodeStatus = Literal["available", "promised"]

_CONFERENCES = (
    r"NeurIPS|NIPS|ICML|ICLR|CVPR|ICCV|ECCV|ACL|EMNLP|NAACL|COLING|EACL|AACL|IJCNLP|CoNLL|COLM|AAAI|IJCAI|"
    r"KDD|WWW|TheWebConf|SIGIR|WSDM|CIKM|RecSys|MICCAI|MIDL|ICRA|IROS|CoRL|RSS|WACV|BMVC|ACCV|3DV|ICIP|"
    r"ICASSP|Interspeech|INTERSPEECH|AISTATS|UAI|COLT|ALT|LREC|LREC-COLING|SIGGRAPH Asia|SIGGRAPH|"
    r"ACM MM|ACM Multimedia|ICME|ICDM|SDM|ECAI|ECML[- ]PKDD|IJCNN|ICPR|ISBI|DAC|ICCAD|CHI|UIST|"
    r"CSCW|ICSE|FSE|ASE|ISSTA|USENIX Security|CCS|NDSS|S&P|AIED|LAK|ICDAR|ECIR|ICDE|VLDB|SIGMOD|"
    r"EUSIPCO|ICANN|ICONIP|PAKDD|ACML|ICMR|ISMIR|IJCB|MLSys|NAACL-HLT|SIGDIAL|INLG|ICWSM|FAccT|AIES"
)
_JOURNALS = (
    r"TPAMI|IJCV|TMLR|JMLR|TACL|TIP|TNNLS|TMM|TCSVT|TKDE|TASLP|Nature|Science|PNAS|Pattern Recognition"
)
_VENUE = re.compile(
    rf"(?<![A-Za-z])(?P<name>{_CONFERENCES}|{_JOURNALS})(?P<workshop>W)?"
    r"(?:\s*(?P<year>(?:19|20)\d{2}|'\d{2})|[-\s]?(?P<short>'?\d{2})(?!\d))?(?![A-Za-z])"
)
_JOURNAL = re.compile(rf"^(?:{_JOURNALS})$")
_NEGATIVE = re.compile(r"\b(?:submitted|submission|under review|in review|preprint|rejected|withdrawn|"
                       r"extended version|extension of|prepared for|planned)\b", re.I)
_POSITIVE = re.compile(r"\b(?:accepted|accept|to appear|appears? (?:in|at)|published|camera[- ]ready|"
                       r"proceedings|oral|spotlight|highlight|main (?:conference|track)|findings)\b", re.I)
_HONOUR = re.compile(r"\b(best (?:student )?paper(?: award)?|outstanding paper|oral|spotlight|highlight)\b",
                     re.I)
_CLAUSE = re.compile(r"[;\n|]|\.\s+")
_CODE_HOST = re.compile(r"(?:github\.com|gitlab\.com|huggingface\.co|bitbucket\.org|codeberg\.org)/\w", re.I)
# Only code counts: "models are increasingly available" says nothing about this paper's release.
_CODE_WORDS = re.compile(
    r"\b(?:(?:source )?code(?:base)?s?|implementations?)\b[^.;]{0,80}?\b(?:available|released?|"
    r"open[- ]sourced?|public)\b|\b(?:we|will) (?:publicly )?(?:release|open[- ]source)\b[^.;]{0,40}"
    r"\b(?:code|implementation)",
    re.I,
)
_PROMISE = re.compile(r"\b(?:will be|to be|upon (?:acceptance|publication)|soon|once)\b", re.I)


@dataclass(frozen=True)
class Signals:
    venue: str | None = None
    """Where the paper is accepted, as written ("ICLR 2026", "Findings of EMNLP 2025")."""
    journal: bool = False
    workshop: bool = False
    honour: str | None = None
    """"oral", "spotlight", "best paper award", ..."""
    code: CodeStatus | None = None

    def lead(self) -> str:
        """One sentence with the signals ("Accepted at ICLR 2026 (oral), with code available."), or ""."""
        parts: list[str] = []
        if self.venue:
            where = f"a workshop at {self.venue}" if self.workshop else self.venue
            text = f"Accepted {'in' if self.journal else 'at'} {where}"
            if self.honour:
                text += f" ({self.honour.lower()})"
            parts.append(text)
        if self.code == "available":
            parts.append("with code available" if parts else "Code is available")
        elif self.code == "promised":
            parts.append("code is promised" if parts else "Code is promised")
        if not parts:
            return ""
        sep = ", " if self.code == "available" else "; "
        return sep.join(parts) + "."


def detect_signals(paper: Paper) -> Signals:
    """Look for an acceptance in ``comments``/``journal_ref`` and for code in the abstract or comments."""
    venue, journal, workshop, honour = _venue(paper.comments or "", published=False)
    if venue is None and paper.journal_ref:
        venue, journal, workshop, honour = _venue(paper.journal_ref, published=True)
    code = _code(f"{plain_text(paper.abstract)}\n{plain_text(paper.comments or '')}")
    return Signals(venue=venue, journal=journal, workshop=workshop, honour=honour, code=code)


def _venue(text: str, *, published: bool) -> tuple[str | None, bool, bool, str | None]:
    for clause in _CLAUSE.split(plain_text(text)):
        if _NEGATIVE.search(clause):
            continue
        match = _VENUE.search(clause)
        if not match:
            continue
        # "ICCV 2025" alone is the usual way to say "accepted"; a bare name without a year is not.
        if not (match.group("year") or match.group("short") or published or _POSITIVE.search(clause)):
            continue
        name = match.group(0).strip()
        if re.search(r"\bfindings\b", clause, re.I) and "findings" not in name.lower():
            name = f"Findings of {name}"
        # "CL4Health @ LREC 2026" is a workshop held at LREC, not the main conference.
        workshop = bool(match.group("workshop")) or bool(re.search(r"\bworkshops?\b", clause, re.I)) \
            or "@" in clause[:match.start()]
        honour = _HONOUR.search(clause)
        return (name, bool(_JOURNAL.match(match.group("name"))), workshop and not match.group("workshop"),
                honour.group(1) if honour else None)
    return None, False, False, None


def _code(text: str) -> CodeStatus | None:
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        if _CODE_HOST.search(sentence) or _CODE_WORDS.search(sentence):
            return "promised" if _PROMISE.search(sentence) else "available"
    return None
