"""The extractive writer and the write stage's entry point, on sample and real abstracts."""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
from datetime import date
from pathlib import Path

import pytest

from paperradio.config import Settings
from paperradio.errors import WriteError
from paperradio.models import Author, Paper, Pick
from paperradio.write import ExtractiveWriter, get_writer, register_writer, run, write_paper, writer_names
from paperradio.write.clean import plain_text
from paperradio.write.extractive import NO_ABSTRACT, _told, _with_context, score_sentences
from paperradio.write.sentences import is_complete, split_sentences
from tests.samples import ABSTRACTS, make_paper, sample_issue

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path / 'test.db'}", figures=False)


def _paper(abstract: str, title: str = "A Title: With a Subtitle", comments: str | None = None) -> Paper:
    return Paper(arxiv_id="2604.00001", title=title, abstract=abstract, authors=(Author("A. Author"),),
                 categories=("cs.CL",), announced=date(2026, 4, 13), comments=comments)


def _sentences(paragraphs: tuple[str, ...]) -> list[str]:
    return [s for paragraph in paragraphs for s in split_sentences(paragraph)]


def _from_abstract(sentence: str, source: list[str]) -> bool:
    """Whether ``sentence`` is one of the abstract's, closed with a full stop or less a leading opener
    ("To address this, we ..." -> "We ...", "Second, we ..." -> "We ...")."""
    return sentence in source or sentence[:-1] in source or \
        any(s.rstrip(".").endswith(sentence[1:].rstrip(".")) for s in source)


def _assert_extractive(paper: Paper, paragraphs: tuple[str, ...], line: str) -> None:
    """Every output sentence is a whole sentence of the cleaned abstract; numbers and order kept."""
    source = split_sentences(plain_text(paper.abstract))
    used = _sentences(paragraphs)
    for sentence in [*used, line]:
        assert is_complete(sentence), sentence
        assert _from_abstract(sentence, source), sentence
    assert len(used) == len(set(used)), "a sentence is repeated"
    cleaned = plain_text(paper.abstract)
    for number in _NUMBER.findall(" ".join([*paragraphs, line])):
        assert number in cleaned, number


@pytest.mark.parametrize("index", range(len(ABSTRACTS)))
def test_featured_writeup_is_extractive(index: int) -> None:
    paper = make_paper(index)
    writeup = write_paper(paper, featured=True)
    assert 2 <= len(writeup.paragraphs) <= 4
    _assert_extractive(paper, writeup.paragraphs, writeup.line)
    assert writeup.method == "extractive" and writeup.language == "en"


def test_featured_paragraphs_run_problem_idea_evidence() -> None:
    writeup = write_paper(make_paper(0), featured=True)
    problem, idea, evidence = writeup.paragraphs
    assert problem.startswith("Large language models (LLMs) struggle")
    assert idea.startswith("We propose SparseRoute")
    assert "O(n log n)" in idea
    # The numbers of the result sentence survive exactly.
    assert evidence == ("On LongBench, SparseRoute improves accuracy by 7.4% over the best baseline while "
                        "using 38% less memory.")


def test_radiostation_writeup_is_one_short_paragraph() -> None:
    for index in range(len(ABSTRACTS)):
        paper = make_paper(index)
        writeup = write_paper(paper, featured=False)
        assert len(writeup.paragraphs) == 1
        assert 1 <= len(split_sentences(writeup.paragraphs[0])) <= 2
        _assert_extractive(paper, writeup.paragraphs, writeup.line)
        assert len(split_sentences(writeup.line)) == 1


def test_line_says_what_the_paper_does() -> None:
    assert write_paper(make_paper(3), featured=False).line == \
        "We present DocAgent, which retrieves tool documentation at planning time."


