"""The explorer page as a reader uses it, offline in headless Chromium, with the mouse and with
the keyboard alone (Tab to a control, Space or Enter to tick, arrow keys in the measures):
choosing two more Allies changes the chart, the table and the CSV; the CSV downloaded is the
rows the table shows, which are the rows :func:`dibtrends.explorer.shown` gives from the
processed tables; changing the measure changes them again; no other host is asked for anything
and the console stays clean."""

from __future__ import annotations

import csv
import io
import shutil
from functools import partial
from pathlib import Path

import polars as pl
import pytest

from dibtrends import explorer
from dibtrends.chapters import explorer as chapter

from . import e2e

TABLE_ROWS = ".dibtrends-shown tbody tr"
MEASURES = "#dibtrends-explorer-measure select"
#: The most Tab presses a control may be from the top of the page (the site's menus come first).
MAX_TABS = 200


async def _tab_to(page, target) -> None:
    """Press Tab (Shift+Tab if it is above the focus) until ``target`` (a locator) has the
    focus, and check that it shows it."""
    back = await target.evaluate("t => document.activeElement !== document.body && !!("
                                 "document.activeElement.compareDocumentPosition(t) & "
                                 "Node.DOCUMENT_POSITION_PRECEDING)")
    for _ in range(MAX_TABS):
        await page.keyboard.press("Shift+Tab" if back else "Tab")
        if await target.evaluate("t => t === document.activeElement"):
            outline = await target.evaluate("t => getComputedStyle(t).outlineStyle")
            assert outline != "none", f"{target}: no focus outline"
            return
    raise AssertionError(f"the keyboard never reached {target}")


async def _tick_with_mouse(page, name: str) -> None:
    await page.get_by_role("checkbox", name=name, exact=True).click()


async def _tick_with_keyboard(page, name: str, key: str) -> None:
    await _tab_to(page, page.get_by_role("checkbox", name=name, exact=True))
    await page.keyboard.press(key)


async def _measure_with_mouse(page, key: str) -> None:
    await page.select_option(MEASURES, key)


async def _measure_with_keyboard(page, key: str) -> None:
    await _tab_to(page, page.locator(MEASURES))
    for _ in explorer.MEASURES:  # down the list until it is there
        if await page.eval_on_selector(MEASURES, "s => s.value") == key:
            return
        await page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys never reached {key!r}")


WAYS = {"mouse": (_tick_with_mouse, _measure_with_mouse),
        **{f"keyboard-{key}": (partial(_tick_with_keyboard, key=key), _measure_with_keyboard)
           for key in ("Space", "Enter")}}


async def _rows(page) -> list[list[str]]:
    return await page.eval_on_selector_all(
        TABLE_ROWS, "rows => rows.map(r => [...r.cells].map(c => c.textContent))")


async def _legend(page) -> set[str]:
    return set(await page.eval_on_selector_all(
        ".dibtrends-chart .role-legend-label text", "ts => ts.map(t => t.textContent)"))


async def _download(page) -> list[list[str]]:
    """The rows of "What is shown (CSV)", after checking its header."""
    async with page.expect_download() as info:
        await page.click("a.dibtrends-shown-csv")
    path = await (await info.value).path()
    header, *rows = csv.reader(io.StringIO(Path(path).read_text()))
    assert header == list(explorer.SHOWN.values())
    return rows


def _same_rows(got: list[list[str]], want: pl.DataFrame) -> bool:
    """The CSV's rows equal ``want``: numbers as numbers (JavaScript writes 2.0 as 2)."""
    def norm(row):
        return [float(v) if i in (1, 3) else v for i, v in enumerate(row)]
    expected = [[str(v) for v in row] for row in want.iter_rows()]
    return [norm(r) for r in got] == [norm(r) for r in expected]


def _same_table(got: list[list[str]], want: pl.DataFrame, measure: str) -> bool:
    """The page's table equals ``want`` in the report's number style: thousands separated,
    the measure's decimals ("15,045.4")."""
    places = explorer.MEASURES[measure].decimals
    expected = [[f"{v:,.{places}f}" if i == 3 else str(v) for i, v in enumerate(row)]
                for row in want.iter_rows()]
    return got == expected


async def _explore(page_path: Path, browser, table: pl.DataFrame, way: str) -> None:
    tick, choose_measure = WAYS[way]
    context, page, remote, errors = await e2e.open_offline(browser, page_path)
    await page.wait_for_selector(TABLE_ROWS, timeout=30000)

    opening = chapter.Params()
    before = await _rows(page)
    assert _same_table(before, explorer.shown(table, opening.measure, opening.allies),
                       opening.measure)
    assert _same_rows(await _download(page), explorer.shown(table, opening.measure,
                                                             opening.allies))
    legend = await _legend(page)

    for name in ("France", "Italy"):  # boxes labelled with the names, in this order on the page
        await tick(page, name)
    allies = (*opening.allies, "FRA", "ITA")
    want = explorer.shown(table, opening.measure, allies)
    await page.wait_for_function(f"document.querySelectorAll('{TABLE_ROWS}').length === "
                                 f"{want.height}", timeout=10000)
    assert await _legend(page) == legend | {"France", "Italy"}, "the chart did not change"
    shown, downloaded = await _rows(page), await _download(page)
    assert shown != before and _same_table(shown, want, opening.measure)
    assert _same_rows(downloaded, want)

    await choose_measure(page, "sipri_usd_const")
    want = explorer.shown(table, "sipri_usd_const", allies)
    await page.wait_for_function(f"document.querySelectorAll('{TABLE_ROWS}').length === "
                                 f"{want.height}", timeout=10000)
    assert _same_table(await _rows(page), want, "sipri_usd_const")
    assert _same_rows(await _download(page), want)

    cite = await page.text_content(".dibtrends-chart-cite")
    assert cite.startswith("Cite this:") and "release v1.2 (April 2026)" in cite
    assert not remote, f"the explorer requested {remote}"
    assert not errors, f"console errors: {errors}"
    await context.close()


@pytest.mark.chromium
@pytest.mark.parametrize("way", list(WAYS))
def test_explorer_choices_change_the_chart_and_the_csv_is_what_is_shown(built_report, way):
    import asyncio

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip("headless Chromium not installed (Debian package `chromium`)")
    page = built_report / "reports" / "_output" / "executed" / f"{chapter.NOTEBOOK}.html"
    if not page.exists():
        pytest.skip("Quarto is not installed here: the site was not rendered")
    from playwright.async_api import async_playwright

    result = chapter.run(processed_dir=built_report / "data" / "processed")

    async def run() -> None:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=exe, args=e2e.CHROMIUM_ARGS)
            try:
                await _explore(page, browser, result.table, way)
            finally:
                await browser.close()

    asyncio.run(run())
