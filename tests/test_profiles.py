"""The country profile: a bad code fails at once with the valid codes; the profile's numbers."""

from __future__ import annotations

import papermill as pm
import polars as pl
import pytest

from dibtrends import data, paths, pipeline, profile
from dibtrends.errors import ParameterError

NOTEBOOK = paths.NOTEBOOKS / "country_profile.ipynb"


@pytest.fixture(scope="module")
def processed(raw_dir):
    from dibtrends.build import build

    if not (paths.PROCESSED / "nato_defexp.parquet").exists():
        build()
    return paths.PROCESSED


def test_invalid_country_parameter_fails_with_the_valid_codes(processed, tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(str(NOTEBOOK), str(tmp_path / "out.ipynb"), kernel_name="python3",
                            parameters={"country": "XXX", "output_dir": str(tmp_path)},
                            cwd=str(paths.NOTEBOOKS), progress_bar=False)
    message = str(err.value)
    assert "ParameterError" in message and "country" in message and "'XXX'" in message
    assert "USA" in message and "MKD" in message  # the list of valid codes


def test_profiles_refuse_unknown_codes_before_starting_a_kernel():
    with pytest.raises(ParameterError, match="valid codes: ALB, BEL"):
        pipeline.execute_profiles(["ZZZ"])


def test_united_states_profile_numbers(processed):
    nato = data.table("nato_defexp")
    membership = data.table("nato_membership")
    series = profile.nato_series(nato, "USA")
    assert series["year"].to_list() == list(range(2014, 2025))
    split = profile.category_split(nato, "USA")
    by_year = split.group_by("year").agg(pl.col("share_pct").sum())
    assert by_year["share_pct"].min() == pytest.approx(100, abs=0.5)  # categories add to 100 %
    gap = profile.pledge_row(nato, membership, "USA", target_share_pct=3.5, target_year=2035)
    latest = series.filter(pl.col("year") == 2024)["share_gdp_pct"].item()
    assert gap["gap_pp"].item() == pytest.approx(3.5 - latest)


def test_iceland_profile_says_there_is_no_nato_expenditure(processed):
    nato = data.table("nato_defexp")
    sentence = profile.summary_sentence("Iceland", profile.nato_series(nato, "ISL"), pl.DataFrame())
    assert "no defence expenditure" in sentence
