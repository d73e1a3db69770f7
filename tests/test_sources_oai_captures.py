"""The OAI-PMH parser on real arXiv responses from ../shared/data/wire/oai_pmh (skipped when absent)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

from paperradio.sources._http import PoliteClient
from paperradio.sources.arxiv_oai import harvest, parse_page
from paperradio.store import Store
from tests.oai_server import FakeTime, ok, serving


def capture(shared_data: Path, name: str) -> bytes:
    return (shared_data / "wire" / "oai_pmh" / name).read_bytes()


def test_list_records_in_arxiv_format(shared_data: Path) -> None:
    page = parse_page(capture(shared_data, "hepcrawl_ListRecords_arXiv_set-physics-hep-th_2017-12-14.xml"))
    assert [p.arxiv_id for p in page.papers] == ["1412.8323", "1507.07790", "1607.01710"]
    assert page.skipped == () and page.token is None
    castro = page.papers[1]
    assert castro.title == "Relativistic quantum dynamics of vector bosons in an Aharonov-Bohm potential"
    assert [a.name for a in castro.authors] == ["Luis B. Castro", "Edilberto O. Silva"]
    assert castro.categories == ("hep-th", "math-ph", "math.MP", "quant-ph")
    assert (castro.journal_ref, castro.doi) == ("J. Phys. A: Math. Theor. 51 (2018) 035201", "10.1088/1751-8121/aa9c53")
    assert castro.comments == "7 pages"
    assert castro.abstract.startswith("The Aharonov-Bohm (AB) problem for vector bosons")
    # created 2015-07-28 (a Tuesday), replaced later: listed 2015-07-29 at the earliest, version 2 at least
    assert (castro.announced, castro.submitted, castro.version) == (date(2015, 7, 29), None, 2)
    assert [a.name for a in page.papers[2].authors][3] == "A. de Souza Dutra"

    hep_ex = parse_page(capture(shared_data, "hepcrawl_ListRecords_arXiv_set-physics-hep-ex_2017-12-14.xml"))
    assert [p.arxiv_id for p in hep_ex.papers] == ["1706.05371", "1706.09418", "1707.00874"]
    assert len(hep_ex.papers[0].authors) == 13


def test_get_record_in_arxiv_format(shared_data: Path) -> None:
    page = parse_page(capture(shared_data, "hepcrawl_GetRecord_arXiv_1401.2122_2018-01-26.xml"))
    (paper,) = page.papers
    assert paper.arxiv_id == "1401.2122"
    assert paper.title == "New integrable (3+1)-dimensional systems and contact geometry"
    assert paper.authors[0].name == "A. Sergyeyev"
    assert paper.categories[0] == "math.AP" and len(paper.categories) == 6
    assert paper.comments is not None and "(v5) the typos were fixed" in paper.comments
    assert paper.journal_ref == "Lett. Math. Phys. 108 (2018), no. 2, 359-376"
    assert paper.doi == "10.1007/s11005-017-1013-4"
    assert paper.announced == date(2014, 1, 10)


def test_arxivraw_with_a_templated_version_attribute(shared_data: Path) -> None:
    page = parse_page(capture(shared_data, "invenio_GetRecord_arXivRaw_1304.4214_2013-04-16_TEMPLATED.xml"))
    (paper,) = page.papers
    assert paper.arxiv_id == "1304.4214"
    assert paper.version == 1  # version="v%s": counted by position
    assert paper.submitted == datetime(2013, 4, 15, 19, 33, 21, tzinfo=UTC)
    assert paper.announced == date(2013, 4, 17)  # 15:33 New York time on a Monday: Tuesday's batch
    assert [a.name for a in paper.authors] == ["Igor A. Zaliznyak", "John M. Tranquada"]
    assert paper.comments is not None and paper.comments.startswith('31 pages, chapter for "Strongly Correlated')


def test_oai_dc_records_are_skipped_with_the_reason_and_the_token_is_read(shared_data: Path) -> None:
    page = parse_page(capture(shared_data, "atomiklabs_ListRecords_oai_dc_set-cs_2024-01-27_truncated5.xml"))
    assert page.papers == ()
    assert [s.identifier for s in page.skipped] == ["1303.2033", "2401.14034", "2401.14036", "2401.14038",
                                                    "2401.14040"]
    assert {s.reason for s in page.skipped} == {
        "metadata format oai_dc is not supported; harvest with metadataPrefix arXiv or arXivRaw"}
    assert (page.token, page.complete_size) == ("6960524|1001", 1162)


def test_a_real_page_harvested_over_http_into_the_store(shared_data: Path, tmp_path: Path) -> None:
    body = capture(shared_data, "hepcrawl_ListRecords_arXiv_set-physics-hep-ex_2017-12-14.xml")
    fake = FakeTime()
    db = tmp_path / "store.sqlite"
    with serving(lambda _params: ok(body)) as server, Store(f"sqlite:///{db}") as store, \
            PoliteClient("tests@example.org", clock=fake.clock, sleep=fake.sleep) as client:
        report = harvest(store, client, server.url, "arXiv", "physics:hep-ex", date(2017, 12, 14), date(2017, 12, 14))
    assert (report.fetched, report.new) == (3, 3)
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from paper_authors").fetchone() == (21,)
        assert conn.execute("select primary_category from papers order by arxiv_id").fetchall() == [
            ("physics.ins-det",), ("hep-ph",), ("hep-ph",)]
