"""The words of chapter 3 (industry consolidation): claims, sentences, tables, chart titles and
headline labels, from what :mod:`dibtrends.chapters.industry` computed."""

from __future__ import annotations

import polars as pl

from ..industry import ARMS, CHINA_FROM, REGIONS, SERIES_EXCL_CHINA, SERIES_PUBLISHED
from ..results import REPRODUCED, Claim, Headline, Table, headline
from . import NUMBER_WORDS, cap, count_of, fmt, join_words, paragraph, table

#: The two claims in NATO Review's words, and the numbers their checks read from them.
SOURCE = "NATO Review 2025"
FIFTY_ONE = "The 51 US prime contractors of the end of the Cold War merged into the 'Big Five'"
SEVEN_OF_TEN = "As of 2024, companies from NATO nations occupied seven of the top 10 spots"
CLAIM_PRIMES = (51, 5)
CLAIM_YEAR, CLAIM_K, CLAIM_COUNT = 2024, 10, 7
PRIMES = " aerospace and defense prime contractors"  # what the DoD's headline count counts
MAX_NAMES = 20  # prose names the companies of a top group up to this size
SERIES_WORDS = {SERIES_PUBLISHED: "the published lists",
                SERIES_EXCL_CHINA: "the lists without Chinese firms"}
US = "United States"
#: SIPRI's definition of its country label "Trans-European" (Top 100 file, December 2025
#: release, sheet 2024, footnote).
TRANS_EUROPEAN = "ownership and control structures are located in more than one European country"


def moved(a: float, b: float, decimals: int = 1) -> str:
    """'rose', 'fell' or 'was unchanged', judged at the precision shown."""
    a, b = round(a, decimals), round(b, decimals)
    return "rose" if b > a else "fell" if b < a else "was unchanged"


def largest(k: int, noun: bool = True) -> str:
    """'the five largest companies', 'the 20 largest companies', 'the largest company'; without
    the noun 'the five largest'."""
    words = "the largest" if k == 1 else f"the {NUMBER_WORDS.get(k, k)} largest"
    return f"{words} {'company' if k == 1 else 'companies'}" if noun else words


def primes(dod: pl.DataFrame) -> dict:
    """The DoD's row for aerospace and defense prime contractors."""
    return dod.filter(pl.col("fact_id") == "primes").row(0, named=True)


def counted(p: dict, noun: str = "", bold: str = "") -> str:
    """'51 prime contractors in the 1990s and 5 in 2021': the DoD's two counts (``p``)."""
    return (f"{bold}{p['count_before']}{bold}{noun} in the {p['period_before']} and "
            f"{bold}{p['count_after']}{bold} in {p['period_after']}")


def latest_top(r) -> dict:
    """The chapter's top group in its last year (industry.top10_nato_count's row)."""
    return r.nato.filter(year=r.end_year).row(0, named=True)


def total(r) -> dict:
    """The last year's Top-100 total (US$ bn) and company count, on the chapter's series."""
    return r.sizes.filter(year=r.end_year, series=r.series).row(0, named=True)


def as_claimed(r) -> bool:
    """Whether the chapter's own top group is the claim's (top 10 of 2024, published lists)."""
    return (r.params.top_k, r.end_year, r.params.exclude_china) == (CLAIM_K, CLAIM_YEAR, False)


def region_shares(r, year: int) -> dict[str, float]:
    return dict(r.regional.filter(year=year).select("region", "share_pct").iter_rows())


# ---------------------------------------------------------------- claims
def fifty_one_to_five(p: dict, big_us: list[str], year: int, verdict: str,
                      **where: str) -> Claim:
    """``p``: the DoD's row for prime contractors (:func:`primes`)."""
    return Claim(id="fifty_one_to_five", claim=FIFTY_ONE, source=SOURCE, verdict=verdict,
                 finding=paragraph(f"""The US Department of Defense counts {counted(p, PRIMES)};
        the five largest US companies in the SIPRI Top 100 of {year} are
        {join_words(big_us)}"""),
                 condition=paragraph("""Checked against the count the claim rests on: the DoD's
        'State of Competition within the Defense Industrial Base' (February 2022), transcribed
        with its citation (page not verified), not recomputed from data. SIPRI's lists begin in
        2002, after the mergers; the merger timeline dates each step."""),
                 short=paragraph(f"""The DoD's own count gives {counted(p)} (transcribed, not
        recomputed: SIPRI's lists begin in 2002, after the mergers)."""), **where)


