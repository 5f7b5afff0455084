"""The published report as a reader gets it (built once per session, see tests/e2e.py): every
HTML page opens offline with its charts drawn, every local link resolves, and the PDF reads as
text with no variable names or unresolved references, within its page budget."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from dibtrends.chapters import MODULES, PROFILE

from . import e2e, pdf_layout

PDF_PAGE_BUDGET = 100
#: A snake_case word such as a headline key or a column name, never meant for a reader.
SNAKE = re.compile(r"[a-z]+(?:_[a-z0-9]+)+")
#: Where underscores are the publisher's, not ours: addresses, URL slugs and file names.
ADDRESS = re.compile(r"https?://|www\.|\.html?\b|\.(?:csv|xlsx|json|pdf)\b")


#: A hyphen where a minus sign is meant: before a digit, and not inside a word, a range such as
#: 1949-2025, a date or a file name.
HYPHEN_MINUS = re.compile(r"(?<![\w)\]}/.,\-–])-\d[\d.,]*")
#: A unit split from its amount by a line break: "US$" | "1.2", "US$" | "bn", "1.2" | "bn".
SPLIT_UNIT = re.compile(r"(?:US\$|\d)[ \t]*\n[ \t]*(?:bn|m|million|billion)\b"
                        r"|US\$[ \t]*\n[ \t]*\d[\d.,]*")


def number_style_faults(text: str) -> list[str]:
    """Where the PDF's text breaks the report's number style (prose.typeset): a hyphen for a
    minus sign, or a unit on another line than its amount. Lines citing an address are left
    out (a URL's digits are not numbers)."""
    lines = [line for line in text.splitlines() if not ADDRESS.search(line)]
    joined = "\n".join(lines)
    return ([m.group(0) for line in lines for m in HYPHEN_MINUS.finditer(line)]
            + [" ".join(m.group(0).split()) for m in SPLIT_UNIT.finditer(joined)])


def variable_names(text: str) -> list[str]:
    """snake_case words a reader would see, leaving out lines that cite an address or a file
    (pdftotext breaks a long URL over lines, so a slug's tail also counts as an address)."""
    found = set()
    for line in text.splitlines():
        if ADDRESS.search(line):
            continue
        for token in line.split():
            token = token.strip("()[]{},;:.’‘'\"“”")
            if SNAKE.fullmatch(token):
                found.add(token)
    return sorted(found)


def _site(built: Path) -> Path:
    out = built / "reports" / "_output"
    if not (out / "index.html").exists():
        pytest.skip("Quarto is not installed here: the published site was not rendered "
                    "(the preview is checked instead by test_preview_*)")
    return out


def _pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if "site_libs" not in p.parts)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []  # (attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append((name, value))
            elif name in ("id", "name") and value:
                self.ids.add(value)


def _parsed(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(errors="replace"))
    return parser


def _allowed_hosts(checkout: Path) -> set[str]:
    """The hosts the project cites: its source registry and its curated tables' citations."""
    files = [checkout / "data" / "sources.yml", *sorted((checkout / "data" / "curated").glob("*"))]
    return {urlparse(u).netloc for f in files
            for u in re.findall(r"https?://[^\s,\"'()<>]+", f.read_text(errors="replace"))}


def _bad_link(link: str, page: Path, root: Path, ids: dict[Path, set[str]], hosts: set[str],
              attribute: str = "href") -> str | None:
    """Why ``link`` on ``page`` does not resolve in the site ``root`` (None: it does): a file of
    the site, an anchor that exists, or an external address the project cites (a link only:
    the site works offline, so nothing it loads may come from elsewhere)."""
    url = urlparse(link)
    if url.scheme in ("http", "https"):
        if attribute != "href":
            return "loaded from another host (the site must work offline)"
        return None if url.netloc in hosts else f"a host the project does not cite: {url.netloc}"
    if url.scheme or url.netloc:
        return f"a {url.scheme or 'network'} link"
    target = (page.parent / unquote(url.path)).resolve() if url.path else page.resolve()
    if not target.is_relative_to(root.resolve()):
        return "outside the site"
    if not target.exists():
        return "no such file in the site"
    if url.fragment and target.suffix == ".html" and url.fragment not in ids.get(target, set()):
        return f"no anchor #{url.fragment} in {target.name}"
    return None


