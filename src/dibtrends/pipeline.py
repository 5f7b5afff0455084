"""The report pipeline behind ``make report``: parameters -> Papermill -> Quarto (or preview).

1. **Parameters.** ``reports/params.yaml`` holds overrides only: a notebook's own parameters
   cell gives its defaults, a value in the file replaces one, a value under ``shared:`` reaches
   every notebook that takes it. Every value is checked by the chapter's ``Params`` class, data
   ranges included, before any kernel starts.
2. **What to run.** Each executed notebook records the content hash of everything it read: its
   notebook (canonical form), its parameters, the package modules it imports, the processed
   tables it declares, the lock file. Only notebooks whose inputs changed run again.
3. **Execution.** Papermill runs every notebook on a pool of warm kernels, one per core: each
   kernel pays the imports once, and each notebook starts in a cleared namespace. Every output
   is written to a temporary file and swapped in on success; a failing notebook is named with
   its cell, kept in ``reports/failed/`` and leaves the last good output in place.
4. **Render** (:mod:`dibtrends.render`): Quarto when installed, else an HTML preview.
"""

from __future__ import annotations

import argparse
import ast
import functools
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import chapters, paths
from .errors import DibtrendsError, ParameterError

KERNEL = "python3"
HIDDEN_TAGS = {"parameters", "injected-parameters"}
#: Injected into every notebook by the pipeline, never set in params.yaml.
PIPELINE_PARAMS = ("output_dir", "processed_dir")
STAMPS = paths.STAMPS
PACKAGE = paths.PACKAGE


class NotebookFailed(DibtrendsError):
    """A notebook raised during execution: names the notebook, cell and error."""


# ---------------------------------------------------------------- parameters
def parameters_cell(notebook: Path) -> dict[str, Any]:
    """The defaults in a notebook's ``parameters`` cell (literal values only)."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            values = {}
            for node in ast.parse(cell.source).body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                        node.targets[0], ast.Name):
                    try:
                        values[node.targets[0].id] = ast.literal_eval(node.value)
                    except ValueError:
                        raise ParameterError(
                            f"notebook {paths.relative(notebook)}: parameter "
                            f"{node.targets[0].id} is not a literal value; the parameters cell "
                            "may hold only names set to numbers, strings, lists, True/False or "
                            "None.") from None
            return values
    return {}


def read_params_file(params_file: Path = paths.PARAMS_FILE) -> dict[str, dict]:
    """The overrides file, checked for shape: sections name notebooks or ``shared``."""
    where = paths.relative(params_file)
    try:
        data = yaml.safe_load(params_file.read_text()) or {}
    except FileNotFoundError:
        raise ParameterError(f"parameters file {where} is missing; restore it with "
                             f"`git checkout {where}`.") from None
    except yaml.YAMLError as exc:
        raise ParameterError(f"parameters file {where} is not valid YAML: {exc}. Fix the line "
                             "named above (indent values two spaces under their notebook)."
                             ) from None
    if not isinstance(data, dict):
        raise ParameterError(f"parameters file {where} must map notebook names to parameters.")
    known = ["shared", *chapters.MODULES]
    for name, section in data.items():
        if name not in known:
            raise ParameterError(f"{where}: section {name!r} names no notebook; sections are: "
                                 f"{', '.join(known)}.")
        if section is not None and not isinstance(section, dict):
            raise ParameterError(f"{where}: section {name!r} must be a mapping of parameter "
                                 "names to values.")
    return {name: dict(data.get(name) or {}) for name in known}


def effective_params(params_file: Path = paths.PARAMS_FILE,
                     notebooks_dir: Path = paths.NOTEBOOKS) -> dict[str, dict]:
    """notebook -> the values it runs with (defaults from its cell, then overrides), checked
    by its chapter's ``Params`` class without data. ``output_dir``/``processed_dir`` excluded."""
    where = paths.relative(params_file)
    overrides = read_params_file(params_file)
    shared = overrides.pop("shared")
    shared_names = set().union(*(chapters.module(n).Params.shared_names()
                                 for n in chapters.MODULES))
    unknown_shared = sorted(set(shared) - shared_names)
    if unknown_shared:
        raise ParameterError(f"{where}: shared parameter(s) {', '.join(unknown_shared)} are taken "
                             f"by no notebook; shared parameters are: "
                             f"{', '.join(sorted(shared_names)) or '(none)'}.")
    out = {}
    for name, section in overrides.items():
        params_cls = chapters.module(name).Params
        misplaced = sorted(set(section) & params_cls.shared_names())
        if misplaced:
            raise ParameterError(f"{where}: {', '.join(misplaced)} is shared by several notebooks; "
                                 f"set it once under `shared:` instead of under {name}.")
        reserved = sorted(set(section) & {*PIPELINE_PARAMS, *getattr(
            chapters.module(name), "PIPELINE_SET", ())})
        if reserved:
            raise ParameterError(f"{where}: {name}: {', '.join(reserved)} is set by the pipeline, "
                                 "not in this file (for one Ally's profile run `make profile "
                                 "ALLY=POL`).")
        cell = {k: v for k, v in parameters_cell(notebooks_dir / f"{name}.ipynb").items()
                if k not in PIPELINE_PARAMS}
        values = cell | {k: v for k, v in shared.items() if k in params_cls.specs()} | section
        params_cls.from_mapping(values, f"{where}: {name}")
        out[name] = values
    return out


