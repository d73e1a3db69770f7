"""Journal feeds (Nature, Science, bioRxiv, RSS 2.0, Atom): parsing, fetching over a real local server,
the store, the featured pool, and the links in the published issue."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from paperradio import rank, write
from paperradio.cli import cli
from paperradio.config import load_settings
from paperradio.errors import SourceError
from paperradio.models import Author, Issue, Paper, Week
from paperradio.publish._view import issue_view
from paperradio.publish.markdown import render
from paperradio.sources._http import PoliteClient, Politeness
from paperradio.sources.journal_rss import JournalFeed, html_text, ingest_journals, journal_feeds, parse_feed
from paperradio.store import Store
from tests.arxiv_server import ArxivServer, Reply
from tests.test_rank_select import WEEK_START, pool

FIXTURES = Path(__file__).parent / "fixtures" / "journals"
NATURE = JournalFeed("nature", "https://www.nature.com/nature.rss")


def feed(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def server() -> Iterator[ArxivServer]:
    with ArxivServer() as s:
        yield s


def test_nature_rss_1_0_items_become_papers_with_doi_ids_and_links() -> None:
    page = parse_feed(feed("nature.rss"), NATURE)
    assert page.journal == "Nature" and page.skipped == []
    assert [p.arxiv_id for p in page.papers] == ["doi:10.1038/s41586-026-09123-4", "doi:10.1038/s41586-026-09001-x",
                                                 "doi:10.1038/d41586-026-01122-z"]
    agent = page.papers[0]
    assert agent.title == "A language model agent that plans in vitro experiments and reasons over their results"
    assert agent.abstract.startswith("Laboratory automation still needs a scientist")  # citation line gone
    assert agent.authors[:3] == (Author("Ada Lovelace"), Author("Grace Hopper"), Author("Alan M. Turing"))
    assert (agent.announced, agent.submitted, agent.categories) == (date(2026, 4, 15), None, ())
    assert (agent.source, agent.journal_ref, agent.doi) == ("journal:nature", "Nature", "10.1038/s41586-026-09123-4")
    assert agent.url == agent.pdf_url == "https://doi.org/10.1038/s41586-026-09123-4"
    briefing = page.papers[2]  # no prism:doi: the DOI comes from dc:identifier
    assert (briefing.title, briefing.abstract) == ("Daily briefing: what the week\u2019s big papers mean",
                                                   "Plus, a new prize & a long-lost manuscript.")


def test_science_rss_html_in_abstracts_and_one_line_author_lists() -> None:
    page = parse_feed(feed("science.rss"), JournalFeed("science", "https://www.science.org/rss"))
    video, reefs = page.papers
    assert page.journal == "Science"
    assert video.abstract.startswith("Trained on 2\u00d710^8 video clips, a diffusion model recovers depth")
    assert [a.name for a in video.authors] == ["Li Wei", "Maria Garcia", "Tom Brown", "Sara Khan"]
    assert video.submitted == datetime(2026, 4, 16, 6, 0, tzinfo=UTC) and video.announced == date(2026, 4, 16)
    assert reefs.title == "Coral reefs recover faster under protected fisheries"
    assert [a.name for a in reefs.authors] == ["Ana Lima", "Jon Smith"]


def test_biorxiv_surname_initials_and_doi_from_a_versioned_link() -> None:
    page = parse_feed(feed("biorxiv.rss"), JournalFeed("biorxiv", "https://connect.biorxiv.org/biorxiv_xml.php"))
    kinetics, atlas = page.papers
    assert page.journal == "bioRxiv"
    assert [a.name for a in kinetics.authors] == ["C. Okafor", "E. M. Lindqvist", "H. Tanaka"]
    assert kinetics.title == "Protein language models predict enzyme kinetics from sequence alone"
    assert "kcat with a Spearman correlation of 0.71" in kinetics.abstract
    assert (atlas.doi, atlas.arxiv_id) == ("10.1101/2026.04.13.648990", "doi:10.1101/2026.04.13.648990")  # no "v2"


def test_rss_2_0_items_missing_doi_date_or_title_are_skipped_with_reasons() -> None:
    page = parse_feed(feed("rss2.xml"), JournalFeed("patterns", "https://www.cell.com/patterns/rss"))
    assert page.journal == "Patterns"
    (clinical,) = page.papers
    assert clinical.title == "Benchmarking multimodal models on clinical images"
    assert clinical.abstract == ("We evaluate 14 vision-language models on 9,800 clinical images. The best model "
                                 "reaches 81.4% accuracy; all models fail on rare findings.")
    assert [a.name for a in clinical.authors] == ["Priya Natarajan", "Omar Haddad"]  # dc:creator, not the editor
    assert clinical.submitted == datetime(2026, 4, 16, 14, 30, tzinfo=UTC)
    assert page.skipped == [
        ("https://www.cell.com/patterns/editorial-2026", "item has no DOI (needed for a stable id and link)"),
        ("doi:10.1016/j.patter.2026.101240", "item has no date"),
        ("doi:10.1016/j.patter.2026.101241", "unreadable date 'sometime in April'"),
        ("item 5", "item has no title"),
    ]


def test_atom_entries() -> None:
    page = parse_feed(feed("plos.atom"), JournalFeed("ploscompbiol", "https://journals.plos.org/feed/atom"))
    (paper,) = page.papers
    assert page.journal == "PLOS Computational Biology"
    assert paper.arxiv_id == "doi:10.1371/journal.pcbi.1012345"
    assert paper.title == "Reinforcement learning agents explain Drosophila foraging"
    assert paper.abstract.startswith("Deep reinforcement learning agents trained in a virtual arena")
    assert [a.name for a in paper.authors] == ["Marta Kowalska", "David Chen"]
    assert paper.submitted == datetime(2026, 4, 15, 14, 0, tzinfo=UTC)  # published, not updated


@pytest.mark.parametrize(("body", "message"), [
    (feed("nature.rss")[:1500], r"^journal feed nature \(https://www\.nature\.com/nature\.rss\) is not readable "
                                r"XML: unclosed token: line \d+, column \d+$"),
    (b"<html><body>Not found</body></html>", r"is not RSS or Atom \(root element <html>\)$"),
    (b"", r"is not readable XML: no element found: line 1, column 0$"),
])
def test_malformed_feeds_are_one_clear_error(body: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        parse_feed(body, NATURE)


def test_html_text_drops_tags_and_decodes_entities() -> None:
    assert html_text("<p>CO<sub>2</sub> &amp; H<sub>2</sub>O</p><p>at 10<sup>-3</sup>&#8201;K</p>") == \
        "CO2 & H2O at 10^-3 K"  # a thin space is a space to clean_text
    assert html_text("  plain\n text ") == "plain text"


def test_feed_setting_names_feeds_after_their_host_or_as_given() -> None:
    feeds = journal_feeds(["https://www.nature.com/nature.rss", "bio=https://connect.biorxiv.org/x.php?subject=all",
                           "https://www.science.org/action/showFeed?type=etoc&feed=rss&jc=science"])
    assert [(f.name, f.source) for f in feeds] == [("nature", "journal:nature"), ("bio", "journal:bio"),
                                                   ("science", "journal:science")]
    assert feeds[2].url.endswith("jc=science")  # the "=" inside the URL is not a name
    with pytest.raises(SourceError, match="two journal feeds are named 'nature'"):
        journal_feeds(["https://www.nature.com/nature.rss", "https://www.nature.com/natmachintell.rss"])
    with pytest.raises(SourceError, match=r"journal feed 'nature.rss': expected a URL or name=URL"):
        journal_feeds(["nature.rss"])


def test_journal_hosts_get_their_own_interval_not_arxivs() -> None:
    assert Politeness(interval=1.0, min_interval=1.0).interval == 1.0
    with pytest.raises(SourceError, match=r"request interval 0.5 s is below a journal host's minimum of 1.0 s"):
        Politeness(interval=0.5, min_interval=1.0, service="a journal host")
    with pytest.raises(SourceError, match=r"below arXiv's minimum of 3.0 s"):
        Politeness(interval=1.0)


def test_ingest_fetches_politely_stores_once_and_logs_skips(server: ArxivServer, store: Store) -> None:
    server.script("/nature.rss", Reply(503, b"busy"), Reply(body=feed("nature.rss")))
    server.script("/patterns.rss", Reply(body=feed("rss2.xml")))
    feeds = journal_feeds([f"nature={server.url}/nature.rss", f"patterns={server.url}/patterns.rss"])

    def client() -> PoliteClient:
        return server.client(interval=1.0, min_interval=1.0, backoff=2.0)

    reports = ingest_journals(store, feeds, client)
    assert [r.summary() for r in reports] == ["journal nature: fetched 3, new 3, updated 0, skipped 0",
                                              "journal patterns: fetched 5, new 1, updated 0, skipped 4"]
    assert [s.at for s in server.seen] == [0.0, 2.0, 3.0]  # retry after the 503, then 1 s to the next feed
    assert server.seen[0].headers["user-agent"].startswith("paperradio/")
    again = ingest_journals(store, feeds, client)
    assert [(r.new, r.updated) for r in again] == [(0, 0), (0, 0)]
    week = store.papers_announced(date(2026, 4, 13), date(2026, 4, 17))
    assert [(p.arxiv_id, p.source) for p in week] == [
        ("doi:10.1016/j.patter.2026.101233", "journal:patterns"), ("doi:10.1038/d41586-026-01122-z", "journal:nature"),
        ("doi:10.1038/s41586-026-09001-x", "journal:nature"), ("doi:10.1038/s41586-026-09123-4", "journal:nature")]
    assert week[3].url == "https://doi.org/10.1038/s41586-026-09123-4"
    assert ("item 5", "item has no title") in store.skipped("journal:patterns")


def test_a_dry_run_stores_nothing(server: ArxivServer, store: Store) -> None:
    server.script("/nature.rss", Reply(body=feed("nature.rss")))
    reports = ingest_journals(store, journal_feeds([f"{server.url}/nature.rss"]),
                              lambda: server.client(interval=1.0, min_interval=1.0), dry_run=True)
    assert reports[0].summary() == "dry run, nothing stored: journal 127: fetched 3, new 0, updated 0, skipped 0"
    assert store.count_papers() == 0


def _week_with_journals() -> list[Paper]:
    journal = [*parse_feed(feed("nature.rss"), NATURE).papers,
               *parse_feed(feed("science.rss"), JournalFeed("science", "https://www.science.org/rss")).papers]
    return [*pool(), *journal]


def test_journal_papers_compete_for_the_featured_section_only() -> None:
    settings = load_settings(env={})
    picks = rank.run(_week_with_journals(), [], settings, WEEK_START)
    featured = [p.paper.arxiv_id for p in picks if p.section == "featured"]
    assert "doi:10.1038/s41586-026-09123-4" in featured  # a strong AI paper from Nature
    journal_picks = [p for p in picks if p.paper.from_journal]
    assert journal_picks and {p.section for p in journal_picks} == {"featured"}
    candidates = {c.paper.arxiv_id: c.field for c in rank.candidates(_week_with_journals(), [], settings, WEEK_START)}
    assert candidates["doi:10.1038/s41586-026-09123-4"] == "ml"  # agents and benchmarks outweigh "language model"
    assert candidates["doi:10.1126/science.adq4471"] == "cv"
    assert "doi:10.1038/s41586-026-09001-x" not in candidates  # cell biology: no field, no candidate
    assert "doi:10.1126/science.adr0052" not in candidates


def test_featured_journal_papers_are_written_up_and_link_to_their_doi(tmp_path: Path) -> None:
    settings = load_settings(env={}, overrides={"home": str(tmp_path), "figures": False})
    picks = write.run(rank.run(_week_with_journals(), [], settings, WEEK_START), settings)
    issue = Issue(Week.containing(WEEK_START), tuple(picks))
    nature = next(p for p in issue.picks if p.paper.arxiv_id == "doi:10.1038/s41586-026-09123-4")
    assert nature.writeup is not None and len(nature.writeup.paragraphs) >= 2
    assert "78.5%" in " ".join(nature.writeup.paragraphs)  # the same write-up as arXiv papers get
    for language in ("en", "zh"):
        md = render(issue_view(issue, language, ("en", "zh"), False))
        assert "<https://doi.org/10.1038/s41586-026-09123-4>" in md
        assert "arxiv.org/abs/doi:" not in md


def test_cli_ingest_journals(server: ArxivServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server.script("/nature.rss", Reply(body=feed("nature.rss")))
    result = CliRunner().invoke(cli, ["--silent", "ingest", "--journals"])
    assert result.exit_code == 2 and "no journal feeds configured" in result.stderr
    monkeypatch.setenv("PAPERRADIO_JOURNAL_FEEDS", f"nature={server.url}/nature.rss")
    result = CliRunner().invoke(cli, ["--silent", "--json", "ingest", "--journals"])
    assert result.exit_code == 0, result.stderr
    assert "journal nature: fetched 3, new 3, updated 0, skipped 0" in result.stderr
    assert '"new": 3' in result.stdout
    with Store(f"sqlite:///{tmp_path / 'home' / 'paperradio.db'}") as store:
        assert store.papers_by_id(["doi:10.1038/s41586-026-09123-4"])["doi:10.1038/s41586-026-09123-4"].source == \
            "journal:nature"


def test_a_paper_keeps_its_journal_link_through_to_dict() -> None:
    paper = parse_feed(feed("nature.rss"), NATURE).papers[0]
    assert Paper.from_dict(paper.to_dict()) == paper
    assert paper.to_dict()["url"] == "https://doi.org/10.1038/s41586-026-09123-4"
    arxiv = dataclasses.replace(paper, arxiv_id="2604.00001", source="arxiv")
    assert arxiv.url == "https://arxiv.org/abs/2604.00001"  # an arXiv paper with a DOI still links to arXiv


def test_live_weekly_features_a_journal_paper_linked_by_its_doi(server: ArxivServer, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """`weekly` without --source: the OAI-PMH harvest and the journal feed, then rank, write and publish."""
    from tests.oai_server import chain, chain_pages, raw_record, serving

    categories = ["cs.CL cs.LG", "cs.CV", "cs.AI cs.LG"]
    records = [raw_record(f"2604.{i:05d}", dates=("Mon, 13 Apr 2026 10:00:00 GMT",), categories=categories[i % 3],
                          authors=f"Student {i} and Lead {i % 7}", title=f"Work on topic{i} with method{i}")
               for i in range(60)]
    server.script("/nature.rss", Reply(body=feed("nature.rss")))
    with serving(chain(chain_pages([records]))) as oai:
        monkeypatch.setenv("PAPERRADIO_ARXIV_OAI_URL", oai.url)
        monkeypatch.setenv("PAPERRADIO_OAI_SETS", "cs")
        monkeypatch.setenv("PAPERRADIO_JOURNAL_FEEDS", f"nature={server.url}/nature.rss")
        result = CliRunner().invoke(cli, ["--silent", "weekly", "--week", "2026-W16", "--out", str(tmp_path / "site"),
                                          "--no-radio"])
    assert result.exit_code == 0, result.stderr
    assert "journal nature: fetched 3, new 3" in result.stderr
    md = (tmp_path / "site" / "2026-W16" / "issue.en.md").read_text()
    featured = md[md.index("## Featured papers"):md.index("## Radiostation")]
    assert "A language model agent that plans in vitro experiments" in featured
    assert "<https://doi.org/10.1038/s41586-026-09123-4>" in featured
    assert "doi.org" not in md[md.index("## Radiostation"):]