def test_recommendation_uses_signals_and_the_strongest_result() -> None:
    writeup = write_paper(make_paper(0), featured=True)  # comments: "Accepted to ICLR 2026; 12 pages"
    assert writeup.recommendation == (
        "Accepted at ICLR 2026, with code available. Key result: On LongBench, SparseRoute improves accuracy "
        "by 7.4% over the best baseline while using 38% less memory."
    )
    plain = write_paper(make_paper(3), featured=True)  # no comments, no code
    assert plain.recommendation == ("Key result: Across 4 benchmarks, DocAgent solves 61.2% of tasks versus "
                                    "44.0% for ReAct.")


def test_headline_is_short_and_from_the_title() -> None:
    assert write_paper(make_paper(3), featured=True).headline == "Agents That Read the Manual"
    for index in range(len(ABSTRACTS)):
        assert len(write_paper(make_paper(index), featured=True).headline) <= 60


def test_near_duplicate_sentences_appear_once() -> None:
    abstract = (
        "Tool-using agents fail when tools are undocumented. "
        "We present DocAgent, which retrieves tool documentation at planning time. "
        "We present DocAgent, which retrieves the tool documentation at planning time. "
        "Across 4 benchmarks, DocAgent solves 61.2% of tasks versus 44.0% for ReAct. "
        "Across 4 benchmarks, DocAgent solves 61.2% of the tasks versus 44.0% for ReAct."
    )
    for featured in (True, False):
        writeup = write_paper(_paper(abstract), featured=featured)
        text = " ".join(writeup.paragraphs)
        assert text.count("We present DocAgent") == 1
        assert text.count("Across 4 benchmarks") == 1


def test_one_sentence_abstract() -> None:
    paper = _paper("We propose a method that improves accuracy by 3.2% on GLUE.")
    for featured in (True, False):
        writeup = write_paper(paper, featured=featured)
        assert writeup.paragraphs == ("We propose a method that improves accuracy by 3.2% on GLUE.",)
        assert writeup.line == "We propose a method that improves accuracy by 3.2% on GLUE."


def test_two_sentence_abstract_still_gives_two_paragraphs() -> None:
    paper = _paper("Parsers break on long inputs and nobody knows why. We propose a fix that halves errors.")
    writeup = write_paper(paper, featured=True)
    assert writeup.paragraphs == ("Parsers break on long inputs and nobody knows why.",
                                  "We propose a fix that halves errors.")


@pytest.mark.parametrize("abstract", ["", "   \n  "])
def test_empty_abstract_falls_back(abstract: str) -> None:
    paper = _paper(abstract, title="Agents That Read the Manual: Tool Documentation")
    for featured in (True, False):
        writeup = write_paper(paper, featured=featured)
        assert writeup.paragraphs == (NO_ABSTRACT,)
        assert writeup.headline == "Agents That Read the Manual"
        assert writeup.line == "Agents That Read the Manual: Tool Documentation."
        assert writeup.recommendation


def test_abstract_without_terminal_punctuation_is_closed() -> None:
    writeup = write_paper(_paper("A benchmark of cat pictures for detection"), featured=True)
    assert writeup.paragraphs == ("A benchmark of cat pictures for detection.",)


def test_markup_in_the_abstract_is_cleaned_in_the_writeup() -> None:
    abstract = (r"Attention costs $O(n^2)$ memory, which limits long inputs. We propose \textbf{Lin}, a "
                r"linear attention with $O(n)$ cost. Lin is 4.64$\times$ faster and improves F1 by 7.4\%.")
    writeup = write_paper(_paper(abstract), featured=True)
    text = " ".join(writeup.paragraphs)
    assert "O(n²)" in text and "4.64×" in text and "7.4%" in text
    assert "$" not in text and "\\" not in text


def test_deterministic_and_independent_of_the_batch(settings: Settings) -> None:
    picks = list(sample_issue(with_writeups=False).picks)
    first = run(picks, settings)
    again = run(picks, settings)
    backwards = run(picks[::-1], settings)[::-1]
    assert [p.writeup for p in first] == [p.writeup for p in again] == [p.writeup for p in backwards]


