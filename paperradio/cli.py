"""The command line: one command per stage, plus `weekly` that runs them all.

    paperradio ingest  --source FILE           papers into the store
    paperradio rank    --week 2026-W16         choose the picks
    paperradio explain 2604.01234 --week 2026-W16   why a paper was (not) picked
    paperradio tune    LABELS_DIR --out weights.toml   fit the rank weights on labelled weeks
    paperradio write   --week 2026-W16         summaries and recommendations
    paperradio radio   --week 2026-W16         spoken segments and the episode
    paperradio radio   --week 2026-W16 --from-script script.en.txt   render an edited script
    paperradio publish --week 2026-W16 --out site/
    paperradio weekly  --source FILE --week 2026-W16 --out site/

Every command is idempotent and reads its input from the store. stdout carries data (paths, JSON);
logs and progress bars go to stderr. Exit codes: 0 success, 1 failure, 2 usage error.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from tqdm import tqdm

from .config import Settings, load_settings
from .errors import PaperRadioError, RankError
from .models import Authorship, Issue, Paper, Pick, Week
from .store import Store

if TYPE_CHECKING:
    from .rank.enrich import OnlineMetrics

log = logging.getLogger("paperradio")


class Context:
    """What every command gets: settings, output switches and a lazily opened store."""

    def __init__(self, settings: Settings, as_json: bool, silent: bool) -> None:
        self.settings = settings
        self.as_json = as_json
        self.silent = silent
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.settings.database_url)
        return self._store

    def progress(self, total: int | None, desc: str) -> tqdm[Any]:
        return tqdm(total=total, desc=desc, unit=" items", file=sys.stderr, disable=self.silent or None,
                    dynamic_ncols=True, leave=False)

    def emit(self, data: Any, text: str) -> None:
        """Print ``data`` as JSON with --json, else ``text``."""
        click.echo(json.dumps(data, ensure_ascii=False, indent=2) if self.as_json else text)


def _week(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Week | None:
    if value is None:
        return None
    try:
        return Week.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _find_config(explicit: Path | None) -> Path | None:
    if explicit is not None:
        return explicit
    if os.environ.get("PAPERRADIO_CONFIG"):
        return Path(os.environ["PAPERRADIO_CONFIG"])
    local = Path("paperradio.toml")
    return local if local.exists() else None


class _Group(click.Group):
    """Turns our errors into one line on stderr (no traceback unless --traceback)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PaperRadioError as exc:
            if ctx.meta.get("paperradio.traceback"):
                raise
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Group)
@click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False),
              help="TOML settings file (default: $PAPERRADIO_CONFIG or ./paperradio.toml).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output on stdout.")
@click.option("--silent", is_flag=True, help="No progress bars.")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors on stderr.")
@click.option("--traceback", is_flag=True, help="Show the full traceback of an error.")
@click.version_option(package_name="paperradio")
@click.pass_context
def cli(ctx: click.Context, config_file: Path | None, as_json: bool, silent: bool, verbose: int, quiet: bool,
        traceback: bool) -> None:
    """paperradio: a weekly papers & radio issue from arXiv, made offline."""
    level = logging.WARNING if quiet else logging.DEBUG if verbose > 1 else logging.INFO
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if verbose < 2:
        logging.getLogger("alembic").setLevel(logging.WARNING)
    ctx.meta["paperradio.traceback"] = traceback
    try:
        settings = load_settings(_find_config(config_file), env=os.environ)
    except PaperRadioError as exc:
        raise click.ClickException(str(exc)) from None
    ctx.obj = Context(settings, as_json, silent)
    ctx.call_on_close(lambda: ctx.obj.store.close() if ctx.obj._store else None)


pass_context = click.make_pass_decorator(Context)
week_option = click.option("--week", callback=_week, help="Announcement week, e.g. 2026-W16.")
figures_option = click.option("--figures/--no-figures", default=None,
                              help="Crop the featured papers' key figures from their PDFs (downloads them); "
                              "default: the `figures` setting.")
send_email_option = click.option("--send-email/--no-send-email", default=None,
                                 help="Send the email edition to `email_to` through `smtp_url` after publishing; "
                                 "default: the `email_send` setting.")


