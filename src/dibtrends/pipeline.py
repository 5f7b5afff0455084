"""What a report build runs: parameters checked, then one job per page, each knowing what it
reads so that only pages whose inputs changed run again (:mod:`dibtrends.kernels` runs them).

``reports/params.yaml`` holds overrides only: a notebook's own parameters cell gives its
defaults, a value in the file replaces one, a value under ``shared:`` reaches every notebook
that takes it; every value is checked by the chapter's ``Params``, data ranges included, before
any kernel starts. Each executed page records the content hash of what it read (its notebook in
canonical form, its parameters, the modules it imports, its tables, the lock file): by content,
not by Make's file times (``docs/ARCHITECTURE.md`` says why).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import json
import modulefinder
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import chapters, nbtools, paths
from .errors import ParameterError
from .report import PAGE_MANIFESTS, written_by

#: Injected into every notebook by the pipeline, never set in params.yaml.
PIPELINE_PARAMS = ("output_dir", "processed_dir")


# ---------------------------------------------------------------- parameters
def parameters_cell(notebook: Path) -> dict[str, Any]:
    """The defaults in a notebook's ``parameters`` cell, as Papermill reads them (literal values
    only: the pipeline compares and injects them)."""
    import papermill as pm

    values = {}
    for name, found in pm.inspect_notebook(nbtools.canonical(notebook)).items():
        try:
            values[name] = ast.literal_eval(found["default"])
        except (ValueError, SyntaxError):
            raise ParameterError(
                f"notebook {paths.relative(notebook)}: parameter {name} is not a literal value; "
                "the parameters cell may hold only names set to numbers, strings, lists, "
                "True/False or None.") from None
    return values


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


def effective_params(params_file: Path = paths.PARAMS_FILE) -> dict[str, dict]:
    """notebook -> the values it runs with (defaults from its cell, then overrides), checked
    by its chapter's ``Params`` class without data. ``output_dir``/``processed_dir`` excluded."""
    where = paths.relative(params_file)
    overrides = read_params_file(params_file)
    shared = overrides.pop("shared")
    shared_names = set().union(*(chapters.module(n).Params.shared_names()
                                 for n in chapters.MODULES))
    if unknown := sorted(set(shared) - shared_names):
        raise ParameterError(f"{where}: shared parameter(s) {', '.join(unknown)} are taken "
                             f"by no notebook; shared parameters are: "
                             f"{', '.join(sorted(shared_names)) or '(none)'}.")
    out = {}
    for name, section in overrides.items():
        params_cls = chapters.module(name).Params
        if misplaced := sorted(set(section) & params_cls.shared_names()):
            raise ParameterError(f"{where}: {', '.join(misplaced)} is shared by several notebooks; "
                                 f"set it once under `shared:` instead of under {name}.")
        pipeline_set = {*PIPELINE_PARAMS, *getattr(chapters.module(name), "PIPELINE_SET", ())}
        if reserved := sorted(set(section) & pipeline_set):
            raise ParameterError(f"{where}: {name}: {', '.join(reserved)} is set by the pipeline, "
                                 "not in this file (for one Ally's profile run `make profile "
                                 "ALLY=POL`).")
        cell = {k: v for k, v in parameters_cell(paths.NOTEBOOKS / f"{name}.ipynb").items()
                if k not in PIPELINE_PARAMS}
        values = cell | {k: v for k, v in shared.items() if k in params_cls.specs()} | section
        params_cls.from_mapping(values, f"{where}: {name}")
        out[name] = values
    return out


def check_against_data(values: dict[str, dict], processed_dir: Path | None = None) -> None:
    """The checks that need the data (years inside the series), before any kernel starts;
    profiles are checked per Ally when their jobs are made."""
    for name, v in values.items():
        if not getattr(chapters.module(name), "PIPELINE_SET", ()):
            chapters.module(name).Params.from_mapping(v, name).check_data(processed_dir)


# ---------------------------------------------------------------- inputs and staleness
def page_modules(notebook: Path, module: str) -> list[Path]:
    """The files of every dibtrends module that ``module`` and the notebook's code cells import
    (the standard library's modulefinder, searching the package's own folder only)."""
    finder = modulefinder.ModuleFinder(path=[str(paths.PACKAGE.parent)])
    finder.import_hook(module)
    page = finder.add_module("__main__")
    for cell in nbtools.canonical(notebook).cells:
        code = "\n".join(ln for ln in cell.source.splitlines()
                         if not ln.lstrip().startswith(("%", "!")))  # IPython magics
        if cell.cell_type == "code":
            with contextlib.suppress(SyntaxError):
                finder.scan_code(compile(code, notebook.name, "exec"), page)
    return sorted({Path(m.__file__) for m in finder.modules.values() if m.__file__})


def file_digest(path: Path) -> str:
    stat = path.stat()
    return _digest(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4096)
