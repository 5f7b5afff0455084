"""The source registry: one record per upstream file the project reads.

Every number in the report walks back to one of these records. The sha256 pins the exact
edition the analysis was built on: if a publisher silently changes a file, the fetch stops
rather than quietly changing the numbers.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # polars only for registry_table(); `make data`'s fast check never needs it
    import polars as pl

#: Date on which the project recorded (and verified) each sha256 below.
REGISTERED_ON = "2026-11-23"

SIPRI_TERMS = (
    "SIPRI terms: free for non-commercial use with attribution to SIPRI; "
    "not to be redistributed wholesale."
)


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    edition: str
    filename: str
    sha256: str
    licence: str
    #: Direct download address, or None where the publisher offers only a landing page.
    url: str | None
    #: Human landing page / DOI to cite.
    landing_url: str
    retrieved: str = REGISTERED_ON
    notes: str = ""

    @property
    def citation(self) -> str:
        return f"{self.publisher}, {self.title}, {self.edition}. {self.url or self.landing_url}"


#: The USGS MCS 2024 files, by what they hold (the registry ids the loader and chapter use).
USGS_FIG2, USGS_FIG3, USGS_T4, USGS_T5 = (f"usgs_mcs2024_{k}" for k in ("fig2", "fig3", "t4", "t5"))

SOURCES: tuple[Source, ...] = (
    Source(
        id="sipri_milex_2025",
        publisher="Stockholm International Peace Research Institute (SIPRI)",
        title="SIPRI Military Expenditure Database, 1949-2025",
        edition="release v1.2 (April 2026)",
        filename="SIPRI-Milex-data-1949-2025_v1.2.xlsx",
        sha256="6cc3a30b1064f9f02e60236667eef82e08cad42910ce630909d004ad2c398a9d",
        licence=SIPRI_TERMS,
        url="https://www.sipri.org/sites/default/files/SIPRI-Milex-data-1949-2025_v1.2.xlsx",
        landing_url="https://www.sipri.org/databases/milex",
        notes=("Constant prices in 2024 US$. Share of GDP is published as a fraction "
               "(0.0343 = 3.43 %); "
               "the loader converts to percent."),
    ),
    Source(
        id="sipri_milex_2024",
        publisher="Stockholm International Peace Research Institute (SIPRI)",
        title="SIPRI Military Expenditure Database, 1949-2024",
        edition="April 2025 release",
        filename="SIPRI-Milex-data-1949-2024_2.xlsx",
        sha256="8a31c2794c8070230b3b9ef26a3249663f6317a8bc86ba3ec3099c791cdb692f",
        licence=SIPRI_TERMS,
        url="https://www.sipri.org/sites/default/files/SIPRI-Milex-data-1949-2024_2.xlsx",
        landing_url="https://www.sipri.org/databases/milex",
        notes=("Constant prices in 2023 US$. Previous vintage, used only to show revisions between "
               "releases; never mixed with v1.2."),
    ),
    Source(
        id="nato_defexp_2024",
        publisher="NATO Public Diplomacy Division",
        title="Defence Expenditure of NATO Countries (2014-2024), press release tables",
        edition="17 June 2024 (2023 and 2024 are estimates)",
        filename="240617-def-exp-2024-TABLES-en.xlsx",
        sha256="1897e2ead4be252c5c9a9d2f2696a65398c51375c88a2e7425339a8d368a600b",
        licence="NATO content: credit NATO; not to be sold or used for advertising.",
        url="https://www.nato.int/nato_static_fl2014/assets/pdf/2024/6/pdf/240617-def-exp-2024-TABLES-en.xlsx",
        landing_url="https://www.nato.int/cps/en/natohq/topics_49198.htm",
        notes="Tables 1-8b. NATO's definition of defence expenditure differs from SIPRI's.",
    ),
    # The SIPRI Top 100, one record per edition: ids end in the edition's last data year, like
    # the milex ids. SIPRI revises earlier years between editions; the editions are never mixed
    # in one series (dibtrends.industry compares them side by side).
    Source(
        id="sipri_top100_2023",
        publisher="Stockholm International Peace Research Institute (SIPRI)",
        title=("SIPRI Arms Industry Database: Top 100 arms-producing and military services "
               "companies, 2002-2023"),
        edition="December 2024 release (data to 2023)",
        filename="SIPRI-Top-100-2002-2023.xlsx",
        sha256="43efb9ffcaab357701eb74701191e4be17c7026391f9c08bf61c5b8a663c1e79",
        licence=SIPRI_TERMS,
        url="https://www.sipri.org/sites/default/files/SIPRI-Top-100-2002-2023.xlsx",
        landing_url="https://www.sipri.org/databases/armsindustry",
        notes=("US$ million, current prices, each company rounded to US$10 m; constant prices in "
               "2023 US$. Chinese companies included only from 2015 (series break). Superseded "
               "by sipri_top100_2024; kept to show SIPRI's revisions between editions."),
    ),
    Source(
        id="sipri_top100_2024",
        publisher="Stockholm International Peace Research Institute (SIPRI)",
        title=("SIPRI Arms Industry Database: Top 100 arms-producing and military services "
               "companies, 2002-2024"),
        edition="December 2025 release (data to 2024)",
        # The published name has a space and "(2)"; the URL below is its encoded form.
        filename="SIPRI-Top-100-2002-2024 (2).xlsx",
        sha256="9004c4fd62a2675915e507a07a5dd56d281ca317cd80ae7968bdd6a82c1fc0b1",
        licence=SIPRI_TERMS,
        url="https://www.sipri.org/sites/default/files/SIPRI-Top-100-2002-2024%20%282%29.xlsx",
        landing_url="https://www.sipri.org/databases/armsindustry",
        notes=("US$ million, current prices, each company rounded to US$10 m; constant prices in "
               "2024 US$. Chinese companies included only from 2015 (series break). SIPRI's "
               "totals file for this edition is not registered: a year's Top 100 total is the "
               "sum of its 100 rows."),
    ),
    Source(
        id="sipri_top100_totals",
        publisher="Stockholm International Peace Research Institute (SIPRI)",
        title="Total arms sales of the SIPRI Top 100, 2002-2023",
        edition="December 2024 release",
        notes="US$ billion, current and constant (2023) prices.",
        filename="Total-arms-sales-SIPRI-Top-100-2002-2023.xlsx",
        sha256="74134a079775cc3fb93952c04afcab3cd42a6b19aa4d0903ea6711e6bc7b493a",
        licence=SIPRI_TERMS,
        url="https://www.sipri.org/sites/default/files/Total-arms-sales-SIPRI-Top-100-2002-2023.xlsx",
        landing_url="https://www.sipri.org/databases/armsindustry",
    ),
    *(
        Source(
            id=f"usgs_mcs2024_{key}",
            publisher="U.S. Geological Survey, National Minerals Information Center",
            title=f"Mineral Commodity Summaries 2024 data release: {what}",
            edition="MCS 2024 (January 2024), data for 2023",
            filename=fname,
            sha256=sha,
            licence="U.S. Government work, public domain.",
            url=None,
            landing_url="https://doi.org/10.3133/mcs2024",
            notes=(
                "USGS serves the data release from ScienceBase; no stable direct file address is "
                "recorded here, so this file is read from a mirror (DIBTRENDS_MIRROR)."
            ),
        )
        for key, what, fname, sha in (
            ("fig2", "Figure 2, U.S. net import reliance", "MCS2024_Fig2_Net_Import_Reliance.csv",
             "69389a0188f65c5d3a5746d9d002d114fdef6e9e97f60f7daaa114eeec802bef"),
            ("fig3", "Figure 3, major import sources", "MCS2024_Fig3_Major_Import_Sources.csv",
             "9a8454f8de5b1470fd2e282cf2e354b57a631d2d44ef3773d08fd0b57ab9c589"),
            ("t4", "Table 4, critical minerals end use", "MCS2024_T4_Critical_Minerals_End_Use.csv",
             "499b23f275b2facf516f08ba3b963fda53e8b9ceb2b80e59bedd257d2f02a007"),
            ("t5", "Table 5, critical minerals salient statistics",
             "MCS2024_T5_Critical_Minerals_Salient.csv",
             "10125b4138dd248691618f5d9b5508b1a86fa3b6fa6040f224731388b19cc86b"),
        )
    ),
    Source(
        id="cow_nmc6",
        publisher="Correlates of War Project",
        title="National Material Capabilities, version 6.0 (abridged)",
        edition="v6.0 (1816-2016)",
        filename="NMC-60-abridged.csv",
        sha256="cd8465ea476da51d3e91261e216e96cfaf1fbf309dbe6bfc25a99bfb9fa7cfde",
        licence=(
            "Free to use with citation: Singer, Bremer & Stuckey (1972); Greig & Enterline, "
            "NMC v6.0 codebook."
        ),
        url=None,
        landing_url="https://correlatesofwar.org/data-sets/national-material-capabilities/",
        notes=("milex in thousands of current US$ (pre-1914: thousands of GBP); context before "
               "1949 only."),
    ),
    Source(
        id="owid_gmsd",
        publisher="Our World in Data",
        title="Military spending as a share of GDP (Global Military Spending Dataset)",
        edition="grapher export, 1816-2019",
        filename="military-spending-as-a-share-of-gdp-gmsd.csv",
        sha256="870786d8c15f9f09c88f252a6b0952c33a6eaae61dfc5270fbc632a298597089",
        licence="OWID processing CC BY 4.0; cite the underlying GMSD authors.",
        url="https://ourworldindata.org/grapher/military-spending-as-a-share-of-gdp-gmsd.csv",
        landing_url="https://ourworldindata.org/grapher/military-spending-as-a-share-of-gdp-gmsd",
        notes="Levels differ from SIPRI; context only, never mixed into a SIPRI series.",
    ),
)

#: Editions known to exist that the project cannot read yet (not in any mirror it can verify),
#: per registry id they supersede, with where they were announced. The front page names them.
KNOWN_NEWER_EDITIONS: dict[str, tuple[str, ...]] = {
    "nato_defexp_2024": (
        "NATO, Defence Expenditure of NATO Countries (2014-2025), 28 August 2025 "
        "(def-exp-2025-en.xlsx)",
        "NATO, Defence Investment of NATO Countries (2014-2026)",
    ),
}

_BY_ID = {s.id: s for s in SOURCES}


def newer_editions(source_id: str) -> tuple[str, ...]:
    """Newer editions of ``source_id`` that exist but are not registered here (a registered
    newer edition replaces the entry: the report then reads it)."""
    family = source_id.rsplit("_", 1)[0]
    try:
        if newest(family).id != source_id:
            return ()
    except KeyError:
        pass
    return KNOWN_NEWER_EDITIONS.get(source_id, ())


def get(source_id: str) -> Source:
    """Look a source up by id, failing with the list of known ids."""
    try:
        return _BY_ID[source_id]
    except KeyError:
        raise KeyError(
            f"unknown source id {source_id!r}; known ids: {', '.join(sorted(_BY_ID))}"
        ) from None


def newest(family: str) -> Source:
    """The newest registered edition of a source family.

    Editions of one family have ids ``<family>_<last data year>`` (``nato_defexp_2024``,
    ``sipri_milex_2025``); other ids sharing the prefix (``sipri_top100_totals``) are not
    editions. Fails with the known ids when the family has no edition.
    """
    edition = re.compile(rf"{re.escape(family)}_(\d{{4}})")
    found = [(int(m.group(1)), s) for s in SOURCES if (m := edition.fullmatch(s.id))]
    if not found:
        raise KeyError(
            f"no registered edition of {family!r} (ids '{family}_<last data year>'); known ids: "
            f"{', '.join(sorted(s.id for s in SOURCES))}"
        )
    return max(found, key=lambda pair: pair[0])[1]


def registry_table() -> pl.DataFrame:
    """The registry as a frame, for the report's 'Sources and methods' page."""
    import polars as pl

    return pl.DataFrame([asdict(s) for s in SOURCES])
