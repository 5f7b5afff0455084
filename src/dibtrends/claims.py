"""Each published claim, checked against the project's headline numbers.

The executive summary is built from this table. A verdict is computed from the numbers, never
typed: if a data update moves a ratio across 2.0 or a count across 7, the verdict changes too.
Claims quote NATO's 2025 Review article on the Allied industrial base and NATO's pages.
"""

from __future__ import annotations

import polars as pl

from .errors import DibtrendsError

REPRODUCED = "Reproduced"
CONDITIONAL = "Holds only under a condition"
NOT_SUPPORTED = "Not supported by the data"
NOT_CHECKABLE = "Cannot be checked with the data at hand"


class MissingHeadline(DibtrendsError):
    pass


def _get(h: dict[str, dict], key: str) -> dict:
    if key not in h:
        raise MissingHeadline(
            f"headline {key!r} is missing from reports/generated/headlines/*.csv; the notebook that "
            "publishes it failed or renamed it. Fix: run `make report` and check that notebook's "
            "headline cell.")
    return h[key]


def v(h: dict[str, dict], key: str) -> float:
    return _get(h, key)["value"]


def d(h: dict[str, dict], key: str) -> str:
    return _get(h, key)["display"]


def note(h: dict[str, dict], key: str) -> str:
    return _get(h, key)["note"] or ""


def claim_equipment_doubling(h) -> dict:
    cur, const = v(h, "equipment_ratio_2024_2014_current"), v(h, "equipment_ratio_2024_2014_constant2015")
    fixed = v(h, "equipment_ratio_2024_2014_current_fixed_allies")
    if cur > 2 and const > 2:
        verdict, condition = REPRODUCED, "in current and in constant prices"
    elif cur > 2:
        verdict = CONDITIONAL
        short = "just short of twice" if fixed < 2 else "above twice"
        condition = (f"only in current US dollars ({cur:.2f}×); in constant 2015 prices the rise is "
                     f"{const:.2f}×, and for the Allies counted in both years it is {fixed:.3f}× "
                     f"({short}) even in current dollars")
    else:
        verdict, condition = NOT_SUPPORTED, f"{cur:.2f}× in current and {const:.2f}× in constant prices"
    return {"claim": "Allies spent more than twice as much on defence equipment in 2024 as in 2014",
            "source": "NATO Review 2025, Graphic 2", "project": f"{cur:.2f}× current, {const:.2f}× constant 2015",
            "verdict": verdict, "condition": condition, "chapter": "02_equipment_spending"}


def claim_three_at_two_percent(h) -> dict:
    names = note(h, "pledge_allies_2pct_2014")
    n = int(v(h, "pledge_allies_2pct_2014"))
    expected = {"Greece", "United Kingdom", "United States"}
    got = {x.strip() for x in names.split(",") if x.strip()}
    verdict = REPRODUCED if got == expected else NOT_SUPPORTED
    return {"claim": "In 2014 only Greece, the United Kingdom and the United States spent 2 % of GDP or more",
            "source": "NATO (2014 Defence Investment Pledge context)", "project": f"{n}: {names}",
            "verdict": verdict, "condition": "NATO definition and tables (June 2024 edition)",
            "chapter": "04_guidelines_and_pledge"}


def claim_fifty_one_to_five(h) -> dict:
    before, after = int(v(h, "industry_dod_primes_before")), int(v(h, "industry_dod_primes_after"))
    verdict = REPRODUCED if (before, after) == (51, 5) else NOT_SUPPORTED
    return {"claim": "The 51 US prime contractors of the end of the Cold War merged into the 'Big Five'",
            "source": "NATO Review 2025", "project": f"{before} → {after} ({note(h, 'industry_dod_primes_before')})",
            "verdict": verdict,
            "condition": "as transcribed from the US DoD's 2022 report (a cited figure, not a dataset); "
                         "the merger timeline in chapter 3 dates each step",
            "chapter": "03_industry_consolidation"}


