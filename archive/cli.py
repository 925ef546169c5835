"""The ``nianbao`` command line; each command is a thin layer over a library function."""

import json
import os
import sys

import click

from .pipeline import process

_SKIP_NAMES = ("README", "LICENSE")


def iter_paths(paths):
    """Files named on the command line, and the files under named directories, sorted."""
    for path in paths:
        if os.path.isdir(path):
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and not name.upper().startswith(_SKIP_NAMES):
                        yield os.path.join(folder, name)
        else:
            yield path


@click.group()
@click.version_option(package_name="nianbao")
def cli():
    """nianbao (年报): an archive of government information-disclosure annual reports."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help="Write into this SQLite archive instead of printing JSON.")
@click.option("--quiet", is_flag=True, help="With --db, print no summary.")
def extract(paths, db_path, quiet):
    """Extract annual reports (HTML pages or fragments, plain text) from PATHS.

    Without --db, prints one JSON object per document. A document that cannot be read gets an
    error line on stderr; the others are still processed and the exit status is 1.
    """
    db = None
    if db_path:
        from .db import open_db, write_report

        db = open_db(db_path)
    failed = 0
    totals = {"reports": 0, "cells": 0, "ERROR": 0, "WARN": 0, "INFO": 0}
    for path in iter_paths(paths):
        try:
            with open(path, "rb") as f:
                data = f.read()
            report = process(data, source=path)
        except Exception as error:  # one bad document must not stop the others
            failed += 1
            reason = str(error) or type(error).__name__
            click.echo(f"error: {path}: {type(error).__name__}: {reason}", err=True)
            continue
        if db is not None:
            write_report(db, report)
            totals["reports"] += 1
            totals["cells"] += sum(1 for c in report["cells"] if c["value"] is not None)
            for flag in report["flags"]:
                totals[flag["severity"]] += 1
            if not quiet:
                errors = sum(1 for f in report["flags"] if f["severity"] == "ERROR")
                warnings = sum(1 for f in report["flags"] if f["severity"] == "WARN")
                click.echo(f"{path}: {report['year']} {report['era']} {report['agency']}: "
                           f"{len(report['cells'])} cells, {errors} errors, {warnings} warnings", err=True)
        else:
            click.echo(json.dumps(report, ensure_ascii=False))
    if db is not None and not quiet:
        click.echo(
            f"archived {totals['reports']} reports ({totals['cells']} values; {totals['ERROR']} errors, "
            f"{totals['WARN']} warnings, {totals['INFO']} notes) into {db_path}; {failed} failed",
            err=True,
        )
    sys.exit(1 if failed else 0)


def main():
    cli()


if __name__ == "__main__":
    main()
