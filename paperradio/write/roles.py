"""Rhetorical roles of abstract sentences: problem, method, result, from cue phrases and position."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Role = Literal["problem", "method", "result", "code"]
ROLE_ORDER: tuple[Role, ...] = ("problem", "method", "result")
"""The order of a featured write-up's paragraphs."""


def _cues(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(patterns) + r")", re.I)


_PROBLEM = _cues(
    r"struggl", r"challeng", r"however", r"limited", r"limitation", r"lack", r"suffer", r"difficult",
    r"costly", r"expensive", r"bottleneck", r"fail", r"hinder", r"remains? (?:an? )?(?:open|unclear|unsolved|"
    r"underexplored|elusive|poorly)", r"gap", r"despite", r"although", r"existing (?:methods|approaches|"
    r"work|models|benchmarks|techniques)", r"prior (?:work|methods|approaches)", r"insufficient",
    r"under-?explored", r"unexplored", r"rarely", r"vulnerab", r"hard to", r"inefficien", r"scarc",
    r"problem", r"issue", r"crucial", r"critical", r"important", r"essential", r"key to", r"increasingly",
    r"prohibitive", r"degrad", r"unreliable", r"bias", r"cannot", r"can't", r"neglect", r"overlook",
    r"ignore", r"little attention", r"not well", r"still",
)
_PROBLEM_STRONG = _cues(r"struggl", r"however", r"remains? ", r"lack", r"suffer", r"fail", r"challeng",
                        r"limited", r"limitation", r"bottleneck")
_METHOD = _cues(
    r"we propose", r"we introduce", r"we present", r"we develop", r"we design", r"we describe",
    r"we formulate", r"we build", r"we construct", r"we devise", r"we study", r"we investigate",
    r"we explore", r"we prove", r"we derive", r"we train", r"we leverage", r"we frame", r"we cast",
    r"we extend", r"we release", r"we curate", r"we collect", r"we create", r"we tackle", r"we address",
    r"we analy[sz]e", r"we revisit", r"we model", r"we employ", r"we adopt", r"we use", r"we evaluate",
    r"we compare", r"we benchmark", r"we conduct", r"we examine", r"we assess", r"we measure", r"we apply",
    r"(?:this|our) (?:paper|work|study|article) (?:proposes|presents|introduces|develops|describes|"
    r"studies|investigates|explores|addresses)", r"in this (?:paper|work|study)",
    r"our (?:method|approach|framework|model|system|algorithm|key idea|insight)", r"called", r"named",
    r"dubbed", r"termed", r"framework", r"novel", r"key idea", r"consists of", r"comprises", r"pipeline",
    r"architecture", r"module", r"mechanism", r"leverag", r"to (?:address|tackle|overcome|bridge|mitigate|"
    r"solve) th",
)
_METHOD_STRONG = _cues(r"we (?:propose|introduce|present|develop|design|prove|derive|study|investigate)",
                       r"(?:this|our) (?:paper|work|study) (?:proposes|presents|introduces|develops)",
                       r"in this (?:paper|work|study)")
_RESULT = _cues(
    r"outperform", r"improv", r"achiev", r"surpass", r"exceed", r"state[- ]of[- ]the[- ]art", r"sota",
    r"significant", r"reduc", r"speeds? up", r"speed-?up", r"faster", r"gain", r"boost", r"beat",
    r"competitive", r"on par", r"match", r"(?:experiments?|results?|evaluations?|analys[ie]s|ablations?) "
    r"(?:on [\w\s-]{1,40})?(?:show|demonstrate|confirm|reveal|indicate|suggest|validate|verify)",
    r"extensive experiments", r"empirical", r"benchmark", r"accuracy", r"f1", r"bleu", r"consistently",
    r"up to", r"fewer", r"less memory", r"higher", r"lower", r"robust", r"generaliz", r"effective",
    r"superior", r"better", r"relative", r"absolute", r"best", r"we (?:find|observe|show) that",
    r"yield", r"enabl", r"attain", r"reach", r"leads? to", r"results in", r"findings",
    r"(?:reveal|show|find|demonstrate|indicate|suggest|confirm)s? that",
)
_RESULT_STRONG = _cues(r"outperform", r"state[- ]of[- ]the[- ]art", r"surpass", r"improv\w* (?:\w+ )?by",
                       r"achiev\w* (?:a |an )?(?:new )?(?:state|\d)", r"speeds? up", r"reduc\w* .{0,30}by")
