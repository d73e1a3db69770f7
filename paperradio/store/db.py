"""The store: every stage reads and writes here. SQLite by default, PostgreSQL by URL.

Rows never leave this module: callers get and give the records of paperradio.models.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from ..errors import StoreError
from ..models import Announcement, Author, Authorship, Credit, Episode, Issue, Paper, Pick, Segment, Week, Writeup
from . import schema

log = logging.getLogger(__name__)

_MIGRATIONS = Path(__file__).parent / "migrations"
_BATCH = 500  # rows per IN (...) lookup, well under every backend's parameter limit


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets a reader (the web app) work while a stage writes; NORMAL sync is safe with WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _writeup_kind(section: str) -> str:
    """Featured and Radiostation picks get different write-ups of the same paper."""
    return "featured" if section == "featured" else "radiostation"


class Store:
    """A migrated database holding papers, picks, write-ups and audio of every week."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            parsed = make_url(url)
            if parsed.get_backend_name() == "sqlite" and parsed.database:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(url)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            self._migrate()
        except (SQLAlchemyError, OSError) as exc:
            raise StoreError(f"cannot open the store at {parsed.render_as_string(hide_password=True)}: "
                             f"{exc.__class__.__name__}: {str(exc).splitlines()[0]}") from exc

    def _migrate(self) -> None:
        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        with self.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- ingest ---------------------------------------------------------------------------------------

    def ingest_progress(self, source: str) -> tuple[int, bool]:
        """Lines of ``source`` already stored, and whether the whole file was."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema.ingest_runs.c.lines_done, schema.ingest_runs.c.completed)
                .where(schema.ingest_runs.c.source == source)
            ).first()
        return (row.lines_done, bool(row.completed)) if row else (0, False)

    def add_papers(
        self,
        papers: Sequence[Paper],
        *,
        source: str,
        lines_done: int,
        skips: Iterable[tuple[str, str]] = (),
        completed: bool = False,
        cursor: str | None = None,
        announcements: Iterable[Announcement] = (),
    ) -> tuple[int, int]:
        """Store a batch of papers with the progress it represents, in one transaction.

        A paper already stored at the same or a newer version is left alone; an older one is replaced.
        ``cursor`` (e.g. a resumption token) and ``announcements`` commit with the batch too.
        Returns (new, updated). Because progress commits with the batch, a run killed at any point resumes
        from the last committed line without duplicating or dropping papers.
        """
        latest: dict[str, Paper] = {}
        for paper in papers:
            if paper.arxiv_id not in latest or paper.version > latest[paper.arxiv_id].version:
                latest[paper.arxiv_id] = paper
        new = updated = 0
        with self.engine.begin() as conn:
            stored = self._versions(conn, list(latest))
            fresh = [p for p in latest.values() if p.arxiv_id not in stored]
            newer = [p for p in latest.values() if p.arxiv_id in stored and p.version > stored[p.arxiv_id]]
            if newer:
                ids = [p.arxiv_id for p in newer]
                conn.execute(delete(schema.papers).where(schema.papers.c.arxiv_id.in_(ids)))
                conn.execute(delete(schema.paper_authors).where(schema.paper_authors.c.arxiv_id.in_(ids)))
            rows = fresh + newer
            if rows:
                conn.execute(insert(schema.papers), [_paper_row(p) for p in rows])
                author_rows = [_author_row(p, i, a) for p in rows for i, a in enumerate(p.authors)]
                if author_rows:
                    conn.execute(insert(schema.paper_authors), author_rows)
            new, updated = len(fresh), len(newer)
            self._record_skips(conn, source, skips)
            self._record_announcements(conn, announcements)
            self._set_progress(conn, source, lines_done, completed, cursor)
        return new, updated

    def _versions(self, conn: Connection, ids: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(ids), _BATCH):
            chunk = ids[start : start + _BATCH]
            rows = conn.execute(
                select(schema.papers.c.arxiv_id, schema.papers.c.version).where(schema.papers.c.arxiv_id.in_(chunk))
            )
            found.update({r.arxiv_id: r.version for r in rows})
        return found

    def _record_skips(self, conn: Connection, source: str, skips: Iterable[tuple[str, str]]) -> None:
        rows = [{"source": source, "item": item, "reason": reason} for item, reason in skips]
        if not rows:
            return
        known = set(conn.scalars(select(schema.skipped.c.item).where(schema.skipped.c.source == source)))
        rows = [r for r in rows if r["item"] not in known]
        if rows:
            conn.execute(insert(schema.skipped), rows)

    def _record_announcements(self, conn: Connection, announcements: Iterable[Announcement]) -> None:
        rows = {(a.arxiv_id, a.day, a.kind, a.category): a.version for a in announcements}
        if not rows:
            return
        ids = sorted({key[0] for key in rows})
        known: set[tuple[object, ...]] = set()
        for start in range(0, len(ids), _BATCH):
            table = schema.announcements
            known.update(
                tuple(r) for r in conn.execute(
                    select(table.c.arxiv_id, table.c.day, table.c.kind, table.c.category)
                    .where(table.c.arxiv_id.in_(ids[start : start + _BATCH]))
                )
            )
        fresh = [
            {"arxiv_id": k[0], "day": k[1], "kind": k[2], "category": k[3], "version": v}
            for k, v in rows.items() if k not in known
        ]
        if fresh:
            conn.execute(insert(schema.announcements), fresh)

    def announcements(self, first: date, last: date) -> list[Announcement]:
        """Announcements of the days from ``first`` to ``last``, by day and id."""
        table = schema.announcements
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(table).where(table.c.day.between(first, last)).order_by(table.c.day, table.c.arxiv_id)
            )
            return [Announcement(r.arxiv_id, r.day, r.kind, r.category, r.version) for r in rows]

    def ingest_cursor(self, source: str) -> str | None:
        """Where an interrupted ingest of ``source`` continues (e.g. an OAI-PMH resumption token)."""
        with self.engine.connect() as conn:
            return conn.scalar(select(schema.ingest_runs.c.cursor).where(schema.ingest_runs.c.source == source))

    def _set_progress(
        self, conn: Connection, source: str, lines_done: int, completed: bool, cursor: str | None = None
    ) -> None:
        values = {"lines_done": lines_done, "completed": int(completed), "updated_at": datetime.now(UTC),
                  "cursor": cursor}
        done = conn.execute(
            update(schema.ingest_runs).where(schema.ingest_runs.c.source == source).values(**values)
        ).rowcount
        if not done:
            conn.execute(insert(schema.ingest_runs).values(source=source, **values))

    def skipped(self, source: str) -> list[tuple[str, str]]:
        """Items of ``source`` that were dropped, with the reason."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(schema.skipped.c.item, schema.skipped.c.reason).where(schema.skipped.c.source == source)
            )
            return [(r.item, r.reason) for r in rows]

    # -- papers and history ---------------------------------------------------------------------------

    def count_papers(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(schema.papers)) or 0)

    def papers_announced(self, first: date, last: date) -> list[Paper]:
        """Papers first announced between ``first`` and ``last`` (inclusive), ordered by id."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(schema.papers)
                .where(schema.papers.c.announced.between(first, last))
                .order_by(schema.papers.c.arxiv_id)
            ).all()
            return self._papers_from_rows(conn, rows)

    def papers_by_id(self, ids: Sequence[str]) -> dict[str, Paper]:
        found: dict[str, Paper] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), _BATCH):
                chunk = list(ids[start : start + _BATCH])
                rows = conn.execute(select(schema.papers).where(schema.papers.c.arxiv_id.in_(chunk))).all()
                found.update({p.arxiv_id: p for p in self._papers_from_rows(conn, rows)})
        return found

    def _papers_from_rows(self, conn: Connection, rows: Sequence[Any]) -> list[Paper]:
        authors: dict[str, list[Author]] = {r.arxiv_id: [] for r in rows}
        ids = list(authors)
        for start in range(0, len(ids), _BATCH):
            chunk = ids[start : start + _BATCH]
            for a in conn.execute(
                select(schema.paper_authors)
                .where(schema.paper_authors.c.arxiv_id.in_(chunk))
                .order_by(schema.paper_authors.c.arxiv_id, schema.paper_authors.c.position)
            ):
                authors[a.arxiv_id].append(Author(a.name, a.affiliation))
        return [
            Paper(
                arxiv_id=r.arxiv_id,
                title=r.title,
                abstract=r.abstract,
                authors=tuple(authors[r.arxiv_id]),
                categories=tuple(r.categories.split()),
                announced=r.announced,
                submitted=_utc(r.submitted),
                version=r.version,
                comments=r.comments,
                journal_ref=r.journal_ref,
                doi=r.doi,
                source=r.source,
            )
            for r in rows
        ]

    def authorships(self, first: date, last: date) -> Iterator[Authorship]:
        """Every author slot of the papers announced in [first, last], the history for track records."""
        counts = (
            select(schema.paper_authors.c.arxiv_id, func.count().label("n"))
            .group_by(schema.paper_authors.c.arxiv_id)
            .subquery()
        )
        query = (
            select(
                schema.paper_authors.c.arxiv_id,
                schema.papers.c.announced,
                schema.paper_authors.c.author_key,
                schema.paper_authors.c.position,
                counts.c.n,
            )
            .join(schema.papers, schema.papers.c.arxiv_id == schema.paper_authors.c.arxiv_id)
            .join(counts, counts.c.arxiv_id == schema.paper_authors.c.arxiv_id)
            .where(schema.papers.c.announced.between(first, last))
        )
        with self.engine.connect() as conn:
            for r in conn.execute(query):
                yield Authorship(r.arxiv_id, r.announced, r.author_key, r.position, r.n)

    # -- cache --------------------------------------------------------------------------------------

    def cache_get(self, namespace: str, key: str) -> Any | None:
        """The JSON value stored under (namespace, key), or None."""
        with self.engine.connect() as conn:
            value = conn.scalar(select(schema.cache.c.value).where(
                schema.cache.c.namespace == namespace, schema.cache.c.key == key))
        return None if value is None else json.loads(value)

    def cache_put(self, namespace: str, key: str, value: Any) -> None:
        """Store a JSON-serialisable value, replacing what was there; committed at once (a checkpoint)."""
        with self.engine.begin() as conn:
            conn.execute(delete(schema.cache).where(schema.cache.c.namespace == namespace,
                                                    schema.cache.c.key == key))
            conn.execute(insert(schema.cache).values(namespace=namespace, key=key, value=json.dumps(value),
                                                     stored_at=datetime.now(UTC)))

    # -- issues ---------------------------------------------------------------------------------------

    def save_picks(self, week: Week, picks: Sequence[Pick], pool_size: int) -> None:
        """Replace the week's picks (ranking is deterministic, so re-running stores the same rows)."""
        with self.engine.begin() as conn:
            conn.execute(delete(schema.picks).where(schema.picks.c.week == str(week)))
            conn.execute(delete(schema.issues).where(schema.issues.c.week == str(week)))
            conn.execute(insert(schema.issues).values(week=str(week), pool_size=pool_size,
                                                      ranked_at=datetime.now(UTC)))
            if picks:
                conn.execute(insert(schema.picks), [
                    {
                        "week": str(week),
                        "arxiv_id": p.paper.arxiv_id,
                        "section": p.section,
                        "field": p.field,
                        "rank": p.rank,
                        "score": p.score,
                        "features": json.dumps(dict(p.features)),
                        "credit": json.dumps(p.credit.to_dict()),
                    }
                    for p in picks
                ])

    def save_writeups(self, picks: Sequence[Pick]) -> None:
        """Replace each written pick's write-ups in every language: a translation of an older write-up goes."""
        with self.engine.begin() as conn:
            for p in picks:
                if p.writeup is None:
                    continue
                pick_key = {"arxiv_id": p.paper.arxiv_id, "section_kind": _writeup_kind(p.section)}
                conn.execute(delete(schema.writeups).filter_by(**pick_key))
                for writeup in (p.writeup, *p.translations.values()):
                    conn.execute(insert(schema.writeups).values(**pick_key, language=writeup.language,
                                                                data=json.dumps(writeup.to_dict())))

    def save_audio(self, issue: Issue) -> None:
        week = str(issue.week)
        with self.engine.begin() as conn:
            conn.execute(delete(schema.audio).where(schema.audio.c.week == week))
            rows = [
                {"week": week, "item": p.paper.arxiv_id, "language": lang, "data": json.dumps(seg.to_dict())}
                for p in issue.picks
                for lang, seg in p.audio.items()
            ]
            rows += [
                {"week": week, "item": "episode", "language": lang, "data": json.dumps(ep.to_dict())}
                for lang, ep in issue.episodes.items()
            ]
            if rows:
                conn.execute(insert(schema.audio), rows)

    def weeks(self) -> list[Week]:
        """Weeks that have been ranked, newest first."""
        with self.engine.connect() as conn:
            names = conn.scalars(select(schema.issues.c.week).order_by(schema.issues.c.week.desc()))
            return [Week.parse(n) for n in names]

    def load_issue(self, week: Week) -> Issue | None:
        """The week's issue with whatever later stages have added; None if the week was never ranked."""
        with self.engine.connect() as conn:
            head = conn.execute(select(schema.issues).where(schema.issues.c.week == str(week))).first()
            if head is None:
                return None
            rows = conn.execute(select(schema.picks).where(schema.picks.c.week == str(week))).all()
            ids = [r.arxiv_id for r in rows]
            writeups: dict[tuple[str, str], dict[str, Writeup]] = {}
            for w in conn.execute(select(schema.writeups).where(schema.writeups.c.arxiv_id.in_(ids))):
                languages = writeups.setdefault((w.arxiv_id, w.section_kind), {})
                languages[w.language] = Writeup.from_dict(json.loads(w.data))
            audio_rows = conn.execute(select(schema.audio).where(schema.audio.c.week == str(week))).all()
        papers = self.papers_by_id(ids)
        audio: dict[str, dict[str, Segment]] = {}
        episodes: dict[str, Episode] = {}
        for r in audio_rows:
            if r.item == "episode":
                episodes[r.language] = Episode.from_dict(json.loads(r.data))
            else:
                audio.setdefault(r.item, {})[r.language] = Segment.from_dict(json.loads(r.data))
        picks = []
        for r in rows:
            languages = dict(writeups.get((r.arxiv_id, _writeup_kind(r.section)), {}))
            picks.append(Pick(
                paper=papers[r.arxiv_id],
                section=r.section,
                field=r.field,
                rank=r.rank,
                score=r.score,
                features=json.loads(r.features),
                credit=Credit.from_dict(json.loads(r.credit)),
                writeup=languages.pop("en", None),
                audio=audio.get(r.arxiv_id, {}),
                translations=languages,
            ))
        order = {"featured": 0, "nlp": 1, "cv": 2, "ml": 3}
        picks.sort(key=lambda p: (order[p.section], p.rank))
        return Issue(week=week, picks=tuple(picks), episodes=episodes, pool_size=head.pool_size)


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; the store writes UTC, so say so."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _paper_row(p: Paper) -> dict[str, Any]:
    return {
        "arxiv_id": p.arxiv_id,
        "version": p.version,
        "title": p.title,
        "abstract": p.abstract,
        "categories": " ".join(p.categories),
        "primary_category": p.primary_category,
        "announced": p.announced,
        "submitted": p.submitted.astimezone(UTC) if p.submitted else None,
        "comments": p.comments,
        "journal_ref": p.journal_ref,
        "doi": p.doi,
        "source": p.source,
    }


def _author_row(p: Paper, position: int, a: Author) -> dict[str, Any]:
    return {"arxiv_id": p.arxiv_id, "position": position, "name": a.name, "author_key": a.key,
            "affiliation": a.affiliation}
