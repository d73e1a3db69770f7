"""Hand-made records for unit tests: realistic abstracts, plus titles built to break escaping and speech."""

from __future__ import annotations

from datetime import UTC, date, datetime

from paperradio.models import Author, Credit, Field, Issue, Paper, Pick, Section, Week, Writeup

WEEK = Week(2026, 16)

ABSTRACTS = [
    (
        "Sparse Mixture-of-Experts Routing for Long-Context Language Models",
        "Large language models (LLMs) struggle with contexts longer than their training window. Existing "
        "approaches extend the window with positional interpolation, which degrades accuracy on short inputs. "
        "We propose SparseRoute, a mixture-of-experts router that assigns each token span to a specialised "
        "expert with $O(n \\log n)$ cost. On LongBench, SparseRoute improves accuracy by 7.4\\% over the best "
        "baseline while using 38% less memory. Code is available at https://github.com/example/sparseroute.",
        "cs.CL",
    ),
    (
        "<b>Diffusion</b> Transformers & \"Scaling\": $\\mathcal{L}_{\\text{DiT}}$ for Video — ünïcödé 视频",
        "Video generation models are expensive to train. We study how diffusion transformers scale with data "
        "and compute. We introduce a compute-optimal recipe and train a 2B-parameter model on 10M clips. "
        "Our model reaches an FVD of 112 on UCF-101, a 23% improvement over prior work, e.g. Sora-like "
        "baselines. Results hold across three resolutions.",
        "cs.CV",
    ),
    (
        "Provable Convergence of Adam under Heavy-Tailed Noise",
        "Adaptive optimizers such as Adam are the default for training neural networks, yet their theory "
        "assumes bounded gradient noise. We prove that Adam converges at rate $O(1/\\sqrt{T})$ under "
        "heavy-tailed noise with finite $\\alpha$-th moment for $\\alpha \\in (1, 2]$. Experiments on "
        "ImageNet and GPT-2 pre-training confirm the predicted rates. Our analysis suggests a simple "
        "clipping schedule that speeds up training by 1.8x.",
        "cs.LG",
    ),
    (
        "Agents That Read the Manual: Tool Documentation for LLM Planning",
        "Tool-using agents fail when tools are undocumented. We present DocAgent, which retrieves tool "
        "documentation at planning time. Across 4 benchmarks, DocAgent solves 61.2% of tasks versus 44.0% "
        "for ReAct. Ablations show that retrieval quality, not model size, drives the gains.",
        "cs.AI",
    ),
]


def make_paper(i: int, *, category: str | None = None, title: str | None = None) -> Paper:
    base_title, abstract, primary = ABSTRACTS[i % len(ABSTRACTS)]
    authors = (Author("José M. Álvarez Jr."), Author("Wei Zhang"), Author(f"Author {i}"), Author("Yann LeCun"))
    return Paper(
        arxiv_id=f"2604.{10000 + i:05d}",
        title=title or (base_title if i < len(ABSTRACTS) else f"{base_title} ({i})"),
        abstract=abstract,
        authors=authors,
        categories=(category or primary, "cs.LG"),
        announced=date(2026, 4, 13 + i % 5),
        submitted=datetime(2026, 4, 10, 15, 0, tzinfo=UTC),
        comments="Accepted to ICLR 2026; 12 pages" if i % 2 == 0 else None,
    )


def sample_issue(with_writeups: bool = True) -> Issue:
    """An issue with 7 featured and 10 picks per field, like a real one."""
    picks: list[Pick] = []
    layout: list[tuple[Section, Field, int]] = [("featured", "nlp", 7), ("nlp", "nlp", 10), ("cv", "cv", 10),
                                                ("ml", "ml", 10)]
    n = 0
    for section, field, count in layout:
        for rank in range(1, count + 1):
            paper = make_paper(n, category={"nlp": "cs.CL", "cv": "cs.CV", "ml": "cs.LG"}[field]
                               if section != "featured" else None)
            writeup = Writeup(
                paragraphs=tuple(paper.abstract.split(". ", 1)) if section == "featured"
                else (paper.abstract,),
                recommendation=f"Read it for the {field} results.",
                headline=paper.title.split(":")[0][:60],
                line=paper.abstract.split(". ")[0] + ".",
            ) if with_writeups else None
            picks.append(Pick(
                paper=paper, section=section, field=field, rank=rank, score=10.0 - rank / 10,
                features={"track_record": 2.0, "code": 0.5},
                credit=Credit(("Yann LeCun",), "last author; 40 papers in the archive"),
                writeup=writeup,
            ))
            n += 1
    return Issue(week=WEEK, picks=tuple(picks), pool_size=1654)