@contextmanager
def _stage(name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    log.info("%s done in %.1f s", name, time.perf_counter() - start)


# -- stages ---------------------------------------------------------------------------------------


def do_ingest(obj: Context, source: Path) -> dict[str, Any]:
    from .sources import ingest_snapshot

    with _stage("ingest"), obj.progress(None, "ingest") as bar:
        report = ingest_snapshot(source, obj.store, progress=bar.update)
    for skipped in report.skipped[:20]:
        click.echo(f"skipped line {skipped.line}: {skipped.reason}", err=True)
    if len(report.skipped) > 20:
        click.echo(f"... and {len(report.skipped) - 20} more skipped lines (all kept in the store's skip log)",
                   err=True)
    click.echo(f"ingest: {report.summary()}", err=True)
    return {"source": str(source), "read": report.read, "new": report.new, "updated": report.updated,
            "unchanged": report.unchanged, "already_done": report.already_done,
            "skipped": [{"line": s.line, "reason": s.reason} for s in report.skipped]}


def do_ingest_live(
    obj: Context, since: date | None, until: date | None, dry_run: bool, restart: bool = False
) -> dict[str, Any]:
    """Today's announcements from the feeds, or an OAI-PMH harvest of [since, until] for each set."""
    from .sources.arxiv_oai import harvest
    from .sources.live import ingest_announcements, polite_client

    settings = obj.settings
    with _stage("ingest"), polite_client(settings) as client:
        if since is None:
            live = ingest_announcements(obj.store, client, categories=settings.categories,
                                        rss_base_url=settings.arxiv_rss_url, api_base_url=settings.arxiv_api_url,
                                        dry_run=dry_run)
            for item, reason in live.skipped[:20]:
                click.echo(f"skipped {item}: {reason}", err=True)
            click.echo(f"ingest: {live.summary()}", err=True)
            return {"source": live.source, "fetched": live.fetched, "new": live.new, "updated": live.updated,
                    "cross_listed": live.cross_listed, "backfilled": live.backfilled, "dry_run": dry_run,
                    "skipped": [{"item": i, "reason": r} for i, r in live.skipped]}
        totals: dict[str, Any] = {"sources": [], "fetched": 0, "new": 0, "updated": 0, "skipped": [],
                                  "dry_run": dry_run}
        for set_spec in settings.oai_sets:
            with obj.progress(None, f"harvest {set_spec}") as bar:
                report = harvest(obj.store, client, settings.arxiv_oai_url, "arXivRaw", set_spec, since, until,
                                 progress=bar.update, dry_run=dry_run, restart=restart)
            click.echo(f"ingest {set_spec}: {report.summary()}", err=True)
            totals["sources"].append(report.source)
            for key in ("fetched", "new", "updated"):
                totals[key] += getattr(report, key)
            totals["skipped"] += [{"item": s.identifier, "reason": s.reason} for s in report.skipped]
        return totals


def do_ingest_journals(obj: Context, dry_run: bool) -> dict[str, Any]:
    """The configured journal feeds (setting journal_feeds), candidates for the featured section."""
    from .sources.journal_rss import ingest_journals, journal_client, journal_feeds

    settings = obj.settings
    feeds = journal_feeds(settings.journal_feeds)
    totals: dict[str, Any] = {"sources": [f.source for f in feeds], "fetched": 0, "new": 0, "updated": 0,
                              "skipped": [], "dry_run": dry_run}
    with _stage("ingest journals"):
        for report in ingest_journals(obj.store, feeds, lambda: journal_client(settings), dry_run=dry_run):
            click.echo(f"ingest: {report.summary()}", err=True)
            for key in ("fetched", "new", "updated"):
                totals[key] += getattr(report, key)
            totals["skipped"] += [{"item": i, "reason": r} for i, r in report.skipped]
    return totals


def live_week(requested: Week | None, now: datetime) -> Week:
    """The week a live run makes: the one asked for, once arXiv has announced all of it, else the latest."""
    from .sources.schedule import announced_at, last_listing_day, latest_complete_week_monday, week_is_complete

    if requested is None:
        return Week.containing(latest_complete_week_monday(now))
    if not week_is_complete(requested.monday, now):
        last = last_listing_day(requested.monday)
        assert last is not None  # a week with no listing at all is complete
        raise PaperRadioError(
            f"arXiv has not finished announcing week {requested}: its last listing ({last}) goes out "
            f"{announced_at(last):%a %Y-%m-%d %H:%M} US Eastern; run again after that"
        )
    return requested


def _rank_inputs(obj: Context, week: Week) -> tuple[list[Paper], Iterable[Authorship], list[Paper]]:
    """The week's pool, the authorships before it (track records) and the papers of the weeks before
    (how much each topic is bursting now)."""
    from . import rank

    store, day_before = obj.store, week.monday - timedelta(days=1)
    papers = store.papers_announced(week.monday, week.friday)
    if not papers:
        raise RankError(f"no papers announced in week {week} ({week.monday} … {week.friday}); "
                        f"the store holds {store.count_papers()} papers — ingest that week first")
    prior = store.papers_announced(week.monday - timedelta(weeks=rank.PRIOR_WEEKS), day_before)
    return papers, _history(obj, week), prior


def _history(obj: Context, week: Week) -> Iterable[Authorship]:
    return obj.store.authorships(week.monday - timedelta(days=obj.settings.history_days),
                                 week.monday - timedelta(days=1))


def _online_metrics(obj: Context, week: Week, papers: list[Paper], prior: list[Paper]) -> OnlineMetrics:
    """Author metrics from the indexes in ``author_sources`` (rank/enrich.py); {} when there are none."""
    if not obj.settings.author_sources:
        return {}
    from .rank.enrich import week_metrics

    return week_metrics(papers, _history(obj, week), obj.settings, week.monday, obj.store, prior=prior)


def _popularity(obj: Context, week: Week) -> dict[str, int]:
    """Upvotes from the sources in ``popularity_sources`` (rank/enrich.py); {} when there are none."""
    if not obj.settings.popularity_sources:
        return {}
    from .rank.enrich import week_popularity

    return week_popularity(obj.settings, obj.store, week.monday)


def do_rank(obj: Context, week: Week) -> Issue:
    from . import rank

    with _stage("rank"):
        papers, history, prior = _rank_inputs(obj, week)
        online = _online_metrics(obj, week, papers, prior)
        picks = rank.run(papers, history, obj.settings, week.monday, prior=prior, online=online,
                         popularity=_popularity(obj, week))
        obj.store.save_picks(week, picks, pool_size=len(papers))
    click.echo(f"rank: {len(papers)} papers in {week}, {len(picks)} picks", err=True)
    return _load(obj, week)


def do_write(obj: Context, week: Week) -> Issue:
    from . import write

    issue = _load(obj, week)
    with _stage("write"):
        picks = write.run(issue.picks, obj.settings, cache=obj.store)
        obj.store.save_writeups(picks)
    methods = Counter(p.writeup.method for p in picks if p.writeup)
    translated = Counter(lang for p in picks for lang in p.translations)
    figures = sum(1 for p in picks if p.writeup and p.writeup.figure)
    click.echo(f"write: {len(picks)} write-ups ({', '.join(f'{n} {m}' for m, n in sorted(methods.items()))})"
               + "".join(f", {n} translated to {lang}" for lang, n in sorted(translated.items()))
               + (f", {figures} key figures" if obj.settings.figures else ""), err=True)
    return _load(obj, week)


def do_radio(obj: Context, week: Week, script_files: tuple[Path, ...] = ()) -> Issue:
    from . import radio

    issue = _load(obj, week)
    if any(p.writeup is None for p in issue.picks):
        raise PaperRadioError(f"week {week} has picks without write-ups; run `paperradio write --week {week}` first")
    languages = len(obj.settings.editions)
    with _stage("radio"), obj.progress(len(issue.picks) * languages, "radio") as bar:
        issue = radio.run(issue, obj.settings, progress=bar.update, script_files=script_files)
        obj.store.save_audio(issue)
    audio_dir = obj.settings.home / "audio" / str(week)
    for lang, episode in issue.episodes.items():
        click.echo(f"radio: {lang} episode {episode.audio.seconds / 60:.1f} min, "
                   f"{episode.loudness_lufs:.1f} LUFS, true peak {episode.true_peak_dbfs:.1f} dBFS; "
                   f"script {audio_dir / f'script.{lang}.txt'}", err=True)
    return issue


def do_publish(obj: Context, week: Week, out: Path, send_email: bool | None = None) -> list[Path]:
    from . import publish
    from .publish import mail

    issue = _load(obj, week)
    archive = [i for w in obj.store.weeks() if w != week and (out / str(w) / "issue.json").exists()
               for i in [obj.store.load_issue(w)] if i is not None]
    with _stage("publish"):
        files = publish.run(issue, out, obj.settings, archive)
    click.echo(f"publish: {len(files)} files in {out}", err=True)
    if obj.settings.email_send if send_email is None else send_email:
        with _stage("email"):
            sent = mail.send(out / str(week), obj.settings)
        click.echo(f"email: sent {', '.join(p.name for p in sent)} to {len(obj.settings.email_to)} recipients",
                   err=True)
    return files


def _load(obj: Context, week: Week) -> Issue:
    issue = obj.store.load_issue(week)
    if issue is None:
        raise PaperRadioError(f"week {week} has not been ranked; run `paperradio rank --week {week}` first")
    return issue


def _require(week: Week | None) -> Week:
    if week is None:
        raise click.UsageError("--week is required, e.g. --week 2026-W16")
    return week


# -- commands -------------------------------------------------------------------------------------


@cli.command()
@click.option("--source", type=click.Path(path_type=Path), help="Snapshot file (.jsonl or .jsonl.gz).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Harvest arXiv (OAI-PMH) from this date.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Harvest up to this date (default: today).")
@click.option("--dry-run", is_flag=True, help="Fetch and parse (arXiv or journal feeds), store nothing.")
@click.option("--restart", is_flag=True, help="Start a harvest over instead of resuming it (e.g. after an "
              "expired resumption token); nothing is stored twice.")
@click.option("--journals", is_flag=True, help="Fetch only the journal feeds of setting journal_feeds "
              "(candidates for the featured section).")
@pass_context
def ingest(obj: Context, source: Path | None, since: datetime | None, until: datetime | None, dry_run: bool,
           restart: bool, journals: bool) -> None:
    """Import papers into the store (re-running imports nothing twice).

    With --source, from a snapshot file; with --since/--until, by an OAI-PMH harvest of that date range;
    with --journals, from the configured journal feeds; with none of them, today's announcements from
    arXiv's feeds, then the journal feeds if any are configured.
    """
    if source is not None and (since or until or dry_run or restart or journals):
        raise click.UsageError("--source reads a file; --since, --until, --dry-run, --restart and --journals "
                               "fetch from the web")
    if until is not None and since is None:
        raise click.UsageError("--until needs --since")
    if journals and (since or restart):
        raise click.UsageError("--journals fetches the journal feeds as they are today; it takes no dates")
    if journals and not obj.settings.journal_feeds:
        raise click.UsageError("no journal feeds configured: set journal_feeds (URLs or name=URL), "
                               "see docs/configuration.md")
    if source is not None:
        result = do_ingest(obj, source)
    elif journals:
        result = do_ingest_journals(obj, dry_run)
    else:
        result = do_ingest_live(obj, since.date() if since else None, until.date() if until else None, dry_run,
                                restart)
        if since is None and obj.settings.journal_feeds:
            journal = do_ingest_journals(obj, dry_run)
            result = {**result, "journals": journal, "new": result["new"] + journal["new"],
                      "updated": result["updated"] + journal["updated"],
                      "skipped": result["skipped"] + journal["skipped"]}
    obj.emit(result, f"{result['new']} new, {result['updated']} updated, {len(result['skipped'])} skipped")


@cli.command("rank")
@week_option
@click.option("--enrich/--no-enrich", default=None, help="Ask scholarly indexes for authors' h-index and "
              "citations (default: when the author_sources setting names any; --enrich alone uses both).")
@pass_context
def rank_command(obj: Context, week: Week | None, enrich: bool | None) -> None:
    """Choose the week's featured and Radiostation picks."""
    if enrich is not None:
        from .rank.enrich import INDEXES

        obj.settings = obj.settings.replace(author_sources=(obj.settings.author_sources or INDEXES) if enrich else ())
    issue = do_rank(obj, _require(week))
    obj.emit([_pick_summary(p) for p in issue.picks],
             "\n".join(f"{p.section:9} {p.rank:2} {p.score:6.2f} {p.paper.arxiv_id} {p.paper.title} {p.credit.line}"
                       for p in issue.picks))


@cli.command("explain")
@click.argument("arxiv_id")
@week_option
@pass_context
def explain_command(obj: Context, arxiv_id: str, week: Week | None) -> None:
    """Explain a paper's score and why it was or was not picked in its week."""
    from .rank.explain import explain

    week = _require(week)
    papers, history, prior = _rank_inputs(obj, week)
    online = _online_metrics(obj, week, papers, prior)
    found = explain(arxiv_id, papers, history, obj.settings, week.monday, prior=prior, online=online,
                    popularity=_popularity(obj, week))
    obj.emit(found.to_dict(), found.text())


@cli.command("tune")
@click.argument("labels", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--fit", "split", type=click.Choice(["odd", "even", "all"]), default="odd", show_default=True,
              help="Weeks to fit on, by ISO week number; the others are held out to check the fit.")
@click.option("--rounds", type=click.IntRange(1), default=3, show_default=True, help="Coordinate-ascent rounds.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the fitted [rank_weights] table here (default: print it).")
@click.option("--topic-prior", "prior_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also refit the learned topic prior on the fit weeks and write it here (the package's is "
                   "paperradio/rank/topic_prior.json); the weights are then fitted on cross-fitted prior values.")
@pass_context
def tune_command(obj: Context, labels: Path, split: str, rounds: int, out: Path | None,
                 prior_out: Path | None) -> None:
    """Fit the rank weights on a folder of labelled weeks (JSON lines with arxiv_id and week_monday)."""
    from .rank import DEFAULT_WEIGHTS
    from .rank.tune import fit, hits, load_label_folder, prepare, refit_topic_prior, to_toml

    def inputs(monday: date) -> tuple[list[Paper], Iterable[Authorship], list[Paper]]:
        try:
            return _rank_inputs(obj, Week.containing(monday))
        except RankError:
            return [], [], []  # a labelled week the store does not hold

    with _stage("tune"):
        cases = refitted = prepare(load_label_folder(labels), inputs, obj.settings)
        if prior_out is not None:
            provenance = {"labels": sorted(p.name for p in labels.glob("*.jsonl")), "split": split,
                          "fitted_on": date.today().isoformat(),
                          "refit": f"paperradio tune LABELS --fit {split} --topic-prior {prior_out.name}"}
            fit_weeks = {c.week for c in cases if c.week.fitted(split)}
            prior, refitted = refit_topic_prior(cases, fit_weeks, provenance)
            prior_out.write_text(prior.to_json(), encoding="utf-8")
        before = {**DEFAULT_WEIGHTS, **obj.settings.rank_weights}
        fitted = fit([c for c in refitted if c.week.fitted(split)], before, obj.settings, rounds)
    # "before": the weights and topic prior in use; "after": the fitted ones
    scored = [(c, hits(c, before, obj.settings), hits(r, fitted, obj.settings))
              for c, r in zip(cases, refitted, strict=True)]
    lines = [f"{'week':9} {'fit':3} {'labels':>6} {'before':>6} {'after':>6}"]
    lines += [f"{c.week.name:9} {'yes' if c.week.fitted(split) else '':3} {len(c.labels):6} {b:6} {a:6}"
              for c, b, a in scored]
    for subset, fitted_on in (("fit", True), ("held-out", False)):
        chosen = [(b, a) for c, b, a in scored if c.week.fitted(split) == fitted_on]
        lines.append(f"pooled {subset}: {len(chosen)} weeks, hits {sum(b for b, _ in chosen)} -> "
                     f"{sum(a for _, a in chosen)}")
    rows = [{"week": c.week.name, "fit": c.week.fitted(split), "labels": len(c.labels), "hits_before": b,
             "hits_after": a} for c, b, a in scored]
    table = to_toml(fitted)
    if out is not None:
        out.write_text(table, encoding="utf-8")
        lines.append(f"weights written to {out}")
    else:
        lines.append(table)
    if prior_out is not None:
        lines.append(f"topic prior written to {prior_out}")
    obj.emit({"weeks": rows, "weights": fitted}, "\n".join(lines))


@cli.command("write")
@week_option
@figures_option
@click.option("--estimate", is_flag=True, help="Print the requests, tokens and cost a run would make with the "
              "language model endpoint, without calling it or writing anything.")
@pass_context
def write_command(obj: Context, week: Week | None, figures: bool | None, estimate: bool) -> None:
    """Write summaries and recommendation lines for the week's picks, and the featured key figures.

    With writer = "llm" the write-ups come from the endpoint set by llm_base_url (falling back to the
    extractive writer paper by paper); with an endpoint and the zh edition they are also translated.
    """
    if figures is not None:
        obj.settings = obj.settings.replace(figures=figures)
    if estimate:
        from . import write

        found = write.estimate(_load(obj, _require(week)).picks, obj.settings, cache=obj.store)
        obj.emit(found.to_dict(), found.text())
        return
    issue = do_write(obj, _require(week))
    obj.emit([p.to_dict() for p in issue.picks], "\n".join(
        f"{p.paper.arxiv_id} {p.writeup.headline if p.writeup else ''}" for p in issue.picks))


@cli.command("radio")
@week_option
@click.option("--from-script", "script_files", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
              help="An edited script file (script.<language>.txt, as radio writes it beside the episode) to "
              "render instead of the issue's text; repeat for each edition. Only changed lines are spoken.")
@pass_context
def radio_command(obj: Context, week: Week | None, script_files: tuple[Path, ...]) -> None:
    """Render the spoken segments and the full episode, and write each edition's script file."""
    issue = do_radio(obj, _require(week), script_files)
    audio_dir = obj.settings.home / "audio" / str(issue.week)
    obj.emit({lang: e.to_dict() for lang, e in issue.episodes.items()},
             "\n".join(str(audio_dir / e.audio.path) for e in issue.episodes.values()))


@cli.command("publish")
@week_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("site"), show_default=True,
              help="Output folder of the site.")