def _assert_links_resolve(root: Path, checkout: Path | None = None) -> int:
    """Every href and src of every page resolves (see :func:`_bad_link`); returns how many."""
    pages = {page.resolve(): _parsed(page) for page in root.rglob("*.html")}
    ids = {page: parsed.ids for page, parsed in pages.items()}
    hosts = _allowed_hosts(checkout or root.parents[1])
    bad, n = [], 0
    for page, parsed in pages.items():
        for attribute, link in parsed.found:
            n += 1
            if why := _bad_link(link, page, root, ids, hosts, attribute):
                bad.append(f"{page.relative_to(root.resolve())} -> {link}: {why}")
    assert not bad, f"{len(bad)} links that do not resolve, e.g. {bad[:5]}"
    return n


def test_every_link_and_source_in_the_site_resolves(built_report):
    assert _assert_links_resolve(_site(built_report), built_report) > 100


def _pdf_links(pdf: Path) -> tuple[int, list[str]]:
    """(pages, every link of the PDF as pdftohtml reads it: 'NAME.html#PAGE' inside it)."""
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-q", str(pdf)],
                         capture_output=True, text=True, check=True).stdout
    return len(re.findall(r"<page ", xml)), re.findall(r'<a href="([^"]*)"', xml)


def test_every_link_in_the_pdf_resolves(built_report):
    """Internal links land on a page of the PDF, external ones on a host the project cites, and
    no link points at a file outside the site."""
    pdf, _ = _pdf_text(built_report)
    pages, links = _pdf_links(pdf)
    hosts, bad = _allowed_hosts(built_report), []
    for link in links:
        internal = re.fullmatch(rf"{re.escape(pdf.stem)}\.html#(\d+)", link.replace("&amp;", "&"))
        if internal:
            why = None if 1 <= int(internal[1]) <= pages else f"no page {internal[1]}"
        else:
            why = _bad_link(link.replace("&amp;", "&"), pdf, pdf.parent, {}, hosts)
        if why:
            bad.append(f"{link}: {why}")
    assert sum(1 for link in links if link.startswith(pdf.stem)) > 50 and not bad, bad[:5]


def test_the_link_checks_can_fail(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "t.csv").write_text("x")
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("x")
    page = site / "a" / "p.html"
    page.write_text('<h2 id="sec-x">X</h2><a href="#sec-x">ok</a><a href="t.csv">ok</a>'
                    '<a href="https://www.sipri.org/x">ok</a>')
    ids, hosts = {page.resolve(): {"sec-x"}}, {"www.sipri.org"}
    cases = {"#sec-y": "no anchor", "p.html#sec-y": "no anchor", "../../elsewhere.csv":
             "outside the site", "u.csv": "no such file", "https://example.org/": "does not cite",
             "file:///etc/passwd": "a file link", "//cdn.example.org/x.js": "network"}
    for link, why in cases.items():
        assert why in (_bad_link(link, page, site, ids, hosts) or ""), link
    assert "offline" in _bad_link("https://www.sipri.org/x.js", page, site, ids, hosts, "src")
    assert _assert_links_resolve.__doc__ and _bad_link("t.csv", page, site, ids, hosts) is None


def test_the_summary_exists_once_and_profiles_are_named_by_country(built_report):
    site = _site(built_report)
    assert not (site / "executed" / "00_executive_summary.html").exists()
    index = (site / "index.html").read_text()
    assert "Albania" in index and "Executed" not in index
    assert "profile_ALB" not in re.sub(r'href="[^"]*"', "", index)