def seven_of_ten(top: pl.DataFrame, sensitive: list[str] | None, verdict: str, edition: str,
                 data_end_year: int, **where: str) -> Claim:
    """``sensitive``: the NATO companies counted only by the rules for Trans-European firms and
    new Allies (None: the year is not in the edition)."""
    claim = {"id": "seven_of_ten", "claim": SEVEN_OF_TEN, "source": SOURCE, "verdict": verdict}
    if sensitive is None:
        missing = f"SIPRI's list for {CLAIM_YEAR} is not in the edition at hand."
        return Claim(**claim, **where, condition=missing, short=missing,
                     finding=f"the SIPRI Top 100 edition used ({edition}) ends in "
                     f"{data_end_year}")
    nato, n = top.filter("nato"), int(top["nato"].sum())
    countries = join_words([f"{k} {c}" for c, k in nato.group_by(
        "country_published", maintain_order=True).agg(pl.len()).rows()])
    others = join_words([f"{c} ({k})" for c, k in top.filter(~pl.col("nato")).select(
        "company", "country_published").rows()])
    robust = (f"""{join_words(sensitive)} count as NATO because Trans-European companies and
        Allies from the year they joined are counted""" if sensitive else f"""none of them is
        Trans-European or from an Ally that joined in {CLAIM_YEAR - 1} or {CLAIM_YEAR}, so the
        count does not depend on how those are counted""")
    differs = "" if verdict == REPRODUCED else f"The data give {n}, not {CLAIM_COUNT}."
    rule = (f"counting {join_words(sensitive)} by the rule for Trans-European firms and new "
            "Allies" if sensitive else "none of them Trans-European or from a new Ally, so the "
            "count does not hang on how those count")
    return Claim(**claim, **where, finding=f"{n} of the top {CLAIM_K} in {CLAIM_YEAR}",
                 condition=paragraph(f"""{differs} SIPRI Top 100, {edition.split(' (')[0]}: {n}
        of the top {CLAIM_K} in {CLAIM_YEAR} were headquartered in NATO countries ({countries});
        {robust}. The others: {others}. Ranked by arms revenue in US$ at current prices."""),
                 short=f"{n} of the top {CLAIM_K} in {CLAIM_YEAR} on SIPRI's Top 100 "
                       f"({edition.split(' (')[0]}), {rule}.")


