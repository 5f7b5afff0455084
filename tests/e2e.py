"""End-to-end helpers: a copy of this checkout, built once per test session with `make report`.

The copy holds what a clone holds (git's file list). It shares this checkout's environment
(``VENV=`` points at it; the Makefile puts the copy's own ``src`` first on PYTHONPATH, so the
copy's code is what runs) and reads the sources from the mirror. Tests that change the copy put
it back as they found it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dibtrends import paths

BUILT = {".venv", ".tools", ".git", "raw", "processed", "executed", "generated", "failed",
         "__pycache__", ".pytest_cache", "_output", "_output.new", "_output.old", "build",
         ".quarto"}
VENV = Path(sys.prefix)


def copy_checkout(src: Path, dest: Path) -> Path:
    """The files a clone would have: git's list where there is a repository, else the tree
    without anything the build makes."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard",
                             "-z"], cwd=src, capture_output=True, check=False)
    if listed.returncode == 0:
        for name in filter(None, listed.stdout.decode().split("\0")):
            if (src / name).is_file():
                (dest / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src / name, dest / name)
    else:
        shutil.copytree(src, dest, ignore=lambda _d, names: [n for n in names if n in BUILT])
    return dest


def environ(mirror: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    for var in ("DIBTRENDS_ROOT", "DIBTRENDS_RAW", "DIBTRENDS_PROCESSED", "DIBTRENDS_OUTPUT",
                "VIRTUAL_ENV", "PYTHONPATH", "MAKEFLAGS", "MAKELEVEL"):
        env.pop(var, None)
    env["DIBTRENDS_SKIP_QUARTO_INSTALL"] = "1"
    if mirror is not None:
        env["DIBTRENDS_MIRROR"] = str(mirror)
    else:
        env.pop("DIBTRENDS_MIRROR", None)
    return env


def make(copy: Path, *targets: str, check: bool = True, mirror: Path | None = None,
         timeout: float = 900) -> subprocess.CompletedProcess:
    from .conftest import mirror_dir

    run = subprocess.run(["make", f"VENV={VENV}", *targets], cwd=copy, capture_output=True,
                         text=True, env=environ(mirror or mirror_dir()), timeout=timeout,
                         check=False)
    if check and run.returncode != 0:
        raise AssertionError(f"make {' '.join(targets)} failed:\n{run.stdout[-3000:]}\n"
                             f"{run.stderr[-6000:]}")
    return run


def start_make(copy: Path, *targets: str, stdout: Path | None = None,
               stderr: Path | None = None) -> subprocess.Popen:
    """`make` in the background, in its own process group (so a test can kill it all); its
    output piped, or written to the files named."""
    from .conftest import mirror_dir

    with contextlib.ExitStack() as files:
        out = files.enter_context(open(stdout, "w")) if stdout else subprocess.PIPE
        err = files.enter_context(open(stderr, "w")) if stderr else subprocess.PIPE
        return subprocess.Popen(["make", f"VENV={VENV}", *targets], cwd=copy, text=True,
                                stdout=out, stderr=err, env=environ(mirror_dir()),
                                start_new_session=True)


@contextlib.contextmanager
def put_back(copy: Path, *files: Path):
    """Run a test's changes, then put the copy back as the build left it: the files the test
    edits and every built page, result and stamp (without running the pipeline again)."""
    saved = {f: f.read_bytes() for f in files}
    snapshot = Path(tempfile.mkdtemp(prefix="dibtrends-snapshot-"))
    built = ["reports/executed", "reports/generated", "reports/failed", "data/raw"]
    for rel in built:
        if (copy / rel).exists():
            shutil.copytree(copy / rel, snapshot / rel, symlinks=True)
    try:
        yield
    finally:
        for f, content in saved.items():
            f.write_bytes(content)
        for rel in built:
            shutil.rmtree(copy / rel, ignore_errors=True)
            if (snapshot / rel).exists():
                shutil.copytree(snapshot / rel, copy / rel, symlinks=True)
        shutil.rmtree(snapshot, ignore_errors=True)


def executed(copy: Path) -> list[Path]:
    return sorted((copy / "reports" / "executed").rglob("*.ipynb"))


def mtimes(copy: Path) -> dict[str, int]:
    return {p.stem: p.stat().st_mtime_ns for p in executed(copy)}


def changed_since(copy: Path, before: dict[str, int]) -> set[str]:
    return {name for name, t in mtimes(copy).items() if before.get(name) != t}


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


__all__ = ["copy_checkout", "make", "start_make", "executed", "mtimes", "changed_since",
           "timed", "put_back", "paths"]


#: Headless Chromium's flags that matter on this machine (no sandbox, no GPU, no background
#: requests of its own).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


async def open_offline(browser, page_path: Path):
    """``page_path`` opened in a context of its own with every request but the report's own
    files refused: (context, page, requests to other hosts, console errors), both lists
    filled as the page runs."""
    context = await browser.new_context()  # a renderer process of its own
    page = await context.new_page()
    remote, errors = [], []

    async def route(r):
        if r.request.url.startswith(("file:", "data:", "blob:")):
            await r.continue_()
        else:
            remote.append(r.request.url)
            await r.abort()

    await page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    await page.goto(page_path.as_uri())
    return context, page, remote, errors
