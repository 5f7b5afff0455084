"""Chart builders for chapter 2 (equipment spending, NATO's tables). The edition and the
years NATO marks as estimates come from the data, never from the code."""

from __future__ import annotations

import altair as alt
import polars as pl

from ..countries import name_of
from ..equipment import estimate_years
from ..prose.equipment import BASIS_WORDS, estimate_words, year_label
from . import PALETTE, WIDTH, reference_rule, source_line, titled, tooltips

EQUIPMENT_NOTE = "Equipment: major equipment incl. related R&D."
AGGREGATE_NAMES = {"NATO_TOTAL": "NATO (all Allies)",
                   "NATO_EUROPE_CANADA": "NATO Europe and Canada"}


def source_note(df: pl.DataFrame) -> str:
    """'2023 and 2024 are NATO estimates (e).' from the rows' own estimate flags."""
    years = estimate_years(df)
    return f"{estimate_words(years)} (e). {EQUIPMENT_NOTE}" if years else EQUIPMENT_NOTE


def year_labels() -> pl.Expr:
    """``year_label``: '2024e' for a year NATO marks as an estimate."""
    return (pl.col("year").cast(pl.String) + pl.when(pl.col("estimate")).then(pl.lit("e"))
            .otherwise(pl.lit(""))).alias("year_label")


def equipment_totals(both: pl.DataFrame, ratios: dict[str, float], base_year: int,
                     end_year: int, source_id: str):
    """Alliance equipment spending per year, one line per price basis, estimates hollow; the
    subtitle gives the end/base ``ratios`` so the claim and its answer sit together."""
    data = both.with_columns(
        year_labels(),
        pl.when(pl.col("estimate")).then(pl.lit("NATO estimate")).otherwise(pl.lit("reported"))
        .alias("status"),
    ).select("year", "year_label", "estimate", "status", "price_basis", "price_basis_label",
             "equipment_usd_bn")
    scale = alt.Scale(domain=data["price_basis_label"].unique(maintain_order=True).to_list(),
                      range=[PALETTE[1], PALETTE[0]])
    colour = alt.Color("price_basis_label:N", title=None, scale=scale,
                       legend=alt.Legend(labelLimit=400))
    base = alt.Chart(data).encode(
        x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1),
                scale=alt.Scale(domain=[base_year, end_year])),
        y=alt.Y("equipment_usd_bn:Q", title="Equipment spending, US$ billion",
                scale=alt.Scale(zero=True)),
        color=colour,
        tooltip=tooltips(("year_label:N", "Year"), ("price_basis_label:N", "Price basis"),
                         ("equipment_usd_bn:Q", "US$ bn", ",.1f"), ("status:N", "Figure")),
    )
    line = base.mark_line(strokeWidth=2)
    fill = alt.Fill("price_basis_label:N", scale=scale, legend=None)
    points = base.mark_point(size=45, strokeWidth=1.5, opacity=1).encode(
        fill=alt.condition(alt.datum.estimate, alt.value("white"), fill),
    )
    subtitle = [
        (f"Claim tested: Allies spent more than twice as much on equipment in {end_year} as in "
         f"{base_year}."),
        (f"{end_year}/{base_year}: {ratios['current']:.2f}x in current US$, "
         f"{ratios['constant2015']:.2f}x in constant 2015 US$. Open circles: NATO estimates."),
    ]
    caption = (f"Allies' spending on major equipment each year, in current and in constant 2015 "
               f"US$, NATO estimates hollow: in {end_year} {ratios['current']:.2f} times the "
               f"{base_year} level in current US$ and {ratios['constant2015']:.2f} times at "
               f"constant prices")
    return titled(alt.layer(line, points), "Equipment spending by NATO Allies, "
                  f"{base_year}–{end_year}", subtitle,
                  source_line(source_id, note="Equipment = Table 8a share x Table 2 "
                              "expenditure, summed over Allies counted from accession. "
                              + source_note(both)), caption)


