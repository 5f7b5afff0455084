"""environment.yml (conda users) must install what pyproject.toml declares, at locked versions."""

from __future__ import annotations

import re
import tomllib

import yaml

from dibtrends import paths


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~ ;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _locked_versions() -> dict[str, set[str]]:
    lock = tomllib.loads((paths.ROOT / "uv.lock").read_text())
    found: dict[str, set[str]] = {}
    for package in lock["package"]:
        found.setdefault(package["name"].lower(), set()).add(package.get("version", ""))
    return found


def _conda_pins() -> dict[str, str]:
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    pins = {}
    for item in pip:
        if item.startswith("-e"):
            continue
        name, _, version = item.partition("==")
        pins[_name(name)] = version
    return pins


def test_every_runtime_dependency_is_in_environment_yml_at_the_locked_version():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in project["dependencies"]}
    pins, locked = _conda_pins(), _locked_versions()
    missing = declared - set(pins)
    assert not missing, f"add to environment.yml pip section: {sorted(missing)}"
    for name, version in pins.items():
        assert version in locked.get(name, set()), (
            f"environment.yml pins {name}=={version}; uv.lock has {sorted(locked.get(name, []))}")


def test_environment_yml_installs_the_project_and_quarto():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert any(isinstance(d, str) and d.startswith("quarto") for d in deps)
    assert any(isinstance(d, str) and d.startswith("python=3.11") for d in deps)
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-e ." in pip


def test_ci_runs_the_readme_test_command():
    readme = (paths.ROOT / "README.md").read_text()
    ci = (paths.ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make report" in readme
    assert re.search(r"^\s*make test\b", ci, re.M), ".ci/run must call the README's `make test`"
