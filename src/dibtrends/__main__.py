"""Command line: ``python -m dibtrends fetch|build|tables|sources``.

Errors the user can act on (a missing source, a changed file, a malformed column) end with
the one-paragraph message and exit code 2, without a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import DibtrendsError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dibtrends", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p_fetch = sub.add_parser("fetch", help="download and verify source files into data/raw")
    p_fetch.add_argument("ids", nargs="*", help="source ids (default: all)")
    p_fetch.add_argument("--mirror",
                         help="folder or base URL to read from (else $DIBTRENDS_MIRROR)")
    p_data = sub.add_parser("data", help="fetch and verify every source, rebuild processed "
                            "tables whose inputs changed (what `make data` runs)")
    p_data.add_argument("--stamp", type=Path, help="file touched when something was rebuilt")
    p_build = sub.add_parser("build", help="build data/processed/*.parquet from data/raw")
    p_build.add_argument("tables", nargs="*", help="table names (default: all)")
    sub.add_parser("tables", help="list the processed tables")
    sub.add_parser("sources", help="list the registered sources")
    args = parser.parse_args(argv)
    from .lock import exclusive

    try:
        with exclusive(f"dibtrends {args.command}"):
            dispatch(args)
    except DibtrendsError as exc:
        print(f"\ndibtrends {args.command}: error: {exc}", file=sys.stderr)
        return 2
    return 0


def dispatch(args: argparse.Namespace) -> None:
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
    elif args.command == "sources":
        from .sources import SOURCES

        for s in SOURCES:
            print(f"{s.id:24s} {s.filename}  [{s.edition}]")


if __name__ == "__main__":
    sys.exit(main())
