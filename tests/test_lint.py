"""Code and notebooks as committed: ruff-clean (notebooks included) and notebooks in canonical
form, so a save in JupyterLab without a content change is no diff and no re-run."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from dibtrends import nbtools, paths


def test_ruff_finds_nothing_in_code_tests_and_notebooks():
    ruff = Path(sys.executable).parent / "ruff"
    if not ruff.exists():
        pytest.skip("ruff is not installed in this environment (it is in the dev group)")
    run = subprocess.run([str(ruff), "check", "src", "tests", "notebooks", "scripts"],
                         cwd=paths.ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def _committed(path: Path) -> str:
    """The notebook as git stores it (the working file may hold outputs the filter strips)."""
    if shutil.which("git") is None:
        return path.read_text()
    run = subprocess.run(["git", "show", f"HEAD:{path.relative_to(paths.ROOT)}"],
                         cwd=paths.ROOT, capture_output=True, text=True, check=False)
    return run.stdout if run.returncode == 0 else path.read_text()


@pytest.mark.parametrize("notebook", sorted(paths.NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_committed_notebooks_are_canonical(notebook):
    assert nbtools.is_canonical(_committed(notebook)), (
        f"{notebook.name} was committed with outputs or editor metadata; `make setup` installs "
        "the git filter that strips them, or run `python -m dibtrends notebooks normalise`")


def test_a_jupyterlab_save_normalises_to_the_committed_text():
    source = paths.NOTEBOOKS / "02_equipment_spending.ipynb"
    nb = nbformat.read(source, as_version=4)
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7",
                                    "codemirror_mode": {"name": "ipython", "version": 3}}
    nb.metadata["kernelspec"]["display_name"] = "Python 3"
    nb.cells[1].execution_count = 4
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="x\n")]
    nb.cells[1].metadata["collapsed"] = True
    assert nbtools.canonical_text(nbformat.writes(nb)) == source.read_text()


def test_the_git_filter_is_declared_for_notebooks():
    attributes = (paths.ROOT / ".gitattributes").read_text()
    assert "notebooks/*.ipynb filter=dibtrends-notebook" in attributes
    script = (paths.ROOT / "scripts" / "git-notebook-filter.sh").read_text()
    assert "dibtrends notebooks clean" in script


# ---------------------------------------------------------------- the shape of the package
MAX_MODULE_LINES, MAX_FUNCTION_LINES = 450, 80


def _modules() -> dict[str, Path]:
    root = paths.PACKAGE.parent
    return {".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__"): p
            for p in sorted(paths.PACKAGE.rglob("*.py"))}


def _top_level_imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules ``name`` imports when it is imported (not inside functions)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.If):  # `if TYPE_CHECKING:` blocks import nothing at run time
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            found |= {base, *(f"{base}.{a.name}" for a in node.names)}
    return {m for m in found if m in known and m != name}


def test_no_module_or_function_is_over_the_limits():
    too_long = []
    for name, path in _modules().items():
        text = path.read_text()
        if len(text.splitlines()) > MAX_MODULE_LINES:
            too_long.append(f"{name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{name}.{node.name}: {length} lines")
    assert not too_long, ("split these (modules <= 450 lines, functions <= 80): "
                          + "; ".join(too_long))


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (module -> modules it imports), or None."""
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                return trail + [node, dep]
            if dep not in state and (cycle := visit(dep, trail + [node])):
                return cycle
        state[node] = 2
        return None

    return next((c for start in graph if start not in state and (c := visit(start, []))), None)


def test_the_package_has_no_import_cycles():
    modules = _modules()
    graph = {n: _top_level_imports(n, p, set(modules)) for n, p in modules.items()}
    # a package's __init__ is imported with its submodules: that edge is not a cycle
    graph = {n: {m for m in deps if not n.startswith(m + ".")} for n, deps in graph.items()}
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_shape_checks_can_fail(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("from . import n\n")
    assert _top_level_imports("dibtrends.m", path, {"dibtrends.n"}) == {"dibtrends.n"}
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