def _digest(path: Path, mtime_ns: int, size: int) -> str:
    """sha256 of a file (a notebook's in canonical form), cached per version (the same module
    is an input of many pages)."""
    if path.suffix == ".ipynb":
        return hashlib.sha256(nbtools.canonical_text(path.read_text()).encode()).hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
        return paths.STAMPS / f"{self.name}.json"

    def fingerprint(self) -> dict[str, Any]:
        return {"params": self.params, "title": self.title,
                "state": self.state() if self.state else {},
                "inputs": {paths.relative(p): file_digest(p) if p.exists() else "missing"
                           for p in self.inputs}}

    def is_current(self) -> bool:
        """Nothing it reads changed, and the CSVs it wrote in its last run are all still there
        (a page whose chart data went missing runs again instead of linking to nothing)."""
        tables = paths.output_dir(self.params.get("output_dir")) / paths.TABLES_SUBDIR
        written = written_by(tables, self.name)
        if not (self.output.exists() and self.stamp.exists() and written is not None
                and all((tables / n).exists() for n in written)):
            return False
        try:
            return json.loads(self.stamp.read_text()) == self.fingerprint()
        except ValueError:
            return False


def chapter_inputs(name: str, processed_dir: Path) -> list[Path]:
    """What a chapter's page depends on: its notebook, the modules it and its chapter module
    import, the processed tables and other files the chapter module declares, the source
    registry (editions are quoted on every page) and the lock file."""
    notebook = paths.NOTEBOOKS / f"{name}.ipynb"
    mod = chapters.module(name)
    tables = [processed_dir / f"{t}.parquet" for t in getattr(mod, "READS", ())]
    return [notebook, *page_modules(notebook, mod.__name__), *tables,
            *map(Path, getattr(mod, "READS_FILES", ())), paths.SOURCES_FILE, paths.LOCK_FILE]


def profile_jobs(values: dict[str, dict], allies: Iterable[str] | None, processed: Path,
                 injected: dict[str, str]) -> list[Job]:
    """One job per Ally (all 32 unless ``allies`` names some), each checked like a chapter."""
    from . import data

    table = data.table("nato_membership", processed)
    names = dict(zip(table["iso3"].to_list(), table["country"].to_list(), strict=True))
    codes = sorted(names) if allies is None else list(allies)
    if unknown := sorted(set(codes) - set(names)):
        raise ParameterError(f"profiles: unknown Ally code(s) {', '.join(unknown)}; valid codes: "
                             f"{', '.join(sorted(names))}.")
    mod = chapters.module(chapters.PROFILE)
    inputs = chapter_inputs(chapters.PROFILE, processed) if codes else []
    jobs = []
    for code in codes:
        params = values[chapters.PROFILE] | {"country": code}
        mod.Params.from_mapping(params, f"profile {code}").check_data(processed)
        jobs.append(Job(f"profile_{code}", chapters.PROFILE,
                        paths.PROFILES_DIR / f"profile_{code}.ipynb", params | injected,
                        inputs, title=mod.page_title(names[code])))
    return jobs


def prune_tables(tables: Path, pages: list[str]) -> None:
    """Delete chart and table CSVs that no current page wrote in its latest run (a renamed
    table, a page that no longer exists), so the site offers only data it shows."""
    keep = set().union(*(written_by(tables, page) or () for page in pages))
    for csv in tables.glob("*.csv"):
        if csv.name not in keep:
            csv.unlink()
    for manifest in (tables / PAGE_MANIFESTS).glob("*.json"):
        if manifest.stem not in pages:
            manifest.unlink()


def plan(only: Iterable[str] | None = None, allies: Iterable[str] | None = None,
         processed_dir: Path | None = None, output_dir: Path | None = None,
         values: dict[str, dict] | None = None) -> list[Job]:
    """Every job of a report build, parameters checked: the chapters, the profiles, the summary
    (after the chapters, whose results it reads), the sources page (after every page)."""
    processed = paths.processed_dir(processed_dir)
    output = paths.output_dir(output_dir)
    values = values if values is not None else effective_params()
    check_against_data(values, processed)
    injected = {"output_dir": str(output), "processed_dir": str(processed)}

    def job(name: str, **extra) -> Job:
        return Job(name, name, paths.EXECUTED / f"{name}.ipynb", values[name] | injected,
                   chapter_inputs(name, processed), **extra)

    own_pages = [n for n in chapters.MODULES
             if n not in (chapters.SUMMARY, chapters.SOURCES_PAGE, chapters.PROFILE)]
    jobs = [*map(job, own_pages), *profile_jobs(values, allies, processed, injected)]
    summary = job(chapters.SUMMARY, after=chapters.ANALYSES)
    summary.inputs += [output / paths.RESULTS_SUBDIR / f"{a}.json" for a in chapters.ANALYSES]
    jobs.append(summary)
    # The sources page lists every page's chart data (the CSVs but its own): it runs last,
    # after stale CSVs are gone (only in a full build: a partial one does not know every
    # page's files).
    tables = output / paths.TABLES_SUBDIR
    pages = [j.name for j in jobs]

    def listed() -> dict[str, Any]:
        own = written_by(tables, chapters.SOURCES_PAGE) or set()
        return {"tables": sorted(p.name for p in tables.glob("*.csv") if p.name not in own)}

    jobs.append(job(chapters.SOURCES_PAGE, after=tuple(pages), state=listed,
                    before=(lambda: prune_tables(tables, [*pages, chapters.SOURCES_PAGE]))
                    if only is None else None))
    if only is not None:
        wanted = set(only)
        jobs = [j for j in jobs if j.name in wanted or j.notebook in wanted]
    return jobs