# ---------------------------------------------------------------- sentences
def sentences(r) -> dict[str, str]:
    """The chapter's number-bearing prose, and its line for the summary."""
    s, e, k, series = r.start_year, r.end_year, r.params.top_k, SERIES_WORDS[r.series]
    cr5 = r.value("CR5", s), r.value("CR5", e)
    p, tot, excl = primes(r.dod), total(r), r.sizes.filter(series=SERIES_EXCL_CHINA)
    reg, us_start = region_shares(r, e), region_shares(r, s)[US]
    others = "; ".join(f"{c} {a} to {b}" for c, a, b in r.dod.filter(pl.col("fact_id") != "primes")
                       .select("category", "count_before", "count_after").rows())
    published = r.series == SERIES_PUBLISHED
    china = "" if r.params.exclude_china or e < CHINA_FROM else \
        f" and Chinese companies {reg['China']:.1f} %"
    claim = (f"{int(r.claim_top['nato'].sum())} of the top {CLAIM_K} in {CLAIM_YEAR} were NATO "
             "companies" if r.claim_top.height else
             f"the {CLAIM_YEAR} list is not in the edition used")
    crk = "" if k == 5 or round(r.value(f"CR{k}", e), 1) >= 100 else (
        f" and {largest(k, noun=False)} {r.value(f'CR{k}', e):.1f} %")
    text = {
        "data": f"""Company data: SIPRI Top 100 arms-producing and military services companies,
            {r.edition}, covering {r.data_start_year} to {r.data_end_year}; arms revenue in
            US$ at current prices, each company rounded by SIPRI to US$ 10 m. SIPRI includes
            Chinese companies only from {CHINA_FROM}. This chapter analyses {s} to {e}.""",
        "dod": f"""The DoD report counts {counted(p, PRIMES, "**")}
            ({100 * (1 - p['count_after'] / p['count_before']):.0f} % fewer).
            In the other categories transcribed here the number of suppliers fell too: {others}.""",
        "top10_claim": _top10_claim(r),
        "concentration": _concentration(r, cr5),
        "context": """These measures are context, not a check of a published claim: earlier
            versions of this report tested "concentration has kept rising", but no NATO document
            at hand says it, so no verdict is given. They are computed within the Top 100, not for
            an arms market.""",
        "excl_china": f"""Without Chinese firms a year's list holds fewer than 100 companies:
            {excl['n_companies'].min()} to {excl['n_companies'].max()} a year from
            {excl['year'].min()} to {excl['year'].max()} (the companies that would have ranked
            just below 100 without China are not in SIPRI's file), so that series covers slightly
            less than the Top 100.""" if excl.height else f"""The window {s}–{e} ends before SIPRI
            added Chinese firms: every list holds 100 companies.""",
        "total": f"""The arms revenue of the Top
            100{'' if published else ' without its Chinese firms'} in {e} was
            **US$ {fmt(tot['total_usd_bn'])} bn**, the sum of the {tot['n_companies']} companies
            listed, each as SIPRI rounded it. The totals SIPRI
            publishes are such sums (for earlier editions the tests check this against SIPRI's
            totals file). No totals file is available for the {r.edition}, so every total here
            is the sum of the rows.""",
        "regional": f"""US companies earned **{reg[US]:.1f} %** of Top-100 arms revenue in
            {e} ({r.regional.filter(year=e, region=US)['n_companies'].item()} companies), against
            {us_start:.1f} % in {s}; European NATO (with Trans-European companies)
            {reg['European NATO']:.1f} %, all NATO countries together
            {sum(reg[x] for x in REGIONS[:3]):.1f} %. Russian companies held
            {reg['Russia']:.1f} %{china} ({series}).""",
        "top_k": _top_k(r),
        "conclusion": f"""The DoD's own count gives {counted(p, " prime contractors")}: the
            figure behind the 'Big Five' claim, transcribed with its citation. On SIPRI's data,
            {claim}. Within the Top 100 the five largest companies' share {moved(*cr5)} from
            {cr5[0]:.1f} % in {s} to {cr5[1]:.1f} % in {e} ({series}); US companies earned
            {reg[US]:.1f} % of its arms revenue in {e}.""",
        "summary": f"""**Industry.** In {e} the {tot['n_companies']} {'' if published else
            'non-Chinese '}companies of the SIPRI Top 100 ({r.edition})
            earned US$ {fmt(tot['total_usd_bn'])} bn from arms (the sum of their rows); the five
            largest held {cr5[1]:.1f} % of it{crk}, against {cr5[0]:.1f} % for the five largest
            in {s}. US companies held {reg[US]:.1f} %. {cap(claim)}."""}
    return {key: paragraph(value) for key, value in text.items()}


