"""What a pick's segment says: title, credit, content and why it matters, fitted to the segment's length."""

from __future__ import annotations

import dataclasses

from paperradio.config import load_settings
from paperradio.models import Pick, Writeup
from paperradio.radio.script import SEGMENT_WORDS, pick_lines, voices
from tests.samples import sample_issue

SENTENCES = [f"Finding number {i} shows that the method improves accuracy on benchmark {i} by {i}.5 points "
             "over the strongest published baseline." for i in range(1, 30)]
ABSTRACT = " ".join(SENTENCES)


def spoken_words(pick: Pick) -> int:
    return sum(len(line.text.split()) for line in pick_lines(pick, voices(load_settings(env={}))))


def with_writeup(section: str, paragraphs: tuple[str, ...], line: str) -> Pick:
    pick = next(p for p in sample_issue().picks if p.section == section)
    paper = dataclasses.replace(pick.paper, abstract=ABSTRACT)
    writeup = Writeup(paragraphs=paragraphs, recommendation="Read it for the gains.", headline="Gains",
                      line=line)
    return dataclasses.replace(pick, paper=paper, writeup=writeup)


def test_a_short_featured_write_up_is_lengthened_from_the_abstract_to_a_minute() -> None:
    pick = with_writeup("featured", (SENTENCES[4],), SENTENCES[4])
    least, most = SEGMENT_WORDS["featured"]
    assert least <= spoken_words(pick) <= most
    text = " ".join(line.text for line in pick_lines(pick, voices(load_settings(env={}))))
    assert text.count("benchmark 5 ") == 1  # what the write-up says is not said twice
    # the abstract's own order: what comes before the write-up's sentence is said before it
    assert text.index("benchmark 1 ") < text.index("benchmark 4 ") < text.index("benchmark 5 ") \
        < text.index("benchmark 6 ")


def test_sentences_added_to_a_featured_write_up_are_said_where_the_abstract_has_them() -> None:
    # after 2604.13036 (Lyra 2.0): "This generative reconstruction approach ..." was said after the idea's
    # paragraph, far from the first sentence it points to
    pick = with_writeup("featured", (SENTENCES[0], SENTENCES[6]), SENTENCES[6])  # benchmarks 1 and 7
    spoken = [line.text for line in pick_lines(pick, voices(load_settings(env={})))]
    first = next(i for i, text in enumerate(spoken) if "benchmark 1 " in text)
    between, second, after = spoken[first + 1 : first + 4]
    assert "benchmark 2 " in between and "benchmark 6 " in between and "benchmark 7 " not in between
    assert second.startswith("Finding number 7 ") and "benchmark 8 " in after
    # what falls between two sentences of one paragraph goes into it
    pick = with_writeup("featured", (f"{SENTENCES[0]} {SENTENCES[3]}", SENTENCES[9]), SENTENCES[9])
    spoken = [line.text for line in pick_lines(pick, voices(load_settings(env={})))]
    paragraph = next(text for text in spoken if "benchmark 1 " in text)
    assert [paragraph.index(f"benchmark {n} ") for n in (1, 2, 3, 4)] == sorted(
        paragraph.index(f"benchmark {n} ") for n in (1, 2, 3, 4))


def test_a_short_radiostation_line_is_said_after_its_background() -> None:
    abstract = ("Autonomous driving needs planners that stay robust in closed-loop interaction with other cars. "
                "Diffusion planners model trajectories well but drift without corrective feedback at all. "
                "Furthermore, we propose ReD, a generator-discriminator framework trained with reinforcement learning. "
                "ReD cuts the collision rate by 56 percent against strong diffusion-based planners today.")
    pick = with_writeup("nlp", (), "We propose ReD, a generator-discriminator framework trained with "
                                   "reinforcement learning.")
    pick = dataclasses.replace(pick, paper=dataclasses.replace(pick.paper, abstract=abstract))
    text = " ".join(line.text for line in pick_lines(pick, voices(load_settings(env={}))))
    # the line drops the abstract's "Furthermore,": it is still the sentence the background leads to
    assert text.index("Autonomous driving") < text.index("Diffusion planners") < text.index("We propose ReD") \
        < text.index("ReD cuts")
    assert "Furthermore" not in text


def test_a_long_featured_write_up_is_cut_at_sentence_ends_to_three_minutes() -> None:
    paragraphs = tuple(" ".join(SENTENCES[i:i + 5]) for i in range(0, 25, 5))
    pick = with_writeup("featured", paragraphs, SENTENCES[0])
    assert spoken_words(pick) <= SEGMENT_WORDS["featured"][1]
    last = pick_lines(pick, voices(load_settings(env={})))[-2].text  # before "Why it matters"
    assert last.endswith("baseline.")


def test_a_radiostation_pick_takes_half_a_minute_to_a_minute() -> None:
    short = with_writeup("nlp", (ABSTRACT,), "A short line.")
    least, most = SEGMENT_WORDS["radiostation"]
    assert least <= spoken_words(short) <= most
    long = with_writeup("nlp", (ABSTRACT,), " ".join(SENTENCES[:8]))
    assert spoken_words(long) <= most


def test_a_pick_without_write_up_is_read_from_its_abstract() -> None:
    pick = dataclasses.replace(with_writeup("nlp", (), ""), writeup=None)
    assert SEGMENT_WORDS["radiostation"][0] <= spoken_words(pick) <= SEGMENT_WORDS["radiostation"][1]


def test_the_recommendation_does_not_repeat_what_the_summary_just_said() -> None:
    pick = with_writeup("featured", (SENTENCES[4],), SENTENCES[4])
    lines = voices(load_settings(env={}))
    # after 2604.08995 (Matrix-Game 3.0): the extractive recommendation quotes the summary's last sentence
    quoting = dataclasses.replace(pick, writeup=dataclasses.replace(
        pick.writeup, recommendation=f"Code is available. Key result: {SENTENCES[4]}"))
    spoken = [line.text for line in pick_lines(quoting, lines)]
    assert spoken[-1] == "Why it matters: Code is available."
    assert " ".join(spoken).count("benchmark 5 ") == 1
    # a result the summary does not say is said under its own label, not "Why it matters: Key result: ..."
    other = dataclasses.replace(pick, writeup=dataclasses.replace(
        pick.writeup, recommendation=f"Key result: {SENTENCES[27]}"))
    assert pick_lines(other, lines)[-1].text == f"Key result: {SENTENCES[27]}"
    # a recommendation of its own words keeps the frame
    assert pick_lines(pick, lines)[-1].text == "Why it matters: Read it for the gains."
