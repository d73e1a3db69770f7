"""The arXiv API client: Atom parsing, error entries, id batches and paging, over a real local server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from lxml import etree

from paperradio.errors import SourceError
from paperradio.models import Author
from paperradio.sources.arxiv_api import _read_tree, _scan, _Unusual, fetch_by_ids, parse_atom, search
from tests.arxiv_server import ArxivApi, ArxivServer, Reply, Seen, fixture

API = "/api/query"


@pytest.fixture
def server() -> Iterator[ArxivServer]:
    with ArxivServer() as s:
        yield s


def test_parse_reads_every_field_of_an_entry() -> None:
    page = parse_atom(fixture("api_catalog.xml"))
    assert (page.total_results, page.start_index, page.items_per_page) == (7, 0, 100)
    assert [p.arxiv_id for p in page.papers] == ["2604.10001", "2604.10002", "2604.10004", "2510.01234",
                                                 "2603.05555", "2604.10010", "2604.10011"]
    first = page.papers[0]
    assert first.title == "Sparse Mixture Routing Without Load-Balancing Losses"
    assert first.authors == (Author("Maria Keller", "ETH Zurich"),
                             Author("Tomasz Nowak", "University of Warsaw; IDEAS NCBR"), Author("Yuki Tanaka"))
    assert first.comments == "Accepted to ICML 2026; code at https://github.com/example/smr"
    assert first.version == 1
    assert first.submitted == datetime(2026, 4, 13, 15, 12, 9, tzinfo=UTC)
    assert first.announced == date(2026, 4, 14)
    assert first.abstract.startswith("Mixture-of-experts models rely")
    conformal = page.papers[1]
    assert conformal.categories == ("stat.ML", "cs.LG")  # primary first, though listed second
    assert conformal.authors[0].affiliation == "Instituto Superior Técnico"
    journal = page.papers[3]
    assert (journal.version, journal.journal_ref, journal.doi) == (2, "Electron. J. Statist. 20 (2026) 1-31",
                                                                   "10.1214/26-EJS0001")
    assert journal.announced == date(2025, 10, 2)
    assert page.skipped == []


def test_an_error_entry_raises_with_arxivs_message() -> None:
    with pytest.raises(SourceError, match=r"^the arXiv API rejected the query: incorrect id format for 2604.1x$"):
        parse_atom(fixture("api_error_400.xml"))


@pytest.mark.parametrize(("body", "message"), [
    (fixture("api_catalog.xml")[:3000], r"cannot parse the arXiv API answer \(3000 bytes\): unclosed token"),
    (b"<feed><entry></feed>", r"cannot parse the arXiv API answer .*: mismatched tag: line 1, column 15"),
    (b"", r"cannot parse the arXiv API answer \(0 bytes\)"),
    (b"<html><body>Service Unavailable</body></html>", r"not an Atom feed \(root element <html>\)"),
    (fixture("api_catalog.xml").replace(b"<opensearch:itemsPerPage>", b"<os:x/><opensearch:itemsPerPage>"),
     r"cannot parse the arXiv API answer \(\d+ bytes\): unbound prefix: line 7"),
    (fixture("api_catalog.xml").replace(b"<summary>", b"<summary><os:x/>", 1),
     r"cannot parse the arXiv API answer \(\d+ bytes\): unbound prefix: line 17"),
])
def test_unreadable_answers_raise_a_clear_source_error(body: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        parse_atom(body)


def test_an_answer_beyond_libxml2s_limits_is_read_as_expat_reads_it() -> None:
    # libxml2 refuses elements nested more than 256 deep; expat, which has the final word, accepts them
    deep = "<deep>" * 300 + "</deep>" * 300
    xml = _rewrite(fixture("api_catalog.xml"), ("<arxiv:primary_category", deep + "<arxiv:primary_category"))
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(xml)
    assert parse_atom(xml) == parse_atom(fixture("api_catalog.xml"))


def test_entries_without_id_or_date_are_skipped_with_a_reason() -> None:
    text = fixture("api_catalog.xml").decode()
    text = text.replace("<id>http://arxiv.org/abs/2604.10002v1</id>", "", 1)
    text = text.replace("<published>2026-04-13T17:05:00Z</published>", "<published>yesterday</published>", 1)
    page = parse_atom(text.encode())
    assert len(page.papers) == 5
    assert page.skipped == [("entry 2", "entry has no <id>"),
                            ("2604.10004", "unreadable <published> date 'yesterday'")]


def _rewrite(xml: bytes, *pairs: tuple[str, str]) -> bytes:
    text = xml.decode()
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    return text.encode()


CATALOG_VARIANTS = {  # the same answer in layouts arXiv could send: each must read exactly like the original
    "cdata": (("<title>Sparse Mixture", "<title><![CDATA[Sparse Mixture"), ("Losses</title>", "Losses]]></title>")),
    "comment": (("<entry>", "<!-- one entry --><entry>"),),
    "prefixed atom": (('xmlns="http://www.w3.org/2005/Atom"', 'xmlns:a="http://www.w3.org/2005/Atom"'),
                      ("<feed ", "<a:feed "), ("</feed>", "</a:feed>"), ("<entry>", "<a:entry>"),
                      ("</entry>", "</a:entry>"), ("<id>", "<a:id>"), ("</id>", "</a:id>"),
                      ("<title>", "<a:title>"), ("</title>", "</a:title>"), ("<summary>", "<a:summary>"),
                      ("</summary>", "</a:summary>"), ("<published>", "<a:published>"),
                      ("</published>", "</a:published>"), ("<author>", "<a:author>"), ("</author>", "</a:author>"),
                      ("<name>", "<a:name>"), ("</name>", "</a:name>"), ("<category ", "<a:category ")),
    "legacy namespaces": (("<arxiv:comment>", '<arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">'),),
    "spaces in tags": (("<title>", "<title >"), ("</name>", "</name\n  >")),
    "attribute order and quotes": (('<category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>',
                                    "<category scheme='http://arxiv.org/schemas/atom' term='cs.CL'/>"),),
    "an unknown element": (("<arxiv:primary_category", "<arxiv:new_field>x</arxiv:new_field><arxiv:primary_category"),),
    "an empty element": (("<published>2026-04-13T15:12:09Z</published>",
                          "<published>2026-04-13T15:12:09Z</published><arxiv:journal_ref/>"),),
}


def test_the_fast_reader_reads_arxivs_layout_like_the_tree_reader() -> None:
    for name in ("api_catalog.xml", "api_2026-04-15.xml"):
        xml = fixture(name)
        assert _scan(xml) == _read_tree(xml), name


@pytest.mark.parametrize("variant", sorted(CATALOG_VARIANTS))
def test_every_layout_of_the_same_answer_reads_the_same(variant: str) -> None:
    original = parse_atom(fixture("api_catalog.xml"))
    xml = _rewrite(fixture("api_catalog.xml"), *CATALOG_VARIANTS[variant])
    with pytest.raises(_Unusual):
        _scan(xml)  # outside the fast reader's layout: the tree reader answers
    assert parse_atom(xml) == original


def test_entities_and_unicode_survive_the_fast_reader() -> None:
    xml = _rewrite(fixture("api_catalog.xml"),
                   ("Sparse Mixture Routing", "Sparse &lt;Mixture&gt; &amp; &quot;Routing&quot; &#x1F600;"),
                   ("Maria Keller", "Mari\u0301a O&apos;Keller"),  # a combining accent, composed by NFC
                   ("ETH Zurich", "ETH Z\u00fcrich &amp; EPFL"),
                   ('term="cs.CL"', 'term="cs.C&#76;"'))
    page = _scan(xml)
    assert page == _read_tree(xml)
    assert _scan(_rewrite(xml, ("Tomasz Nowak", "T&#111;masz N&#x6F;wak"))) == page
    crlf = _rewrite(xml, ("\n", "\r\n"))
    assert _scan(crlf) == page  # XML reads CR LF as LF; clean_text collapses it anyway
    with pytest.raises(_Unusual):
        _scan(_rewrite(crlf, ("<name>Yuki Tanaka", "<name>Yuki\r\nTanaka")))  # ... but not inside a name
    assert parse_atom(_rewrite(crlf, ("<name>Yuki Tanaka", "<name>Yuki\r\nTanaka"))).papers[0].authors[2] == \
        Author("Yuki\nTanaka")
    first = page.papers[0]
    assert first.title == 'Sparse <Mixture> & "Routing" \U0001F600 Without Load-Balancing Losses'
    assert first.authors[0] == Author("Mari\u0301a O'Keller", "ETH Zürich & EPFL")
    assert first.categories == ("cs.LG", "cs.CL")


def test_names_categories_and_dois_read_like_the_tree_reader() -> None:
    # Jean Dupont's entry has no affiliations: its names are cut from the author block in one piece
    xml = _rewrite(fixture("api_catalog.xml"),
                   ("<name>Jean Dupont</name>", "<name>&#32;Jean D&#x75;pont &amp; Co </name>"),
                   ("<name>Hiro Sato</name>", "<name> </name>"),
                   ('<category term="math.OC" scheme="http://arxiv.org/schemas/atom"/>',
                    '<category term="math.OC" scheme="http://arxiv.org/schemas/atom"/>'
                    '<category term="" scheme="http://arxiv.org/schemas/atom"/>'
                    '<category term="math.OC" scheme="http://arxiv.org/schemas/atom"/>'))
    page = _scan(xml)
    assert page == _read_tree(xml)
    assert page.papers[2].authors == (Author("Jean Dupont & Co"),)
    assert page.papers[2].categories == ("math.OC", "cs.LG")
    # arXiv writes the DOI after the authors, the fixture before them; a second DOI wins, as in the tree
    doi = "<arxiv:doi>10.1214/26-EJS0001</arxiv:doi>"
    after = _rewrite(fixture("api_catalog.xml"), (doi, ""), ("<name>David Moreno</name>\n    </author>",
                                                             f"<name>David Moreno</name>\n    </author>{doi}"))
    assert _scan(after) == _read_tree(after) == parse_atom(fixture("api_catalog.xml"))
    both = _rewrite(after, (doi, "<arxiv:doi>10.1/later</arxiv:doi>"),
                    ("</arxiv:journal_ref>", f"</arxiv:journal_ref>{doi}"))
    assert _scan(both).papers[3].doi == _read_tree(both).papers[3].doi == "10.1/later"


def test_markup_where_text_belongs_is_left_to_the_tree_reader() -> None:
    xml = _rewrite(fixture("api_catalog.xml"), ("<name>Maria Keller</name>", "<name>Maria <b>Keller</b></name>"))
    with pytest.raises(_Unusual):
        _scan(xml)
    assert parse_atom(xml).papers[0].authors[0].name == "Maria"  # ElementTree's text: up to the first child


def test_fetch_by_ids_batches_the_id_list(server: ArxivServer) -> None:
    server.route(API, ArxivApi("api_catalog.xml"))
    ids = ["2604.10001", "2604.10002", "2604.10004", "2510.01234", "2603.05555", "2604.99999"]
    with server.client() as client:
        papers = fetch_by_ids(client, ids, f"{server.url}{API}", batch=4)
    assert [p.arxiv_id for p in papers] == ids[:5]  # the unknown id is simply absent
    assert [s.query["id_list"] for s in server.seen] == [",".join(ids[:4]), ",".join(ids[4:])]
    assert [s.query["max_results"] for s in server.seen] == ["4", "2"]
    assert [s.at for s in server.seen] == [0.0, 3.0]


def test_fetch_by_ids_reports_arxivs_error_without_retrying(server: ArxivServer) -> None:
    server.script(API, Reply(400, fixture("api_error_400.xml")))
    with server.client() as client, pytest.raises(SourceError) as caught:
        fetch_by_ids(client, ["2604.1x"], f"{server.url}{API}")
    assert str(caught.value).endswith("answered HTTP 400: incorrect id format for 2604.1x")
    assert len(server.seen) == 1


def test_fetch_by_ids_retries_429_and_503(server: ArxivServer) -> None:
    api = ArxivApi("api_catalog.xml")
    server.script(API, Reply(429, b"", {"Retry-After": "7"}), Reply(503, b"busy"))
    server.route(API, api)
    with server.client(backoff=5.0) as client:
        papers = fetch_by_ids(client, ["2604.10001"], f"{server.url}{API}")
    assert [p.arxiv_id for p in papers] == ["2604.10001"]
    assert server.time.sleeps == [7.0, 10.0]


def test_search_follows_start_through_three_pages(server: ArxivServer) -> None:
    server.route(API, ArxivApi("api_catalog.xml"))
    with server.client() as client:
        papers = list(search(client, "cat:cs.LG", f"{server.url}{API}", page_size=3, sort_by="submittedDate",
                             sort_order="descending"))
    assert len(papers) == 7
    assert len({p.arxiv_id for p in papers}) == 7
    assert [s.query["start"] for s in server.seen] == ["0", "3", "6"]
    assert {s.query["search_query"] for s in server.seen} == {"cat:cs.LG"}
    assert {s.query["sortBy"] for s in server.seen} == {"submittedDate"}
    assert [s.at for s in server.seen] == [0.0, 3.0, 6.0]


def test_search_stops_at_the_limit(server: ArxivServer) -> None:
    server.route(API, ArxivApi("api_catalog.xml"))
    with server.client() as client:
        papers = list(search(client, "cat:cs.LG", f"{server.url}{API}", page_size=3, limit=4))
    assert len(papers) == 4
    assert len(server.seen) == 2


def test_an_empty_page_in_the_middle_of_the_results_is_retried(server: ArxivServer) -> None:
    api = ArxivApi("api_catalog.xml")
    calls = {"n": 0}

    def flaky(seen: Seen) -> Reply:
        calls["n"] += 1
        if calls["n"] == 2:  # arXiv's known hiccup: a valid feed with no entries although results remain
            return ArxivApi.page([], total=7, start=3, size=3)
        return api(seen)

    server.route(API, flaky)
    with server.client(backoff=5.0) as client:
        papers = list(search(client, "cat:cs.LG", f"{server.url}{API}", page_size=3))
    assert len(papers) == 7
    assert [s.query["start"] for s in server.seen] == ["0", "3", "3", "6"]
    assert server.time.sleeps == [3.0, 5.0, 3.0]


def test_a_persistently_empty_page_fails_loudly(server: ArxivServer) -> None:
    server.script(API, ArxivApi.page([], total=7, start=0, size=3))
    with server.client(retries=2) as client, pytest.raises(SourceError) as caught:
        list(search(client, "cat:cs.LG", f"{server.url}{API}", page_size=3))
    assert str(caught.value) == ("the arXiv API kept answering badly (an empty page at start 0 although it reports "
                                 "7 results); gave up after 3 attempts, try again later")
    assert len(server.seen) == 3


def test_a_truncated_answer_is_retried(server: ArxivServer) -> None:
    body = fixture("api_catalog.xml")
    server.script(API, Reply(body=body[:2000]), Reply(body=body))
    with server.client() as client:
        papers = fetch_by_ids(client, ["2604.10001"], f"{server.url}{API}")
    assert len(papers) == 7  # the scripted answer is the whole catalog
    assert len(server.seen) == 2


def test_an_empty_result_is_an_answer_not_an_error(server: ArxivServer) -> None:
    server.route(API, ArxivApi("api_catalog.xml"))
    with server.client() as client:
        assert fetch_by_ids(client, ["0000.0000"], f"{server.url}{API}") == []
    assert len(server.seen) == 1


def test_every_real_capture_parses(shared_data: Path) -> None:
    folder = shared_data / "wire" / "arxiv_api"
    bodies = sorted(folder.glob("*.body.xml")) + sorted(folder.glob("legacy_*.xml"))
    assert len(bodies) >= 20
    total = 0
    for path in bodies:
        if path.name.startswith("id_abc_"):
            continue
        page = parse_atom(path.read_bytes())
        assert page.skipped == [], path.name
        for paper in page.papers:
            assert paper.arxiv_id and paper.title and paper.abstract and paper.authors and paper.categories
            assert paper.submitted is not None and paper.submitted.tzinfo is not None
        total += len(page.papers)
    assert total > 200
    legacy = parse_atom((folder / "legacy_id_list_1111.2011v2.xml").read_bytes()).papers[0]
    assert (legacy.arxiv_id, legacy.version, legacy.doi) == ("1111.2011", 2, "10.1103/PhysRevB.85.115117")
    assert legacy.categories == ("cond-mat.str-el", "cond-mat.stat-mech")
    assert legacy.title == "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit"
    old = parse_atom(next(folder.glob("id_astro-ph_0601001_*.body.xml")).read_bytes()).papers[0]
    assert (old.arxiv_id, old.journal_ref) == ("astro-ph/0601001", "ActaAstron.56:1-50,2006")
    assert old.authors[2] == Author("B. Scott Gaudi", "CfA")
    empty = parse_atom(next(folder.glob("id_0000.0000_*.body.xml")).read_bytes())
    assert (empty.papers, empty.total_results) == ([], 0)


def test_the_fast_reader_reads_every_current_capture_like_the_tree_reader(shared_data: Path) -> None:
    bodies = sorted((shared_data / "wire" / "arxiv_api").glob("*.body.xml"))
    assert bodies
    for path in bodies:
        xml = path.read_bytes()
        if path.name.startswith("id_abc_"):
            with pytest.raises(SourceError, match="incorrect id format for abc"):
                _scan(xml)
            continue
        assert _scan(xml) == _read_tree(xml), path.name


def test_every_recorded_exchange_parses_and_the_400_raises_arxivs_message(shared_data: Path) -> None:
    recorded = sorted((shared_data / "wire" / "arxiv_api").glob("*.recorded.json"))
    assert recorded
    for path in recorded:
        exchange = json.loads(path.read_text())
        body = exchange["body"].encode()
        if exchange["status_code"] == 400:
            with pytest.raises(SourceError, match="incorrect id format for abc"):
                parse_atom(body)
        else:
            assert exchange["status_code"] == 200
            parse_atom(body)


def test_the_recorded_400_served_over_http_raises_arxivs_message(shared_data: Path, server: ArxivServer) -> None:
    exchange = json.loads(next((shared_data / "wire" / "arxiv_api").glob("id_abc_*.recorded.json")).read_text())
    server.script(API, Reply(exchange["status_code"], exchange["body"].encode()))
    with server.client() as client, pytest.raises(SourceError, match=r"HTTP 400: incorrect id format for abc$"):
        fetch_by_ids(client, ["abc"], f"{server.url}{API}")
    assert server.seen[0].query == {"id_list": "abc", "start": "0", "max_results": "1"}