def test_every_chart_links_its_data_file(built_report):
    site = _site(built_report)
    names = set()
    for page in _pages(site):
        names |= set(re.findall(r'data-name="([\w-]+)"', page.read_text()))
    assert names
    missing = [n for n in names if not (site / "generated" / "tables" / f"{n}.csv").exists()]
    assert not missing, missing


def _pdf_text(built: Path) -> tuple[Path, str]:
    pdf = _site(built) / "dibtrends-report.pdf"
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed (Debian package poppler-utils)")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return pdf, text


def summary_claim_lines(text: str) -> list[int]:
    """Printed lines of each claim's verdict and condition in the summary's list: from the line
    that opens with the verdict to the next claim or the end of the list (a blank line)."""
    from dibtrends.results import VERDICTS

    section = text.split("The claims and what the data say", 1)[-1]
    counts: list[int] = []
    counting = False
    for line in section.splitlines():
        stripped = line.strip()
        if counts and not stripped:
            break
        if stripped.startswith(VERDICTS):
            counts.append(0)
            counting = True
        elif re.match(r"\d+\. ", stripped):
            counting = False
        if counting:
            counts[-1] += 1
    return counts


def test_summary_claims_take_at_most_three_lines_each(built_report):
    """Issue 22: a verdict and its condition in the summary, not a paragraph of method."""
    _, text = _pdf_text(built_report)
    lines = summary_claim_lines(text)
    assert len(lines) >= 7, lines
    assert max(lines) <= 3, lines


def test_the_claim_line_count_can_fail():
    text = ("The claims and what the data say\n1. “A” (B)\n   Reproduced. x\n   y\n2. “C”\n"
            "   D\n   Holds only under a condition. a\n   b\n   c\n   d\n\n1.3 Next\n")
    assert summary_claim_lines(text) == [2, 4]


def test_pdf_shows_no_variable_names_or_unresolved_references(built_report):
    _, text = _pdf_text(built_report)
    assert "@fig-" not in text and "@sec-" not in text and "?@" not in text
    snake = variable_names(text)
    assert not snake, f"variable-like words in the PDF: {snake[:20]}"
    for word in ("NBVAL", "alt.Chart", "<chart", "Traceback"):
        assert word not in text


def test_pdf_page_count_is_within_budget(built_report):
    pdf, _ = _pdf_text(built_report)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    assert 30 <= pages <= PDF_PAGE_BUDGET, pages


def test_pdf_charts_print_under_their_own_heading(built_report):
    """A reader finds a chart in its section: not floated above its heading or past the next."""
    _, text = _pdf_text(built_report)
    book = (built_report / "build" / "pdf" / "dibtrends-report.typ").read_text()
    misplaced = pdf_layout.charts_out_of_section(book, text)
    assert not misplaced, f"{len(misplaced)} charts out of their section: {misplaced[:5]}"


def test_the_chart_section_check_can_fail():
    chart = ('#figure([x], caption: figure.caption(\nposition: bottom, \n[\n{}\n]), \n'
             'kind: "quarto-float-fig", \n)')
    typst = "\n".join(["= One", chart.format("The first chart"), "= Two",
                        chart.format("The second chart")])
    contents = "Table of contents\nOne 1\nTwo 2\n"
    in_place = contents + "1 One\nFigure 1: The first chart\n2 Two\nFigure 2: The second chart"
    floated = contents + "Figure 1: The first chart\n1 One\n2 Two\nFigure 2: The second chart"
    assert pdf_layout.charts_out_of_section(typst, in_place) == []
    assert pdf_layout.charts_out_of_section(typst, floated) == ["The first chart"]


def test_pdf_contents_lists_each_profile_once(built_report):
    _, text = _pdf_text(built_report)
    contents = text.split("Executive summary", 2)
    assert len(contents) >= 2
    toc = text[: text.find("Executive summary", text.find("Executive summary") + 1)]
    assert toc.count("Poland") == 1, "each Ally appears once in the table of contents"


