"""What the render steps share: the executed pages in reading order, their titles, and the
staging folders each step renders into (a failed render never touches ``reports/_output``)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

from .. import paths
from ..errors import DibtrendsError


class RenderFailed(DibtrendsError):
    pass


def pages() -> list[Path]:
    """Executed notebooks in reading order: summary, analyses, sources, then the profiles
    (alphabetical by the Ally's name)."""
    main = sorted(paths.EXECUTED.glob("[0-9][0-9]_*.ipynb"))
    return main + [path for path, _ in profile_pages()]


def page_title(nb_path: Path) -> str:
    """The first level-1 heading of an executed notebook (its title on the site)."""
    import nbformat

    for cell in nbformat.read(nb_path, as_version=4).cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            return cell.source.partition("\n")[0][2:].split(" {")[0].strip()
    return nb_path.stem


def profile_pages() -> list[tuple[Path, str]]:
    found = [(p, page_title(p)) for p in paths.PROFILES_DIR.glob("profile_*.ipynb")]
    return sorted(found, key=lambda item: item[1])


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def mirror(files: dict[str, bytes | Path], stage: Path, keep: tuple[str, ...] = ()) -> set[str]:
    """Make ``stage`` hold exactly ``files`` (relative name -> content or source file), writing
    only what changed, and deleting what is no longer listed (except under ``keep``). Returns
    the names whose content changed: what an incremental render must redo."""
    changed = set()
    for rel, content in files.items():
        data = content.read_bytes() if isinstance(content, Path) else content
        target = stage / rel
        if not (target.exists() and target.read_bytes() == data):
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.part")
            tmp.write_bytes(data)
            os.replace(tmp, target)
            changed.add(rel)
    for path in stage.rglob("*"):
        rel = str(path.relative_to(stage))
        if path.is_file() and rel not in files and not rel.startswith(keep):
            path.unlink()
    return changed


def quarto(exe: str, args: list[str], cwd: Path, what: str) -> None:
    """Run Quarto quietly; on failure raise with the lines of its output that name the error
    (Quarto reports Typst's errors as ordinary messages, which ``--quiet`` would hide)."""
    run = subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True)
    if run.returncode != 0:
        said = [ln.strip() for ln in (run.stdout + run.stderr).splitlines() if ln.strip()]
        lines = [ln for ln in said
                 if re.search(r"error|unable|not found|invalid|does not exist", ln, re.I)]
        lines = lines or said[-2:]
        raise RenderFailed(f"quarto could not render {what} (exit {run.returncode}): "
                           f"{' | '.join(lines[-6:]) or 'no message'}. The last good "
                           "reports/_output was kept.")


def swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` in two renames: a reader never sees half a site."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


__all__ = ["RenderFailed", "pages", "page_title", "profile_pages", "digest", "mirror",
           "quarto", "swap_in"]
