"""What the radio says: a spoken segment per pick and the running order of a full episode, per language.

A script is made of :class:`Line` s (one utterance for one engine and voice, already normalized for
speech) grouped into :class:`Part` s (the intro, a section heading, one pick's segment, the outro). Parts may
start a chapter. Nothing here renders audio.

The Chinese edition frames the episode in Chinese (espeak-ng). A pick whose write-up was translated
(``Pick.writeup_in("zh")``) has its summary and recommendation read in Chinese; its title and names, and
the whole content of a pick without a translation, are read by the English voice: those lines are identical
to the English edition's, so they are rendered once and shared through the speech cache.
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass
from datetime import date

from ..config import Settings
from ..errors import RadioError
from ..models import Issue, Pick, Section
from ..write import plain_text, split_sentences
from .speech import normalize

__all__ = ["Line", "Part", "Script", "Voice", "edited_part", "episode_script", "pick_lines", "segment_part",
           "voices"]

PAUSE = 0.45
"""Seconds of silence after a line."""
PARAGRAPH_PAUSE = 0.7
PART_PAUSE = 1.2
"""Seconds of silence after a part (between picks, around headings)."""

SEGMENT_WORDS = {"featured": (165, 420), "radiostation": (75, 135)}
"""Words a pick's segment says (title, credit, content): the voice reads about 155 a minute, so a featured
pick takes 1 to 3 minutes and a Radiostation pick 30 to 60 seconds."""

_CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_FIELD_EN = {"nlp": "natural language processing", "cv": "computer vision", "ml": "machine learning"}
_SECTION_EN = {"featured": "Featured", "nlp": "NLP", "cv": "CV", "ml": "ML"}
_SECTION_ZH = {"featured": "精选", "nlp": "NLP", "cv": "CV", "ml": "ML"}


@dataclass(frozen=True)
class Voice:
    engine: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.engine}:{self.name}"


@dataclass(frozen=True)
class Line:
    text: str
    """Speech text (normalized), what the engine is given."""
    voice: Voice
    pause: float = PAUSE


@dataclass(frozen=True)
class Part:
    lines: tuple[Line, ...]
    key: str
    """Names the part in a script file: "intro", "featured" (a section heading), "featured-01" (a pick)."""
    chapter: str | None = None
    """Title of the chapter that starts with this part, if any."""
    pick: int | None = None
    """Index in ``issue.picks`` when this part is that pick's segment."""
    pause: float = PART_PAUSE

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    @property
    def voice_label(self) -> str:
        return " + ".join(dict.fromkeys(line.voice.label for line in self.lines))


@dataclass(frozen=True)
class Script:
    """One edition: a part per pick (its segment) and the episode's running order."""

    language: str
    segments: dict[int, Part]
    episode: tuple[Part, ...]


def voices(settings: Settings) -> dict[str, Voice]:
    """The voice of each supported edition language: English from the speech API when one is configured,
    else piper."""
    english = Voice("openai", settings.tts_voice) if settings.tts_base_url else Voice("piper", settings.voice_en)
    return {"en": english, "zh": Voice("espeak-ng", settings.voice_zh)}


def _line(text: str, voice: Voice, language: str, pause: float = PAUSE) -> Line | None:
    spoken = normalize(text, language)
    if spoken and language == "en" and spoken[-1] not in ".!?":
        spoken += "."
    return Line(spoken, voice, pause) if re.search(r"\w", spoken) else None


def _lines(*items: Line | None) -> tuple[Line, ...]:
    return tuple(item for item in items if item is not None)