def test_run_sets_writeups_in_order_without_touching_the_input(settings: Settings) -> None:
    picks = list(sample_issue(with_writeups=False).picks)
    written = run(picks, settings)
    assert [p.paper.arxiv_id for p in written] == [p.paper.arxiv_id for p in picks]
    assert all(p.writeup is None for p in picks)
    for before, after in zip(picks, written, strict=True):
        assert after.writeup is not None
        assert after == dataclasses.replace(before, writeup=after.writeup)
        expected = (2, 4) if before.section == "featured" else (1, 1)
        assert expected[0] <= len(after.writeup.paragraphs) <= expected[1]
    assert run([], settings) == []


def test_writer_registry(settings: Settings) -> None:
    assert {"extractive", "llm"} <= set(writer_names())
    writer = get_writer("extractive")
    assert isinstance(writer, ExtractiveWriter)
    pick: Pick = sample_issue(with_writeups=False).picks[0]
    assert writer.write([pick], settings) == [write_paper(pick.paper, featured=True)]
    with pytest.raises(WriteError, match=r"unknown writer 'gpt'; available writers: extractive, llm"):
        get_writer("gpt")
    with pytest.raises(WriteError, match="already registered"):
        register_writer("extractive", ExtractiveWriter)


def _corpus_papers(path: Path, count: int) -> list[Paper]:
    papers: list[Paper] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for number, raw in enumerate(fh):
            if number % 97:  # spread the sample over the whole 15 months
                continue
            row = json.loads(raw)
            papers.append(Paper(
                arxiv_id=row["id"], title=row["title"], abstract=row["abstract"],
                authors=tuple(Author(" ".join(p for p in (first, last) if p)) for last, first, *_ in
                              row["authors_parsed"]),
                categories=tuple(row["categories"].split()), announced=date.fromisoformat(row["announced"]),
                comments=row["comments"],
            ))
            if len(papers) == count:
                break
    return papers


def test_real_abstracts(shared_data: Path) -> None:
    papers = _corpus_papers(shared_data / "corpus" / "arxiv_cs_listings.jsonl.gz", 300)
    assert len(papers) == 300
    for paper in papers:
        cleaned = plain_text(paper.abstract)
        source = split_sentences(cleaned)
        for featured in (True, False):
            writeup = write_paper(paper, featured=featured)
            used = _sentences(writeup.paragraphs)
            for sentence in [*used, *split_sentences(writeup.line)]:
                assert is_complete(sentence), (paper.arxiv_id, sentence)
                assert _from_abstract(sentence, source), (paper.arxiv_id, sentence)
            assert len(used) == len(set(used)), paper.arxiv_id
            numbers = _NUMBER.findall(" ".join([*writeup.paragraphs, writeup.line]))
            assert all(n in cleaned for n in numbers), paper.arxiv_id
            extra = f"{cleaned} {plain_text(paper.comments)}"
            assert all(n in extra for n in _NUMBER.findall(writeup.recommendation)), paper.arxiv_id
            assert 0 < len(writeup.headline) <= 60
            if featured and len([s for s in source if len(s.split()) >= 8]) >= 3:
                assert 2 <= len(writeup.paragraphs) <= 4, paper.arxiv_id
            if not featured:
                assert len(writeup.paragraphs) == 1 and 1 <= len(split_sentences(writeup.paragraphs[0])) <= 2


def test_line_drops_a_connective_that_points_back() -> None:
    abstract = ("Agents fail on long documents. To address this gap, we introduce DocAgent, which reads iteratively. "
                "DocAgent improves accuracy by 5.0% on LongBench.")
    paper = _paper(abstract)
    assert write_paper(paper, featured=False).line == "We introduce DocAgent, which reads iteratively."
    # "In this paper," says nothing in a line of its own; "Based on this insight," points back
    for opener in ("In this paper", "Based on this insight", "Building on these findings", "With this"):
        paper = dataclasses.replace(paper, abstract=abstract.replace("To address this gap", opener))
        assert write_paper(paper, featured=False).line == "We introduce DocAgent, which reads iteratively."


