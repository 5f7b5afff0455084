"""Worker processes for the steps that parse or export many independent files (``make data``,
the HTML preview): one per core, or none where that would not help or cannot work."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator


@contextlib.contextmanager
def pool(preload: Iterable[str]) -> Iterator:
    """A ``ProcessPoolExecutor`` with one worker per core, started now. Workers fork from a
    server that imported ``preload`` once and has run no Polars query (forking a process whose
    Polars thread pool has run can deadlock). None on one core, inside a worker, or where
    worker processes cannot start (no semaphores, as without ``/dev/shm``): the caller then
    works alone. An error inside the block cancels the work not yet started."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    cores = os.cpu_count() or 1
    if cores <= 1 or multiprocessing.parent_process() is not None:
        yield None
        return
    try:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(preload))
        executor = ProcessPoolExecutor(cores, mp_context=context)
        for _ in range(cores):
            executor.submit(os.getpid)  # start them now, not when the first task comes
    except (OSError, ValueError, ImportError):
        yield None
        return
    with executor:
        try:
            yield executor
        except BaseException:
            executor.shutdown(cancel_futures=True)
            raise


class Done:
    """What ``pool.submit`` returns, for work done in this process (no pool)."""

    def __init__(self, fn, *args) -> None:
        self._value = fn(*args)

    def result(self):
        return self._value