# Not the digits of a name such as "GPT-4o" or "o3-mini", nor a dimension ("3D"): those are no quantities.
_NUMBER = re.compile(
    r"(?<![\w.])(?<![A-Za-z]-)\d+(?:[.,]\d+)*(?!\d|D\b)(?:\s?(?:%|×|x\b|-fold|pp\b|points?\b|dB\b))?")
_WE = re.compile(r"\b(?:we|our|this (?:paper|work|study))\b", re.I)
_MEASURE = re.compile(r"\d(?:\s?%|\s?×|x\b|-fold|\s?pp\b)")
# A release notice ("Code is available at ...") is no claim: it feeds the recommendation, not the text.
_CODE = re.compile(
    r"https?://|www\.|github|gitlab|huggingface\.co|\b(?:source )?code(?:base)?s?\b[^.]{0,60}"
    r"\b(?:available|released?|open[- ]sourced?|public(?:ly)?)\b|\b(?:data(?:set)?s?|models?|weights|"
    r"benchmarks?|checkpoints?)\b[^.]{0,40}\b(?:are|is|will be) (?:made )?(?:publicly |freely |openly )?"
    r"(?:available|released)\b",
    re.I,
)


@dataclass(frozen=True)
class RoleScores:
    problem: float
    method: float
    result: float
    code: bool
    numbers: int
    """How many numeric quantities the sentence states (years excluded)."""

    def get(self, role: Role) -> float:
        if role == "code":
            return 1.0 if self.code else 0.0
        return float(getattr(self, role))


def score_roles(sentence: str, position: float) -> RoleScores:
    """Cue scores of one sentence; ``position`` is its place in the abstract, 0 (first) to 1 (last)."""
    numbers = sum(1 for m in _NUMBER.finditer(sentence)
                  if not _is_year(m.group(0)) and not _is_enumerator(sentence, m.start(), m.end()))
    measures = len(_MEASURE.findall(sentence))
    problem = 0.5 * _count(_PROBLEM, sentence) + 1.0 * bool(_PROBLEM_STRONG.search(sentence))
    method = 0.5 * _count(_METHOD, sentence) + 2.0 * bool(_METHOD_STRONG.search(sentence))
    # Numbers alone are weak evidence: "We propose X (5-20x for ...)" is still the method sentence.
    result = (0.5 * _count(_RESULT, sentence) + 1.0 * bool(_RESULT_STRONG.search(sentence))
              + 0.4 * min(numbers, 3) + 0.5 * min(measures, 2))
    # Abstracts run problem -> method -> results, so position breaks ties between weak cues.
    problem += 0.8 * (1.0 - position) ** 2
    method += 0.4 * (1.0 - abs(position - 0.4))
    result += 0.8 * position ** 2
    if _WE.search(sentence):
        problem *= 0.5  # "We find that X fails" is a finding, "We propose" a method: not the problem
    return RoleScores(problem, method, result, bool(_CODE.search(sentence)), numbers)


def primary_role(scores: RoleScores) -> Role:
    """The role a sentence serves best; code-availability sentences are their own kind."""
    if scores.code:
        return "code"
    best: Role = max(ROLE_ORDER, key=lambda role: (scores.get(role), -ROLE_ORDER.index(role)))
    return best


def _count(pattern: re.Pattern[str], text: str) -> int:
    return min(len(pattern.findall(text)), 4)


def _is_enumerator(sentence: str, start: int, end: int) -> bool:
    """The "1" of a list item, "(1) ..." or "...: 1) ...", which counts nothing."""
    if sentence[end : end + 1] != ")" or not sentence[start:end].isdigit() or end - start > 2:
        return False
    before = sentence[:start].rstrip(" ")
    return before == "" or before[-1] in "(:;,"


def _is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and 1900 <= int(token) <= 2100