def test_line_is_the_sentence_that_names_the_paper() -> None:
    abstract = (  # after 2604.14125 (HiVLA): another method sentence scores as high but says less
        "Fine-tuning vision-language-action models on narrow control data compromises their reasoning. "
        "To resolve this fundamental trade-off, we propose HiVLA, a hierarchical framework that decouples "
        "semantic planning from motor control. "
        "Then, to translate this plan into physical actions, we introduce a flow-matching diffusion "
        "transformer action expert equipped with a novel cascaded cross-attention mechanism. "
        "Experiments show that HiVLA outperforms end-to-end baselines on long-horizon tasks.")
    paper = _paper(abstract, title="HiVLA: A Hierarchical Embodied Manipulation System")
    assert write_paper(paper, featured=False).line == (
        "We propose HiVLA, a hierarchical framework that decouples semantic planning from motor control.")
    # without a name in the title, the other sentence may win, but it loses both openers that point back
    untitled = dataclasses.replace(paper, title="A Hierarchical Embodied Manipulation System")
    assert not write_paper(untitled, featured=False).line.startswith(("Then", "To "))


def test_a_bare_announcement_goes_on_with_what_the_thing_is() -> None:
    abstract = (  # after 2604.09535 (EgoTL)
        "VLM-based auto-labeling of egocentric video is noisy and misses long-horizon household planning. "
        "To address these gaps, we introduce EgoTL. "
        "EgoTL builds a think-aloud capture pipeline for egocentric data. "
        "Benchmarks on EgoTL show that foundation models still fall short as egocentric assistants.")
    paper = _paper(abstract, title="EgoTL: Egocentric Think-Aloud Chains")
    assert write_paper(paper, featured=False).line == (
        "We introduce EgoTL. EgoTL builds a think-aloud capture pipeline for egocentric data.")


def test_recommendation_quotes_the_claim_without_the_clause_that_reports_it() -> None:
    abstract = (
        "Retrieval systems struggle with multi-hop queries over long documents. "
        "We introduce DocAgent, an agent that reads documents iteratively and keeps notes. "
        "Extensive experiments on LongBench and DocVQA show that DocAgent improves accuracy by 5.0% over "
        "strong baselines.")
    paper = _paper(abstract)
    assert write_paper(paper, featured=True).recommendation == (
        "Key result: DocAgent improves accuracy by 5.0% over strong baselines.")
    # a hedge is part of the claim, and a claim that would open on a pronoun keeps its subject
    for kept in ("Results suggest that DocAgent improves accuracy by 5.0% over strong baselines.",
                 "Experiments show that it improves accuracy by 5.0% over strong baselines."):
        hedged = dataclasses.replace(paper, abstract=abstract.rsplit(" Extensive", 1)[0] + " " + kept)
        assert write_paper(hedged, featured=True).recommendation == f"Key result: {kept}"


def test_recommendation_ends_before_the_next_item_of_a_list() -> None:
    abstract = (  # after 2604.10866 (OccuBench): the abstract has a full stop inside its list of findings
        "Existing agent benchmarks cover only the few domains where public environments exist. "
        "We introduce OccuBench, a benchmark covering 100 professional task scenarios across 65 domains. "
        "We evaluate 15 frontier models and find that: (1) no single model dominates all industries; (2) larger "
        "models consistently improve performance. GPT-5.2 improves by 27.5 points from minimal to maximum "
        "reasoning effort; and (3) strong agents are not necessarily strong environment simulators.")
    paper = _paper(abstract)
    assert write_paper(paper, featured=False).recommendation == (
        "Key result: GPT-5.2 improves by 27.5 points from minimal to maximum reasoning effort.")


