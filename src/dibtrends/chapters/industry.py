"""Chapter 3: from 51 US primes to the "Big Five", and who holds the SIPRI Top 100.

Two published claims are checked here, each with its verdict computed:

* ``fifty_one_to_five``: the US "Big Five" formed out of 51 prime contractors. The count is the
  US Department of Defense's own (February 2022); it is transcribed with its citation
  (``data/curated/dod_consolidation_2022.csv``), not recomputed, so the check is that the cited
  count says what the claim says.
* ``seven_of_ten``: "As of 2024, companies from NATO nations occupied seven of the top 10 spots"
  (NATO Review, 2025), checked on the newest SIPRI Top 100 edition. Its check always uses the top
  10 and the year 2024 (:data:`CLAIM_K`, :data:`CLAIM_YEAR`), whatever ``top_k``, ``end_year`` or
  ``exclude_china`` the analyst chooses for the chapter's own analysis.

The concentration of the Top 100 (CR5, CR_k, HHI) was once listed as a third claim ("concentration
has kept rising"), but no NATO document at hand says it: it is shown as context, with no verdict.
Everything the notebook ``03_industry_consolidation`` shows is computed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import polars as pl

from .. import data, industry, sources
from . import record
from ..params import Parameters, check_choice, check_int, check_year_range, param
from ..results import (NOT_CHECKABLE, NOT_SUPPORTED, REPRODUCED, ChapterRecord, Claim, Headline,
                       Table, headline)
from ..prose import fmt, join_words

NOTEBOOK = "03_industry_consolidation"
TITLE = "Defence-industry consolidation"
#: The newest SIPRI Top 100 edition (``dibtrends.load.sipri_top100.NEWEST``): the processed table
#: of the same name holds it.
TOP100 = "sipri_top100_2024"
READS = (TOP100, "nato_membership", "dod_consolidation_2022", "merger_timeline")
SOURCES = (TOP100,)
#: The "seven of the top 10" claim: its year, group size and count, fixed whatever the parameters.
CLAIM_YEAR = 2024
CLAIM_K = 10
CLAIM_COUNT = 7
#: The DoD's count as the claim states it: 51 prime contractors became five.
CLAIM_PRIMES = (51, 5)
FIXED_K = 5  # CR5 is always shown, next to the analyst's CR_k
MAX_NAMES = 20  # prose names the companies of a top group up to this size
SECTION_PRIMES = "sec-industry-primes"
SECTION_TOP10 = "sec-industry-top10"
SERIES_WORDS = {industry.SERIES_PUBLISHED: "the published lists",
                industry.SERIES_EXCL_CHINA: "the lists without Chinese firms"}
NUMBER_WORDS = {1: "largest company", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six",
                7: "seven", 8: "eight", 9: "nine", 10: "ten"}


@dataclass(frozen=True)
class Params(Parameters):
    start_year: int = param(2002, "first year", "a year of the SIPRI Top 100 (2002 to the "
                            "edition's last year), before the last year", examples=(2015,),
                            invalid=(1990,))
    end_year: int | None = param(None, "last year", "a year of the SIPRI Top 100 after the first "
                                 "year, or null for the latest",
                                 none_means="the latest year of the edition", examples=(2023,),
                                 invalid=(2030,))
    top_k: int = param(10, "size of the top group (concentration ratio and NATO count)",
                       "a whole number from 1 to 100", examples=(5,), invalid=(0,))
    exclude_china: bool = param(False, "Chinese firms", "true (removed) or false (kept)",
                                value_words={False: "kept, as published",
                                             True: "removed before shares are computed"},
                                examples=(True,), invalid=("yes",))

    def check(self) -> None:
        object.__setattr__(self, "top_k", check_int("top_k", self.top_k, 1, 100))
        check_choice("exclude_china", self.exclude_china, [False, True])

    def check_data(self, processed_dir=None) -> tuple[int, int]:
        years = data.table(TOP100, processed_dir)["year"].unique().to_list()
        return check_year_range(self.start_year, self.end_year, years, min_span=1)


@dataclass(frozen=True)
class Result:
    params: Params
    edition: str  # the Top 100 edition, in words
    start_year: int  # the window, resolved (end_year None -> the latest year)
    end_year: int
    data_start_year: int  # the edition's first year
    data_end_year: int  # the edition's last year
    measures: pl.DataFrame  # industry.headline_measures over the window (both series)
    sizes: pl.DataFrame  # industry.annual_totals over the window (both series)
    regional: pl.DataFrame  # industry.regional_shares over the window
    top: pl.DataFrame  # industry.top_k_by_region over the window (top_k, exclude_china)
    top_counts: pl.DataFrame  # industry.top_k_region_counts(top): the chart's data
    nato: pl.DataFrame  # industry.top10_nato_count over the window (top_k, exclude_china)
    claim_top: pl.DataFrame  # the top CLAIM_K of CLAIM_YEAR, published lists (empty if absent)
    claim_prev_top: pl.DataFrame  # the same for the year before, for what changed
    dod: pl.DataFrame
    mergers: pl.DataFrame
    claims: tuple[Claim, ...]
    text: dict[str, str]
    titles: dict[str, dict[str, str | list[str]]]  # chart -> title and subtitle

    @property
    def edition_short(self) -> str:
        """'December 2025 release' (the edition without its '(data to ...)' note)."""
        return self.edition.split(" (")[0]

    @property
    def series(self) -> str:
        return industry.SERIES_EXCL_CHINA if self.params.exclude_china else \
            industry.SERIES_PUBLISHED

    def claim(self, claim_id: str) -> Claim:
        return next(c for c in self.claims if c.id == claim_id)

    def value(self, measure: str, year: int, series: str | None = None) -> float | None:
        return industry.value_at(self.measures, measure, year, series or self.series)

    @property
    def tables(self) -> dict[str, Table]:
        p, s, e = self.params, self.start_year, self.end_year
        k = p.top_k
        primes = self.dod.filter(pl.col("fact_id") == "primes").row(0, named=True)
        cited = (pl.col(r"^(citation|corroborated_by)$").str.split("; ").list.eval(
            pl.format("[{}]({})", pl.element().str.split(", ").list.first(),
                      pl.element().str.extract(r"(https?://\S+)"))).list.drop_nulls()
            .list.join("; "))
        selected = sorted({s, e} | {y for y in (industry.CHINA_FROM - 1, industry.CHINA_FROM)
                                    if s <= y <= e})
        ratios = list(dict.fromkeys([f"CR{FIXED_K}", f"CR{k}"]))
        wide = (self.measures.pivot(on="measure", index=["year", "series"], values="value")
                .join(self.sizes, on=["year", "series"])
                .filter(pl.col("year").is_in(selected))
                .select("year", "series", *ratios, "HHI", "n_companies", "total_usd_bn")
                .sort("year", pl.col("series") != industry.SERIES_PUBLISHED)
                .with_columns(pl.col("series").replace_strict(SERIES_WORDS)))
        regional = (self.regional.filter(pl.col("year").is_in([s, e]))
                    .filter(pl.lit(not p.exclude_china and e >= industry.CHINA_FROM)
                            | (pl.col("region") != "China"))
                    .pivot(on="year", index="region", values="share_pct"))
        claim_top = self.claim_top.select(
            "position", "company", "country_published", "region", "nato",
            (pl.col(industry.ARMS) / 1000).alias("arms_usd_bn"), "share_pct")
        return {
            "dod": Table(
                "03_dod_counts",
                self.dod.with_columns(cited).select("category", "count_before", "count_after",
                                                    "quote", "corroborated_by"),
                "US suppliers per category as counted by the US Department of Defense, 'State "
                "of Competition within the Defense Industrial Base' (February 2022); transcribed, "
                "page not verified",
                labels={"category": "Category", "count_before": primes["period_before"],
                        "count_after": primes["period_after"], "quote": "The report's words",
                        "corroborated_by": "Quoted by"}),
            "mergers": Table(
                "03_merger_timeline",
                self.mergers.sort("region", "year", "company_after",
                                  descending=[True, False, False])
                .with_columns(cited).select("year", "region", "company_after", "event_type",
                                            "event", "citation"),
                "The curated merger timeline (year of completion or of the named event); full "
                "citations in data/curated/merger_timeline.csv",
                labels={"year": "Year", "region": "Region", "company_after": "Company after",
                        "event_type": "Type", "event": "What happened", "citation": "Sources"}),
            "top10_claim": Table(
                "03_top10_claim_year", claim_top,
                f"The {CLAIM_K} largest arms companies in {CLAIM_YEAR} by arms revenue (SIPRI "
                f"Top 100, {self.edition_short}); NATO: headquartered in an Ally that year, or "
                "Trans-European",
                labels={"position": "Rank", "company": "Company",
                        "country_published": "Country (SIPRI)", "region": "Region",
                        "nato": "NATO", "arms_usd_bn": "Arms revenue, US$ bn",
                        "share_pct": "Share of Top-100 arms revenue, %"},
                decimals={"arms_usd_bn": 2, "share_pct": 1}),
            "concentration": Table(
                "03_concentration_selected_years", wide,
                f"Concentration within the SIPRI Top 100 in selected years (SIPRI, "
                f"{self.edition_short}; "
                "arms revenue in US$ at current prices; shares do not depend on the price "
                "basis). Without Chinese firms a year's list holds fewer than 100 companies",
                labels={"year": "Year", "series": "Series",
                        **{r: f"{r}, % of Top-100 revenue" for r in ratios},
                        "HHI": "HHI, points", "n_companies": "Companies in the list",
                        "total_usd_bn": "Arms revenue of the list, US$ bn (sum of rows)"},
                decimals={**dict.fromkeys(ratios, 1), "HHI": 0, "total_usd_bn": 1}),
            "regional": Table(
                "03_regional_shares_first_last", regional,
                f"Share of SIPRI Top-100 arms revenue by headquarters region, %, "
                f"{s} and {e} (SIPRI, {self.edition_short}; {SERIES_WORDS[self.series]})",
                labels={"region": "Headquarters region", str(s): f"{s}, %",
                        str(e): f"{e}, %"}),
        }

    def record(self) -> ChapterRecord:
        return record(NOTEBOOK, self, claims=self.claims)

    def headlines(self) -> list[Headline]:
        p, s, e = self.params, self.start_year, self.end_year
        primes = self.dod.filter(pl.col("fact_id") == "primes").row(0, named=True)
        rows = [headline("industry.dod_primes",
                         f"DoD: aerospace and defense prime contractors, {primes[f'period_{w}']}",
                         primes[f"count_{w}"], "companies", decimals=0,
                         note="US DoD (OUSD(A&S)), February 2022", which=w,
                         period=primes[f"period_{w}"])
                for w in ("before", "after")]
        specs = {f"CR{FIXED_K}": ("% of Top-100 arms revenue", 1, FIXED_K),
                 f"CR{p.top_k}": ("% of Top-100 arms revenue", 1, p.top_k),
                 "HHI": ("points (within the Top 100)", 0, None)}
        for measure, (unit, dec, k) in specs.items():
            for which, year in (("start", s), ("end", e)):
                rows.append(headline(
                    "industry.concentration", f"{measure} {year}", self.value(measure, year),
                    unit, decimals=dec, note=SERIES_WORDS[self.series], measure=measure, k=k,
                    year=year, which=which, series=self.series, edition=TOP100))
            if s < industry.CHINA_FROM <= e:
                for series in (industry.SERIES_PUBLISHED, industry.SERIES_EXCL_CHINA):
                    rows.append(headline(
                        "industry.concentration_at_break",
                        f"{measure} {industry.CHINA_FROM}, {SERIES_WORDS[series]}",
                        self.value(measure, industry.CHINA_FROM, series), unit, decimals=dec,
                        measure=measure, k=k, year=industry.CHINA_FROM, series=series,
                        edition=TOP100))
        total = self.sizes.filter(year=e, series=self.series).row(0, named=True)
        rows.append(headline(
            "industry.total_arms_revenue", "Arms revenue of the SIPRI Top 100"
            + (" without Chinese firms" if p.exclude_china else "") + f", {e}",
            total["total_usd_bn"], "US$ bn, current prices", decimals=1,
            note=f"sum of the {total['n_companies']} companies listed (each rounded by SIPRI "
                 "to US$10 m)", year=e, series=self.series, n_companies=total["n_companies"],
            edition=TOP100))
        us = self.regional.filter(year=e, region="United States").row(0, named=True)
        rows.append(headline(
            "industry.us_share", f"US share of Top-100 arms revenue, {e}", us["share_pct"],
            "% of Top-100 arms revenue", decimals=1, note=SERIES_WORDS[self.series], year=e,
            series=self.series, edition=TOP100))
        latest = self.nato.filter(year=e).row(0, named=True)
        same_as_claim = (p.top_k, e, p.exclude_china) == (CLAIM_K, CLAIM_YEAR, False)
        rows += [] if same_as_claim else [headline(
            "industry.nato_in_top_k", f"NATO companies in the top {p.top_k}, {e}",
            latest["n_nato"], "companies", decimals=0,
            display=f"{latest['n_nato']} of {p.top_k}",
            note="; ".join(latest["nato_companies"]) if p.top_k <= MAX_NAMES else "",
            k=p.top_k, year=e, series=self.series, edition=TOP100)]
        if self.claim_top.height:
            n = int(self.claim_top["nato"].sum())
            rows.append(headline(
                "industry.claim_nato_count",
                f"NATO companies in the top {CLAIM_K}, {CLAIM_YEAR} (the claim's count)", n,
                "companies", decimals=0, display=f"{n} of {CLAIM_K}",
                note="; ".join(self.claim_top.filter("nato")["company"].to_list()),
                k=CLAIM_K, year=CLAIM_YEAR, edition=TOP100))
        rows.append(headline(
            "industry.data_end_year", "Latest year in the SIPRI Top 100 edition",
            self.data_end_year, "year", decimals=0, display=str(self.data_end_year),
            edition=TOP100))
        return rows


# ---------------------------------------------------------------- claims
def claim_fifty_one_to_five(dod: pl.DataFrame, big_us: pl.DataFrame, year: int) -> Claim:
    """The DoD's count against the claim's "51 ... into the Big Five"; ``big_us`` lists the five
    largest US companies of ``year`` in the Top 100 (who the five are today)."""
    primes = dod.filter(pl.col("fact_id") == "primes").row(0, named=True)
    before, after = primes["count_before"], primes["count_after"]
    verdict = REPRODUCED if (before, after) == CLAIM_PRIMES else NOT_SUPPORTED
    names = join_words(big_us["company"].to_list())
    return Claim(
        id="fifty_one_to_five",
        claim="The 51 US prime contractors of the end of the Cold War merged into the 'Big Five'",
        source="NATO Review 2025",
        finding=(f"The US Department of Defense counts {before} aerospace and defense prime "
                 f"contractors in the {primes['period_before']} and {after} in "
                 f"{primes['period_after']}; the five largest US companies in the SIPRI Top 100 "
                 f"of {year} are {names}"),
        verdict=verdict,
        condition=("Checked against the count the claim rests on: the DoD's 'State of "
                   "Competition within the Defense Industrial Base' (February 2022), transcribed "
                   "with its citation (page not verified), not recomputed from data. SIPRI's "
                   "lists begin in 2002, after the mergers; the merger timeline dates each step."),
        chapter=NOTEBOOK, section=SECTION_PRIMES)


def claim_seven_of_ten(claim_top: pl.DataFrame, data_end_year: int, edition: str,
                       membership: pl.DataFrame) -> Claim:
    """'Seven of the top 10 as of 2024', always on the top CLAIM_K of CLAIM_YEAR."""
    claim = ("As of 2024, companies from NATO nations occupied seven of the top 10 spots")
    if not claim_top.height:
        return Claim(
            id="seven_of_ten", claim=claim, source="NATO Review 2025",
            finding=f"the SIPRI Top 100 edition used ({edition}) ends in {data_end_year}",
            verdict=NOT_CHECKABLE,
            condition=f"SIPRI's list for {CLAIM_YEAR} is not in the edition at hand.",
            chapter=NOTEBOOK, section=SECTION_TOP10)
    nato = claim_top.filter("nato")
    n = nato.height
    verdict = REPRODUCED if n == CLAIM_COUNT else NOT_SUPPORTED
    by_country = (nato.group_by("country_published", maintain_order=True)
                  .agg(pl.len().alias("n")))
    where = join_words([f"{r['n']} {r['country_published']}" if r["n"] > 1 else
                        f"1 {r['country_published']}"
                        for r in by_country.iter_rows(named=True)])
    others = join_words([f"{r['company']} ({r['country_published']})"
                         for r in claim_top.filter(~pl.col("nato")).iter_rows(named=True)])
    joined_late = (membership.filter(pl.col("accession_date").dt.year() >= CLAIM_YEAR - 1)
                   ["iso3"].to_list())
    sensitive = nato.filter(pl.col("trans_european") | pl.col("hq_iso3").is_in(joined_late))
    robust = ("none of them is Trans-European or from an Ally that joined in "
              f"{CLAIM_YEAR - 1} or {CLAIM_YEAR}, so the count does not depend on how those are "
              "counted" if not sensitive.height else
              f"{join_words(sensitive['company'].to_list())} count as NATO because "
              "Trans-European companies and Allies from the year they joined are counted")
    condition = (f"SIPRI Top 100, {edition.split(' (')[0]}: {n} of the top {CLAIM_K} in "
                 f"{CLAIM_YEAR} were headquartered in NATO countries ({where}); {robust}. "
                 f"The others: {others}. Ranked by arms revenue in US$ at current prices.")
    if verdict != REPRODUCED:
        condition = f"The data give {n}, not {CLAIM_COUNT}. " + condition
    return Claim(
        id="seven_of_ten", claim=claim, source="NATO Review 2025",
        finding=f"{n} of the top {CLAIM_K} in {CLAIM_YEAR}",
        verdict=verdict, condition=condition, chapter=NOTEBOOK, section=SECTION_TOP10)


# ---------------------------------------------------------------- run
def run(params: Params | None = None, processed_dir=None) -> Result:
    """Compute chapter 3 from the processed Top 100 edition and the curated tables."""
    p = params or Params()
    start, end = p.check_data(processed_dir)
    top100_all = data.table(TOP100, processed_dir)
    membership = data.table("nato_membership", processed_dir)
    dod = data.table("dod_consolidation_2022", processed_dir)
    mergers = data.table("merger_timeline", processed_dir)
    edition = sources.get(TOP100).edition
    data_end = int(top100_all["year"].max())
    window = top100_all.filter(pl.col("year").is_between(start, end))
    top = industry.top_k_by_region(window, membership, k=p.top_k, exclude_china=p.exclude_china)
    claim_top, claim_prev_top = (
        industry.top_k_by_region(top100_all.filter(year=y), membership, k=CLAIM_K)
        .join(top100_all.select("year", "company", "country_published"), on=["year", "company"])
        for y in (CLAIM_YEAR, CLAIM_YEAR - 1))
    big_us = (top100_all.filter(year=data_end, hq_iso3="USA").sort("rank").head(5))
    claims = (claim_fifty_one_to_five(dod, big_us, data_end),
              claim_seven_of_ten(claim_top, data_end, edition, membership))
    result = Result(
        params=p, edition=edition, start_year=start, end_year=end,
        data_start_year=int(top100_all["year"].min()), data_end_year=data_end,
        measures=industry.headline_measures(window, membership, k=p.top_k),
        sizes=industry.with_series(industry.annual_totals, window),
        regional=industry.regional_shares(window, membership, exclude_china=p.exclude_china),
        top=top, top_counts=industry.top_k_region_counts(top),
        nato=industry.top10_nato_count(window, membership, k=p.top_k,
                                       exclude_china=p.exclude_china),
        claim_top=claim_top, claim_prev_top=claim_prev_top, dod=dod, mergers=mergers,
        claims=claims, text={}, titles={})
    return Result(**{**result.__dict__, "text": sentences(result), "titles": titles(result)})


# ---------------------------------------------------------------- words
def moved(a: float, b: float, decimals: int = 1) -> str:
    """'rose', 'fell' or 'was unchanged', judged at the precision shown."""
    a, b = round(a, decimals), round(b, decimals)
    return "rose" if b > a else "fell" if b < a else "was unchanged"


def largest(k: int) -> str:
    """'the five largest companies', 'the 20 largest companies', 'the largest company'."""
    if k == 1:
        return "the largest company"
    return f"the {NUMBER_WORDS.get(k, str(k))} largest companies"


def change(a: float, b: float, first: int, last: int, decimals: int = 1) -> str:
    """'rose from 29.6 % to 31.4 %' or 'was 100.0 % in both 2002 and 2010'."""
    if round(a, decimals) == round(b, decimals):
        return f"was {b:.{decimals}f} % in both {first} and {last}"
    return f"{moved(a, b, decimals)} from {a:.{decimals}f} % to {b:.{decimals}f} %"


def count_range(counts: pl.DataFrame, first: int, last: int) -> str:
    """' From 2015 to 2024 the NATO count ranged from 6 to 7.' (or 'was 5 in every year')."""
    lo, hi = counts["n_nato"].min(), counts["n_nato"].max()
    if lo == hi:
        return f" From {first} to {last} the NATO count was {lo} in every year."
    return f" From {first} to {last} the NATO count ranged from {lo} to {hi}."


def sentences(r: Result) -> dict[str, str]:
    """The chapter's number-bearing prose, and its line for the summary."""
    p, s, e = r.params, r.start_year, r.end_year
    k = p.top_k
    m = partial(industry.value_at, r.measures, series=r.series)
    excl = industry.SERIES_EXCL_CHINA
    series_words = SERIES_WORDS[r.series]
    primes = r.dod.filter(pl.col("fact_id") == "primes").row(0, named=True)
    others = r.dod.filter(pl.col("fact_id") != "primes")
    text: dict[str, str] = {}

    text["data"] = (
        f"Company data: SIPRI Top 100 arms-producing and military services companies, "
        f"{r.edition_short}, covering {r.data_start_year} to {r.data_end_year}; arms revenue "
        "in US$ at current prices, each company rounded by SIPRI to US$10 million. SIPRI "
        f"includes Chinese companies only from {industry.CHINA_FROM}. This chapter analyses "
        f"{s} to {e}.")

    text["dod"] = (
        f"The DoD report counts **{primes['count_before']}** aerospace and defense prime "
        f"contractors in the {primes['period_before']} and **{primes['count_after']}** in "
        f"{primes['period_after']} "
        f"({100 * (1 - primes['count_after'] / primes['count_before']):.0f} % fewer). In the other "
        "categories transcribed here the number of suppliers fell too: "
        + "; ".join(f"{row['category']} {row['count_before']} to {row['count_after']}"
                    for row in others.iter_rows(named=True)) + ".")

    # --- the claim's top 10
    if r.claim_top.height:
        nato = r.claim_top.filter("nato")
        total = r.claim_top["share_pct"].sum()
        text["top10_claim"] = (
            f"In {CLAIM_YEAR} the {CLAIM_K} largest companies earned {total:.1f} % of the "
            f"Top 100's arms revenue; **{nato.height} of them** were headquartered in NATO "
            f"countries: {join_words(nato['company'].to_list())}.")
        if r.claim_prev_top.height:
            before, after = set(r.claim_prev_top["company"]), set(r.claim_top["company"])
            entered = [c for c in r.claim_top["company"] if c not in before]
            left = [c for c in r.claim_prev_top["company"] if c not in after]
            swap = ("the same ten companies" if not entered else
                      f"{join_words(entered)} entered the top {CLAIM_K} in {CLAIM_YEAR} and "
                      f"{join_words(left)} left it")
            text["top10_claim"] += (
                f" In {CLAIM_YEAR - 1}, in the same edition, the count was "
                f"{int(r.claim_prev_top['nato'].sum())} of {CLAIM_K}: {swap}.")
        text["top10_claim"] += (
            f" The claim's count always uses the top {CLAIM_K} of {CLAIM_YEAR} on the "
            "published lists, whatever the parameters of this page.")
    else:
        text["top10_claim"] = (
            f"The edition used ends in {r.data_end_year}: the top {CLAIM_K} of {CLAIM_YEAR} "
            "cannot be listed.")

    # --- concentration (context)
    cr5_a, cr5_b = m(f"CR{FIXED_K}", s), m(f"CR{FIXED_K}", e)
    crk = "" if k == FIXED_K else (
        f" The share of {largest(k)} (CR{k}) {change(m(f'CR{k}', s), m(f'CR{k}', e), s, e)}.")
    last_pre = min(industry.CHINA_FROM - 1, e)
    excl_from = max(industry.CHINA_FROM, s)
    concentration = (
        f"In {s} the five largest companies held **{cr5_a:.1f} %** of the Top 100's arms "
        f"revenue; in {e}, **{cr5_b:.1f} %** ({series_words}).{crk} The HHI "
        f"{moved(m('HHI', s), m('HHI', e), 0)} from {m('HHI', s):,.0f} to {m('HHI', e):,.0f} "
        "points.")
    if s < last_pre:
        concentration += (
            f" Within the comparable lists before Chinese firms were added, CR5 "
            f"{moved(cr5_a, m('CR5', last_pre))} from {cr5_a:.1f} % ({s}) to "
            f"{m('CR5', last_pre):.1f} % ({last_pre}).")
    if e > excl_from:
        a, b = m("CR5", excl_from, series=excl), m("CR5", e, series=excl)
        concentration += (
            f" Since {excl_from}, on the lists without Chinese firms, CR5 {moved(a, b)} from "
            f"{a:.1f} % to {b:.1f} %.")
    if s < industry.CHINA_FROM <= e:
        pub, exc = (m("CR5", industry.CHINA_FROM, series=x)
                    for x in (industry.SERIES_PUBLISHED, excl))
        concentration += (
            f" In {industry.CHINA_FROM} alone, adding Chinese firms moves CR5 from {exc:.1f} % "
            f"to {pub:.1f} %: a change in SIPRI's coverage, not in the industry.")
    text["concentration"] = concentration
    text["context"] = (
        "These measures are context, not a check of a published claim: earlier versions of this "
        "report tested \"concentration has kept rising\", but no NATO document at hand says it, "
        "so no verdict is given. They are computed within the Top 100, not for an arms market.")

    sizes_excl = r.sizes.filter(series=excl)
    text["excl_china"] = (
        f"Without Chinese firms a year's list holds fewer than 100 companies: "
        f"{sizes_excl['n_companies'].min()} to {sizes_excl['n_companies'].max()} a year from "
        f"{sizes_excl['year'].min()} to {sizes_excl['year'].max()} (the companies that would "
        "have ranked just below 100 without China are not in SIPRI's file), so that series "
        "covers slightly less than the Top 100." if sizes_excl.height else
        f"The window {s}–{e} ends before SIPRI added Chinese firms: every list holds 100 "
        "companies.")

    tot = r.sizes.filter(year=e, series=r.series).row(0, named=True)
    subject = ("The Top 100's arms revenue" if r.series == industry.SERIES_PUBLISHED else
               "The arms revenue of the Top 100 without its Chinese firms")
    text["total"] = (
        f"{subject} in {e} was **US$ {fmt(tot['total_usd_bn'])} bn**, the sum of the "
        f"{tot['n_companies']} companies listed. SIPRI rounds "
        "each company's figure to US$10 million; the totals it publishes are these sums (for "
        "earlier editions the tests check this against SIPRI's totals file). No totals file is "
        f"available for the {r.edition_short}, so every total here is the sum of the "
        "rows.")

    # --- regions
    reg = {row["region"]: row for row in r.regional.filter(year=e).iter_rows(named=True)}
    reg_s = {row["region"]: row for row in r.regional.filter(year=s).iter_rows(named=True)}
    nato_share = sum(reg[x]["share_pct"] for x in industry.REGIONS[:3])
    text["regional"] = (
        f"US companies earned **{reg['United States']['share_pct']:.1f} %** of the Top 100's "
        f"arms revenue in {e} ({reg['United States']['n_companies']} companies), against "
        f"{reg_s['United States']['share_pct']:.1f} % in {s}; European NATO (with Trans-European "
        f"companies) {reg['European NATO']['share_pct']:.1f} %, all NATO countries together "
        f"{nato_share:.1f} %. Russian companies held {reg['Russia']['share_pct']:.1f} %"
        + ("" if p.exclude_china or e < industry.CHINA_FROM else
           f" and Chinese companies {reg['China']['share_pct']:.1f} %")
        + f" ({series_words}).")

    # --- the chapter's own top k
    latest = r.nato.filter(year=e).row(0, named=True)
    since = r.nato.filter(pl.col("year") >= excl_from)
    if k == 1:
        where = "was" if latest["n_nato"] else "was not"
        name = join_words(latest["nato_companies"] or latest["other_companies"])
        first = f"In {e} the largest company, {name}, {where} headquartered in a NATO country."
    else:
        verb = "was" if latest["n_nato"] == 1 else "were"
        names = (f" ({join_words(latest['nato_companies'])})" if k <= MAX_NAMES
                 and latest["nato_companies"] else "")
        rest = (f"; the others: {join_words(latest['other_companies'])}." if k <= MAX_NAMES
                and latest["other_companies"] else ".")
        first = (f"In {e}, **{latest['n_nato']} of the top {k}** {verb} headquartered in NATO "
                 f"countries{names}{rest}")
    top_k = (
        first
        + (count_range(since, excl_from, e) if since.height > 1 else "")
        + (" The lists exclude Chinese firms here." if p.exclude_china else ""))
    if (k, e, p.exclude_china) != (CLAIM_K, CLAIM_YEAR, False):
        top_k += (f" The claim counts the top {CLAIM_K} of {CLAIM_YEAR} on the published lists; "
                  "its verdict above does not change with the parameters of this page.")
    text["top_k"] = top_k

    # --- conclusion and summary
    n_claim = int(r.claim_top["nato"].sum()) if r.claim_top.height else None
    claim_words = (f"{n_claim} of the top {CLAIM_K} in {CLAIM_YEAR} were NATO companies"
                   if n_claim is not None else
                   f"the {CLAIM_YEAR} list is not in the edition used")
    us = reg["United States"]["share_pct"]
    text["conclusion"] = (
        f"The DoD's own count gives {primes['count_before']} prime contractors in the "
        f"{primes['period_before']} and {primes['count_after']} in {primes['period_after']}: "
        f"the figure behind the 'Big Five' claim, transcribed with its citation. On SIPRI's "
        f"data, {claim_words}. Within the Top 100 the five largest companies' share "
        f"{moved(cr5_a, cr5_b)} from {cr5_a:.1f} % in {s} to {cr5_b:.1f} % in {e} "
        f"({series_words}); US companies earned {us:.1f} % of its arms revenue in {e}.")
    crk_summary = "" if k == FIXED_K or round(m(f"CR{k}", e), 1) >= 100 else (
        f" and {largest(k).removesuffix(' companies').removesuffix(' company')} "
        f"{m(f'CR{k}', e):.1f} %")
    who = (f"the {tot['n_companies']} companies of the SIPRI Top 100"
           if r.series == industry.SERIES_PUBLISHED else
           f"the {tot['n_companies']} non-Chinese companies of the SIPRI Top 100")
    text["summary"] = (
        f"**Industry.** In {e} {who} ({r.edition_short}) earned US$ "
        f"{fmt(tot['total_usd_bn'])} bn from arms (the sum of their rows); the five largest "
        f"held {cr5_b:.1f} % of it{crk_summary}, against {cr5_a:.1f} % for the five largest in "
        f"{s}. US companies held {us:.1f} %. {claim_words[0].upper()}{claim_words[1:]}.")
    return text