@send_email_option
@pass_context
def publish_command(obj: Context, week: Week | None, out: Path, send_email: bool | None) -> None:
    """Write Markdown, HTML, email, issue.json and the podcast feed."""
    files = do_publish(obj, _require(week), out, send_email)
    obj.emit([str(f) for f in files], "\n".join(str(f) for f in files))


@cli.command()
@click.option("--source", type=click.Path(path_type=Path),
              help="Snapshot file; without it, the week is harvested from arXiv (default: the latest complete week).")
@week_option
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("site"), show_default=True,
              help="Output folder of the site.")
@click.option("--no-radio", is_flag=True, help="Skip audio (text editions only).")
@figures_option
@send_email_option
@pass_context
def weekly(obj: Context, source: Path | None, week: Week | None, out: Path, no_radio: bool,
           figures: bool | None, send_email: bool | None) -> None:
    """Run every stage for one week: ingest, rank, write, radio, publish."""
    from . import publish

    if figures is not None:
        obj.settings = obj.settings.replace(figures=figures)
    if obj.settings.email_send if send_email is None else send_email:
        publish.mail.check_sending(obj.settings)  # before hours of work, not after

    timings: dict[str, float] = {}

    def timed(name: str, step: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = step()
        timings[name] = round(time.perf_counter() - start, 2)
        return result

    if source is None:
        week = live_week(week, datetime.now(UTC))
        publish.check_output(out)
        # OAI datestamps trail the announcement by up to a day; the schedule then places each paper.
        harvest_from, harvest_until = week.monday - timedelta(days=4), week.friday + timedelta(days=1)
        timed("ingest", lambda: do_ingest_live(obj, harvest_from, harvest_until, dry_run=False))
        if obj.settings.journal_feeds:
            timed("ingest journals", lambda: do_ingest_journals(obj, dry_run=False))
    else:
        if week is None:
            raise click.UsageError("--week is required with --source, e.g. --week 2026-W16")
        publish.check_output(out)
        timed("ingest", lambda: do_ingest(obj, source))
    timed("rank", lambda: do_rank(obj, week))
    timed("write", lambda: do_write(obj, week))
    if obj.settings.radio and not no_radio:
        timed("radio", lambda: do_radio(obj, week))
    files = timed("publish", lambda: do_publish(obj, week, out, send_email))
    obj.emit({"week": str(week), "out": str(out), "files": [str(f) for f in files], "seconds": timings},
             str(out / str(week) / "index.html"))


def _pick_summary(pick: Pick) -> dict[str, Any]:
    return {"arxiv_id": pick.paper.arxiv_id, "section": pick.section, "field": pick.field, "rank": pick.rank,
            "score": round(pick.score, 4), "title": pick.paper.title, "credit": pick.credit.line,
            "features": dict(pick.features)}


def main() -> None:
    cli(prog_name="paperradio")