def test_recommendation_drops_a_connective_that_points_back() -> None:
    abstract = (
        "Retrieval systems struggle with multi-hop queries over long documents. "
        "We introduce DocAgent, an agent that reads documents iteratively. "
        "Furthermore, DocAgent improves accuracy by 5.0% on LongBench and 6.1% on DocVQA."
    )
    paper = _paper(abstract)
    writeup = write_paper(paper, featured=True)
    assert "Key result: DocAgent improves accuracy by 5.0% on LongBench and 6.1% on DocVQA." in writeup.recommendation
    assert "Furthermore" not in writeup.recommendation
    # the summary itself keeps the abstract's sentence verbatim
    assert any("Furthermore, DocAgent improves" in p for p in writeup.paragraphs)


def test_a_sentence_that_turns_against_the_one_before_comes_after_it() -> None:
    abstract = (  # 2604.08995 (Matrix-Game 3.0), as announced
        'With the advancement of interactive video generation, diffusion models have increasingly '
        'demonstrated their potential as world models. However, existing approaches still struggle to '
        'simultaneously achieve memory-enabled long-term temporal consistency and high-resolution real-time '
        'generation, limiting their applicability in real-world scenarios. To address this, we present '
        'Matrix-Game 3.0, a memory-augmented interactive world model designed for 720p real-time longform '
        'video generation. Building upon Matrix-Game 2.0, we introduce systematic improvements across data, '
        'model, and inference. First, we develop an upgraded industrial-scale infinite data engine that '
        'integrates Unreal Engine-based synthetic data, large-scale automated collection from AAA games, and '
        'real-world video augmentation to produce high-quality Video-Pose-Action-Prompt quadruplet data at '
        'scale. Second, we propose a training framework for long-horizon consistency: by modeling prediction '
        'residuals and re-injecting imperfect generated frames during training, the base model learns self-'
        'correction; meanwhile, camera-aware memory retrieval and injection enable the base model to achieve '
        'long horizon spatiotemporal consistency. Third, we design a multi-segment autoregressive '
        'distillation strategy based on Distribution Matching Distillation (DMD), combined with model '
        'quantization and VAE decoder pruning, to achieve efficient real-time inference. Experimental results'
        ' show that Matrix-Game 3.0 achieves up to 40 FPS real-time generation at 720p resolution with a 5B '
        'model, while maintaining stable memory consistency over minute-long sequences. Scaling up to a 2x14B'
        ' model further improves generation quality, dynamics, and generalization. Our approach provides a '
        'practical pathway toward industrial-scale deployable world models.'
    )
    paper = _paper(abstract)
    first = write_paper(paper, featured=True).paragraphs[0]
    assert first.startswith("With the advancement of interactive video generation"), first
    assert "However, existing approaches" in first


def test_a_sentence_that_goes_on_with_a_list_drops_its_opener_when_the_list_is_not_told() -> None:
    abstract = (
        "Long videos overwhelm the memory of interactive world models and make them drift over minutes. "
        "We present Loom, a memory-augmented world model for real-time video generation at 720p. "
        "First, we build a data engine that mixes game captures and synthetic scenes at scale. "
        "Second, we train the model to correct itself by re-injecting its own imperfect frames. "
        "Loom runs at 40 FPS on one GPU and keeps scenes consistent over minute-long sequences."
    )
    scored, _ = score_sentences(abstract)
    problem, idea, first, second, result = scored
    assert _told([[problem], [idea, second], [result]])[1] == (
        "We present Loom, a memory-augmented world model for real-time video generation at 720p. "
        "We train the model to correct itself by re-injecting its own imperfect frames.")
    # an addition ("Moreover, ...") after a sentence that is not told loses its opener too
    moreover, _ = score_sentences("We present Loom, a world model for video. It is fast on long inputs. "
                                  "Moreover, Loom keeps scenes consistent over minute-long sequences.")
    assert _told([[moreover[0], moreover[2]]]) == (
        "We present Loom, a world model for video. Loom keeps scenes consistent over minute-long sequences.",)
    # told in a row, the list reads as the authors wrote it
    assert _told([[idea, first, second]])[0].endswith("at scale. Second, we train the model to correct itself "
                                                      "by re-injecting its own imperfect frames.")