def titles(r: Result) -> dict[str, dict]:
    """Chart titles and subtitles, worded from the numbers they show."""
    p, s, e = r.params, r.start_year, r.end_year
    primes = r.dod.filter(pl.col("fact_id") == "primes").row(0, named=True)
    cr5_a = industry.value_at(r.measures, "CR5", s, r.series)
    cr5_b = industry.value_at(r.measures, "CR5", e, r.series)
    us = dict(r.regional.filter(region="United States").select("year", "share_pct").iter_rows())
    latest = r.nato.filter(year=e).row(0, named=True)
    series_words = SERIES_WORDS[r.series]
    claim = (f" Claim tested: seven of the top {CLAIM_K} in {CLAIM_YEAR}."
             if (p.top_k, p.exclude_china) == (CLAIM_K, False) and s <= CLAIM_YEAR <= e else "")
    if round(cr5_a) == round(cr5_b):
        cr5_title = f"was {cr5_b:.0f} % in {s} and in {e}"
    else:
        cr5_title = f"{moved(cr5_a, cr5_b, 0)} from {cr5_a:.0f} % to {cr5_b:.0f} %, {s}–{e}"
    return {
        "dod": {"title": f"{primes['count_before']} US aerospace and defense primes became "
                         f"{primes['count_after']}",
                "subtitle": f"DoD (2022): \"{primes['quote']}\""},
        "mergers": {"title": "The mergers behind today's primes",
                    "subtitle": "Mergers and acquisitions per company as dated in the curated "
                                "timeline; the DoD's count describes the US side"},
        "concentration": {
            "title": f"The five largest arms companies' share {cr5_title}",
            "subtitle": f"Share of the SIPRI Top 100's arms revenue ({series_words}); context "
                        "for the consolidation claims, not a claim itself."},
        "regional": {
            "title": f"US companies earned {us[e]:.0f} % of the Top 100's arms revenue in {e}",
            "subtitle": f"US share {us[s]:.0f} % in {s}, {us[e]:.0f} % in {e} ({series_words})."},
        "top_k": {
            "title": f"NATO companies held {latest['n_nato']} of the top {p.top_k} in {e}",
            "subtitle": f"Companies in the top {p.top_k} by headquarters, {s}–{e} "
                        f"({series_words}).{claim}"},
    }