def check_against_data(values: dict[str, dict], processed_dir: Path | None = None) -> None:
    """The checks that need the data (years inside the series), before any kernel starts."""
    for name, v in values.items():
        params_cls = chapters.module(name).Params
        pipeline_set = getattr(chapters.module(name), "PIPELINE_SET", ())
        if pipeline_set:
            continue  # profiles: checked per Ally when their jobs are made
        params_cls.from_mapping(v, name).check_data(processed_dir)


# ---------------------------------------------------------------- inputs and staleness
def _module_file(module: str) -> Path | None:
    rel = module.split(".")[1:]
    base = PACKAGE.joinpath(*rel)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _imports(source: str, module: str, is_package: bool) -> set[str]:
    """dibtrends modules imported by ``source`` (absolute or relative, incl. `from . import x`)."""
    found = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "dibtrends"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if target.split(".")[0] != "dibtrends":
                continue
            found.add(target)
            found |= {f"{target}.{a.name}" for a in node.names}
    return found


def module_closure(modules: Iterable[str]) -> list[Path]:
    """The files of every dibtrends module reachable by import from ``modules``."""
    seen: dict[str, Path] = {}
    todo = list(modules)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _module_file(name)
        if path is None:
            continue  # a name imported from a module, not a module
        seen[name] = path
        parents = name.split(".")
        todo += [".".join(parents[:i]) for i in range(1, len(parents))]
        todo += _imports(path.read_text(), name, path.name == "__init__.py")
    return sorted(set(seen.values()))


def notebook_imports(notebook: Path) -> set[str]:
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    found: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type == "code":
            code = "\n".join(ln for ln in cell.source.splitlines()
                             if not ln.lstrip().startswith(("%", "!")))  # IPython magics
            try:
                found |= _imports(code, "__main__", False)
            except SyntaxError:
                continue
    return found


def file_digest(path: Path) -> str:
    stat = path.stat()
    return _digest(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4096)