def test_the_recommendation_takes_no_motivation_and_no_pointing_back_for_a_result() -> None:
    abstract = (  # after 2604.13036 (Lyra 2.0): the only quantified "results" come before the idea or point back
        "Recent advances in video generation enable a new paradigm for 3D scene creation at a scale of 100 "
        "scenes. Existing methods for long-horizon generation are fundamentally limited by spatial forgetting "
        "and temporal drifting. We present Lyra 2.0, a framework for generating persistent, explorable 3D "
        "worlds at scale. To address temporal drifting, we train with self-augmented histories of its own "
        "outputs. Together, these enable substantially longer and 3D-consistent video trajectories.")
    paper = _paper(abstract)
    writeup = write_paper(paper, featured=True)
    assert writeup.recommendation == ("Key idea: We present Lyra 2.0, a framework for generating persistent, "
                                      "explorable 3D worlds at scale.")
    # in the summary the sentence that "these" points to comes right before it
    told = " ".join(writeup.paragraphs)
    if "Together, these" in told:
        assert "own outputs. Together, these" in told


def _told_with_context(sentences: list[str], group: list[int], chosen: set[int]) -> list[int]:
    scored, similarity = score_sentences(" ".join(sentences))
    return [s.index for s in _with_context([scored[i] for i in group], scored, chosen, similarity)]


def test_a_sentence_that_points_back_is_told_after_what_it_points_to() -> None:
    seedance = [  # after 2604.14148 (Seedance 2.0): the paragraph's second sentence points back, not its first
        "Seedance 2.0 is a new native multi-modal audio-video generation model released in February 2026.",
        "Seedance 2.0 adopts a unified and large-scale architecture for joint audio-video generation.",
        "This allows it to support four input modalities: text, image, audio, and video.",
        "For inputs as reference, its open platform supports up to 3 video clips and 9 images."]
    assert _told_with_context(seedance, [0, 2], {0, 2}) == [0, 1, 2]
    lyra = [  # after 2604.13036 (Lyra 2.0): "Together, these" sums up the two sentences before it
        "Long-horizon generation suffers from spatial forgetting and temporal drifting over long walks.",
        "To address spatial forgetting, we maintain per-frame 3D geometry for information routing.",
        "To address temporal drifting, we train with self-augmented histories of degraded outputs.",
        "Together, these enable substantially longer and 3D-consistent video trajectories."]
    assert _told_with_context(lyra, [2, 3], {2, 3}) == [1, 2, 3]
    # what is told already elsewhere is not told twice
    assert _told_with_context(lyra, [3], {1, 2, 3}) == [3]


def test_featured_paragraphs_keep_the_abstracts_order() -> None:
    abstract = (  # after 2604.13418 (MERRIN): the best "problem" sentence comes after the idea
        "Motivated by the underspecified, multi-hop nature of search queries and the conflicting nature of web "
        "results, we introduce MERRIN, a human-annotated benchmark for evaluating search-augmented agents. "
        "MERRIN measures the ability of agents to identify relevant modalities and perform multi-hop reasoning "
        "over noisy web sources, which remains challenging and underexplored. "
        "Our results show that MERRIN is highly challenging: the average accuracy across all agents is 22.3%.")
    paper = _paper(abstract)
    paragraphs = write_paper(paper, featured=True).paragraphs
    told = " ".join(paragraphs)
    assert told.index("we introduce MERRIN") < told.index("MERRIN measures") < told.index("Our results show")