def _names(names: tuple[str, ...]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _paragraphs(paragraphs: tuple[str, ...]) -> list[str]:
    """Paragraphs as spoken units; a paragraph that stops mid-sentence runs on into the next."""
    merged: list[str] = []
    for paragraph in (p.strip() for p in paragraphs):
        if not paragraph:
            continue
        if merged and not re.search(r"[.!?:;\"')\]]$", merged[-1]):
            merged[-1] = f"{merged[-1]} {paragraph}"
        else:
            merged.append(paragraph)
    return merged


def plain_title(title: str) -> str:
    """A title as a chapter name: HTML tags and entities resolved, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"</?[A-Za-z][^<>]*>", "", html.unescape(title))).strip()


def pick_lines(pick: Pick, all_voices: dict[str, Voice], language: str = "en") -> tuple[Line, ...]:
    """The content of a pick: title, who it is from, what it does, why it matters. Title and names are read
    by the English voice; the rest in ``language`` when the pick's write-up is translated into it, else in
    English."""
    paper, english = pick.paper, all_voices["en"]
    writeup = pick.writeup_in(language)
    if writeup is None or writeup.language != language:
        language = "en"  # not translated: the English write-up (or abstract), read by the English voice
    voice = all_voices[language]
    credit = f"From {_names(pick.credit.names)}." if pick.credit.names else \
        "From a team without an established record."
    if writeup is None:
        body, recommendation = [], ""
    elif pick.section == "featured":
        body = _paragraphs(writeup.paragraphs) or [writeup.line]
        recommendation = writeup.recommendation
    else:
        body = [writeup.line or (writeup.paragraphs[0] if writeup.paragraphs else "")]
        recommendation = writeup.recommendation
    why = "推荐："
    if language == "en":  # a translation is read as written; English content is fitted to the segment's length
        frame = _words(paper.title) + _words(credit) + _words(_unsaid(recommendation, " ".join(body)))
        body = _fit(body, paper.abstract, SEGMENT_WORDS["featured" if pick.section == "featured" else
                                                        "radiostation"], frame)
        recommendation = _unsaid(recommendation, " ".join(body))
        why = "" if any(map(_LABEL.match, split_sentences(recommendation))) else "Why it matters: "
    return _lines(
        _line(paper.title, english, "en"),
        _line(credit, english, "en", PARAGRAPH_PAUSE),
        *(_line(text, voice, language, PARAGRAPH_PAUSE) for text in body),
        _line(f"{why}{recommendation}", voice, language) if recommendation.strip() else None,
    )


_LABEL = re.compile(r"^[A-Z]\w*(?: \w+)?: ")
"""A recommendation's own label ("Key result: ..."), which "Why it matters:" in front would only stutter."""


def _unsaid(recommendation: str, said: str) -> str:
    """The recommendation less its sentences that ``said`` already tells. The extractive writer's quotes the
    abstract ("Key result: <a sentence of the summary>"), and a segment should not say a sentence twice in a
    row; "Code is available." stays."""
    kept = []
    for sentence in split_sentences(recommendation):
        quote = _LABEL.sub("", sentence)
        if not _says(said, quote) and quote[1:] not in said:  # a quote is capitalized where it lost its opener
            kept.append(sentence)
    return " ".join(kept)


def _words(text: str) -> int:
    return len(text.split())


def _fit(body: list[str], abstract: str, words: tuple[int, int], frame: int) -> list[str]:
    """``body`` brought into the segment's word range: lengthened by the abstract's sentences it does not say
    yet (:func:`_lengthened`), or cut at sentence ends from the back."""
    least, most = words[0] - frame, words[1] - frame
    count = _words(" ".join(body))
    if count < least:
        return _lengthened(body, split_sentences(plain_text(abstract)), least - count)
    fitted = list(body)
    while count > most and len(fitted) > 1:
        count -= _words(fitted.pop())
    if count > most:
        sentences = split_sentences(fitted[0])
        while count > most and len(sentences) > 1:
            count -= _words(sentences.pop())
        fitted[0] = " ".join(sentences)
    return fitted


def _lengthened(body: list[str], sentences: list[str], missing: int) -> list[str]:
    """``body`` with the first of the abstract's ``sentences`` it does not say, ``missing`` words of them.

    An added sentence is said where the abstract has it: inside a paragraph that says sentences on both
    sides of it, else after the paragraphs that start before it and before the others. So "We propose X."
    is not followed by why X is needed, and "This approach ..." comes after what it points to. A paragraph
    that says no sentence of the abstract (an abstractive summary) counts as starting first.
    """
    said = [[i for i, sentence in enumerate(sentences) if _says(paragraph, sentence)] for paragraph in body]
    told = {i for indices in said for i in indices}
    added = []
    for i, sentence in enumerate(sentences):
        if missing <= 0:
            break
        if i not in told:
            added.append(i)
            missing -= _words(sentence)
    # slot k holds what is said before body[k]; the last slot, what is said after the whole body
    slots: list[list[str]] = [[] for _ in range(len(body) + 1)]
    paragraphs = list(body)
    for i in added:
        inside = next((k for k, indices in enumerate(said) if indices and indices[0] < i < indices[-1]), None)
        if inside is not None:
            paragraphs[inside] = _inserted(paragraphs[inside], sentences, i)
        else:
            slot = max((k + 1 for k, indices in enumerate(said) if min(indices, default=-1) < i), default=0)
            slots[slot].append(sentences[i])
    spoken = [" ".join(slots[0])] if slots[0] else []
    for paragraph, slot_sentences in zip(paragraphs, slots[1:], strict=True):
        spoken += [paragraph, " ".join(slot_sentences)] if slot_sentences else [paragraph]
    return spoken


def _inserted(paragraph: str, sentences: list[str], index: int) -> str:
    """``paragraph`` with the abstract's sentence ``index`` put in before the first of its sentences that
    comes later in the abstract."""
    parts = split_sentences(paragraph)
    later = next((n for n, part in enumerate(parts)
                  if any(_says(part, sentence) for sentence in sentences[index + 1 :])), len(parts))
    return " ".join([*parts[:later], sentences[index], *parts[later:]])


def _says(said: str, sentence: str) -> bool:
    """Whether ``said`` tells the abstract's ``sentence``, whole or less its opener ("Furthermore, we ..."
    printed as "We ...")."""
    rest = sentence.split(", ", 1)[-1]
    return sentence in said or (rest != sentence and rest[1:] in said)


def _lead(pick: Pick, language: str, voice: Voice) -> Line | None:
    if language == "zh":
        text = f"精选论文 {pick.rank}。" if pick.section == "featured" else f"论文 {pick.rank}。"
        return _line(text, voice, "zh")
    label = "Featured paper" if pick.section == "featured" else f"{_FIELD_EN[pick.field].capitalize()}, number"
    return _line(f"{label} {pick.rank}.", voice, "en")


def segment_part(issue: Issue, index: int, language: str, all_voices: dict[str, Voice]) -> Part:
    """The segment of ``issue.picks[index]`` in ``language``: a short lead, then the pick's content."""
    pick = issue.picks[index]
    lead = _lead(pick, language, all_voices[language])
    chapter = None
    if pick.section == "featured":
        chapter = f"{'精选' if language == 'zh' else 'Featured'} {pick.rank}: {plain_title(pick.paper.title)}"
    return Part(_lines(lead, *pick_lines(pick, all_voices, language)), f"{pick.section}-{pick.rank:02d}",
                chapter=chapter, pick=index)


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _day(day: date) -> str:
    return f"{_DAYS[day.weekday()]}, {_MONTHS[day.month - 1]} {day.day}"


def _headlines(issue: Issue) -> list[str]:
    return [p.writeup.headline.strip() for p in issue.section("featured")[:3] if p.writeup and p.writeup.headline]


def _intro_en(issue: Issue, settings: Settings, voice: Voice) -> Part:
    week = issue.week
    heads = _headlines(issue)
    headline = ("This week: " + "; ".join(heads[:-1]) + ("; and " if len(heads) > 1 else "") + heads[-1] + ".") \
        if heads else None
    counts = [len(issue.section(s)) for s in ("featured", "nlp", "cv", "ml")]
    pool = f" from {issue.pool_size:,} new ones" if issue.pool_size else ""
    summary = f"We picked {len(issue.picks)} papers{pool}"
    summary += f": {counts[0]} featured papers, then the Radiostation with {counts[1]} in natural language " \
               f"processing, {counts[2]} in computer vision and {counts[3]} in machine learning."
    return Part(_lines(
        _line(f"Welcome to {settings.podcast_title}, week {week.number} of {week.year}: papers announced "
              f"on arXiv from {_day(week.monday)} to {_day(week.friday)}, {week.year}.", voice, "en"),
        _line(headline, voice, "en") if headline else None,
        _line(summary, voice, "en"),
    ), "intro", chapter="Introduction")


def _intro_zh(issue: Issue, voice: Voice, english: Voice) -> Part:
    week = issue.week
    mon, fri = week.monday, week.friday
    heads = _headlines(issue)
    pool = f"从 {issue.pool_size} 篇新论文中" if issue.pool_size else ""
    return Part(_lines(
        _line(f"欢迎收听论文电台。这是 {week.year} 年第 {week.number} 周，{mon.month} 月 {mon.day} 日至 "
              f"{fri.month} 月 {fri.day} 日在 arXiv 上发布的论文。", voice, "zh"),
        _line("本周头条：", voice, "zh") if heads else None,
        _line("; ".join(heads), english, "en") if heads else None,
        _line(f"本周{pool}精选了 {len(issue.picks)} 篇论文。{_untranslated_zh(issue)}", voice, "zh"),
    ), "intro", chapter="开场")


def _untranslated_zh(issue: Issue) -> str:
    """What the Chinese intro says about picks read in English (those without a Chinese write-up)."""
    translated = sum(1 for p in issue.picks if (w := p.writeup_in("zh")) is not None and w.language == "zh")
    if translated == len(issue.picks):
        return ""
    return "论文内容暂时用英文播报。" if translated == 0 else "未翻译的论文内容用英文播报。"


def _heading(section: Section, count: int, language: str, voice: Voice, first_radio: bool) -> Part:
    if language == "zh":
        text = f"本周 {count} 篇精选论文。" if section == "featured" else \
            f"本周 {count} 篇 {_SECTION_ZH[section]} 精选论文。"
        chapter = "精选论文" if section == "featured" else f"{_SECTION_ZH[section]} 精选"
        line = _line(text, voice, "zh")
    else:
        if section == "featured":
            text = f"First, the {count} featured papers of the week."
        else:
            field = _FIELD_EN[section]
            text = f"Now the Radiostation, starting with {field}: {count} picks." if first_radio else \
                (f"And finally, {field}: {count} picks." if section == "ml" else f"Next, {field}: {count} picks.")
        chapter = "Featured papers" if section == "featured" else f"{_SECTION_EN[section]} Radiostation"
        line = _line(text, voice, "en")
    return Part(_lines(line), section, chapter=chapter, pause=0.8)


def _outro(issue: Issue, settings: Settings, language: str, voice: Voice) -> Part:
    if language == "zh":
        text = "以上就是本周的全部内容。每篇论文的链接都在本期文字版里。感谢收听论文电台，我们下周再见。"
    else:
        text = (f"That's all for week {issue.week.number}. Links to every paper are in the written issue. "
                f"Thanks for listening to {settings.podcast_title}, and see you next week.")
    return Part(_lines(_line(text, voice, language)), "outro", pause=0.0)


def episode_script(issue: Issue, settings: Settings, language: str) -> Script:
    """Segments and the running order of the ``language`` edition of ``issue``."""
    all_voices = voices(settings)
    if language not in all_voices:
        raise RadioError(f"no radio voice for edition {language!r}; radio supports {', '.join(all_voices)}")
    voice = all_voices[language]
    index = {id(p): i for i, p in enumerate(issue.picks)}
    segments = {i: segment_part(issue, i, language, all_voices) for i in range(len(issue.picks))}
    parts = [_intro_zh(issue, voice, all_voices["en"]) if language == "zh" else _intro_en(issue, settings, voice)]
    first_radio = True
    for section in ("featured", "nlp", "cv", "ml"):
        picks = issue.section(section)
        if not picks:
            continue
        parts.append(_heading(section, len(picks), language, voice, first_radio and section != "featured"))
        first_radio = first_radio and section == "featured"
        parts.extend(segments[index[id(p)]] for p in picks)
    parts.append(_outro(issue, settings, language, voice))
    return Script(language, segments, tuple(parts))


def edited_part(part: Part, paragraphs: list[str], language: str, all_voices: dict[str, Voice]) -> Part:
    """``part`` saying ``paragraphs`` (one line each, as an editor wrote them) instead. A paragraph that is
    one of the part's lines keeps that line as it is (so its speech stays cached); a new one is normalized
    for speech and takes the pause of the line it replaces. Outside the English edition, a paragraph
    without Chinese characters is read by the English voice, as the generated script does."""
    kept = {line.text: line for line in part.lines}
    lines: list[Line] = []
    for index, text in enumerate(paragraphs):
        if text in kept:
            lines.append(kept[text])
            continue
        spoken_in = language if language == "en" or _CHINESE.search(text) else "en"
        pause = part.lines[index].pause if index < len(part.lines) else PAUSE
        line = _line(text, all_voices[spoken_in], spoken_in, pause)
        if line is not None:
            lines.append(line)
    if not lines:
        raise RadioError(f"segment {part.key!r} has nothing to say")
    return dataclasses.replace(part, lines=tuple(lines))