def _digest(path: Path, mtime_ns: int, size: int) -> str:
    """sha256 of a file, cached per version (the same module is an input of many pages)."""
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class Job:
    """One notebook execution: what runs, with which values, what it reads, where it goes."""

    name: str  # the page: "02_equipment_spending", "profile_POL"
    notebook: str  # the source notebook stem
    output: Path
    params: dict[str, Any]
    inputs: list[Path]
    title: str | None = None
    after: tuple[str, ...] = ()
    #: Inputs known only when the job's turn comes (the sources page lists every chart's CSV).
    state: Callable[[], dict[str, Any]] | None = None
    #: Work done just before the job runs (the sources page first clears stale CSVs).
    before: Callable[[], None] | None = None

    @property
    def stamp(self) -> Path:
        return STAMPS / f"{self.name}.json"

    def fingerprint(self) -> dict[str, Any]:
        return {"params": self.params, "title": self.title,
                "state": self.state() if self.state else {},
                "inputs": {paths.relative(p): file_digest(p) if p.exists() else "missing"
                           for p in self.inputs}}

    def is_current(self) -> bool:
        if not self.output.exists() or not self.stamp.exists():
            return False
        try:
            return json.loads(self.stamp.read_text()) == self.fingerprint()
        except ValueError:
            return False

    def record_inputs(self, fingerprint: dict) -> None:
        self.stamp.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.stamp.with_name(f".{self.stamp.name}.part")
        tmp.write_text(json.dumps(fingerprint, indent=1, sort_keys=True))
        os.replace(tmp, self.stamp)


def chapter_inputs(name: str, processed_dir: Path) -> list[Path]:
    """What a chapter's page depends on: its canonical notebook, the modules it and its chapter
    module import, the processed tables and other files the chapter module declares, the lock."""
    from .nbtools import CANONICAL

    canonical = CANONICAL / f"{name}.ipynb"
    mod = chapters.module(name)
    modules = {mod.__name__, *notebook_imports(paths.NOTEBOOKS / f"{name}.ipynb")}
    tables = [processed_dir / f"{t}.parquet" for t in getattr(mod, "READS", ())]
    extra = [Path(p) for p in getattr(mod, "READS_FILES", ())]
    return [canonical, *module_closure(modules), *tables, *extra, paths.LOCK_FILE]


def profile_jobs(values: dict[str, dict], allies: Iterable[str] | None, processed: Path,
                 injected: dict[str, str]) -> list[Job]:
    """One job per Ally (all 32 unless ``allies`` names some), each checked like a chapter."""
    names = ally_names(processed)
    codes = sorted(names) if allies is None else list(allies)
    unknown = sorted(set(codes) - set(names))
    if unknown:
        raise ParameterError(f"profiles: unknown Ally code(s) {', '.join(unknown)}; valid codes: "
                             f"{', '.join(sorted(names))}.")
    if not codes:
        return []
    profile_mod = chapters.module(chapters.PROFILE)
    inputs = chapter_inputs(chapters.PROFILE, processed)
    jobs = []
    for code in codes:
        params = values[chapters.PROFILE] | {"country": code}
        profile_mod.Params.from_mapping(params, f"profile {code}").check_data(processed)
        jobs.append(Job(f"profile_{code}", chapters.PROFILE,
                        paths.PROFILES_DIR / f"profile_{code}.ipynb", params | injected,
                        inputs, title=profile_mod.page_title(names[code])))
    return jobs


def prune_tables(tables: Path, pages: list[str]) -> list[str]:
    """Delete chart and table CSVs that no current page wrote in its latest run (a renamed
    table, a page that no longer exists), so the site offers only data it shows."""
    from .report import PAGE_MANIFESTS, written_by

    keep = set().union(*(written_by(tables, page) for page in pages))
    removed = []
    for csv in tables.glob("*.csv"):
        if csv.name not in keep:
            csv.unlink()
            removed.append(csv.name)
    for manifest in (tables / PAGE_MANIFESTS).glob("*.json"):
        if manifest.stem not in pages:
            manifest.unlink()
    return removed


def ally_names(processed_dir: Path | None = None) -> dict[str, str]:
    from . import data

    table = data.table("nato_membership", processed_dir)
    return dict(zip(table["iso3"].to_list(), table["country"].to_list(), strict=True))


