"""The report pipeline behind ``make report``: parameters -> Papermill -> Quarto (or preview).

Notebooks are executed once, here, by Papermill; Quarto only renders the executed notebooks.
Every step writes to a temporary path and swaps it in only on success, so a failed run exits
non-zero, names the notebook and cell that failed, and leaves the last good output in place.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from . import paths
from .errors import DibtrendsError, ParameterError

PARAMS_FILE = paths.REPORTS / "params.yaml"
GENERATED = paths.REPORTS / "generated"
PARAMS_DIR = GENERATED / "params"
EXECUTED = paths.REPORTS / "executed"
PROFILES_DIR = EXECUTED / "profiles"
OUTPUT = paths.REPORTS / "_output"
FAILED = paths.REPORTS / "failed"
KERNEL = "python3"
PROFILE_NOTEBOOK = "country_profile"
HIDDEN_TAGS = {"parameters", "injected-parameters"}


class NotebookFailed(DibtrendsError):
    """A notebook raised during execution: names the notebook, cell and error."""


# ---------------------------------------------------------------- parameters
def notebook_names() -> list[str]:
    return sorted(p.stem for p in paths.NOTEBOOKS.glob("*.ipynb"))


def read_params(params_file: Path = PARAMS_FILE) -> dict[str, dict]:
    """The parameters file, checked: every section names an existing notebook."""
    try:
        data = yaml.safe_load(params_file.read_text()) or {}
    except FileNotFoundError:
        raise ParameterError(f"parameters file {params_file} is missing; restore it from git.") from None
    except yaml.YAMLError as exc:
        raise ParameterError(f"parameters file {params_file} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ParameterError(f"parameters file {params_file} must map notebook names to parameters.")
    known = notebook_names()
    for name, section in data.items():
        if name not in known:
            raise ParameterError(
                f"parameters file {params_file}: section {name!r} names no notebook; "
                f"notebooks are: {', '.join(known)}."
            )
        if section is not None and not isinstance(section, dict):
            raise ParameterError(f"parameters file {params_file}: section {name!r} must be a mapping.")
    return {name: dict(data.get(name) or {}) for name in known}


def declared_parameters(notebook: Path) -> dict:
    import papermill as pm

    return pm.inspect_notebook(str(notebook))


def check_parameter_names(name: str, params: dict) -> None:
    """Papermill only warns about a parameter the notebook does not declare; we stop."""
    declared = declared_parameters(paths.NOTEBOOKS / f"{name}.ipynb")
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise ParameterError(
            f"{PARAMS_FILE.relative_to(paths.ROOT)}: notebook {name!r} has no parameter(s) "
            f"{', '.join(unknown)}; its parameters are: {', '.join(declared) or '(none)'}."
        )


def write_if_changed(path: Path, text: str) -> bool:
    """Write only when the content differs, so Make sees an unchanged mtime otherwise."""
    if path.exists() and path.read_text() == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".part")
    tmp.write_text(text)
    os.replace(tmp, path)
    return True


def split_params(params_file: Path = PARAMS_FILE, out_dir: Path = PARAMS_DIR) -> list[str]:
    """One file per notebook from the shared parameters file; returns the notebooks changed."""
    changed = []
    for name, params in read_params(params_file).items():
        check_parameter_names(name, params)
        if write_if_changed(out_dir / f"{name}.yaml", yaml.safe_dump(params, sort_keys=True)):
            changed.append(name)
    return changed


# ---------------------------------------------------------------- execution
def default_parameters() -> dict:
    return {"output_dir": str(GENERATED), "processed_dir": str(paths.PROCESSED)}


def _failure_message(name: str, nb_path: Path, exc: Exception) -> str:
    cell, where = None, ""
    try:
        nb = json.loads(nb_path.read_text())
        for index, c in enumerate(nb["cells"]):
            if any(o.get("output_type") == "error" for o in c.get("outputs", [])):
                cell = (index, c)
                break
    except (OSError, ValueError, KeyError):
        pass
    if cell is not None:
        index, c = cell
        first = "".join(c.get("source", "")).strip().splitlines()[:1]
        where = f" in cell {index} (`{first[0][:80] if first else ''}`)"
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    return (
        f"notebook {name}{where} failed: {ename}: {evalue}. The last good executed notebook and "
        f"report were kept. The failed run is saved as {nb_path} for inspection."
    )


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


def postprocess(nb_path: Path) -> None:
    """Prepare an executed notebook for Quarto (which reads ``#|`` cell options).

    The parameters cells are hidden, and every figure's caption is its chart's title as
    computed in this run, so a caption can never state a number the data no longer give.
    """
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if HIDDEN_TAGS & set(cell.metadata.get("tags", [])):
            if not cell.source.startswith("#| include: false"):
                cell.source = "#| include: false\n" + cell.source
        caption = computed_caption(cell)
        if caption and "#| label: fig-" in cell.source:
            lines = [ln for ln in cell.source.splitlines() if not ln.startswith("#| fig-cap:")]
            at = next(i for i, ln in enumerate(lines) if ln.startswith("#| label: fig-")) + 1
            lines.insert(at, "#| fig-cap: " + json.dumps(caption.rstrip(".") + ".", ensure_ascii=False))
            cell.source = "\n".join(lines)
    nbformat.write(nb, nb_path)


def execute(name: str, output: Path, parameters: dict, *, km=None, log=sys.stderr) -> Path:
    """Run ``notebooks/<name>.ipynb`` with Papermill into ``output``, atomically."""
    import papermill as pm

    source = paths.NOTEBOOKS / f"{name}.ipynb"
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output.stem}.", suffix=".ipynb", dir=output.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    params = default_parameters() | parameters
    started = time.perf_counter()
    extra = {"km": km} if km is not None else {}
    try:
        pm.execute_notebook(str(source), str(tmp), parameters=params, kernel_name=KERNEL,
                            cwd=str(paths.NOTEBOOKS), progress_bar=False, **extra)
    except Exception as exc:  # noqa: BLE001 - any failure becomes one clear message
        failed = FAILED / output.name
        failed.parent.mkdir(parents=True, exist_ok=True)
        if tmp.exists():
            os.replace(tmp, failed)
        raise NotebookFailed(_failure_message(name, failed, exc)) from None
    postprocess(tmp)
    os.replace(tmp, output)
    (FAILED / output.name).unlink(missing_ok=True)
    log.write(f"  executed   {name} -> {output.relative_to(paths.ROOT)} "
              f"({time.perf_counter() - started:.1f} s)\n")
    return output


def notebook_params(name: str) -> dict:
    """The parameters `split-params` wrote for one notebook ({} before the first split)."""
    params_file = PARAMS_DIR / f"{name}.yaml"
    return (yaml.safe_load(params_file.read_text()) if params_file.exists() else None) or {}


def execute_from_params(name: str, output: Path | None = None) -> Path:
    return execute(name, output or EXECUTED / f"{name}.ipynb", notebook_params(name))


def ally_names() -> dict[str, str]:
    import polars as pl

    table = pl.read_csv(paths.CURATED / "nato_membership.csv")
    return dict(zip(table["iso3"].to_list(), table["country"].to_list()))


def allies() -> list[str]:
    return sorted(ally_names())


def set_heading(nb_path: Path, title: str) -> None:
    """Give a generic executed notebook (a profile) its own page title: the first heading."""
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            first, _, rest = cell.source.partition("\n")
            cell.source = f"# {title}\n{rest}"
            break
    nbformat.write(nb, nb_path)


def execute_profiles(codes: list[str] | None = None, workers: int = 2) -> list[Path]:
    """Run the country profile for every Ally with Papermill.

    Each worker starts one kernel and runs its share of the Allies in it: the imports (about
    8 s of statsmodels, Altair and pandera) and the processed tables are loaded once per worker,
    not once per Ally. Every run sets all its variables from its parameters, so nothing carries
    over from one Ally to the next but the cached, read-only tables.
    """
    from jupyter_client.manager import KernelManager

    base = notebook_params(PROFILE_NOTEBOOK)
    codes = codes or allies()
    unknown = sorted(set(codes) - set(allies()))
    if unknown:
        raise ParameterError(f"profiles: unknown Ally code(s) {', '.join(unknown)}; "
                             f"valid codes: {', '.join(allies())}.")
    chunks = [codes[i::workers] for i in range(workers)]
    names = ally_names()

    def run_chunk(chunk: list[str]) -> list[Path]:
        km = KernelManager(kernel_name=KERNEL)
        km.start_kernel(cwd=str(paths.NOTEBOOKS))
        try:
            done = []
            for code in chunk:
                out = execute(PROFILE_NOTEBOOK, PROFILES_DIR / f"profile_{code}.ipynb",
                              base | {"country": code}, km=km)
                set_heading(out, f"Ally profile: {names[code]}")
                done.append(out)
            return done
        finally:
            km.shutdown_kernel(now=True)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(run_chunk, [c for c in chunks if c]))
    return [p for chunk in results for p in chunk]


# ---------------------------------------------------------------- CLI
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dibtrends.pipeline")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("split-params")
    p_exec = sub.add_parser("execute")
    p_exec.add_argument("name")
    p_prof = sub.add_parser("profiles")
    p_prof.add_argument("codes", nargs="*")
    sub.add_parser("render")
    args = parser.parse_args(argv)
    try:
        if args.command == "split-params":
            changed = split_params()
            if changed:
                print(f"  parameters changed for: {', '.join(changed)}", file=sys.stderr)
        elif args.command == "execute":
            execute_from_params(args.name)
        elif args.command == "profiles":
            execute_profiles(args.codes or None)
        elif args.command == "render":
            from .render import render

            return render()
    except DibtrendsError as exc:
        print(f"\nmake report: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
