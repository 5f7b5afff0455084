"""The real download code against a loopback HTTP server serving the mirror.

No stub: ``fetch_one`` opens real sockets to 127.0.0.1. The server serves the intact mirror, a
corrupted copy, a truncating endpoint and 404s, and counts requests so 'skip when present' is
checked, not assumed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import http.server
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dibtrends import fetch, paths, sources
from dibtrends.errors import FetchError

from .conftest import mirror_dir

SMALL = sources.get("usgs_mcs2024_fig3")  # 860 bytes: quick to serve many times
BIG = sources.get("sipri_top100_2023")


@pytest.fixture(scope="module")
def mirror() -> Path:
    folder = mirror_dir()
    if folder is None or not (folder / SMALL.filename).exists():
        pytest.skip("no source mirror (set DIBTRENDS_MIRROR or provide ../shared/data/mirror)")
    return folder


class _Handler(http.server.SimpleHTTPRequestHandler):
    hits: list[str] = []

    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):  # noqa: N802 - http.server API
        type(self).hits.append(self.path)
        if self.path.startswith("/truncated/"):
            name = self.path.split("/", 2)[2]
            body = (Path(self.directory) / "good" / name).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.close()
            return
        super().do_GET()


def _serve(root: Path):
    """A loopback HTTP server over ``root`` for as long as the fixture lives; yields its URL."""
    def handler(*args, **kwargs):
        return _Handler(*args, directory=str(root), **kwargs)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def server(mirror, tmp_path_factory):
    root = tmp_path_factory.mktemp("www")
    (root / "good").mkdir()
    (root / "corrupt").mkdir()
    for s in (SMALL, BIG):
        shutil.copy2(mirror / s.filename, root / "good" / s.filename)
        data = bytearray((mirror / s.filename).read_bytes())
        data[len(data) // 2] ^= 0xFF  # one flipped byte: same size, different hash
        (root / "corrupt" / s.filename).write_bytes(bytes(data))
    yield from _serve(root)


def test_download_from_http_mirror_verifies_and_records_provenance(server, tmp_path):
    result = fetch.fetch_one(SMALL, raw_dir=tmp_path, mirror=f"{server}/good")
    target = tmp_path / SMALL.filename
    assert result.action == "downloaded"
    assert hashlib.sha256(target.read_bytes()).hexdigest() == SMALL.sha256
    record = json.loads((tmp_path / f"{SMALL.filename}.provenance.json").read_text())
    assert record["sha256"] == SMALL.sha256 and record["origin"].startswith(server)
    assert not list(tmp_path.glob("*.part")), "temporary file left behind"


def test_present_and_valid_file_is_not_downloaded_again(server, tmp_path):
    fetch.fetch_one(SMALL, raw_dir=tmp_path, mirror=f"{server}/good")
    _Handler.hits.clear()
    result = fetch.fetch_one(SMALL, raw_dir=tmp_path, mirror=f"{server}/good")
    assert result.action == "present"
    assert _Handler.hits == []


def test_folder_and_file_url_mirrors(mirror, tmp_path):
    assert fetch.fetch_one(SMALL, raw_dir=tmp_path / "a", mirror=str(mirror)).action == "downloaded"
    uri = mirror.resolve().as_uri()
    assert fetch.fetch_one(SMALL, raw_dir=tmp_path / "b", mirror=uri).action == "downloaded"


def test_404_names_source_url_and_fix_and_writes_nothing(server, tmp_path):
    with pytest.raises(FetchError) as err:
        fetch.fetch_one(SMALL, raw_dir=tmp_path, mirror=f"{server}/missing")
    message = str(err.value)
    assert "HTTP 404" in message and SMALL.id in message and f"{server}/missing" in message
    assert "DIBTRENDS_MIRROR" in message
    assert list(tmp_path.iterdir()) == []


def test_truncated_download_is_refused_and_old_file_kept(server, tmp_path, mirror):
    # An older, valid copy is already there but unreadable as "present" only if corrupted:
    # simulate a damaged local copy that must be replaced, then a truncated transfer.
    target = tmp_path / BIG.filename
    target.write_bytes(b"old local bytes")
    with pytest.raises(FetchError) as err:
        fetch.fetch_one(BIG, raw_dir=tmp_path, mirror=f"{server}/truncated")
    message = str(err.value)
    assert ("truncated" in message or "broke off" in message) and BIG.id in message
    assert target.read_bytes() == b"old local bytes"
    assert not list(tmp_path.glob(".*.part"))


def test_checksum_mismatch_shows_both_hashes_and_keeps_old_file(server, tmp_path):
    target = tmp_path / SMALL.filename
    target.write_bytes(b"a local file the user had")
    before = target.stat().st_mtime_ns
    with pytest.raises(FetchError) as err:
        fetch.fetch_one(SMALL, raw_dir=tmp_path, mirror=f"{server}/corrupt")
    message = str(err.value)
    served = hashlib.sha256((Path(mirror_dir()) / SMALL.filename).read_bytes()).hexdigest()
    assert "Checksum mismatch" in message and SMALL.sha256 in message
    assert served == SMALL.sha256  # the corrupt copy differs from the registered bytes
    got = message.split("got ")[1].split(".")[0]
    assert len(got) == 64 and got != SMALL.sha256
    assert "data/sources.yml" in message and "was kept" in message
    assert target.read_bytes() == b"a local file the user had"
    assert target.stat().st_mtime_ns == before


def test_no_network_and_no_mirror_fails_clearly(tmp_path):
    # A closed loopback port stands for an unreachable publisher: the real code path, no stub.
    offline = dataclasses.replace(SMALL, url="http://127.0.0.1:9/" + SMALL.filename)
    with pytest.raises(FetchError) as err:
        fetch.fetch_one(offline, raw_dir=tmp_path, mirror=None)
    message = str(err.value)
    assert "Could not reach" in message and "DIBTRENDS_MIRROR" in message and SMALL.id in message
    assert list(tmp_path.iterdir()) == []


def test_source_without_direct_url_needs_a_mirror(tmp_path):
    assert SMALL.url is None
    with pytest.raises(FetchError, match="no direct download address"):
        fetch.fetch_one(SMALL, raw_dir=tmp_path, mirror=None)


def test_cli_exits_non_zero_with_one_paragraph(tmp_path):
    env = {"DIBTRENDS_RAW": str(tmp_path), "PATH": "/usr/bin:/bin",
           "DIBTRENDS_MIRROR": str(tmp_path / "nowhere")}
    run = subprocess.run([sys.executable, "-m", "dibtrends", "fetch", SMALL.id],
                         capture_output=True, text=True, env=env, cwd=paths.ROOT)
    assert run.returncode == 2
    assert "error:" in run.stderr and "Traceback" not in run.stderr
    assert SMALL.filename in run.stderr


def test_registry_records_are_complete():
    for s in sources.SOURCES:
        assert len(s.sha256) == 64 and s.publisher and s.title and s.edition and s.licence
        assert s.retrieved and (s.url or s.landing_url)
    assert len({s.id for s in sources.SOURCES}) == len(sources.SOURCES)


# A published name with a space and parentheses ("SIPRI-Top-100-2002-2024 (2).xlsx"): the mirror
# address must carry it URL-encoded, and the file must land under its published name.
SPACED = sources.get("sipri_top100_2024")


@pytest.fixture(scope="module")
def spaced_server(mirror, tmp_path_factory):
    if not (mirror / SPACED.filename).exists():
        pytest.skip(f"the mirror has no {SPACED.filename!r}")
    root = tmp_path_factory.mktemp("www-spaced")
    (root / "good").mkdir()
    shutil.copy2(mirror / SPACED.filename, root / "good" / SPACED.filename)
    yield from _serve(root)


def test_filename_with_space_and_parentheses_over_loopback_http(spaced_server, tmp_path):
    assert " " in SPACED.filename and "(" in SPACED.filename
    assert SPACED.url.endswith("SIPRI-Top-100-2002-2024%20%282%29.xlsx")  # encoded, as published
    _Handler.hits.clear()
    result = fetch.fetch_one(SPACED, raw_dir=tmp_path, mirror=f"{spaced_server}/good")
    assert result.action == "downloaded"
    assert _Handler.hits == ["/good/SIPRI-Top-100-2002-2024%20%282%29.xlsx"]
    assert result.origin == f"{spaced_server}/good/SIPRI-Top-100-2002-2024%20%282%29.xlsx"
    target = tmp_path / SPACED.filename
    assert target.exists() and result.path == target
    assert hashlib.sha256(target.read_bytes()).hexdigest() == SPACED.sha256
    record = json.loads((tmp_path / f"{SPACED.filename}.provenance.json").read_text())
    assert record["filename"] == SPACED.filename and record["publisher_url"] == SPACED.url
    assert not list(tmp_path.glob("*.part"))
    # present and valid: no second request
    _Handler.hits.clear()
    assert fetch.fetch_one(SPACED, raw_dir=tmp_path, mirror=f"{spaced_server}/good").action == (
        "present")
    assert _Handler.hits == []