def plan(only: Iterable[str] | None = None, allies: Iterable[str] | None = None,
         processed_dir: Path | None = None, output_dir: Path | None = None,
         values: dict[str, dict] | None = None) -> list[Job]:
    """Every job of a report build (parameters checked), in dependency order."""
    processed = paths.processed_dir(processed_dir)
    output = paths.output_dir(output_dir)
    values = values if values is not None else effective_params()
    check_against_data(values, processed)
    injected = {"output_dir": str(output), "processed_dir": str(processed)}
    jobs: list[Job] = []
    for name in chapters.MODULES:
        if name in (chapters.PROFILE, chapters.SOURCES_PAGE):
            continue
        inputs = chapter_inputs(name, processed)
        after: tuple[str, ...] = ()
        if name == chapters.SUMMARY:
            after = chapters.ANALYSES
            inputs += [output / paths.RESULTS_SUBDIR / f"{a}.json" for a in chapters.ANALYSES]
        jobs.append(Job(name, name, paths.EXECUTED / f"{name}.ipynb", values[name] | injected,
                        inputs, after=after))
    jobs += profile_jobs(values, allies, processed, injected)
    # The sources page lists every page's chart data: it runs last, after stale CSVs are gone
    # (only in a full build: a partial one does not know every page's files).
    name = chapters.SOURCES_PAGE
    tables = output / paths.TABLES_SUBDIR
    pages = [j.name for j in jobs]
    jobs.append(Job(name, name, paths.EXECUTED / f"{name}.ipynb", values[name] | injected,
                    chapter_inputs(name, processed), after=tuple(pages),
                    state=lambda: {"tables": sorted(p.name for p in tables.glob("*.csv"))},
                    before=(lambda: prune_tables(tables, pages)) if only is None else None))
    if only is not None:
        wanted = set(only)
        jobs = [j for j in jobs if j.name in wanted or j.notebook in wanted]
    return jobs


# ---------------------------------------------------------------- execution
def _failure_message(name: str, nb_path: Path, exc: Exception) -> str:
    where = ""
    try:
        nb = json.loads(nb_path.read_text())
        # Count as the analyst's notebook does: without the cell Papermill injected.
        added = {"injected-parameters", "papermill-error-cell-tag"}
        cells = [c for c in nb["cells"]
                 if not added & set(c.get("metadata", {}).get("tags", []))]
        for index, c in enumerate(cells):
            if any(o.get("output_type") == "error" for o in c.get("outputs", [])):
                first = "".join(c.get("source", "")).strip().splitlines()
                first = [ln for ln in first if not ln.startswith("#|")] or [""]
                where = (f" at cell {index + 1} of {len(cells)} (id {c.get('id', '?')}, "
                         f"starting `{first[0][:70]}`)")
                break
    except (OSError, ValueError, KeyError):
        pass
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = (getattr(exc, "evalue", None) or str(exc)).strip().rstrip(".")
    return (f"notebook {name}{where} failed: {ename}: {evalue}. The last good executed notebook "
            f"and report were kept; the failed run is saved as {paths.relative(nb_path)} "
            "(open it in JupyterLab to see the traceback).")


def chart_title(spec) -> str | None:
    """The first title text in a Vega-Lite spec (charts.titled puts it on the inner chart)."""
    if isinstance(spec, dict):
        title = spec.get("title")
        if isinstance(title, dict) and title.get("text"):
            text = title["text"]
            return " ".join(text) if isinstance(text, list) else str(text)
        if isinstance(title, str) and title:
            return title
        for key in ("vconcat", "hconcat", "concat", "layer"):
            for child in spec.get(key, []):
                found = chart_title(child)
                if found:
                    return found
        if "spec" in spec:
            return chart_title(spec["spec"])
    return None


def computed_caption(cell) -> str | None:
    for output in cell.get("outputs", []):
        spec = output.get("data", {}).get("application/vnd.vegalite.v5+json")
        if spec:
            return chart_title(spec)
    return None


def postprocess(nb_path: Path, title: str | None = None) -> None:
    """Prepare an executed notebook for Quarto (which reads ``#|`` cell options).

    The parameters cells are hidden; every figure's caption is its chart's title as computed in
    this run (a caption can never state a number the data no longer give); a generic notebook
    (a profile) gets its own page title.
    """
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
        caption = computed_caption(cell)
        if caption and "#| label: fig-" in cell.source:
            lines = [ln for ln in cell.source.splitlines() if not ln.startswith("#| fig-cap:")]
            at = next(i for i, ln in enumerate(lines) if ln.startswith("#| label: fig-")) + 1
            text = json.dumps(caption.rstrip(".") + ".", ensure_ascii=False)
            lines.insert(at, "#| fig-cap: " + text)
            cell.source = "\n".join(lines)
    nbformat.write(nb, nb_path)


