"""The summary's verdicts follow the numbers: fixture headlines (tiny dicts built here, not data
the report uses) move a value across its threshold and the verdict must change with it."""

from __future__ import annotations

import pytest

from dibtrends import claims


def _h(**values) -> dict[str, dict]:
    return {k: {"value": float(v) if not isinstance(v, tuple) else float(v[0]),
                "display": str(v if not isinstance(v, tuple) else v[0]),
                "note": "" if not isinstance(v, tuple) else v[1], "label": k, "unit": ""}
            for k, v in values.items()}


def test_equipment_doubling_holds_only_in_current_prices_when_constant_is_below_two():
    h = _h(equipment_ratio_2024_2014_current=2.04, equipment_ratio_2024_2014_constant2015=1.68,
           equipment_ratio_2024_2014_current_fixed_allies=1.999)
    row = claims.claim_equipment_doubling(h)
    assert row["verdict"] == claims.CONDITIONAL
    assert "only in current" in row["condition"] and "just short of twice" in row["condition"]


@pytest.mark.parametrize("cur,const,verdict", [(2.1, 2.05, claims.REPRODUCED),
                                               (1.9, 1.7, claims.NOT_SUPPORTED)])
def test_equipment_doubling_verdict_moves_with_the_ratios(cur, const, verdict):
    h = _h(equipment_ratio_2024_2014_current=cur, equipment_ratio_2024_2014_constant2015=const,
           equipment_ratio_2024_2014_current_fixed_allies=cur)
    assert claims.claim_equipment_doubling(h)["verdict"] == verdict


def test_three_allies_at_two_percent_needs_exactly_that_set():
    good = _h(pledge_allies_2pct_2014=(3, "Greece, United Kingdom, United States"))
    bad = _h(pledge_allies_2pct_2014=(3, "Greece, United Kingdom, Poland"))
    assert claims.claim_three_at_two_percent(good)["verdict"] == claims.REPRODUCED
    assert claims.claim_three_at_two_percent(bad)["verdict"] == claims.NOT_SUPPORTED


def test_seven_of_ten_cannot_be_checked_before_2024_and_is_judged_from_2024():
    older = _h(industry_nato_in_top_k_end=6, industry_data_end_year=2023)
    assert claims.claim_seven_of_ten(older)["verdict"] == claims.NOT_CHECKABLE
    newer = _h(industry_nato_in_top_k_end=7, industry_data_end_year=2024)
    assert claims.claim_seven_of_ten(newer)["verdict"] == claims.REPRODUCED


def test_sixty_years_conditional_when_only_the_simple_mean_turns_in_2014():
    h = _h(nato_mean_trough=1.37, nato_mean_trough_year=2014, break_weighted=1998,
           break_weighted_p=0.002, break_mean=2014, break_mean_p=0.002,
           nato_share_trough=2.40, nato_share_trough_year=2017)
    row = claims.claim_sixty_years(h)
    assert row["verdict"] == claims.CONDITIONAL and "1998" in row["condition"]


def test_missing_headline_names_the_key_and_the_fix():
    with pytest.raises(claims.MissingHeadline, match="equipment_ratio_2024_2014_current.*make report"):
        claims.claim_equipment_doubling({})