def _top10_claim(r) -> str:
    if not r.claim_top.height:
        return (f"The edition used ends in {r.data_end_year}: the top {CLAIM_K} of {CLAIM_YEAR} "
                "cannot be listed.")
    nato, prev = r.claim_top.filter("nato"), r.claim_prev_top
    text = f"""In {CLAIM_YEAR} the {CLAIM_K} largest companies earned
        {r.claim_top['share_pct'].sum():.1f} % of Top-100 arms revenue; **{nato.height} of
        them** were headquartered in NATO countries: {join_words(nato['company'].to_list())}."""
    if prev.height:
        entered = [c for c in r.claim_top["company"] if c not in set(prev["company"])]
        left = [c for c in prev["company"] if c not in set(r.claim_top["company"])]
        swap = (f"{join_words(entered)} entered the top {CLAIM_K} in {CLAIM_YEAR} and "
                f"{join_words(left)} left it" if entered else "the same ten companies")
        text += f""" In {CLAIM_YEAR - 1}, in the same edition, the count was
            {int(prev['nato'].sum())} of {CLAIM_K}: {swap}."""
    return text + f""" The claim's count always uses the top {CLAIM_K} of {CLAIM_YEAR} on the
        published lists, whatever the parameters of this page."""


def _concentration(r, cr5: tuple[float, float]) -> str:
    s, e, k, m = r.start_year, r.end_year, r.params.top_k, r.value
    last_pre, excl_from = min(CHINA_FROM - 1, e), max(CHINA_FROM, s)
    text = f"""In {s} the five largest companies held **{cr5[0]:.1f} %** of Top-100 arms
        revenue; in {e}, **{cr5[1]:.1f} %** ({SERIES_WORDS[r.series]})."""
    if k != 5:
        a, b = m(f"CR{k}", s), m(f"CR{k}", e)
        text += f" The share of {largest(k)} (CR{k}) " + (
            f"was {b:.1f} % in both {s} and {e}" if round(a, 1) == round(b, 1) else
            f"{moved(a, b)} from {a:.1f} % to {b:.1f} %") + "."
    text += f""" The HHI {moved(m('HHI', s), m('HHI', e), 0)} from {m('HHI', s):,.0f} to
        {m('HHI', e):,.0f} points."""
    if s < last_pre:
        text += f""" Within the comparable lists before Chinese firms were added, CR5
            {moved(cr5[0], m('CR5', last_pre))} from {cr5[0]:.1f} % ({s}) to
            {m('CR5', last_pre):.1f} % ({last_pre})."""
    if e > excl_from:
        a, b = (m("CR5", y, SERIES_EXCL_CHINA) for y in (excl_from, e))
        text += f""" Since {excl_from}, on the lists without Chinese firms, CR5 {moved(a, b)}
            from {a:.1f} % to {b:.1f} %."""
    if s < CHINA_FROM <= e:
        pub, exc = (m("CR5", CHINA_FROM, x) for x in (SERIES_PUBLISHED, SERIES_EXCL_CHINA))
        text += f""" In {CHINA_FROM} alone, adding Chinese firms moves CR5 from {exc:.1f} % to
            {pub:.1f} %: a change in SIPRI's coverage, not in the industry."""
    return text


def _top_k(r) -> str:
    e, k, latest = r.end_year, r.params.top_k, latest_top(r)
    n, nato_cos, other_cos = latest["n_nato"], latest["nato_companies"], latest["other_companies"]
    if k == 1:
        text = f"""In {e} the largest company, {join_words(nato_cos or other_cos)},
            {'was' if n else 'was not'} headquartered in a NATO country."""
    else:
        names = f" ({join_words(nato_cos)})" if k <= MAX_NAMES and nato_cos else ""
        rest = f"; the others: {join_words(other_cos)}." if k <= MAX_NAMES and other_cos else "."
        text = f"""In {e}, **{n} of the top {k}** {'was a NATO company' if n == 1 else
            'were NATO companies'}{names}{rest}"""
    text += " " + _trans_european(r)
    excl_from = max(CHINA_FROM, r.start_year)
    since = r.nato.filter(pl.col("year") >= excl_from)["n_nato"]
    if since.len() > 1:
        text += (f" From {excl_from} to {e} the NATO count " + (
            f"was {since.min()} in every year." if since.min() == since.max() else
            f"ranged from {since.min()} to {since.max()}."))
    if r.params.exclude_china:
        text += " The lists exclude Chinese firms here."
    if not as_claimed(r):
        text += f""" The claim counts the top {CLAIM_K} of {CLAIM_YEAR} on the published lists;
            its verdict above does not change with the parameters of this page."""
    return text