def test_pdf_numbers_have_one_style(built_report):
    """A true minus (not " -0.3") and units on their amount's line ("US$ 1.2 bn" never split
    after "US$" or before "bn"), on every page."""
    _, text = _pdf_text(built_report)
    faults = number_style_faults(text)
    assert not faults, f"{len(faults)} numbers out of style in the PDF, e.g. {faults[:10]}"


def test_pdf_chart_text_can_be_searched_and_copied(built_report):
    """Charts are drawn as SVG with their text as text (not outlines): every title and axis
    title the charts draw is in the PDF's text, with its spaces (no "Milit y p dit % f GDP")."""
    import html

    _, text = _pdf_text(built_report)
    words = " ".join(text.split())
    drawn = set()
    for svg in (built_report / "build" / "pdf").glob("*_files/figure-typst/*.svg"):
        labels = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]+)</text>",
                                                       svg.read_text())]
        drawn |= {" ".join(t.split()) for t in labels if len(t) >= 25}
    assert len(drawn) > 40
    missing = sorted(t for t in drawn if t not in words)
    assert not missing, f"{len(missing)} chart texts not in the PDF's text, e.g. {missing[:5]}"


def test_the_number_style_check_can_fail():
    text = ("Türkiye (-0.38), Spain\nspent US$\n1.2 bn and 3.4\nbn; then US$\nbn, a\n-0.2 fall.\n"
            "1949-2025, 2024-06-17, COVID-19, −0.4 and https://x.org/a-1/-2 are fine")
    assert number_style_faults(text) == ["-0.38", "-0.2", "US$ 1.2", "4 bn", "US$ bn"]


def _page_group(typ: Path) -> str:
    return "profiles" if typ.stem.startswith("profile_") else typ.stem


@pytest.mark.parametrize("page", [*(n for n in MODULES if n != PROFILE), "profiles"])
def test_pdf_table_headers_take_at_most_three_lines(built_report, page):
    """Every table header cell fits in three lines at its column's width on the PDF's page
    (estimated from the Typst source the PDF is compiled from: tests/pdf_layout.py)."""
    _pdf_text(built_report)  # the PDF was rendered
    typst = [p for p in sorted((built_report / "build" / "pdf").glob("*.typ"))
             if _page_group(p) == page]
    if page == "98_explorer" and not typst:
        pytest.skip("the explorer is a website page")
    assert typst, f"no Typst source for {page} in build/pdf"
    tall = [f"{p.stem}, table {h.table}: \"{h.text}\" in {h.lines} lines at {h.width_pt} pt"
            for p in typst for h in pdf_layout.too_tall(p.read_text())]
    assert not tall, "table headers over three lines: " + "; ".join(tall)


def test_the_header_line_check_can_fail_and_reads_typst_tables():
    """A ten-column table like chapter 4's first distance table: its long header is caught."""
    long_head = "Lowest real growth that keeps it at the target, % a year"
    typst = ("#table(\n  columns: (12.9%, 8.6%, 8.6%, 9.68%, 10.75%, 8.6%, 9.68%, 12.9%, 9.68%, "
             "8.6%),\n  align: (auto,right,),\n  table.header([Ally], [2024e, % of~GDP], "
             "[Gap], [Position], [GDP growth], [Needed], [" + long_head + "], "
             "[Achieved 2014--2024], [#strong[Faster]?], [US\\$~bn]),\n  table.hline(),\n"
             "  [Poland], [4.12], [x], [y], [1], [2], [3], [4], [5], [6],\n)\n"
             "#table(columns: 2, table.header([A very long header that is never wrapped], [B]))")
    heads = pdf_layout.table_headers(typst)
    assert [h.text for h in heads][-3:] == ["Achieved 2014–2024", "Faster?", "US$\u00a0bn"]
    assert [(h.text, h.lines) for h in pdf_layout.too_tall(typst)] == [(long_head, 8)]
    assert pdf_layout.wrapped_lines(long_head, pdf_layout.TEXT_WIDTH_PT) == 1
    assert pdf_layout.BREAK_AFTER.split("US$\u00a0bn, 2014–2024") == ["US$\u00a0bn, ", "2014–",
                                                                      "2024"]


