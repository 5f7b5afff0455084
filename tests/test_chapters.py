"""Every chapter, generically: its numbers at the defaults match the committed baseline, it
reads only the tables it declares, every parameter's example values build a chapter whose
summary says so, and every parameter's invalid values stop with the name and what is allowed.

Chapter-specific claims (2.04x, 3 Allies at 2 %, ...) are pinned in ``test_claims_*.py``.
"""

from __future__ import annotations

import json
import math

import pytest

from dibtrends import chapters, data, nbtools, params, paths, pipeline, results
from dibtrends.errors import ParameterError

from .chapter_runs import (chapter_record, default_records, example_cases, existing,
                          invalid_cases)

PAGES = existing([n for n in chapters.MODULES if n not in (chapters.SUMMARY,)])


@pytest.mark.parametrize("name", list(chapters.MODULES))
def test_every_registered_chapter_has_its_module_and_notebook(name):
    assert existing([name]), f"src/dibtrends/chapters/{chapters.MODULES[name]}.py is missing"
    assert (paths.NOTEBOOKS / f"{name}.ipynb").exists()


@pytest.mark.parametrize("name", [n for n in PAGES if nbtools.baseline_path(n).exists()])
def test_headline_numbers_match_the_committed_baseline(name, processed):
    """A changed number fails here; after an intended change run `make bless` and commit."""
    got = {(b["key"], json.dumps(b["fields"], sort_keys=True)): b
           for b in results.baseline(chapter_record(name))}
    want = {(b["key"], json.dumps(b["fields"], sort_keys=True)): b
            for b in json.loads(nbtools.baseline_path(name).read_text())}
    assert sorted(got) == sorted(want), "headline keys or fields changed"
    for ident, expected in want.items():
        value = got[ident]["value"]
        if expected["value"] is None:
            assert value is None, ident
        else:  # rounding noise only: the inputs are fixed files
            assert value == pytest.approx(expected["value"], rel=1e-9, abs=1e-12), ident
        assert got[ident]["display"] == expected["display"], ident


@pytest.mark.parametrize("name", chapters.ANALYSES)
def test_every_analysis_has_a_baseline(name):
    assert nbtools.baseline_path(name).exists(), f"no baseline for {name}: run `make bless`"


@pytest.mark.parametrize("name", PAGES)
def test_chapter_reads_only_the_tables_it_declares(name, processed):
    data.READ_LOG.clear()
    chapter_record(name, fresh=True)
    declared = set(getattr(chapters.module(name), "READS", ()))
    assert data.READ_LOG <= declared, (
        f"{name} read {sorted(data.READ_LOG - declared)} without declaring it in READS: the "
        "pipeline would not re-run it when that table changes")


@pytest.mark.parametrize("name", existing(chapters.MODULES))
def test_notebook_parameters_cell_matches_the_chapter_defaults(name):
    cell = pipeline.parameters_cell(paths.NOTEBOOKS / f"{name}.ipynb")
    cell = {k: v for k, v in cell.items() if k not in pipeline.PIPELINE_PARAMS}
    defaults = chapters.module(name).Params.defaults()
    assert cell == {k: params._plain(v) for k, v in defaults.items()}, (
        f"notebooks/{name}.ipynb's parameters cell and {name}'s Params defaults differ")


@pytest.mark.parametrize("name,param,value", example_cases(), ids=str)
def test_every_parameter_example_builds_and_the_summary_says_so(name, param, value, processed):
    from dibtrends.chapters import summary
    from dibtrends.prose.summary import describe_params

    record = chapter_record(name, **{param: value})
    assert record.params[param] == params._plain(value)
    assert param in record.changed_params()
    if name not in chapters.ANALYSES:
        return
    records = default_records() | {name: record}
    result = summary.summarise(records)
    described = describe_params(record)
    spec = chapters.module(name).Params.specs()[param]
    shown = params.word(value, spec.metadata["none_means"], spec.metadata["value_words"])
    assert f"**{shown}**" in described, described
    assert record.title in result.text["built_with"]
    assert result.tables["parameters"].frame.filter(chapter=record.title)["built_with"].item() \
        == described


@pytest.mark.parametrize("name,param,value", invalid_cases(), ids=str)
def test_every_invalid_parameter_value_stops_with_the_allowed_values(name, param, value,
                                                                    processed):
    mod = chapters.module(name)
    with pytest.raises(ParameterError) as err:
        p = mod.Params.from_mapping({param: value}, f"test {name}")
        p.check_data()
    message = str(err.value)
    assert param in message and ("allowed" in message or "valid" in message), message


def test_every_parameter_has_an_example_and_an_invalid_value():
    missing = [f"{n}.{p}" for n in existing(chapters.MODULES)
               for p, spec in chapters.module(n).Params.specs().items()
               if not spec.metadata["examples"] or not spec.metadata["invalid"]]
    assert not missing, f"parameters without sweep values: {missing}"


def test_no_nan_in_published_headlines(processed):
    for name in existing(chapters.ANALYSES):
        for h in chapter_record(name).headlines:
            assert h.value is None or not math.isnan(h.value), (name, h.key)