def claim_seven_of_ten(h) -> dict:
    n, year = int(v(h, "industry_nato_in_top_k_end")), int(v(h, "industry_data_end_year"))
    if year >= 2024:
        verdict = REPRODUCED if n >= 7 else NOT_SUPPORTED
        condition = f"SIPRI Top 100, {year}"
    else:
        verdict = NOT_CHECKABLE
        condition = (f"the SIPRI edition here ends in {year}, when NATO-country firms held {n} of the "
                     "top 10 (Trans-European firms counted as NATO)")
    return {"claim": "As of 2024, companies from NATO nations occupied seven of the top 10 spots",
            "source": "NATO Review 2025", "project": f"{n} of 10 in {year}", "verdict": verdict,
            "condition": condition, "chapter": "03_industry_consolidation"}


def claim_concentration(h) -> dict:
    start, end = v(h, "industry_cr5_start"), v(h, "industry_cr5_end")
    return {"claim": "The defence industry consolidated (concentration of the largest producers)",
            "source": "NATO Review 2025", "project":
                f"CR5 {start:.1f} % → {end:.1f} % of Top-100 arms revenue",
            "verdict": REPRODUCED if end > start else CONDITIONAL,
            "condition": "US primes consolidated in the 1990s (before the SIPRI series); among the "
                         "Top 100 since 2002 the five largest firms' share "
                         + ("rose" if end > start else "fell") + " (current prices; 2015 series break)",
            "chapter": "03_industry_consolidation"}


CLAIMS = (claim_equipment_doubling, claim_three_at_two_percent, claim_fifty_one_to_five,
          claim_seven_of_ten, claim_concentration)


def claim_table(h: dict[str, dict], extra=()) -> pl.DataFrame:
    """One row per claim: what was said, what the data give, the verdict and its condition."""
    return pl.DataFrame([fn(h) for fn in (*extra, *CLAIMS)])


def claim_sixty_years(h) -> dict:
    """The decline claim, judged by where each measure's trend turned (chapter 1 tests it)."""
    mean_low, mean_low_year = v(h, "nato_mean_trough"), int(v(h, "nato_mean_trough_year"))
    w_break, w_p = int(v(h, "break_weighted")), v(h, "break_weighted_p")
    m_break, m_p = int(v(h, "break_mean")), v(h, "break_mean_p")
    w_low, w_low_year = v(h, "nato_share_trough"), int(v(h, "nato_share_trough_year"))
    mean_turns_near_2014 = abs(mean_low_year - 2014) <= 2 and abs(m_break - 2014) <= 2
    weighted_turns_near_2014 = abs(w_break - 2014) <= 2
    if mean_turns_near_2014 and weighted_turns_near_2014:
        verdict, which = REPRODUCED, "for both measures"
    elif mean_turns_near_2014 or weighted_turns_near_2014:
        verdict, which = CONDITIONAL, None
    else:
        verdict, which = NOT_SUPPORTED, None
    condition = which or (
        f"holds for the typical Ally (simple mean of shares: lowest {mean_low:.2f} % in "
        f"{mean_low_year}, trend break {m_break}, p = {m_p:.3f}); the Alliance's GDP-weighted share, "
        f"dominated by the United States, stopped falling around {w_break} (p = {w_p:.3f}) and "
        f"reached its low of {w_low:.2f} % in {w_low_year}")
    return {"claim": "Allies' defence spending broke with sixty years of progressive decline after 2014",
            "source": "NATO Review 2025, Graphic 1",
            "project": f"low {mean_low:.2f} % in {mean_low_year} (mean), {w_low:.2f} % in {w_low_year} (weighted)",
            "verdict": verdict, "condition": condition + " (SIPRI v1.2)", "chapter": "01_long_run_spending"}


def claim_us_share(h) -> dict:
    share = v(h, "us_share_2024")
    return {"claim": "US military expenditure was 3.4 % of GDP in 2024 (SIPRI)",
            "source": "SIPRI v1.2", "project": f"{share:.2f} %",
            "verdict": REPRODUCED if abs(share - 3.4) <= 0.05 else NOT_SUPPORTED,
            "condition": "SIPRI definition; NATO's own estimate differs (see the United States profile)",
            "chapter": "01_long_run_spending"}