def test_the_header_estimate_uses_the_pdf_table_style():
    from dibtrends.render import pdf

    assert f"set text(size: {pdf_layout.TABLE_FONT_PT:g}pt)" in pdf.TYPST_STYLE
    assert f"inset: (x: {pdf_layout.CELL_INSET_PT:g}pt" in pdf.TYPST_STYLE
    assert "papersize: a4" in pdf.FORMAT and "x: 2cm" in pdf.FORMAT


def test_the_variable_name_check_can_fail():
    assert variable_names("Equipment ratio: equipment_ratio_2024_2014 times") == [
        "equipment_ratio_2024_2014"]
    assert variable_names("see https://example.org/a_b and the file nato_membership.csv") == []


async def _open_offline(browser, page_path: Path, gate) -> int:
    """Open one page with every request but its own files refused; returns the charts drawn
    (after checking each has its data link, no other host was asked, no console error)."""
    async with gate:
        context, page, remote, errors = await e2e.open_offline(browser, page_path)
        charts = await page.evaluate("document.querySelectorAll('.dibtrends-chart').length")
        if charts:
            await page.wait_for_function(
                "document.querySelectorAll('.dibtrends-chart svg.marks').length === "
                "document.querySelectorAll('.dibtrends-chart').length", timeout=30000)
            links = await page.evaluate(
                "document.querySelectorAll('.dibtrends-chart-links').length")
            assert links == charts, f"{page_path.name}: a chart without its data link"
            cited = await page.evaluate(
                "document.querySelectorAll('.dibtrends-chart-cite').length")
            assert cited == charts, f"{page_path.name}: a chart without its citation"
        assert not remote, f"{page_path.name} requested {remote}"
        assert not errors, f"{page_path.name}: console errors {errors}"
        await context.close()
        return charts


@pytest.mark.chromium
def test_html_draws_every_chart_offline_in_headless_chromium(built_report):
    """Every page, network blocked: all charts draw as Vega SVG, no console error, and the
    page asks for nothing but its own files (any other request is recorded and aborted).
    Pages open a few at a time (one browser; the checks are per page)."""
    import asyncio

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip("headless Chromium not installed (Debian package `chromium`)")
    from playwright.async_api import async_playwright

    out = built_report / "reports" / "_output"
    pages = _pages(out) if (out / "index.html").exists() else sorted(
        (out / "preview").glob("*.html"))
    assert pages

    async def open_all() -> list[int]:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=exe, args=e2e.CHROMIUM_ARGS)
            try:
                gate = asyncio.Semaphore(3)
                return await asyncio.gather(*(_open_offline(browser, p, gate) for p in pages))
            finally:
                await browser.close()

    drawn = asyncio.run(open_all())
    assert len(drawn) == len(pages) and sum(drawn) >= 40


def test_preview_without_quarto_resolves_references_and_links(built_report, tmp_path):
    """The fallback a user without Quarto gets: titles in the index, captions and references
    as words, links and chart data that resolve."""
    from dibtrends.render import preview as render

    out = built_report / "reports" / "_output"
    preview = out / "preview"
    if not preview.exists():
        env = dict(__import__("os").environ, DIBTRENDS_ROOT=str(built_report))
        code = ("from dibtrends.render import preview; from pathlib import Path; "
                f"preview.render_preview(Path({str(tmp_path / 'preview')!r}))")
        subprocess.run([__import__("sys").executable, "-c", code], env=env, check=True,
                       cwd=built_report)
        preview = tmp_path / "preview"
    assert render  # the module under test
    index = (preview / "index.html").read_text()
    assert "Executive summary" in index and "Albania" in index and ".ipynb" not in index
    for page in preview.glob("*.html"):
        text = page.read_text()
        assert "@fig-" not in text and "{#sec-" not in text, page.name
        assert "\n: " not in re.sub(r"<[^>]+>", "", text).replace("\n: \n", ""), page.name
    _assert_links_resolve(preview, built_report)
