"""Download each registered source into ``data/raw/``, verified by sha256, written atomically.

Where there is no internet, ``DIBTRENDS_MIRROR`` names a mirror: a folder, a ``file://`` URL or
an ``http(s)://`` base URL holding the publishers' files under their published names. Whatever
the origin, the bytes must match the registry's sha256; a file already present and valid is left
alone, and a failed or mismatching download never replaces a file on disk.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import shutil
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import paths
from .errors import FetchError
from .sources import SOURCES, Source

TIMEOUT_S = 60
USER_AGENT = "dibtrends-fetch/0.1 (+reproducible research; contact via project README)"


def sha256_of(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def looks_like_html(path: Path) -> bool:
    """A proxy's error page or a login page saved under a workbook's name."""
    with open(path, "rb") as fh:
        head = fh.read(512).lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head


def verify(source: Source, raw_dir: Path | None = None) -> Path:
    """The raw file of ``source``, checked byte for byte against the registry before anyone
    opens it (cheap: the sources total a few MB). Raises FetchError naming the file and the fix."""
    path = Path(raw_dir or paths.RAW) / source.filename
    if not path.exists():
        raise FetchError(
            f"Source file {paths.relative(path)} ({source.id}) is missing. Fix: run `make data`, "
            "which downloads it again (or reads it from DIBTRENDS_MIRROR) and checks it.")
    got = sha256_of(path)
    if got != source.sha256:
        what = ("It looks like an HTML page (a proxy's error page or a login page saved under the "
                "workbook's name), not the publisher's file."
                if looks_like_html(path) else
                "It was changed on disk (edited, truncated or replaced) since it was verified.")
        raise FetchError(
            f"Source file {paths.relative(path)} ({source.id}) does not match its registered "
            f"sha256 (expected {source.sha256}, found {got}). {what} It was not used. Fix: run "
            "`make data`, which replaces it with a verified copy from the publisher or "
            "DIBTRENDS_MIRROR.")
    return path


def origin_for(source: Source, mirror: str | None) -> str:
    """The address to read ``source`` from: the mirror when one is given, else the publisher."""
    if mirror:
        if "://" not in mirror:
            return Path(mirror).expanduser().resolve().joinpath(source.filename).as_uri()
        return mirror.rstrip("/") + "/" + urllib.parse.quote(source.filename)
    if source.url is None:
        raise FetchError(
            f"Source {source.id!r} ({source.filename}) has no direct download address: "
            f"{source.publisher} publishes it behind the landing page {source.landing_url}. "
            f"Fix: download {source.filename} from there into a folder and set "
            f"DIBTRENDS_MIRROR to that folder, then run `make data` again."
        )
    return source.url


@dataclass
class FetchResult:
    source: Source
    path: Path
    action: str  # "present" | "downloaded"
    origin: str


def _download_to(origin: str, dest: Path, source: Source) -> None:
    hint = ("Fix: check the network, or set DIBTRENDS_MIRROR to a folder or URL holding "
            f"{source.filename} (for example ../shared/data/mirror). Nothing on disk was changed.")
    request = urllib.request.Request(origin, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response, \
                open(dest, "wb") as out:
            length = response.headers.get("Content-Length")
            shutil.copyfileobj(response, out)
    except urllib.error.HTTPError as exc:
        raise FetchError(
            f"Could not download source {source.id!r} ({source.title}): {origin} answered "
            f"HTTP {exc.code} {exc.reason}. The publisher may have moved or removed the file. "
            f"{hint}") from None
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise FetchError(f"Could not reach {origin} for source {source.id!r} ({source.title}), "
                         f"or the download broke off: {reason}. {hint}") from None
    if length and length.isdigit() and (done := dest.stat().st_size) != int(length):
        raise FetchError(f"Download of source {source.id!r} from {origin} is truncated: got "
                         f"{done:,} of {int(length):,} bytes. {hint}")


def fetch_one(source: Source, raw_dir: Path | None = None, mirror: str | None = None,
              stream=sys.stderr) -> FetchResult:
    """Make ``raw_dir/source.filename`` exist with exactly the registered bytes."""
    raw_dir = Path(raw_dir or paths.RAW)
    raw_dir.mkdir(parents=True, exist_ok=True)
    target = raw_dir / source.filename
    if target.exists():
        if sha256_of(target) == source.sha256:
            return FetchResult(source, target, "present", str(target))
        stream.write(f"  replacing  {paths.relative(target)}: it does not match its registered "
                     "sha256" + (" (it is an HTML page)" if looks_like_html(target) else "")
                     + "\n")

    origin = origin_for(source, mirror)
    tmp = raw_dir / f".{source.filename}.part"
    try:
        _download_to(origin, tmp, source)
        got = sha256_of(tmp)
        if got != source.sha256:
            kept = (f"The file already in {raw_dir} was kept." if target.exists()
                    else "Nothing was written to data/raw.")
            raise FetchError(
                f"Checksum mismatch for source {source.id!r} ({source.filename}) from {origin}: "
                f"expected sha256 {source.sha256}, got {got}. The upstream file has changed "
                f"(a new edition or a silent revision) or the copy is corrupt. {kept} "
                "Fix: if the publisher issued a new edition, review it, then update the sha256, "
                "edition and retrieval date in data/sources.yml and re-run the tests; "
                "otherwise point DIBTRENDS_MIRROR at an intact copy."
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    # where these bytes came from, and when (the report's "Sources and methods" page)
    paths.write_atomic(target.with_name(target.name + ".provenance.json"), json.dumps({
        "source_id": source.id, "filename": source.filename, "sha256": source.sha256,
        "origin": origin, "publisher_url": source.url,
        "retrieved_at": datetime.now(timezone.utc).isoformat(timespec="seconds")},
        indent=2) + "\n")
    return FetchResult(source, target, "downloaded", origin)


def fetch_all(ids: list[str] | None = None, mirror: str | None = None, stream=sys.stderr,
              report_present: bool = True) -> None:
    """Fetch every registered source (or just ``ids``); stop at the first failure."""
    mirror = mirror if mirror is not None else os.environ.get("DIBTRENDS_MIRROR") or None
    if unknown := set(ids or []) - {s.id for s in SOURCES}:
        raise FetchError(f"Unknown source id(s): {', '.join(sorted(unknown))}. Known: "
                         f"{', '.join(s.id for s in SOURCES)}.")
    for source in [s for s in SOURCES if not ids or s.id in ids]:
        result = fetch_one(source, mirror=mirror, stream=stream)
        if report_present or result.action != "present":
            stream.write(f"  {result.action:10s} {source.id} <- {result.origin}\n")
