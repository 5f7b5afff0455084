"""One build at a time per checkout: a second `make report` waits for the first, then finds
everything current, instead of interleaving writes to the same files.

The lock is an advisory ``flock`` on ``.dibtrends.lock`` in the checkout; the kernel releases it
when its holder exits, also after ``kill -9``, so a crashed run never blocks the next one.
"""

from __future__ import annotations

import fcntl
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from . import paths

LOCK_FILE = ".dibtrends.lock"


@contextmanager
def exclusive(what: str, wait: bool = True, stream=sys.stderr, root: Path | None = None):
    """Hold the checkout's build lock while ``what`` runs (say so when waiting for another)."""
    from .errors import DibtrendsError

    path = Path(root or paths.ROOT) / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            if not wait:
                raise DibtrendsError(
                    f"another build is running in this checkout ({holder}); {what} did not "
                    "start. Fix: wait for it to finish, then run the command again.") from None
            stream.write(f"  waiting    another build is running in this checkout ({holder}); "
                         f"{what} starts when it ends\n")
            stream.flush()
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}: {what}".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
