"""The ``nianbao`` command line; each command is a thin layer over a library function."""

import json
import os
import sys
from urllib.parse import urlsplit

import click

from .db import open_db
from extractors.process import process_all

_SKIP_NAMES = ("README", "LICENSE")


def iter_paths(paths, skip=()):
    """Files named on the command line, and the files under named directories, sorted.

    Inside directories, hidden files, READMEs and the files in ``skip`` (the archive being
    written, with its -wal/-shm companions) are left out.
    """
    skip = {os.path.abspath(p) for p in skip}
    for path in paths:
        if os.path.isdir(path):
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    full = os.path.join(folder, name)
                    if name.startswith(".") or name.upper().startswith(_SKIP_NAMES) or os.path.abspath(full) in skip:
                        continue
                    yield full
        else:
            yield path


MAX_FILE_BYTES = 512 * 1024**2  # a scanned report of a few hundred pages is well under this
UNFETCHED_SHOWN = 20  # report pages not got, named one per line; the rest are counted


def read_document(path):
    """The bytes of a file to extract: regular files only (a FIFO would block for ever, a device
    never end) and at most ``MAX_FILE_BYTES``; anything else is refused with the reason."""
    import stat

    info = os.stat(path)  # follows a symlink: what it points to is what would be read
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("not a regular file (a FIFO, device or socket): not read")
    if info.st_size > MAX_FILE_BYTES:
        raise ValueError(f"{info.st_size / 1024**2:.0f} MB, more than the {MAX_FILE_BYTES // 1024**2} MB a report file may be: not read")
    with open(path, "rb") as f:
        return f.read(MAX_FILE_BYTES + 1)


