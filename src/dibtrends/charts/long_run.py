"""Chapter 1's charts (SIPRI shares of GDP since 1949; GMSD and NMC before), drawn from the small
frames the chapter computes, titles computed from the data. Each chart's ``*_table`` is exactly
the rows it plots, so the CSV download is the plotted series, not a layer such as the era bands.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from ..countries import name_of
from ..prose import cap, join_words, the
from ..prose import names as country_names
from ..prose.long_run import MEASURE_SHORT, robustness_words
from ..spending import COVERED, MEASURES, peak_to_trough
from ..stats.breaks import SegmentedTrend
from . import PALETTE, names, reference_rule, source_line, titled, tooltips

MEASURE_WORDS = {
    "weighted": ("GDP-weighted", "GDP-weighted share (total spending ÷ total GDP)"),
    "mean": ("simple mean", "simple mean of Allies' shares{zero}"),
}
GROUP_COLOURS = {"United States": PALETTE[0], "NATO total": PALETTE[3],
                 "NATO Europe and Canada": PALETTE[2]}
GROUP_WORDS = {"United States": "the United States", "NATO total": "the NATO total",
               "NATO Europe and Canada": "NATO Europe and Canada"}
COUNTRY_COLOURS = {"USA": PALETTE[0], "GBR": PALETTE[5], "FRA": PALETTE[4]}
Y_TITLE = "Military expenditure, % of GDP"
TREND_NOTE = ("Share of GDP: SIPRI's ratio of spending to GDP, both in current prices; "
              "GDP-weighted shares recover GDP as spending ÷ share (current US$). SIPRI's "
              "definition differs from NATO's.")
NOTE = TREND_NOTE + " Shaded: the project's own periodisation."
GMSD_NOTE = ("GMSD's own definition and GDP estimates, not SIPRI's: shown for the years before "
             "SIPRI's series and never joined to it. Gaps are years without a figure.")
#: The two lines of the trend chart: its fit's columns and their names in the legend.
TREND_SERIES = {"observed": "SIPRI data", "fitted": "segmented linear trend"}
MISSING_TIP = ("n_missing:Q", "Allies without SIPRI data")
NMC_NOTE = ("Levels in US dollars of each year, not adjusted for prices, on a logarithmic "
            "scale; NMC has no GDP, so no share. Before 1914 NMC records pounds sterling (not "
            "shown).")


def _x(first: int, last: int, field: str = "year") -> alt.X:
    return alt.X(f"{field}:Q", title=None, axis=alt.Axis(format="d", tickMinStep=5),
                 scale=alt.Scale(domain=[first - 0.5, last + 0.5], nice=False, zero=False))


def _era_layers(eras: pl.DataFrame, first: int, last: int, y_top: float):
    """Shaded bands (half a year either side of the years they cover) with short names."""
    bands = eras.filter((pl.col("end_year") >= first) & (pl.col("start_year") <= last)).select(
        "era", "label", (pl.col("start_year") - 0.5).alias("x0"),
        (pl.col("end_year") + 0.5).alias("x1"),
        ((pl.col("start_year") + pl.col("end_year")) / 2).alias("xm"),
        pl.lit(y_top).alias("y_label"))
    rect = alt.Chart(bands).mark_rect(color="#bdbdbd", opacity=0.35).encode(
        x=_x(first, last, "x0"), x2="x1:Q", tooltip=[alt.Tooltip("era:N", title="Era")])
    # Names sit in a strip just above the plot: inside it they would cross the lines (the
    # Korean War band holds the series' peak).
    text = alt.Chart(bands).mark_text(align="center", baseline="bottom", fontSize=10, dy=-3,
                                      color="#555555").encode(
        x=_x(first, last, "xm"), y=alt.value(0), text="label:N")
    return rect, text


def long_run_table(shares: pl.DataFrame, measure: str = "weighted",
                   groups=tuple(GROUP_COLOURS)) -> pl.DataFrame:
    """The rows :func:`long_run_chart` plots: one per group and year with a value, with the
    Allies counted and the Allies that enter the figure."""
    return (shares.filter(pl.col("group").is_in(list(groups)))
            .select("group", "year", pl.col(MEASURES[measure]).alias("share_gdp_pct"),
                    "n_allies", pl.col(COVERED[measure]).alias("n_in_figure"), "n_missing")
            .drop_nulls("share_gdp_pct").sort("group", "year"))


def _rule_words(shares: pl.DataFrame, rule: str) -> str:
    nt = shares.filter(pl.col("group") == "NATO total").sort("year")
    first, last = nt.row(0, named=True), nt.row(-1, named=True)
    if rule == "cold_war_16":
        return (f"the {first['n_allies']} Allies of 1982–1990 in every year (Germany: West "
                "Germany to 1990)")
    return (f"Allies counted from the year they joined ({first['n_allies']} in "
            f"{first['year']}, {last['n_allies']} in {last['year']})")


def long_run_chart(shares: pl.DataFrame, eras: pl.DataFrame, zero: list[str],
                   measure: str = "weighted", rule: str = "accession",
                   groups=tuple(GROUP_COLOURS), reference_pct: float = 2.0,
                   source_id: str = "sipri_milex_2025"):
    """Share of GDP by group and year (``spending.alliance_shares``), era bands shaded, the 2 %
    guideline as a dashed rule; ``zero``: the Allies SIPRI records at 0 % (named for the mean)."""
    short, words = MEASURE_WORDS[measure]
    words = words.format(zero=f" ({', '.join(name_of(c) for c in zero)} at 0 %)" if zero else "")
    data = long_run_table(shares, measure, groups)
    first, last = int(data["year"].min()), int(data["year"].max())
    y_top = float(data["share_gdp_pct"].max()) * 1.02
    groups = [g for g in GROUP_COLOURS if g in data["group"].unique().to_list()]
    colour = alt.Color("group:N", title=None, sort=groups, scale=alt.Scale(
        domain=groups, range=[GROUP_COLOURS[g] for g in groups]))
    lines = alt.Chart(data).mark_line(strokeWidth=2).encode(
        x=_x(first, last),
        y=alt.Y("share_gdp_pct:Q", title=f"{Y_TITLE} ({short})", scale=alt.Scale(zero=True)),
        color=colour,
        tooltip=tooltips(("group:N", "Group"), ("year:Q", "Year"),
                         ("share_gdp_pct:Q", "% of GDP", ".2f"), ("n_allies:Q", "Allies counted"),
                         ("n_in_figure:Q", "Allies in this figure"), MISSING_TIP),
    )
    rule_text = alt.Chart(pl.DataFrame({"y": [reference_pct], "x": [first + 6.5],
                                        "t": [f"{reference_pct:g} % guideline (2006, 2014)"]})
                          ).mark_text(align="left", baseline="bottom", dy=-2, fontSize=10,
                                      color="#333333").encode(x="x:Q", y="y:Q", text="t:N")
    missing = data.filter(pl.col("n_missing") > 0)
    gaps = alt.Chart(missing).mark_point(filled=False, size=30, strokeWidth=1.2).encode(
        x=_x(first, last), y="share_gdp_pct:Q", color=colour,
        tooltip=tooltips(("group:N", "Group"), ("year:Q", "Year"), MISSING_TIP))
    rect, text = _era_layers(eras, first, last, y_top)
    chart = alt.layer(rect, text, reference_rule(reference_pct, "y"), rule_text, lines, gaps)
    coverage = ("Every Ally counted has SIPRI data in every year." if missing.height == 0 else
                f"Open circles: years to {int(missing['year'].max())} in which some Allies "
                "lack SIPRI data.")
    lead = "NATO total" if "NATO total" in groups else groups[0]
    pt = peak_to_trough(data.filter(pl.col("group") == lead), "share_gdp_pct")
    subtitle = [
        f"Claim tested: sixty years of progressive decline. {cap(words)}, {first}–{last}.",
        f"Membership: {_rule_words(shares, rule)}.",
        coverage,
    ]
    title = (f"{lead}, {short}: {pt['peak_value']:.1f} % of GDP at the peak in "
             f"{pt['peak_year']}, {pt['latest_value']:.1f} % in {pt['latest_year']}")
    caption = (f"Military expenditure as a share of GDP, {words}, for "
               f"{join_words([GROUP_WORDS[g] for g in groups])}, "
               f"{first}–{last}, eras shaded: {GROUP_WORDS[lead]} fell from "
               f"{pt['peak_value']:.1f} % in {pt['peak_year']} to {pt['trough_value']:.1f} % in "
               f"{pt['trough_year']} and "
               f"was {pt['latest_value']:.1f} % in {pt['latest_year']}")
    return titled(chart, title, subtitle, source_line(source_id, note=NOTE), caption)


def trend_table(fitted: pl.DataFrame) -> pl.DataFrame:
    """The rows :func:`trend_fit_chart` plots: observed and fitted values per year."""
    return fitted.select("year", pl.col("observed").alias("sipri_share_gdp_pct"),
                         pl.col("fitted").alias("trend_share_gdp_pct"))


def trend_fit_chart(fit: SegmentedTrend, measure: str, check: dict,
                    source_id: str = "sipri_milex_2025"):
    """Observed series, fitted segmented trend and break years of ``measure``; ``check`` (its
    ``spending.decline_checks`` row) says how the break fares under other error models."""
    label, fitted, breaks = MEASURE_SHORT[measure], fit.fitted, fit.breaks
    data = fitted.select("year", *(pl.col(c).alias(s) for c, s in TREND_SERIES.items())).unpivot(
        index="year", variable_name="series", value_name="share")
    first, last = int(fitted["year"].min()), int(fitted["year"].max())
    lines = alt.Chart(data).mark_line().encode(
        x=_x(first, last),
        y=alt.Y("share:Q", title=f"{Y_TITLE} ({label})", scale=alt.Scale(zero=True)),
        color=alt.Color("series:N", title=None, scale=alt.Scale(
            domain=list(TREND_SERIES.values()), range=[PALETTE[3], "#333333"])),
        strokeDash=alt.StrokeDash("series:N", legend=None, scale=alt.Scale(
            domain=list(TREND_SERIES.values()), range=[[1, 0], [5, 3]])),
        tooltip=tooltips(("year:Q", "Year"), ("series:N", "Series"),
                         ("share:Q", "% of GDP", ".2f")))
    layers = [lines]
    if breaks.height:
        layers.append(alt.Chart(breaks.select("year")).mark_rule(
            color=PALETTE[0], strokeDash=[2, 2]).encode(
            x="year:Q", tooltip=[alt.Tooltip("year:Q", title="Estimated break")]))
        years, robustness = ", ".join(map(str, breaks["year"])), robustness_words(check)
        title = f"NATO total, {label}: the tests select a change of trend in {years}"
        sub2 = f"Estimated break(s) dotted. The break {robustness} (see the appendix)."
        finding = f"the break in {years} {robustness}"
    else:
        finding = "no change of trend passes the tests"
        title = f"NATO total, {label}: {finding}"
        sub2 = "One straight-line trend is shown."
    subtitle = [f"{cap(label)}, {first}–{last}: continuous piecewise-linear "
                "trend with break years chosen by least squares.", sub2]
    caption = (f"SIPRI's figures for the NATO total, {label}, {first}–{last}, and the trend of "
               f"straight segments fitted to them: {finding}")
    return titled(alt.layer(*layers), title, subtitle, source_line(source_id, note=TREND_NOTE),
                  caption)


def _runs(frame: pl.DataFrame) -> pl.DataFrame:
    """A run number per country that changes at every gap in the years, so lines break there."""
    return frame.sort("iso3", "year").with_columns(
        (pl.col("year").diff().over("iso3").fill_null(1) != 1).cum_sum().over("iso3")
        .alias("run"))


def context_table(context: pl.DataFrame) -> pl.DataFrame:
    """The rows :func:`context_share_chart` or :func:`context_spending_chart` plots: the country
    named, the year and its value (GMSD share of GDP, NMC spending in US$ bn of each year)."""
    return context.select(names("iso3", "country"), "year", pl.exclude("iso3", "year"))


def _context_chart(df: pl.DataFrame, value: str, y: alt.Y, tooltip: alt.Tooltip, title,
                   source: str, source_id: str, note: str, what: str, shown):
    """One line per country, broken where the source has gaps; ``title`` of the highest row,
    the caption says ``what`` is drawn and the highest value (``shown`` of its row)."""
    codes = [c for c in COUNTRY_COLOURS if c in df["iso3"].unique().to_list()]
    labels = [name_of(c) for c in codes]
    data = _runs(df).with_columns(names("iso3", "country"),
                                  pl.format("{}-{}", "iso3", "run").alias("piece"))
    first, last = int(data["year"].min()), int(data["year"].max())
    chart = alt.Chart(data).mark_line(strokeWidth=2).encode(
        x=_x(first, last), y=y, detail="piece:N",
        color=alt.Color("country:N", title=None, sort=labels, scale=alt.Scale(
            domain=labels, range=[COUNTRY_COLOURS.get(c, PALETTE[7]) for c in codes])),
        tooltip=[*tooltips(("country:N", "Country"), ("year:Q", "Year")), tooltip])
    subtitle = [f"{', '.join(labels)}, {first}–{last}: {source}, not SIPRI."]
    top = data.sort(value, descending=True).row(0, named=True)
    caption = (f"{what} of {country_names(codes)}, {first}–{last}, from {source}, "
               f"on its own definition and never joined to SIPRI's series: the highest, "
               f"{shown(top)} ({the(top['country'])}, {top['year']})")
    return titled(chart, title(top), subtitle, source_line(source_id, note=note), caption)


def context_share_chart(gmsd: pl.DataFrame, source_id: str = "owid_gmsd"):
    """GMSD share of GDP before NATO (``spending.gmsd_context``), one line per country."""
    return _context_chart(
        gmsd, "share_gdp_pct",
        alt.Y("share_gdp_pct:Q", title=f"{Y_TITLE} (GMSD)", scale=alt.Scale(zero=True)),
        alt.Tooltip("share_gdp_pct:Q", title="% of GDP (GMSD)", format=".1f"),
        lambda top: f"Before NATO: military spending reached {top['share_gdp_pct']:.0f} % of GDP "
                    f"({top['country']}, {top['year']}) on another source's definition",
        "OWID's Global Military Spending Dataset (GMSD)", source_id, GMSD_NOTE,
        "Military spending as a share of GDP", lambda top: f"{top['share_gdp_pct']:.1f} % of GDP")


def context_spending_chart(nmc: pl.DataFrame, source_id: str = "cow_nmc6"):
    """NMC military spending in US$ bn of each year before NATO (``spending.nmc_context``)."""
    return _context_chart(
        nmc, "milex_usd_bn_current",
        alt.Y("milex_usd_bn_current:Q", title="Military expenditure, US$ bn (NMC)",
              scale=alt.Scale(type="log")),
        alt.Tooltip("milex_usd_bn_current:Q", title="US$ bn (of that year)", format=",.2f"),
        lambda top: f"Before NATO: military spending in US dollars of each year, up to "
                    f"US$ {top['milex_usd_bn_current']:.0f} bn ({top['country']}, {top['year']})",
        "Correlates of War, National Material Capabilities (NMC)", source_id, NMC_NOTE,
        "Military spending in US dollars of each year (not adjusted for prices; logarithmic "
        "scale)", lambda top: f"US$ {top['milex_usd_bn_current']:.1f} bn")