def _trans_european(r) -> str:
    """How Trans-European companies count, said for whatever top group the parameters chose:
    which of them are in it, and the count without them."""
    e, k, s, latest = r.end_year, r.params.top_k, r.start_year, latest_top(r)
    te, n = latest["trans_european_companies"], latest["n_nato"]
    group = "the largest company" if k == 1 else f"the top {k}"
    text = f"""SIPRI's Trans-European companies, whose \u201c{TRANS_EUROPEAN}\u201d, count as
        NATO companies here, as in the claim's check: """ + (
        f"""in {e} {join_words(te)} {'is' if len(te) == 1 else 'are'} in {group}, and without
        {'it' if len(te) == 1 else 'them'} the NATO count would be {n - len(te)} of {k}."""
        if te else f"in {e} the largest company is not one." if k == 1 else
        f"in {e} none is in {group}.")
    years = r.nato.filter(pl.col("trans_european_companies").list.len() > 0)
    if years.height and (years.height > 1 or not te):
        companies = list(dict.fromkeys(years["trans_european_companies"].explode()))
        often = ("every year" if years.height == r.nato.height else
                 f"{years.height} of the {r.nato.height} years")
        text += f""" {join_words(companies)} {'was' if len(companies) == 1 else 'were'} in
            {group} in {often} from {s} to {e}."""
    return text


def titles(r) -> dict[str, dict]:
    """Chart titles and subtitles, worded from the numbers they show."""
    p, s, e = r.params, r.start_year, r.end_year
    a, b = (r.value("CR5", y) for y in (s, e))
    us_s, us_e, series, dod = region_shares(r, s)[US], region_shares(r, e)[US], \
        SERIES_WORDS[r.series], primes(r.dod)
    claim = (f" Claim tested: seven of the top {CLAIM_K} in {CLAIM_YEAR}."
             if (p.top_k, p.exclude_china) == (CLAIM_K, False) and s <= CLAIM_YEAR <= e else "")
    k_top = latest_top(r)["n_nato"]
    fewer = int((r.dod["count_after"] < r.dod["count_before"]).sum())
    return {
        "dod": {"title": f"{dod['count_before']} US aerospace and defense primes became "
                         f"{dod['count_after']}", "subtitle": f"DoD (2022): \"{dod['quote']}\"",
                "caption": f"US suppliers per category in the {dod['period_before']} and in "
                           f"{dod['period_after']}, as the US Department of Defense counts them: "
                           "fewer in " + (f"all {fewer}" if fewer == r.dod.height else
                                          f"{fewer} of the {r.dod.height}") + " categories"},
        "mergers": {"title": "The mergers behind today's primes",
                    "subtitle": "Mergers and acquisitions per company as dated in the curated "
                                "timeline; the DoD's count describes the US side",
                    "caption": f"{r.mergers.height} mergers, acquisitions and renamings behind "
                               f"{r.mergers['company_after'].n_unique()} US and European "
                               "defence companies, by year of completion (the project's cited "
                               "timeline)"},
        "concentration": {
            "title": "The five largest arms companies' share " + (
                f"was {b:.0f} % in {s} and in {e}" if round(a) == round(b) else
                f"{moved(a, b, 0)} from {a:.0f} % to {b:.0f} %, {s}–{e}"),
            "subtitle": f"Share of SIPRI Top-100 arms revenue ({series}); context for the "
                        "consolidation claims, not a claim itself.",
            "caption": f"Concentration within the SIPRI Top 100 each year, {s}–{e}: the share "
                       f"of its arms revenue held by its largest companies and the HHI, with "
                       f"and without Chinese firms (CR5 {a:.1f} % in {s}, {b:.1f} % in {e})"},
        "regional": {
            "title": f"US companies earned {us_e:.0f} % of Top-100 arms revenue in {e}",
            "subtitle": f"US share {us_s:.0f} % in {s}, {us_e:.0f} % in {e} ({series}).",
            "caption": f"Top-100 arms revenue by the region of each company's headquarters, "
                       f"{s}–{e}, stacked to 100 % ({series})"},
        "top_k": {
            "title": f"NATO companies held {k_top} of the top {p.top_k} in {e}",
            "subtitle": f"Companies in the top {p.top_k} by headquarters, {s}–{e} ({series})."
                        f"{claim}",
            "caption": f"The {p.top_k} largest arms companies of each year, {s}–{e}, counted "
                       f"by the region of their headquarters: {k_top} NATO companies in {e}, "
                       f"Trans-European ones counted in European NATO"},
    }


