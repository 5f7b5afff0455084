"""The command line behind every `make` target: ``python -m dibtrends <command>``.

Errors the user can act on (a missing source, a changed file, a malformed column, a bad
parameter, a failing notebook) end with their one-paragraph message and exit code 2, without a
traceback. Every command but the git filter holds the checkout's build lock.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import DibtrendsError


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m dibtrends", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    fetch = sub.add_parser("fetch", help="download and verify source files into data/raw")
    fetch.add_argument("ids", nargs="*", help="source ids (default: all)")
    fetch.add_argument("--mirror", help="folder or base URL to read from (else $DIBTRENDS_MIRROR)")
    data = sub.add_parser("data", help="verify every source, rebuild the processed tables whose "
                          "inputs changed (what `make data` runs)")
    data.add_argument("--stamp", type=Path, help="file touched when something was rebuilt")
    build = sub.add_parser("build", help="build data/processed/*.parquet from data/raw")
    build.add_argument("tables", nargs="*", help="table names (default: all)")
    sub.add_parser("tables", help="list the processed tables")
    sub.add_parser("sources", help="list the registered sources")
    sub.add_parser("check-params", help="check reports/params.yaml against every chapter")
    for name, what in (("run", "execute the notebooks whose inputs changed"),
                       ("report", "run, then render the report")):
        cmd = sub.add_parser(name, help=what)
        cmd.add_argument("names", nargs="*", help="notebooks or pages (default: all)")
        cmd.add_argument("--allies", nargs="*", help="profiles to run (default: all 32)")
        cmd.add_argument("--workers", type=int, default=None)
    sub.add_parser("render", help="render the executed notebooks (Quarto, else a preview)")
    bless = sub.add_parser("bless", help="record chapters' headline numbers as the baseline")
    bless.add_argument("chapters", nargs="*")
    nb = sub.add_parser("notebooks", help="notebooks in canonical form: clean (git filter, stdin "
                        "to stdout), check, normalise (drops outputs), sync (build copies)")
    nb.add_argument("action", choices=("clean", "check", "normalise", "sync"))
    nb.add_argument("paths", nargs="*", type=Path)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "notebooks" and args.action == "clean":
        from .nbtools import canonical_text  # the git filter: no lock, nothing else imported

        sys.stdout.write(canonical_text(sys.stdin.read()))
        return 0
    from .lock import exclusive

    try:
        with exclusive(f"dibtrends {args.command}"):
            return dispatch(args) or 0
    except DibtrendsError as exc:
        print(f"\ndibtrends {args.command}: error: {exc}", file=sys.stderr)
        return 2


def dispatch(args: argparse.Namespace) -> int | None:
    if args.command in ("fetch", "data", "build", "tables", "sources"):
        return data_command(args)
    if args.command in ("notebooks", "bless"):
        return notebook_command(args)
    if args.command == "render":
        from .render import render  # checks its own inputs by content: cheap when current

        return render()
    from . import kernels, nbtools, pipeline

    nbtools.sync()
    if args.command == "check-params":
        pipeline.check_against_data(pipeline.effective_params())
        return 0
    if args.command in ("run", "report"):
        names = args.names or None
        if args.allies and names is None:
            names = [f"profile_{a}" for a in args.allies]
        jobs = pipeline.plan(only=names, allies=args.allies)
        if not kernels.run_jobs(jobs, workers=args.workers):
            print("  notebooks  up to date", file=sys.stderr)
        if args.command == "run":
            return 0
    from .render import render

    return render()


def data_command(args: argparse.Namespace) -> None:
    if args.command == "data":
        from .build import ensure

        ensure(args.stamp)
    elif args.command == "fetch":
        from .fetch import fetch_all

        fetch_all(args.ids or None, mirror=args.mirror)
    elif args.command == "build":
        from .build import build

        build(args.tables or None)
    elif args.command == "tables":
        from .build import table_loaders

        print("\n".join(table_loaders()))
    else:
        from .sources import SOURCES

        for s in SOURCES:
            print(f"{s.id:24s} {s.filename}  [{s.edition}]")


def notebook_command(args: argparse.Namespace) -> int:
    from . import nbtools, paths

    if args.command == "bless":
        from .chapters import ANALYSES

        for path in nbtools.bless(args.chapters or list(ANALYSES)):
            print(f"  baseline   {paths.relative(path)}", file=sys.stderr)
        return 0
    if args.action == "sync":
        changed = nbtools.sync()
        if changed:
            print(f"  notebooks changed: {', '.join(changed)}", file=sys.stderr)
        return 0
    targets = args.paths or sorted(paths.NOTEBOOKS.glob("*.ipynb"))
    if args.action == "normalise":
        for path in targets:
            nbtools.write_if_changed(path, nbtools.canonical_text(path.read_text()))
        return 0
    dirty = [str(p) for p in targets if not nbtools.is_canonical(p.read_text())]
    if dirty:
        print("notebooks not in canonical form (outputs, execution counts or editor metadata): "
              + ", ".join(dirty) + "\nFix: `make setup` installs the git filter that cleans them "
              "on commit; or run `.venv/bin/python -m dibtrends notebooks normalise`.",
              file=sys.stderr)
        return 1
    return 0
