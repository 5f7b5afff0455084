"""How the PDF's tables come out of Typst, estimated from the Typst source the PDF is compiled
from (``build/pdf/<page>.typ``): each header cell's number of lines at its column's width.

Why from the source and not the PDF: the source says which cells are a header and how wide each
column is (pandoc writes the widths as shares of the text width); pdftotext can say neither.
The estimate lays the header's words out as Typst does in a table (no justification, so no
hyphenation: a line takes words until the next one would not fit), with the advance widths of
the PDF's bold table font (Libertinus Serif Bold, measured with Typst's ``measure``, grouped to
0.05 em, no kerning: the estimate errs on the long side). Tables pandoc leaves to Typst's automatic
widths are narrower than a line, so their headers never wrap.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

#: The page (render/pdf.py FORMAT: A4, 2 cm side margins) and the tables' style (TYPST_STYLE).
TEXT_WIDTH_PT = 595.28 - 2 * 56.69
TABLE_FONT_PT = 8.5
CELL_INSET_PT = 4.0
#: Advance widths of Libertinus Serif Bold in em, characters grouped by width.
_WIDTH_GROUPS = {
    0.22: "'|", 0.25: " \u00a0,.:;!’‘", 0.32: "()/ijl{}\\", 0.37: "-tIJ\"", 0.40: "f[]`",
    0.44: "srz?*“”c~", 0.50: "eéSa<>_0123456789#$^g", 0.54: "×v–+−÷bF=oydx", 0.59: "pLquü",
    0.62: "EkPnhYZ%", 0.67: "TB", 0.73: "VCRX&OQGUDKAN—", 0.78: "w", 0.82: "H", 0.90: "Mm",
    1.0: "@W",
}
EM = {c: w for w, chars in _WIDTH_GROUPS.items() for c in chars}
DEFAULT_EM = 0.6
#: Where a line may break inside a header: after a space, a hyphen, a dash, a slash, or the
#: invisible break opportunity render.pdf.breakable inserts into long tokens.
BREAK_AFTER = re.compile(r"(?<=[ \-–—/\u200b])")


@dataclass(frozen=True)
class Header:
    """One header cell of a table in a page's Typst source."""

    table: int  # the table's position on its page, from 1
    text: str
    width_pt: float  # the width its text is set in
    lines: int


def text_width(text: str) -> float:
    return sum(EM.get(c, DEFAULT_EM) for c in text) * TABLE_FONT_PT


def wrapped_lines(text: str, width_pt: float) -> int:
    """Lines ``text`` takes at ``width_pt``: greedy, as Typst sets unjustified text; a piece
    wider than the column is counted as the lines it would fill if broken anywhere."""
    lines, used = 0, None
    for piece in filter(None, BREAK_AFTER.split(text)):
        visible = text_width(piece.rstrip(" \u200b"))
        if used is not None and used + visible <= width_pt:
            used += text_width(piece)
            continue
        lines += max(1, math.ceil(visible / width_pt))
        used = text_width(piece) - (math.ceil(visible / width_pt) - 1) * width_pt
    return max(lines, 1)


def _closing(source: str, start: int) -> int:
    """Index just past the bracket or parenthesis that closes the one at ``start``."""
    pairs, depth, i = {"(": ")", "[": "]"}, [], start
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if c == '"' and (not depth or depth[-1] == ")"):  # a string argument
            i = source.index('"', i + 1) + 1
            continue
        if c in pairs:
            depth.append(pairs[c])
        elif depth and c == depth[-1]:
            depth.pop()
            if not depth:
                return i + 1
        i += 1
    raise ValueError(f"unbalanced Typst source from position {start}")


def _cells(args: str) -> list[str]:
    """The content blocks ``[...]`` at the top level of an argument list."""
    cells, i = [], 0
    while (i := args.find("[", i)) >= 0:
        end = _closing(args, i)
        cells.append(args[i + 1:end - 1])
        i = end
    return cells


def plain(markup: str) -> str:
    """The text of a cell's Typst markup: function names and brackets dropped, escapes undone,
    ``~`` (pandoc's non-breaking space) as one."""
    text = re.sub(r"#[\w.]+(\([^)]*\))?", "", markup)
    text = re.sub(r"(?<!\\)~", "\u00a0", text).replace("---", "—").replace("--", "–")
    text = re.sub(r"(?<!\\)[\[\]]", "", text)
    return re.sub(r"\\(.)", r"\1", re.sub(r"[ \t\r\n]+", " ", text).strip())


def table_headers(typst: str) -> list[Header]:
    """Every header cell of every table with set column widths in a page's Typst source."""
    found = []
    for n, match in enumerate(re.finditer(r"#table\(", typst), start=1):
        body = typst[match.end() - 1:_closing(typst, match.end() - 1)]
        widths = re.search(r"columns:\s*\(([^)]*)\)", body)
        header = re.search(r"table\.header\(", body)
        if not (widths and header):
            continue  # automatic widths (a narrow table), or no header row
        shares = [float(w.strip().rstrip("%")) / 100 for w in widths.group(1).split(",")
                  if w.strip()]
        heads = _cells(body[header.end() - 1:_closing(body, header.end() - 1)])
        for share, head in zip(shares, heads, strict=True):
            width = share * TEXT_WIDTH_PT - 2 * CELL_INSET_PT
            text = plain(head)
            found.append(Header(n, text, round(width, 1), wrapped_lines(text, width)))
    return found


def too_tall(typst: str, most: int = 3) -> list[Header]:
    """Header cells that take more than ``most`` lines."""
    return [h for h in table_headers(typst) if h.lines > most]


#: A heading, or a chart's caption, in the book's Typst source (Quarto's figure markup).
_HEADING_OR_CHART = re.compile(r'^=+ ([^\n]+)$|caption: figure\.caption\(\s*position: bottom,'
                               r'\s*\[\s*(.+?)\s*\]\),\s*kind: "quarto-float-fig"', re.M | re.S)
_AS_PRINTED = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                             "\u00a0": " ", "\u202f": " ", "~": " ", "\u2212": "-"})


def _plain(text: str) -> str:
    """Typst source and pdftotext output in one spelling: no markup, quotes or spacing marks."""
    text = re.sub(r"#(emph|strong)\[|[\[\]*_`\\]", "", text.translate(_AS_PRINTED))
    return re.sub(r"\s+", " ", text.replace("\u2013", "--"))


def charts_out_of_section(typst: str, pdf_text: str) -> list[str]:
    """Charts the PDF prints before their own heading or after the next heading (what a float
    does): each chart's heading from the book's Typst source, where it landed from the PDF's
    text. Headings are found in order from the first one's second print (the contents list
    it first)."""
    events = [(bool(h), _plain(h or c).strip()[:40]) for h, c in _HEADING_OR_CHART.findall(typst)]
    text = _plain(pdf_text)
    first = next(key for is_heading, key in events if is_heading)
    cursor = text.find(first, text.find(first) + 1)
    headings, charts = [], []  # positions in the text; (caption, index of its heading)
    for is_heading, key in events:
        if is_heading:
            cursor = max(cursor, text.find(key, cursor))
            headings.append(cursor)
        else:
            charts.append((key, len(headings) - 1))
    out = []
    for key, h in charts:
        own = headings[h] if h >= 0 else 0
        following = headings[h + 1] if h + 1 < len(headings) else len(text)
        found = [m.start() for m in re.finditer(re.escape(key), text)]
        if not any(own < at < following for at in found):
            out.append(key)
    return out
