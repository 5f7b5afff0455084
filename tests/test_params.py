"""reports/params.yaml and the pipeline's parameter checks: overrides only, shared parameters
set once, every mistake stopped before any kernel starts with the name and what is allowed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from dibtrends import chapters, params, paths, pipeline
from dibtrends.errors import ParameterError

COMMENTED = re.compile(r"^\s+#\s*(\w+):\s*(.*?)\s*(?:#.*)?$")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "params.yaml"
    path.write_text(text)
    return path


def _commented_defaults() -> dict[str, dict[str, object]]:
    """The parameters params.yaml documents (commented out), per section."""
    out: dict[str, dict[str, object]] = {}
    section = None
    for line in paths.PARAMS_FILE.read_text().splitlines():
        if re.match(r"^[\w]+:\s*$", line):
            section = line.rstrip(":").strip()
            out[section] = {}
        elif section and (m := COMMENTED.match(line)):
            out[section][m.group(1)] = yaml.safe_load(m.group(2))
    return out


def test_params_file_documents_every_parameter_with_its_default():
    documented = _commented_defaults()
    for name in chapters.MODULES:
        cls = chapters.module(name).Params
        own = {k: v for k, v in cls.defaults().items()
               if k not in cls.shared_names()
               and k not in getattr(chapters.module(name), "PIPELINE_SET", ())}
        assert documented.get(name, {}) == {k: params._plain(v) for k, v in own.items()}, name
        for shared in cls.shared_names():
            assert documented["shared"][shared] == cls.defaults()[shared]


def test_committed_params_file_overrides_nothing():
    """The committed report is the default report: every value in the file is commented."""
    values = pipeline.read_params_file()
    assert all(not section for section in values.values()), values


def test_shared_parameters_reach_every_notebook_that_takes_them(tmp_path):
    path = _write(tmp_path, "shared:\n  target_share_pct: 3.0\n  target_year: 2030\n")
    values = pipeline.effective_params(path)
    takers = [n for n in chapters.MODULES
              if "target_share_pct" in chapters.module(n).Params.shared_names()]
    assert set(takers) >= {"04_guidelines_and_pledge", "country_profile"}
    for name in takers:
        assert values[name]["target_share_pct"] == 3.0 and values[name]["target_year"] == 2030


def test_a_shared_parameter_set_under_one_notebook_is_refused(tmp_path):
    path = _write(tmp_path, "04_guidelines_and_pledge:\n  target_share_pct: 3.0\n")
    with pytest.raises(ParameterError, match="set it once under `shared:`"):
        pipeline.effective_params(path)


@pytest.mark.parametrize("text,words", [
    ("02_equipment_spending:\n  base_yaer: 2016\n", ["base_yaer", "base_year"]),
    ("02_equipment_spendin:\n  base_year: 2016\n", ["02_equipment_spendin", "sections are"]),
    ("shared:\n  target_pct: 3\n", ["target_pct", "target_share_pct"]),
    ("country_profile:\n  country: XXX\n", ["country", "make profile ALLY="]),
    ("02_equipment_spending:\n  output_dir: /tmp\n", ["output_dir", "set by the pipeline"]),
    ("02_equipment_spending: [1, 2]\n", ["must be a mapping"]),
    ("02_equipment_spending:\n base_year: 2016\n  end_year: 2020\n", ["not valid YAML"]),
    ("03_industry_consolidation:\n  top_k: 5.5\n", ["top_k", "whole number"]),
])
def test_mistakes_in_the_params_file_name_the_parameter_and_the_fix(tmp_path, text, words):
    with pytest.raises(ParameterError) as err:
        pipeline.effective_params(_write(tmp_path, text))
    message = str(err.value)
    for word in words:
        assert word in message, message
    assert not message.rstrip().endswith(".."), message


def test_a_value_outside_the_data_is_caught_before_any_kernel_starts(tmp_path, processed):
    values = pipeline.effective_params(_write(tmp_path, "02_equipment_spending:\n"
                                                        "  base_year: 1990\n"))
    with pytest.raises(ParameterError, match=r"base_year=1990 is outside the data; allowed: "
                                             r"2014 to 2024"):
        pipeline.check_against_data(values)


def test_an_unknown_ally_for_a_single_profile_names_the_valid_codes(processed):
    with pytest.raises(ParameterError, match="XXX.*valid codes: ALB"):
        pipeline.plan(allies=["XXX"])


def test_parameter_description_flags_changed_values():
    from dibtrends.chapters import equipment

    assert equipment.Params().describe().startswith("Built with the default parameters")
    text = equipment.Params(base_year=2016, price_basis="current").describe()
    assert "2 parameters changed" in text
    assert "base year: **2016** (default: 2014)" in text
    assert "**current US$** (default: constant 2015 US$)" in text


def test_declared_choices_and_bounds_are_checked_and_whole_numbers_kept_whole():
    """``param(choices=, bounds=, whole=)`` is checked for every chapter; YAML's 2000.0 for a
    whole-number parameter arrives as 2000, and None passes only where it is the default."""
    from dibtrends.chapters import minerals, revisions

    assert revisions.Params(start_year=2000.0, top100_year=None).start_year == 2000
    assert isinstance(revisions.Params(start_year=2000.0).start_year, int)
    with pytest.raises(ParameterError, match="minerals=None is not allowed; allowed values"):
        minerals.Params(minerals=None)
    with pytest.raises(ParameterError, match="threshold_pct=None must be a number"):
        revisions.Params(threshold_pct=None)


def test_a_parameters_cell_with_a_computed_value_is_refused_with_the_fix(tmp_path):
    import nbformat

    cell = nbformat.v4.new_code_cell("start_year = 1949\nend_year = max(2020, start_year)",
                                     metadata={"tags": ["parameters"]})
    path = tmp_path / "01_long_run_spending.ipynb"
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nbformat.v4.new_notebook(cells=[cell], metadata=kernel), path)
    with pytest.raises(ParameterError, match="end_year is not a literal value.*numbers, strings"):
        pipeline.parameters_cell(path)
    cell.source = "start_year = 1960  # first year\ngroups = ('NATO total', 'United States')"
    nbformat.write(nbformat.v4.new_notebook(cells=[cell], metadata=kernel), path)
    assert pipeline.parameters_cell(path) == {"start_year": 1960,
                                              "groups": ("NATO total", "United States")}
