"""Executing the notebooks: Papermill on a pool of warm kernels, one per core (why by hand:
``docs/ARCHITECTURE.md``). Each kernel imports a module once, for the first page that needs it,
and every page starts in a cleared namespace. An output is swapped in whole on success; a
failure names the page and the cell, keeps the failed notebook in ``reports/failed/`` and the
last good page in place.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path

from . import nbtools, paths
from .errors import DibtrendsError

KERNEL = "python3"
HIDDEN_TAGS = {"parameters", "injected-parameters"}
VEGALITE = "application/vnd.vegalite.v5+json"


class NotebookFailed(DibtrendsError):
    """A notebook raised during execution: names the notebook, cell and error."""


def failure_message(name: str, source, failed: Path, exc: Exception) -> str:
    """The failing cell as the analyst's JupyterLab counts it (Papermill counts its injected
    parameters cell, which follows the ``parameters`` cell)."""
    where = ""
    if (index := getattr(exc, "cell_index", None)) is not None:
        index -= any(HIDDEN_TAGS & set(c.metadata.get("tags", [])) for c in source.cells[:index])
        first = next((ln for ln in exc.source.strip().splitlines() if not ln.startswith("#|")), "")
        cell_id = source.cells[index].get("id", "?")
        where = (f" at cell {index + 1} of {len(source.cells)} (id {cell_id}, "
                 f"starting `{first[:70]}`)")
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = (getattr(exc, "evalue", None) or str(exc)).strip().rstrip(".")
    return (f"notebook {name}{where} failed: {ename}: {evalue}. The last good executed notebook "
            f"and report were kept; the failed run is saved as {paths.relative(failed)} "
            "(open it in JupyterLab to see the traceback).")


def chart_caption(spec) -> str | None:
    """A figure's caption: the chart's own (``charts.titled(caption=...)``: what it shows and
    what it says), else its title (which ``charts.titled`` puts on its first part)."""
    meta = spec.get("usermeta", {}).get("dibtrends", {})
    return meta.get("caption") or chart_title(spec)


def chart_title(spec: dict) -> str | None:
    """A chart's title (``charts.titled`` puts it on the chart's first part)."""
    for part in (spec, *spec.get("vconcat", [])[:1]):
        if title := part.get("title"):
            return title.get("text") if isinstance(title, dict) else title
    return None


def postprocess(nb_path: Path, title: str | None = None) -> None:
    """Prepare an executed notebook for Quarto (which reads ``#|`` cell options): parameters
    cells hidden; each figure's caption is its chart's caption or title as computed in this run
    (a caption can never state a number the data no longer give); a profile gets its own page
    title."""
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        if title and cell.cell_type == "markdown" and cell.source.startswith("# "):
            cell.source = f"# {title}\n" + cell.source.partition("\n")[2]
            title = None
        if cell.cell_type != "code":
            continue
        if HIDDEN_TAGS & set(cell.metadata.get("tags", [])):
            if not cell.source.startswith("#| include: false"):
                cell.source = "#| include: false\n" + cell.source
        specs = [o.get("data", {}).get(VEGALITE) for o in cell.get("outputs", [])]
        if caption := next((chart_caption(s) for s in specs if s), None):
            option = "#| fig-cap: " + json.dumps(caption.rstrip(".") + ".", ensure_ascii=False)
            cell.source = re.sub(r"^#\| label: fig-.*$", lambda m, o=option: f"{m.group(0)}\n{o}",
                                 re.sub(r"^#\| fig-cap:.*\n?", "", cell.source, flags=re.M),
                                 count=1, flags=re.M)
    nbformat.write(nb, nb_path)


@functools.cache
def warm_engine() -> str:
    """Papermill's own nbclient engine, told to run on the pool kernel's connected client
    (nbclient would connect a new one per notebook: a fifth of a second each, 40 times)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    class WarmClientEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False,
                                     stdout_file=None, stderr_file=None, start_timeout=60,
                                     execution_timeout=None, kc=None, **kwargs):
            client = PapermillNotebookClient(
                nb_man, km=kwargs.pop("km"), timeout=execution_timeout,
                startup_timeout=start_timeout, kernel_name=kernel_name, log=logger,
                log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
            client.kc = kc
            return client.execute()

    papermill_engines.register("dibtrends-warm", WarmClientEngine)
    return "dibtrends-warm"


class Kernel:
    """A warm kernel: started once, namespace cleared between notebooks, so each module is
    imported once per kernel, by the first page that needs it."""

    #: Every name the last notebook defined goes (what %reset does, without its 0.3 s of
    #: history and garbage collection); IPython's own names, and underscored ones, stay.
    CLEAR = ("_ip = get_ipython()\n"
             "for _k in [k for k in _ip.user_ns if not k.startswith('_')\n"
             "           and k not in _ip.user_ns_hidden]:\n"
             "    del _ip.user_ns[_k]\n")

    def __init__(self) -> None:
        from jupyter_client.manager import KernelManager

        # Local sockets rather than TCP: nothing listens on a port, and the kernel does not
        # warn about unencrypted TCP on every start.
        self._sockets = tempfile.mkdtemp(prefix="dibtrends-kernel-")
        self.km = KernelManager(kernel_name=KERNEL, transport="ipc",
                                ip=os.path.join(self._sockets, "kernel"))
        self.km.start_kernel(cwd=str(paths.NOTEBOOKS))
        self._connect()

    @classmethod
    def warmed(cls) -> Kernel:
        """A kernel that has already imported what every page imports (started while the
        pipeline plans, so a one-page change does not wait for the imports after it)."""
        kernel = cls()
        # Only a head start: a page that needs what failed to import fails with its cell named.
        with contextlib.suppress(NotebookFailed):
            kernel._run("import dibtrends.charts, dibtrends.chapters, dibtrends.report")
        return kernel

    def _connect(self) -> None:
        self.kc = self.km.blocking_client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def _run(self, code: str) -> None:
        reply = self.kc.execute_interactive(code, store_history=False, timeout=120,
                                            output_hook=lambda msg: None)["content"]
        if reply.get("status") != "ok":
            raise NotebookFailed(f"the kernel could not run {code.splitlines()[0]!r}: "
                                 f"{reply.get('ename')}: {reply.get('evalue')}.")

    def fresh(self, page: str) -> None:
        """A cleared namespace (modules stay imported: that is the point of the pool), told
        which page it is about to run (the CSVs it writes are recorded under that name)."""
        if not self.km.is_alive():  # a notebook killed its kernel: start it again
            self.kc.stop_channels()
            self.km.restart_kernel(now=True)
            self._connect()
        self._run(self.CLEAR + f"__import__('os').environ['DIBTRENDS_PAGE'] = {page!r}\n")

    def shutdown(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)
        shutil.rmtree(self._sockets, ignore_errors=True)


def execute(job, kernel: Kernel, log=sys.stderr) -> None:
    """Run one :class:`~dibtrends.pipeline.Job` with Papermill into its output, atomically; on
    failure raise NotebookFailed and keep the failed notebook in reports/failed/."""
    import papermill as pm

    fingerprint = job.fingerprint()
    source = nbtools.canonical(paths.NOTEBOOKS / f"{job.notebook}.ipynb")
    job.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = job.output.with_name(f".{job.output.stem}.part.ipynb")  # hidden from the render
    started = time.perf_counter()
    kernel.fresh(job.name)
    try:
        # One write at the end, not one per cell (the output is swapped in whole anyway).
        pm.execute_notebook(source, str(tmp), parameters=job.params, kernel_name=KERNEL,
                            cwd=str(paths.NOTEBOOKS), progress_bar=False, log_output=False,
                            request_save_on_cell_execute=False, autosave_cell_every=0,
                            engine_name=warm_engine(), km=kernel.km, kc=kernel.kc)
    except Exception as exc:  # noqa: BLE001 - any failure becomes one clear message
        failed = paths.FAILED / job.output.name
        failed.parent.mkdir(parents=True, exist_ok=True)
        if tmp.exists():
            os.replace(tmp, failed)
        raise NotebookFailed(failure_message(job.name, source, failed, exc)) from None
    postprocess(tmp, job.title)
    os.replace(tmp, job.output)
    paths.write_atomic(job.stamp, json.dumps(fingerprint, indent=1, sort_keys=True))
    (paths.FAILED / job.output.name).unlink(missing_ok=True)
    log.write(f"  executed   {job.name} ({time.perf_counter() - started:.1f} s)\n")


def run_jobs(jobs: list, workers: int | None = None, log=sys.stderr,
             warm: Future | None = None) -> list:
    """Execute the jobs whose inputs changed, on a pool of warm kernels; returns those that ran.

    A job waits for the jobs named in its ``after`` (the summary for the chapters) and is
    checked for staleness only when its turn comes (a chapter that ran again may have
    published the same results). Kernels start only when a job needs one (``warm``, a kernel
    already starting, is taken first, and shut down if no job needs it). The first failure
    stops new work, lets running notebooks finish, and is raised.
    """
    by_name = {j.name: j for j in jobs}
    stale = sum(not j.is_current() for j in jobs if not set(j.after) & set(by_name))
    local, kernels, ran, errors, futures = threading.local(), [], [], [], {}
    spare = [warm] if warm is not None else []

    def new_kernel() -> Kernel:
        try:
            return spare.pop().result()  # list.pop is atomic: one thread takes the warm kernel
        except IndexError:
            return Kernel()

    def depth(job) -> int:
        return max((1 + depth(by_name[d]) for d in job.after if d in by_name), default=0)

    def run(job) -> None:
        # Queued by depth: the jobs waited for are running or done, so none waits for ever.
        wait([futures[d] for d in job.after if d in futures])
        if errors:
            return
        try:
            if job.before is not None:
                job.before()
            if not job.is_current():
                if not hasattr(local, "kernel"):
                    local.kernel = new_kernel()
                    kernels.append(local.kernel)
                execute(job, local.kernel, log)
                ran.append(job)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            errors.append(exc)

    # A kernel per core, but no more kernels than pages known to need one.
    workers = max(1, min(workers or os.cpu_count() or 1, stale or 1))
    try:
        with ThreadPoolExecutor(workers) as pool:
            for job in sorted(jobs, key=depth):
                futures[job.name] = pool.submit(run, job)
    finally:
        for kernel in kernels + [f.result() for f in spare if f.exception() is None]:
            kernel.shutdown()
    if errors:
        raise errors[0]
    return ran