def ratio_bars(ratios: pl.DataFrame, fixed_ratio: float, source_id: str,
               notes_from: pl.DataFrame, threshold: float = 2.0):
    """Equipment spending end/base per Ally with the 2x rule, aggregates highlighted; a log
    scale keeps Slovenia (x72) and the United States (x1.3) on one readable axis."""
    basis_label = BASIS_WORDS[ratios["price_basis"][0]]
    base_year, end_year = int(ratios["base_year"][0]), int(ratios["end_year"][0])
    data = ratios.filter(pl.col("ratio").is_not_null()).select(
        "entity", "is_aggregate", "ratio",
        pl.col("entity").map_elements(lambda c: AGGREGATE_NAMES.get(c) or name_of(c),
                                      return_dtype=pl.String).alias("name"),
        pl.when(pl.col("is_aggregate")).then(pl.lit("Alliance aggregate"))
        .when(pl.col("ratio") >= threshold).then(pl.lit(f"at least {threshold:g}x"))
        .otherwise(pl.lit(f"less than {threshold:g}x")).alias("group"),
    ).sort("ratio", descending=True)
    order = data["name"].to_list()
    domain = ["Alliance aggregate", f"at least {threshold:g}x", f"less than {threshold:g}x"]
    bars = alt.Chart(data).mark_bar(height=11).encode(
        y=alt.Y("name:N", sort=order, title=None),
        x=alt.X("ratio:Q", title=f"Equipment spending {end_year} ÷ {base_year} ({basis_label}, "
                "log scale)", scale=alt.Scale(type="log", domainMin=0.5),
                axis=alt.Axis(values=[0.5, 1, 2, 5, 10, 20, 50, 100], format="~g")),
        x2=alt.datum(1),
        color=alt.Color("group:N", title=None, scale=alt.Scale(
            domain=domain, range=[PALETTE[3], PALETTE[0], "#9e9e9e"])),
        tooltip=tooltips(("name:N", "Ally"), ("ratio:Q", f"{end_year}/{base_year}", ".2f")),
    )
    chart = alt.layer(bars, reference_rule(threshold)).properties(height=14 * data.height)
    subtitle = [(f"Claim tested: equipment spending at least doubled ({threshold:g}x, dashed "
                 f"line), {base_year} to {year_label(end_year, estimate_years(notes_from))}, "
                 f"{basis_label}."),
                (f"The Alliance total includes Allies that joined after {base_year}; "
                 f"for the Allies counted in both years the ratio is {fixed_ratio:.2f}x.")]
    allies = data.filter(~pl.col("is_aggregate"))
    caption = (f"Each Ally's equipment spending in {end_year} over {base_year} ({basis_label}, "
               f"logarithmic scale), the Alliance aggregates among them: "
               f"{int((allies['ratio'] >= threshold).sum())} of {allies.height} Allies at least "
               f"doubled it")
    return titled(chart, f"Equipment spending {end_year} relative to {base_year}, by Ally",
                  subtitle, source_line(source_id, note=source_note(notes_from)), caption)


def guideline_counts_chart(counts: pl.DataFrame, threshold_pct: float, source_id: str):
    """Allies meeting the equipment guideline per year, against Allies counted."""
    data = counts.select("year", "estimate", "n_allies", "n_meeting", year_labels())
    meeting = ("n_meeting:Q", f"At least {threshold_pct:g} % on equipment")
    base = alt.Chart(data).encode(x=alt.X("year_label:O", title=None, sort=None,
                                          axis=alt.Axis(labelAngle=0)))
    total = base.mark_bar(color="#d9d9d9").encode(
        y=alt.Y("n_allies:Q", title="Number of Allies"),
        tooltip=tooltips(("year_label:N", "Year"), ("n_allies:Q", "Allies counted"), meeting))
    meeting_bars = base.mark_bar(color=PALETTE[0]).encode(
        y="n_meeting:Q",
        opacity=alt.condition(alt.datum.estimate, alt.value(0.55), alt.value(1.0)),
        tooltip=tooltips(("year_label:N", "Year"), meeting))
    chart = alt.layer(total, meeting_bars).properties(height=240, width=WIDTH)
    first, last = (data.sort("year").row(i, named=True) for i in (0, -1))
    caption = (f"Allies meeting the {threshold_pct:g} % equipment guideline (blue) among the "
               f"Allies counted (grey), year by year: {first['n_meeting']} of "
               f"{first['n_allies']} in {first['year_label']}, {last['n_meeting']} of "
               f"{last['n_allies']} in {last['year_label']}")
    return titled(chart, f"Allies spending at least {threshold_pct:g} % of defence budgets on "
                  "major equipment",
                  [(f"Blue: Allies meeting the {threshold_pct:g} % guideline; grey: Allies "
                    "counted that year (from accession; Iceland has no armed forces)."),
                   "Lighter bars: NATO estimates ("
                   + ", ".join(f"{y}e" for y in estimate_years(counts)) + ")."],
                  source_line(source_id, note=source_note(counts)), caption)