@functools.cache
def warm_engine() -> str:
    """Papermill's own nbclient engine, told to run on the pool kernel's connected client
    instead of connecting a new one per notebook (a fifth of a second each, 40 times a build).
    Injection, execution and the executed notebook are Papermill's, unchanged."""
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
    """A warm kernel: started once, imports paid once, namespace cleared between notebooks.

    One client stays connected for the kernel's life (starting channels and waiting for the
    kernel costs a fifth of a second); Papermill runs each notebook on it (:func:`warm_engine`).
    """

    #: Paid once per kernel: every chapter module and the chart theme.
    WARM_UP = ("import dibtrends.charts, dibtrends.report, dibtrends.results\n"
               "from dibtrends import chapters as _c\n"
               "for _m in _c.MODULES: _c.module(_m)\n"
               "del _c, _m\n")
    #: Every name the last notebook defined goes (what %reset does, without its 0.3 s of
    #: history and garbage collection); IPython's own names stay.
    CLEAR = ("_ip = get_ipython()\n"
             "for _k in [k for k in _ip.user_ns if not k.startswith('_')\n"
             "           and k not in _ip.user_ns_hidden]:\n"
             "    del _ip.user_ns[_k]\n"
             "del _ip, _k\n")

    def __init__(self) -> None:
        from jupyter_client.manager import KernelManager

        # Local sockets rather than TCP: nothing listens on a port, and the kernel does not
        # warn about unencrypted TCP on every start.
        self._sockets = tempfile.mkdtemp(prefix="dibtrends-kernel-")
        self.km = KernelManager(kernel_name=KERNEL, transport="ipc",
                                ip=os.path.join(self._sockets, "kernel"))
        self.km.start_kernel(cwd=str(paths.NOTEBOOKS))
        self._connect()

    def _connect(self) -> None:
        self.kc = self.km.blocking_client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        self._run(self.WARM_UP)

    def _run(self, code: str) -> None:
        reply = self.kc.execute_interactive(code, store_history=False, timeout=120,
                                            output_hook=lambda msg: None)
        if reply["content"].get("status") != "ok":
            raise NotebookFailed(f"the kernel could not run {code.splitlines()[0]!r}: "
                                 f"{reply['content'].get('ename')}: "
                                 f"{reply['content'].get('evalue')}.")

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


def execute(job: Job, kernel: Kernel | None = None, log=sys.stderr) -> Path:
    """Run one job with Papermill into its output, atomically; on failure raise
    NotebookFailed and keep the failed notebook in reports/failed/."""
    import papermill as pm

    from .nbtools import CANONICAL

    fingerprint = job.fingerprint()
    source = CANONICAL / f"{job.notebook}.ipynb"
    job.output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{job.output.stem}.", suffix=".ipynb",
                                    dir=job.output.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    started = time.perf_counter()
    extra = {}
    if kernel is not None:
        kernel.fresh(job.name)
        extra = {"km": kernel.km, "kc": kernel.kc, "engine_name": warm_engine()}
    try:
        # One write at the end, not one per cell (the output is written to a temporary file
        # and swapped in whole anyway).
        pm.execute_notebook(str(source), str(tmp), parameters=job.params, kernel_name=KERNEL,
                            cwd=str(paths.NOTEBOOKS), progress_bar=False, log_output=False,
                            request_save_on_cell_execute=False, autosave_cell_every=0,
                            **extra)
    except Exception as exc:  # noqa: BLE001 - any failure becomes one clear message
        failed = paths.FAILED / job.output.name
        failed.parent.mkdir(parents=True, exist_ok=True)
        if tmp.exists():
            os.replace(tmp, failed)
        raise NotebookFailed(_failure_message(job.name, failed, exc)) from None
    postprocess(tmp, job.title)
    os.replace(tmp, job.output)
    job.record_inputs(fingerprint)
    (paths.FAILED / job.output.name).unlink(missing_ok=True)
    log.write(f"  executed   {job.name} ({time.perf_counter() - started:.1f} s)\n")
    return job.output


