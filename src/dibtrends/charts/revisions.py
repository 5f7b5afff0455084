"""Chart for the revisions chapter: each Ally's share of GDP in two SIPRI releases."""

from __future__ import annotations

import altair as alt
import polars as pl

from . import PALETTE, WIDTH, reference_rule, source_line, titled, tooltips


def share_revision_chart(shares: pl.DataFrame, year: int, threshold_pct: float,
                         older_label: str, newer_label: str, source_ids: tuple[str, str]):
    """One row per Ally: a grey dot for the older release, a blue one for the newer, joined."""
    data = (shares.filter(pl.col("year") == year).drop_nulls(["share_older", "share_newer"])
            .sort("share_newer", descending=True))
    order = data["country"].to_list()
    long = data.unpivot(index=["country", "revision_pp"], on=["share_older", "share_newer"],
                        variable_name="release", value_name="share_gdp_pct").with_columns(
        pl.col("release").replace_strict({"share_older": older_label,
                                          "share_newer": newer_label}))
    y = alt.Y("country:N", sort=order, title=None)
    link = alt.Chart(data).mark_rule(color="#bbbbbb").encode(
        y=y, x="share_older:Q", x2="share_newer:Q")
    dots = alt.Chart(long).mark_circle(size=55, opacity=1).encode(
        y=y, x=alt.X("share_gdp_pct:Q", title=f"Military expenditure, % of GDP, {year} (SIPRI)"),
        color=alt.Color("release:N", title=None, scale=alt.Scale(
            domain=[older_label, newer_label], range=["#9e9e9e", PALETTE[0]])),
        tooltip=tooltips(("country:N", "Ally"), "release:N", ("share_gdp_pct:Q", "% of GDP", ".2f"),
                         ("revision_pp:Q", "Revision, points", "+.2f")))
    chart = alt.layer(link, reference_rule(threshold_pct), dots).properties(
        width=WIDTH, height=15 * data.height)
    n_old = data.filter(pl.col("share_older") >= threshold_pct).height
    n_new = data.filter(pl.col("share_newer") >= threshold_pct).height
    return titled(chart, f"SIPRI's revisions moved the count of Allies at {threshold_pct:g} % "
                  f"of GDP in {year} from {n_old} to {n_new}" if n_old != n_new else
                  f"SIPRI's revisions left the count of Allies at {threshold_pct:g} % of GDP in "
                  f"{year} at {n_old}",
                  f"Each Ally's share of GDP in {year}: {older_label} (grey) and {newer_label} "
                  f"(blue); dashed line at {threshold_pct:g} %.",
                  source_line(*source_ids),
                  f"Each Ally's military expenditure as a share of GDP in {year} in two SIPRI "
                  f"releases, ranked by the newer, against the {threshold_pct:g} % line: the "
                  f"largest revision {data['revision_pp'].abs().max():.2f} points")