# ---------------------------------------------------------------- tables
#: Markdown links from a citation column: 'Title, ..., https://...' -> '[Title](https://...)'.
CITED = (pl.col(r"^(citation|corroborated_by)$").str.split("; ").list.eval(
    pl.format("[{}]({})", pl.element().str.split(", ").list.first(),
              pl.element().str.extract(r"(https?://\S+)"))).list.drop_nulls().list.join("; "))


def tables(r) -> dict[str, Table]:
    s, e, k, ed = r.start_year, r.end_year, r.params.top_k, r.edition
    selected = sorted({s, e} | {y for y in (CHINA_FROM - 1, CHINA_FROM) if s <= y <= e})
    ratios = list(dict.fromkeys(["CR5", f"CR{k}"]))
    wide = (r.measures.pivot(on="measure", index=["year", "series"], values="value")
            .join(r.sizes, on=["year", "series"]).filter(pl.col("year").is_in(selected))
            .sort("year", pl.col("series") != SERIES_PUBLISHED)
            .with_columns(pl.col("series").replace_strict(SERIES_WORDS)))
    regional = (r.regional.filter(pl.col("year").is_in([s, e]))
                .filter(pl.lit(not r.params.exclude_china and e >= CHINA_FROM)
                        | (pl.col("region") != "China"))
                .pivot(on="year", index="region", values="share_pct"))
    dod = primes(r.dod)
    return {
        "dod": table("03_dod_counts", r.dod.with_columns(CITED), """US suppliers per category as
            counted by the US Department of Defense, 'State of Competition within the Defense
            Industrial Base' (February 2022); transcribed, page not verified""",
                     {"category": "Category", "count_before": dod["period_before"],
                      "count_after": dod["period_after"], "quote": "The report's words",
                      "corroborated_by": "Quoted by"}),
        "mergers": table(
            "03_merger_timeline", r.mergers.sort("region", "year", "company_after",
                                                 descending=[True, False, False])
            .with_columns(CITED), """The curated merger timeline (year of completion or of the
            named event); full citations in data/curated/merger_timeline.csv""",
            {"year": "Year", "region": "Region", "company_after": "Company after",
             "event_type": "Type", "event": "What happened", "citation": "Sources"}),
        "top10_claim": table(
            "03_top10_claim_year",
            r.claim_top.with_columns((pl.col(ARMS) / 1000).alias("arms_usd_bn")),
            f"""The {CLAIM_K} largest arms companies in {CLAIM_YEAR} by arms revenue (SIPRI Top
            100, {ed}); NATO: headquartered in an Ally that year, or Trans-European""",
            {"position": "Rank", "company": "Company", "country_published": "Country (SIPRI)",
             "region": "Region", "nato": "NATO", "arms_usd_bn": "Arms revenue, US$ bn",
             "share_pct": "Share of Top-100 arms revenue, %"},
            decimals={"arms_usd_bn": 2}),
        # Units and definitions in the caption, so each header fits on three lines in print.
        "concentration": table(
            "03_concentration_selected_years", wide, f"""Concentration within the SIPRI Top 100
            in selected years (SIPRI, {ed}). CR*k*: share of the list's arms revenue held by
            its *k* largest companies, %; HHI: 0 to 10,000 points; arms revenue: the sum of the
            companies listed, US$ bn at current prices (shares do not depend on the price
            basis)""",
            {"year": "Year", "series": "Series", **{c: f"{c}, %" for c in ratios},
             "HHI": "HHI, points", "n_companies": "Companies",
             "total_usd_bn": "Arms revenue, US$ bn"},
            decimals={"HHI": 0}),
        "regional": table(
            "03_regional_shares_first_last", regional, f"""Share of SIPRI Top-100 arms revenue by
            headquarters region, %, {s} and {e} (SIPRI, {ed}; {SERIES_WORDS[r.series]})""",
            {"region": "Headquarters region", str(s): f"{s}, %", str(e): f"{e}, %"}),
    }