def run_jobs(jobs: list[Job], workers: int | None = None, log=sys.stderr) -> list[Job]:
    """Execute the jobs whose inputs changed, on a pool of warm kernels; returns those that ran.

    A job waits for the jobs named in its ``after`` (the summary for the chapters) and is
    checked for staleness only when its turn comes (a chapter that ran again may have
    published the same results). Kernels start only when a job needs one. The first failure
    stops new work, lets running notebooks finish, and is raised.
    """
    names = {j.name for j in jobs}
    upfront = [j for j in jobs if not (set(j.after) & names)]
    stale = [j for j in upfront if not j.is_current()]
    if not stale and len(upfront) == len(jobs):
        return []
    # A kernel per core, but no more kernels than pages known to need one (a one-page change
    # warms one kernel, which then also runs the summary if its inputs changed).
    workers = max(1, min(workers or os.cpu_count() or 1, len(stale) or 1))
    done: set[str] = set()
    claimed: set[str] = set()
    ran: list[Job] = []
    errors: list[BaseException] = []
    cond = threading.Condition()

    def next_job() -> Job | None:
        """The next job whose dependencies are done; None when nothing is left to claim."""
        with cond:
            while not errors:
                waiting = [j for j in jobs if j.name not in claimed]
                if not waiting:
                    return None
                job = next((j for j in waiting if all(d in done or d not in names
                                                      for d in j.after)), None)
                if job is not None:
                    claimed.add(job.name)
                    return job
                cond.wait(timeout=1)
            return None

    def worker() -> None:
        kernel = None
        try:
            while (job := next_job()) is not None:
                if job.before is not None:
                    job.before()
                if not job.is_current():
                    kernel = kernel or Kernel()
                    execute(job, kernel, log)
                    ran.append(job)
                with cond:
                    done.add(job.name)
                    cond.notify_all()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            with cond:
                errors.append(exc)
                cond.notify_all()
        finally:
            if kernel is not None:
                kernel.shutdown()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return ran


# ---------------------------------------------------------------- CLI
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dibtrends.pipeline")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check-params", help="check reports/params.yaml against every chapter")
    p_run = sub.add_parser("run", help="execute the notebooks whose inputs changed")
    p_run.add_argument("names", nargs="*", help="notebooks or pages (default: all)")
    p_run.add_argument("--allies", nargs="*", help="profiles to run (default: all 32)")
    p_run.add_argument("--workers", type=int, default=None)
    p_report = sub.add_parser("report", help="run, then render the report")
    p_report.add_argument("--workers", type=int, default=None)
    sub.add_parser("render", help="render the executed notebooks (Quarto or preview)")
    args = parser.parse_args(argv)
    from .lock import exclusive

    try:
        with exclusive(f"pipeline {args.command}"):
            return dispatch(args)
    except DibtrendsError as exc:
        print(f"\ndibtrends {args.command}: error: {exc}", file=sys.stderr)
        return 2


def dispatch(args: argparse.Namespace) -> int:
    from .nbtools import sync

    sync()
    if args.command == "check-params":
        check_against_data(effective_params())
        return 0
    if args.command in ("run", "report"):
        names = getattr(args, "names", None) or None
        allies = getattr(args, "allies", None)
        if allies and names is None:
            names = [f"profile_{a}" for a in allies]
        values = effective_params()
        jobs = plan(only=names, allies=allies, values=values)
        if not run_jobs(jobs, workers=args.workers):
            print("  notebooks  up to date", file=sys.stderr)
        if args.command == "run":
            return 0
    from .render import render

    return render()


if __name__ == "__main__":
    sys.exit(main())