#: Claims from the long-run chapter, listed first in the summary.
EXTRA_CLAIMS: tuple = (claim_sixty_years, claim_us_share)


def key_numbers(h: dict[str, dict]) -> str:
    """The summary's bullet list, each number read from a chapter's headline table."""
    lines = [
        f"- **Long run.** On SIPRI's figures the Allies' GDP-weighted military spending peaked at "
        f"{d(h, 'nato_share_peak')} % of GDP in {d(h, 'nato_share_peak_year')} and fell "
        f"{d(h, 'nato_share_fall')} points to {d(h, 'nato_share_trough')} % in "
        f"{d(h, 'nato_share_trough_year')}; the simple mean of Allies' shares reached its low of "
        f"{d(h, 'nato_mean_trough')} % in {d(h, 'nato_mean_trough_year')}. "
        f"{h['nato_share_latest']['label']}: {d(h, 'nato_share_latest')} %.",
        f"- **Equipment.** Allies' spending on major equipment was US$ "
        f"{d(h, 'equipment_2014_usd_bn_current')} bn in 2014 and US$ "
        f"{d(h, 'equipment_2024_usd_bn_current')} bn in 2024 (NATO estimate) in current prices; "
        f"US$ {d(h, 'equipment_2014_usd_bn_constant2015')} bn and US$ "
        f"{d(h, 'equipment_2024_usd_bn_constant2015')} bn at constant 2015 prices. "
        f"{d(h, 'equipment_allies_meeting_20pct_2014')} Allies met the 20 % equipment guideline "
        f"in 2014, {d(h, 'equipment_allies_meeting_20pct_2024')} in 2024.",
        f"- **The 2 % guideline.** {int(v(h, 'pledge_allies_2pct_2014'))} Allies "
        f"({note(h, 'pledge_allies_2pct_2014')}) spent at least 2 % of GDP in 2014; "
        f"{d(h, 'pledge_allies_2pct_2024')} did in 2024 (NATO estimates).",
        f"- **The 2035 commitment.** {d(h, 'pledge_allies_at_3p5pct_2024')} Ally "
        f"({note(h, 'pledge_allies_at_3p5pct_2024')}) was already at 3.5 % of GDP in 2024. On their "
        f"2014–2024 trends, {d(h, 'pledge_allies_reaching_3p5pct_2035_trend_point')} Allies reach "
        f"3.5 % by 2035 ({note(h, 'pledge_allies_reaching_3p5pct_2035_trend_point')}); between "
        f"{d(h, 'pledge_allies_reaching_3p5pct_2035_trend_lower_pi')} and "
        f"{d(h, 'pledge_allies_reaching_3p5pct_2035_trend_upper_pi')} within the 95 % prediction "
        f"intervals. For {d(h, 'pledge_allies_needing_faster_growth')} Allies the real growth needed "
        "exceeds what they achieved in 2014–2024.",
        f"- **Industry.** The five largest of the SIPRI Top 100 held {d(h, 'industry_cr5_start')} % "
        f"of its arms revenue at the start of the series and {d(h, 'industry_cr5_end')} % in "
        f"{d(h, 'industry_data_end_year')}; US firms held {d(h, 'industry_us_share_end')} % in "
        f"{d(h, 'industry_data_end_year')}.",
        f"- **Critical minerals (US data).** Of the {d(h, 'minerals_n_selected')} defence-critical "
        f"raw materials NATO lists, the United States imported at least half of its consumption of "
        f"{d(h, 'minerals_n_meets_threshold')}; China was the first-ranked import source for "
        f"{d(h, 'minerals_n_china_top')}. Net import reliance: lithium {d(h, 'minerals_nir_lithium')} %, "
        f"titanium sponge {d(h, 'minerals_nir_titanium')} %, rare earths "
        f"{d(h, 'minerals_nir_rare_earths')} %.",
    ]
    return "\n".join(lines)
