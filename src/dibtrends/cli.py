"""The command line behind every `make` target: ``python -m dibtrends <command>``.

Errors the user can act on (a missing source, a changed file, a malformed column, a bad
parameter, a failing notebook) end with their one-paragraph message and exit code 2, without a
traceback. Every command but the git filter holds the checkout's build lock: a second `make
report` waits for the first, then finds everything current, instead of interleaving writes.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from . import paths
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
    sub.add_parser("sources", help="list the registered sources")
    sub.add_parser("check-params", help="check reports/params.yaml against every chapter")
    run = sub.add_parser("run", help="execute the notebooks whose inputs changed")
    run.add_argument("names", nargs="*", help="notebooks or pages (default: all)")
    run.add_argument("--allies", nargs="*", help="profiles to run (default: all 32)")
    run.add_argument("--workers", type=int, default=None)
    sub.add_parser("render", help="render the executed notebooks (Quarto, else a preview)")
    bless = sub.add_parser("bless", help="record chapters' headline numbers as the baseline")
    bless.add_argument("chapters", nargs="*")
    nb = sub.add_parser("notebooks", help="notebooks in canonical form: clean (git filter, stdin "
                        "to stdout), check, normalise (drops outputs)")
    nb.add_argument("action", choices=("clean", "check", "normalise"))
    nb.add_argument("paths", nargs="*", type=Path)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "notebooks" and args.action == "clean":
        from .nbtools import canonical_text  # the git filter: no lock, nothing else imported

        sys.stdout.write(canonical_text(sys.stdin.read()))
        return 0
    try:
        with exclusive(f"dibtrends {args.command}"):
            return dispatch(args) or 0
    except DibtrendsError as exc:
        print(f"\ndibtrends {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except SyntaxError as exc:  # an edit to the package that Python cannot read
        if not str(exc.filename or "").startswith(str(paths.PACKAGE)):
            raise
        print(f"\ndibtrends {args.command}: error: Python cannot read "
              f"{paths.relative(Path(exc.filename))}, line {exc.lineno}: {exc.msg}. Fix: correct "
              "that line (`git diff src/` shows what changed) and run again; nothing was "
              "written.", file=sys.stderr)
        return 2


@contextmanager
def exclusive(what: str):
    """Hold the checkout's build lock while ``what`` runs (say so when waiting for another). An
    advisory ``flock`` on ``.dibtrends.lock``: the kernel releases it when its holder exits, also
    after ``kill -9``, so a crashed run never blocks the next one."""
    fd = os.open(paths.ROOT / ".dibtrends.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            print(f"  waiting    another build is running in this checkout ({holder}); {what} "
                  "starts when it ends", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}: {what}".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def dispatch(args: argparse.Namespace) -> int | None:
    if args.command == "data":
        from .build import ensure

        ensure(args.stamp)
    elif args.command == "fetch":
        from .fetch import fetch_all

        fetch_all(args.ids or None, mirror=args.mirror)
    elif args.command == "sources":
        from .sources import SOURCES

        for s in SOURCES:
            print(f"{s.id:24s} {s.filename}  [{s.edition}]")
    elif args.command == "check-params":
        from . import pipeline

        pipeline.check_against_data(pipeline.effective_params())
    elif args.command == "run":
        from concurrent.futures import ThreadPoolExecutor

        from . import kernels, pipeline

        names = args.names or ([f"profile_{a}" for a in args.allies] if args.allies else None)
        with ThreadPoolExecutor(1) as starter:  # a kernel warms up while the run is planned
            warm = starter.submit(kernels.Kernel.warmed)
            try:
                jobs = pipeline.plan(only=names, allies=args.allies)
            except BaseException:
                warm.add_done_callback(lambda f: f.exception() or f.result().shutdown())
                raise
            if not kernels.run_jobs(jobs, workers=args.workers, warm=warm):
                print("  notebooks  up to date", file=sys.stderr)
    elif args.command == "render":
        from .render import render  # checks its own inputs by content: cheap when current

        render()
    elif args.command == "bless":
        from .chapters import ANALYSES
        from .nbtools import bless

        for path in bless(args.chapters or list(ANALYSES)):
            print(f"  baseline   {paths.relative(path)}", file=sys.stderr)
    else:
        return notebooks_command(args.action, args.paths or sorted(paths.NOTEBOOKS.glob("*.ipynb")))
    return 0


def notebooks_command(action: str, targets: list[Path]) -> int:
    from . import nbtools

    dirty = [p for p in targets if not nbtools.is_canonical(p.read_text())]
    if action == "normalise":
        for path in dirty:  # a notebook already canonical keeps its date
            paths.write_atomic(path, nbtools.canonical_text(path.read_text()))
        return 0
    if dirty:
        print("notebooks not in canonical form (outputs, execution counts or editor metadata): "
              + ", ".join(map(str, dirty)) + "\nFix: `make setup` installs the git filter that "
              "cleans them on commit; or run `.venv/bin/python -m dibtrends notebooks normalise`.",
              file=sys.stderr)
        return 1
    return 0