@click.group()
@click.version_option(package_name="nianbao")
def cli():
    """nianbao (年报): an archive of government information-disclosure annual reports."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="Write into this SQLite archive instead of printing JSON.")
@click.option("--quiet", is_flag=True, help="With --db, print no summary.")
def extract(paths, db_path, quiet):
    """Extract annual reports from PATHS: HTML pages or fragments, text, PDF (OCR for scans),
    DOCX, DOC/WPS (via LibreOffice), XLSX/XLS, and zip bundles of them, told apart by content.

    Without --db, prints one JSON object per document. A document that cannot be read gets an
    error line on stderr; the others are still processed and the exit status is 1.

    \b
    Examples:
      nianbao extract report.pdf page.html
      nianbao extract tests/samples --db archive.db
    """
    db = open_db(db_path) if db_path else None
    failed = 0
    totals = {"reports": 0, "cells": 0, "ERROR": 0, "WARN": 0, "INFO": 0}
    outputs = [db_path + suffix for suffix in ("", "-wal", "-shm", "-journal")] if db_path else []
    for path in iter_paths(paths, skip=outputs):
        try:
            results = list(process_all(read_document(path), source=path))
        except Exception as error:  # one bad document must not stop the others
            results = [(path, error)]
        for source, report in results:
            if isinstance(report, Exception):
                failed += 1
                reason = str(report) or type(report).__name__
                click.echo(f"error: {source}: {type(report).__name__}: {reason}", err=True)
                continue
            try:
                _emit(report, source, db, totals, quiet)
            except Exception as error:  # noqa: BLE001 - archiving one report must not stop the batch
                failed += 1
                click.echo(f"error: {source}: {type(error).__name__}: {str(error)[:300]}", err=True)
    if db is not None:
        from .crossreport import run_cross_checks

        try:
            totals["across"] = run_cross_checks(db)
        except Exception as error:  # noqa: BLE001 - the reports are archived; say what was not checked
            failed += 1
            totals["across"] = 0
            click.echo(f"error: checks across reports: {type(error).__name__}: {str(error)[:300]}", err=True)
    if db is not None and not quiet:
        _print_coverage(db)
        click.echo(
            f"checks across reports: {totals['across']} flags; "
            f"archived {totals['reports']} reports ({totals['cells']} values; {totals['ERROR']} errors, "
            f"{totals['WARN']} warnings, {totals['INFO']} notes) into {db_path}; {failed} failed",
            err=True,
        )
    sys.exit(1 if failed else 0)


def _emit(report, path, db, totals, quiet):
    """Write one extracted report to the archive, or print it as a JSON line."""
    if db is None:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, default=str))
        return
    db.write_report(report)
    totals["reports"] += 1
    totals["cells"] += sum(1 for c in report["cells"] if c["value"] is not None)
    for flag in report["flags"]:
        totals[flag["severity"]] += 1
    if not quiet:
        errors = sum(1 for f in report["flags"] if f["severity"] == "ERROR")
        warnings = sum(1 for f in report["flags"] if f["severity"] == "WARN")
        click.echo(f"{path}: {report['year']} {report['era']} {report['agency']}: "
                   f"{len(report['cells'])} cells, {errors} errors, {warnings} warnings", err=True)


@cli.command()
@click.option("--start-url", "start_urls", multiple=True, help="A site's home page or section root (repeatable).")
@click.option("--source", "sources", multiple=True, help="A site of the source registry, by name (repeatable).")
@click.option("--region-code", help="The GB/T 2260 division of the --start-url sites (agencies named without a place).")
@click.option("--db", "db_path", default="archive.db", show_default=True, type=click.Path(dir_okay=False))
@click.option("--archive-dir", help="Where WARC files go (default: a 'warc' folder beside the database).")
@click.option("--delay", type=float, help="Seconds between requests to one host (default: polite settings, AutoThrottle).")
@click.option("--log-level", default="WARNING", show_default=True, help="Scrapy's own log (INFO shows its boilerplate); "
              "per-site progress is printed whatever the level (-s NIANBAO_PROGRESS_SECONDS=0 turns it off).")
@click.option("--contact", help="A URL or e-mail where site operators can reach you (goes in the User-Agent).")
@click.option("--redis", "redis_url", help="Share one frontier with other crawler processes through this Redis URL.")
@click.option("--frontier", help="Name of the shared frontier (default: today's UTC date); processes of one crawl use the same.")
@click.option("-s", "--set", "overrides", multiple=True, help="A Scrapy setting NAME=VALUE (repeatable).")
def crawl(start_urls, sources, region_code, db_path, archive_dir, delay, log_level, contact, redis_url, frontier, overrides):
    """Crawl sites for annual reports into the archive: captures, WARC files, reports, and an
    account of every list (``listings``).

    Exit status: 0 finished with every list complete or silent, 3 finished with an incomplete
    list (printed with its numbers), a document lost or a report page or file not got (each
    named; so also when every start URL failed), 1 the crawl did not finish, 2 bad input
    (nothing is created then).

    \b
    Examples:
      nianbao crawl --source lanshan-county --db archive.db
      nianbao crawl --start-url http://www.example.gov.cn/ --region-code 431127 --db archive.db
    """
    from crawler import run as crawl_run
    from crawler.sources import load_source, regions_of

    from .db import refuse_foreign

    entries = [load_source(name) for name in sources]
    urls = list(start_urls) + [u for entry in entries for u in entry["start_urls"]]
    if not urls:
        raise click.UsageError("give --start-url URL or --source NAME")
    bad = crawl_run.bad_start_urls(urls)
    if bad:
        raise BadInput("; ".join(f"{url!r} is {why}" for url, why in bad) + ": nothing crawled")
    refuse_foreign(db_path)  # before the crawl's own process would add tables to it
    regions = dict(regions_of(entries), **({urlsplit(u).netloc: region_code for u in start_urls} if region_code else {}))
    result = crawl_run.crawl(urls, crawl_run.settings(db_path, archive_dir, delay, log_level, redis_url, frontier, contact,
                                                     overrides), regions, list(sources))
    stats = result.stats
    reports = {k.rsplit("/", 1)[-1]: v for k, v in stats.items() if k.startswith("nianbao/reports/")}
    walls = {k.rsplit("/", 1)[-1]: v for k, v in stats.items() if k.startswith("nianbao/outcome/")}
    downloaded = stats.get("nianbao/downloaded_seconds")  # absent when nothing was downloaded
    click.echo(f"crawl finished ({result.finish_reason}) in {float(stats.get('elapsed_time_seconds', 0)):.2f}s"
               f"{'' if downloaded is None else f' (downloads done at {float(downloaded):.2f}s)'}: "
               f"{stats.get('downloader/response_count', 0)} responses; "
               f"reports {json.dumps(reports, ensure_ascii=False)}; outcomes {json.dumps(walls)}; archive {db_path}", err=True)
    if result.run_id is not None:
        db = open_db(db_path)
        _print_listings(db, result.run_id)
        _print_coverage(db)
    if result.lost:
        click.echo(f"incomplete: {len(result.lost)} documents fetched but not extracted (kept in the WARC files; "
                   f"the next run reads them):", err=True)
        for url, why in result.lost.items():
            click.echo(f"  lost: {url}: {why}", err=True)
    if result.unfetched_count:
        click.echo(f"incomplete: {result.unfetched_count} start pages, report pages or files got no usable answer "
                   f"(each a capture row with its outcome; the next run asks again):", err=True)
        for url, why in list(result.unfetched.items())[:UNFETCHED_SHOWN]:
            click.echo(f"  not got: {url}: {why}", err=True)
        if result.unfetched_count > UNFETCHED_SHOWN:
            click.echo(f"  ... and {result.unfetched_count - UNFETCHED_SHOWN} more (SELECT * FROM captures WHERE run_id = "
                       f"{result.run_id} AND outcome NOT IN ('ok', 'not_modified'))", err=True)
    sys.exit(result.exit_code)


def _print_coverage(db):
    from .agencies import coverage

    figures = coverage(db)
    click.echo(f"coverage: {figures['expected']} agency-years due, {figures['published']} published, "
               f"{figures['missing']} missing (a complete listing read after the deadline lacks them), "
               f"{figures['unknown']} unknown", err=True)


@cli.command("coverage")
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
def coverage_command(db_path):
    """Relink agencies and agency-years (and the checks across reports that compare them), then
    print the coverage: agency-years due, published, missing (with evidence) and unknown.

    \b
    Example:
      nianbao coverage --db archive.db
    """
    from .crossreport import run_cross_checks

    db = open_db(db_path)
    run_cross_checks(db)
    _print_coverage(db)


def _print_listings(db, run_id):
    """How many lists are complete, and each incomplete one with its numbers; returns how many
    are incomplete."""
    rows = db.listings_of_run(run_id)
    counts = {1: 0, 0: 0, None: 0}
    for row in rows:
        counts[row["complete"]] += 1
    click.echo(f"lists: {len(rows)} enumerated, {counts[1]} complete, {counts[0]} incomplete, "
               f"{counts[None]} with nothing announced", err=True)
    for row in rows:
        if row["complete"] == 0:
            announced = row["announced"] if row["announced"] is not None else "?"
            pages = f"{row['pages_fetched']} of {row['pages_announced']}" if row["pages_announced"] is not None else row["pages_fetched"]
            click.echo(f"incomplete: {row['url']} ({row['mechanism']}): {row['found']} of {announced} records, "
                       f"pages {pages} read, {row['pages_failed']} failed: {row['detail']}", err=True)
    return counts[0]


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--port", default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--get", help="Print the response for this path instead of serving (as datasette --get).")
def serve(db_path, port, host, get):
    """Publish an archive with Datasette: the front door, report pages, Chinese search, bulk
    data, read-only, time limits.

    \b
    Examples:
      nianbao serve --db archive.db --port 8001
      nianbao serve --db archive.db --get /-/search.json?q=%E8%93%9D%E5%B1%B1%E5%8E%BF
    """
    from datasette.cli import cli as datasette

    from .db import refuse_foreign

    refuse_foreign(db_path, must_exist=True)
    from .publish import serve_args

    datasette.main(args=serve_args(db_path, port, host, get), prog_name="datasette")


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder of snapshots.")
def snapshot(db_path, out_dir):
    """Write a dated, consistent copy of the archive (VACUUM INTO) with its data dictionary and
    a trigram search index inside, Parquet files of the main tables beside it, and the manifest
    (snapshots.json, SHA256SUMS).

    \b
    Example:
      nianbao snapshot --db archive.db --out snapshots/
    """
    from .db import refuse_foreign
    from .snapshot import snapshot as take

    refuse_foreign(db_path, must_exist=True)
    entry = take(db_path, out_dir)
    click.echo(f"{entry['file']}: {entry['reports']} reports, {entry['size']} bytes, sha256 {entry['sha256']}")


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--all", "show_all", is_flag=True, help="List every report, not only those with flags.")
@click.option("--json", "as_json", is_flag=True, help="The same as one JSON object (for scripts).")
def summary(db_path, show_all, as_json):
    """Print what an archive holds: reports by era and year, captures by outcome, flagged reports.

    \b
    Examples:
      nianbao summary --db archive.db
      nianbao summary --db archive.db --json | jq .years
    """
    from .db import refuse_foreign
    from .summary import summarise

    refuse_foreign(db_path, must_exist=True)
    facts = summarise(db_path, show_all)
    if as_json:
        click.echo(json.dumps(facts, ensure_ascii=False, indent=1))
        return
    click.echo(f"{facts['reports']} reports in {db_path}")
    for row in facts["years"]:
        click.echo(f"  {row['year']} {row['era'] or '?':8} {row['reports']:4} reports, {row['with_errors']} with errors")
    if facts["captures"]:
        outcomes = ", ".join(f"{k} {v}" for k, v in facts["captures"].items())
        click.echo(f"{sum(facts['captures'].values())} captures: {outcomes}")
    for r in facts["listed"]:
        click.echo(f"{r['year']} {r['era'] or '?':7} {r['agency'] or '?'}  [{r['report_id']}] "
                   f"{r['values']} values, {r['errors']} errors, {r['warnings']} warnings"
                   + ("" if r["current"] else " (superseded by a later version)"))
        for f in r["flags"]:
            click.echo(f"    {f['severity']}: {f['message']}")


def _reader(db_path):
    from .db import refuse_foreign
    from .exports import open_read_only

    refuse_foreign(db_path, must_exist=True)
    return open_read_only(db_path)


def _format(as_json, as_csv, default="table"):
    if as_json and as_csv:
        raise click.UsageError("--json or --csv, not both")
    return "json" if as_json else "csv" if as_csv else default


def _print_rows(columns, rows, fmt, bom=False):
    from .exports import write_rows

    if fmt == "table":
        for row in rows:
            click.echo("\t".join("" if v is None else str(v) for v in row))
        return
    write_rows(columns, rows, sys.stdout, fmt, bom)


@cli.command("search")
@click.argument("query")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False))
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@click.option("--json", "as_json", is_flag=True, help="Results as a JSON array.")
@click.option("--csv", "as_csv", is_flag=True, help="Results as CSV.")
def search_command(query, db_path, limit, as_json, as_csv):
    """Search the reports as the site does: the agency's own reports first, then title matches,
    then the text; each with where it matched and a snippet.

    \b
    Examples:
      nianbao search 蓝山县 --db archive.db
      nianbao search "不予公开 第三方" --db archive.db --csv > hits.csv
    """
    from .search import RESULT_COLUMNS, search_reports

    total, results = search_reports(_reader(db_path), query, limit)
    fmt = _format(as_json, as_csv)
    rows = [[("".join(r[c]) if c == "snippet" and r[c] else r[c]) for c in RESULT_COLUMNS] for r in results]
    if fmt == "table":
        click.echo(f"{total} reports match {query!r}" + (f"; the first {len(results)}" if total > len(results) else ""), err=True)
        for r in results:
            click.echo(f"{r['report_id']}  {r['year'] or '?'}  {r['agency'] or '?'}  [{r['matched']}]  {r['title'] or ''}")
        return
    _print_rows(list(RESULT_COLUMNS), rows, fmt)


@cli.command("query")
@click.argument("sql")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False))
@click.option("-p", "--param", "params", multiple=True, help="A named parameter NAME=VALUE for :NAME in the SQL.")
@click.option("--json", "as_json", is_flag=True, help="Rows as a JSON array of objects.")
@click.option("--csv", "as_csv", is_flag=True, help="Rows as CSV.")
@click.option("--bom", is_flag=True, help="With --csv, start with a UTF-8 byte-order mark (for Excel).")
def query_command(sql, db_path, params, as_json, as_csv, bom):
    """Run read-only SQL against an archive (the file is opened read-only: nothing is changed).

    \b
    Examples:
      nianbao query "SELECT province, count(*) FROM reports GROUP BY province" --db archive.db
      nianbao query "SELECT * FROM report_numbers WHERE year = :year" -p year=2023 --db archive.db --csv --bom
    """
    import sqlite3

    from .exports import rows_of

    values = dict(p.partition("=")[::2] for p in params)
    try:
        columns, rows = rows_of(_reader(db_path), sql, values)
    except sqlite3.Error as error:
        raise BadInput(f"the SQL was refused: {error}") from None
    fmt = _format(as_json, as_csv)
    if fmt == "table":
        click.echo("\t".join(columns))
    _print_rows(columns, rows, fmt, bom)


@cli.command("export")
@click.argument("table")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "jsonl", "parquet"]), default="csv", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--csv", "as_csv", is_flag=True, help="Same as --format csv.")
@click.option("--bom", is_flag=True, help="With csv, start with a UTF-8 byte-order mark (for Excel).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), help="Write to this file (needed for parquet).")
def export_command(table, db_path, fmt, as_json, as_csv, bom, out_path):
    """Export a table or view of an archive (reports, report_numbers, cells, flags, agencies,
    agency_years, …) as CSV, JSON, JSON lines or Parquet.

    \b
    Examples:
      nianbao export report_numbers --db archive.db --csv --bom > numbers.csv
      nianbao export cells --db archive.db --format parquet --out cells.parquet
    """
    from .exports import check_table, rows_of, write_parquet, write_rows

    conn = _reader(db_path)
    fmt = "json" if as_json else "csv" if as_csv else fmt
    name = check_table(conn, table)
    if fmt == "parquet":
        if not out_path:
            raise click.UsageError("parquet needs --out FILE")
        rows = write_parquet(conn, name, out_path)
        click.echo(f"{out_path}: {rows} rows of {name}", err=True)
        return
    columns, rows = rows_of(conn, f'SELECT * FROM "{name}"')
    if out_path:
        with open(out_path, "w", encoding="utf-8", newline="") as f:
            write_rows(columns, rows, f, fmt, bom)
        return
    write_rows(columns, rows, sys.stdout, fmt, bom)


@cli.command("merge")
@click.argument("parts", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--into", "into", required=True, type=click.Path(dir_okay=False), help="The archive to fold them into.")
def merge_command(parts, into):
    """Fold archives written by crawler processes on several machines (each with its own
    database and WARC folder, sharing a --redis frontier) into one; merging again changes
    nothing. Copy the WARC folders beside the merged archive to serve its archived copies.

    \b
    Example:
      nianbao merge machine-a/archive.db machine-b/archive.db --into archive.db
    """
    from .db import refuse_foreign
    from .merge import merge

    if any(os.path.abspath(p) == os.path.abspath(into) for p in parts):
        raise BadInput(f"{into} is among the archives to merge")
    refuse_foreign(into)
    added, across = merge(parts, into)
    for part, counts in added.items():
        click.echo(f"{part}: " + ", ".join(f"{n} {table}" for table, n in counts.items()) + " added", err=True)
    click.echo(f"checks across reports: {across} flags; archive {into}", err=True)


def run_registry(db_path, publish_dir, registry=None, overrides=(), at=None, force=False):
    """One unattended run over the source registry: the registry and the crawler (each crawl in
    a child process) handed to :func:`archive.operate.run`."""
    from crawler import run as crawl_run
    from crawler.sources import load_sources, regions_of, schedules

    from .operate import run

    sources = [dict(entry, schedule=schedules(entry)) for entry in load_sources(registry).values()]
    def crawl(due):
        return crawl_run.crawl_in_child([u for s in due for u in s["start_urls"]], db_path, overrides, regions_of(due),
                                        [s["name"] for s in due])

    return run(db_path, publish_dir, sources, crawl,
               at=at, force=force)


@cli.command("run")
@click.option("--db", "db_path", default="archive.db", show_default=True, help="The working archive crawls write to.")
@click.option("--publish", "publish_dir", required=True, help="Folder of published snapshots; current.db is served.")
@click.option("--sources", "registry", type=click.Path(exists=True, dir_okay=False), help="Another registry file.")
@click.option("--force", is_flag=True, help="Crawl every source, due or not.")
@click.option("-s", "--set", "overrides", multiple=True, help="A Scrapy setting NAME=VALUE for the crawl.")
def run_command(db_path, publish_dir, registry, force, overrides):
    """Crawl the sources that are due, then publish a snapshot if the data changed.

    Exit status: 0 fine, 3 the run found something to look at (alerts), 1 the crawl failed,
    75 another run holds the lock.

    \b
    Example (crontab, every night):
      15 2 * * *  nianbao run --db /srv/nianbao/archive.db --publish /srv/nianbao/site
    """
    from .operate import RunLocked

    try:
        record = run_registry(db_path, publish_dir, registry, overrides, force=force)
    except RunLocked as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(75)
    click.echo(f"run {record['status']}: {len(record['sources'])} sources crawled, {record['reports_new']} new reports, "
               f"snapshot {record['snapshot'] or 'not needed (no change)'}", err=True)
    if record.get("coverage"):
        figures = record["coverage"]
        click.echo(f"coverage: {figures['expected']} agency-years due, {figures['published']} published, "
                   f"{figures['missing']} missing, {figures['unknown']} unknown", err=True)
    for alert in record["alerts"]:
        click.echo(f"alert: {alert}", err=True)
    sys.exit(1 if record["status"] == "crawl failed" else 3 if record["alerts"] else 0)


@cli.command("schedule")
@click.option("--db", "db_path", default="archive.db", show_default=True)
@click.option("--publish", "publish_dir", required=True)
@click.option("--sources", "registry", type=click.Path(exists=True, dir_okay=False))
@click.option("--every", "every_minutes", default=10, show_default=True, help="Minutes between checks for due sources.")
@click.option("--runs", "max_runs", type=int, help="Stop after this many runs (default: run until stopped).")
@click.option("-s", "--set", "overrides", multiple=True, help="A Scrapy setting NAME=VALUE for the crawls.")
def schedule_command(db_path, publish_dir, registry, every_minutes, max_runs, overrides):
    """Keep the archive current: every few minutes, run the sources that are due (nianbao run).

    \b
    Example:
      nianbao schedule --db archive.db --publish site/ --every 10
    """
    from .operate import schedule

    records = schedule(lambda: run_registry(db_path, publish_dir, registry, overrides), every_minutes, max_runs)
    for record in records:
        if record:
            click.echo(f"run {record['status']}: {', '.join(record['sources']) or 'nothing due'}; "
                       f"snapshot {record['snapshot'] or '-'}", err=True)


@cli.group()
def sources():
    """The source registry (crawler/sources.yml, or NIANBAO_SOURCES)."""


@sources.command("lint")
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False), help="Another registry file.")
def sources_lint(path):
    """Check the registry: fields present, URLs well-formed, codes and schedules valid, no duplicates."""
    from crawler.sources import lint, load_sources

    problems = lint(path)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if not problems:
        entries = load_sources(path).values()
        provinces = {e["region_code"][:2] for e in entries}
        click.echo(f"{len(entries)} sources from {len(provinces)} provinces: no problems")
    sys.exit(1 if problems else 0)


@sources.command("list")
def sources_list():
    """The registry, one source a line."""
    from crawler.sources import load_sources, schedules

    for entry in load_sources().values():
        click.echo(f"{entry['name']:22} {entry['region_code']} {entry['level']:10} {entry['platform']:14} "
                   f"{' / '.join(schedules(entry)):30} {' '.join(entry['start_urls'])}")


class BadInput(ValueError):
    """Input a command refuses before doing anything: said in one line, exit status 2."""


def main():
    """The command line: bad input of any kind is one line on stderr and exit status 2, never a
    traceback; nothing is created for it."""
    from crawler.sources import UnknownSource

    from .db import NotAnArchive
    from .exports import UnknownTable

    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.UsageError as error:
        command = error.ctx.command_path if error.ctx else "nianbao"
        click.echo(f"error: {error.format_message()} (see {command} --help)", err=True)
        sys.exit(2)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except BrokenPipeError:  # piped into head: the reader has what it wanted
        sys.stderr.close()
        sys.exit(0)
    except (NotAnArchive, UnknownSource, UnknownTable, BadInput) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