# ---------------------------------------------------------------- headlines
def headlines(r) -> list[Headline]:
    """What the summary and the baseline read; every SIPRI figure names its edition's id."""
    p, s, e, series, dod, edition = (r.params, r.start_year, r.end_year, r.series, primes(r.dod),
                                     r.source_id)
    rows = [headline("industry.dod_primes",
                     f"DoD: aerospace and defense prime contractors, {dod[f'period_{w}']}",
                     dod[f"count_{w}"], "companies", decimals=0,
                     note="US DoD (OUSD(A&S)), February 2022", which=w,
                     period=dod[f"period_{w}"]) for w in ("before", "after")]
    share = "% of Top-100 arms revenue"
    specs = {"CR5": (share, 1, 5), f"CR{p.top_k}": (share, 1, p.top_k),
             "HHI": ("points (within the Top 100)", 0, None)}
    for measure, (unit, dec, k) in specs.items():
        rows += [headline("industry.concentration", f"{measure} {year}", r.value(measure, year),
                          unit, decimals=dec, note=SERIES_WORDS[series], measure=measure, k=k,
                          year=year, which=which, series=series, edition=edition)
                 for which, year in (("start", s), ("end", e))]
        rows += [headline("industry.concentration_at_break",
                          f"{measure} {CHINA_FROM}, {SERIES_WORDS[x]}",
                          r.value(measure, CHINA_FROM, x), unit, decimals=dec, measure=measure,
                          k=k, year=CHINA_FROM, series=x, edition=edition)
                 for x in (SERIES_PUBLISHED, SERIES_EXCL_CHINA) if s < CHINA_FROM <= e]
    tot, latest = total(r), latest_top(r)
    rows += [
        headline("industry.total_arms_revenue", "Arms revenue of the SIPRI Top 100"
                 + (" without Chinese firms" if p.exclude_china else "") + f", {e}",
                 tot["total_usd_bn"], "US$ bn, current prices",
                 note=f"sum of the {tot['n_companies']} companies listed (each as SIPRI "
                      "rounded it)", year=e, series=series, n_companies=tot["n_companies"],
                 edition=edition),
        headline("industry.us_share", f"US share of Top-100 arms revenue, {e}",
                 region_shares(r, e)[US], share, note=SERIES_WORDS[series], year=e,
                 series=series, edition=edition)]
    if not as_claimed(r):
        rows.append(count_of(
            "industry.nato_in_top_k", f"NATO companies in the top {p.top_k}, {e}",
            latest["n_nato"], p.top_k, "companies",
            note="; ".join(latest["nato_companies"]) if p.top_k <= MAX_NAMES else "",
            k=p.top_k, year=e, series=series, edition=edition))
    if r.claim_top.height:
        nato = r.claim_top.filter("nato")["company"].to_list()
        rows.append(count_of(
            "industry.claim_nato_count",
            f"NATO companies in the top {CLAIM_K}, {CLAIM_YEAR} (the claim's count)", len(nato),
            CLAIM_K, "companies", note="; ".join(nato), k=CLAIM_K, year=CLAIM_YEAR,
            edition=edition))
    return rows + [headline("industry.data_end_year", "Latest year in the SIPRI Top 100 edition",
                            r.data_end_year, "year", decimals=0, display=str(r.data_end_year),
                            edition=edition)]
