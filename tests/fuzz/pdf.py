"""The fuzzer's PDF input kind: the report's tables drawn on A4 pages with a CJK font, ruled or not.

reportlab's built-in CID font ``STSong-Light`` needs no font file (the PDF names the font and its CMap;
pypdf and pdfplumber map the codes back to Unicode). A table is a grid of cells: a column for the group
label of 表三's sub-rows (merged down its rows), a column for the row labels, one column per value; a
cell's text is wrapped to its width, a wrapped label's numbers stand beside its first or its last line.
``ruled`` draws every cell's box (the input layer finds the table with pdfplumber), otherwise only the
text is drawn (the reader reads the text layer). A table runs on to the next page when the page is full;
a fragment break or a page marker starts a new page, the marker printed as the page's footer. A
:class:`Shape` sets the value cells' alignment (centred, or right- or left-aligned under the centred headers, as
real reports often print them) and the columns' widths.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..reader.render import _text

if TYPE_CHECKING:
    from .generate import Glyphs, Row, Table

FONT = "STSong-Light"
SIZE = 8.0  # table text
TEXT_SIZE = 10.0  # paragraphs
LEADING = 1.25  # line height / font size
PAD = 2.0
PAGE_W, PAGE_H = 595.0, 842.0  # A4
MARGIN = 40.0
WIDTH = PAGE_W - 2 * MARGIN
BOTTOM = 60.0  # below this only the footer

_registered = False


@dataclass(frozen=True)
class Shape:
    """How a table's columns are drawn: the values' alignment in their cells (``center``, ``right``, ``left``;
    headers are always centred), the label columns' widths as a share of the usual ones, and the value columns'
    relative widths (cycled over the columns; equal when empty). ``split`` > 0: a number of more digits than that
    wraps in its cell, ``split`` digits a line (as a number too wide for its narrow cell does), the row growing to
    hold its lines."""

    align: str = "center"
    labels: float = 1.0
    values: tuple[float, ...] = ()
    split: int = 0


CENTRED = Shape()


def _font() -> None:
    global _registered
    if not _registered:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Lines of at most ``width`` points: the text's own line breaks, then wrapped character by character."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out: list[str] = []
    for part in text.split("\n"):
        line = ""
        for char in part:
            if line and stringWidth(line + char, FONT, size) > width:
                out.append(line)
                line = ""
            line += char
        out.append(line)
    return out


def _cell_lines(text: str, width: float, size: float, split: int = 0) -> list[str]:
    """A cell's lines: a number of more than ``split`` digits (when ``split`` > 0) in lines of ``split`` digits, any
    other text wrapped to ``width``."""
    if split > 0 and len(text) > split and unicodedata.normalize("NFKC", text).isdigit():
        return [text[i : i + split] for i in range(0, len(text), split)]
    return _wrap(text, width, size)


@dataclass
class Cell:
    text: str
    col: int
    colspan: int = 1
    rowspan: int = 1
    align: str = "center"  # left | center | right
    valign: str = "middle"  # top | middle | bottom


@dataclass
class Line:
    """One drawn row of a table: its cells and its height."""

    cells: list[Cell]
    height: float = 0.0
    index: int = -1  # the table row it prints (-1: a fragment's header)
    group: str = ""


def _widths(labels: list[float], count: int, shape: Shape) -> list[float]:
    """The label columns' widths (scaled by the shape) and ``count`` value columns sharing the rest."""
    own = [width * shape.labels for width in labels]
    weights = [shape.values[i % len(shape.values)] if shape.values else 1.0 for i in range(count)]
    rest = WIDTH - sum(own)
    return own + [rest * weight / sum(weights) for weight in weights]


def _layout(
    table: Table, fragment: list[tuple[Row, int, int]], glyphs: Glyphs, shape: Shape = CENTRED
) -> tuple[list[float], list[Line]]:
    """Column widths and the drawn rows of one fragment (group cells not merged yet)."""
    two_labels = table.name == "三"
    flat_review = table.name == "四" and not any(r.label for r in table.rows if r.kind == "data")
    label_cols = 2 if two_labels else 0 if flat_review else 1
    width = max([table.width, *(sum(r.spans or [1] * len(r.cells)) for r, _, _ in fragment if r.kind != "heading")])
    widths = _widths([62.0, 150.0] if two_labels else [170.0] if label_cols else [], width, shape)
    lines: list[Line] = []
    for row, _, index in fragment:
        if row.kind == "heading":
            lines.append(Line([Cell(glyphs(row.label), 0, label_cols + width, align="left")], index=index))
            continue
        spans = row.spans or [1] * len(row.cells)
        valign = "middle" if "\n" not in row.label else "bottom" if row.wrap_after else "top"
        cells: list[Cell] = []
        col = 0
        if two_labels and row.group:
            cells.append(Cell(glyphs(row.group), 0, align="left"))
            cells.append(Cell(glyphs(row.label), 1, align="left"))
            col = 2
        elif two_labels:
            cells.append(Cell(glyphs(row.label), 0, colspan=2, align="left"))
            col = 2
        elif label_cols:
            cells.append(Cell(glyphs(row.label), 0, align="left"))
            col = 1
        for number, (value, span) in enumerate(zip(row.cells, spans, strict=True)):
            last = number == len(row.cells) - 1
            span = label_cols + width - col if last and sum(spans) < width else span
            align = shape.align if row.kind == "data" else "center"
            cells.append(Cell(glyphs(_text(value)), col, colspan=span, align=align, valign=valign))
            col += span
        lines.append(Line(cells, index=index, group=row.group if two_labels else ""))
    for line in lines:
        heights = [
            len(_cell_lines(c.text, sum(widths[c.col : c.col + c.colspan]) - 2 * PAD, SIZE, shape.split))
            for c in line.cells
            if c.text
        ]
        line.height = max(heights, default=1) * SIZE * LEADING + 2 * PAD
    return widths, lines


class Pages:
    """A reportlab canvas with a cursor: paragraphs and table rows go down the page, then onto the next."""

    def __init__(self, ruled: bool, by_columns: bool = False, shape: Shape = CENTRED) -> None:
        from reportlab.pdfgen import canvas

        _font()
        self.buffer = io.BytesIO()
        self.canvas: Any = canvas.Canvas(self.buffer, pagesize=(PAGE_W, PAGE_H))
        self.ruled = ruled
        self.by_columns = by_columns  # the text drawn column by column (the order a text layer is extracted in)
        self.shape = shape
        self.number = 1
        self.footer = ""
        self.y = PAGE_H - MARGIN

    def new_page(self, footer: str = "") -> None:
        if footer:
            self.canvas.setFont(FONT, TEXT_SIZE)
            self.canvas.drawCentredString(PAGE_W / 2, 30, footer)
        self.canvas.showPage()
        self.number += 1
        self.y = PAGE_H - MARGIN

    def paragraph(self, text: str) -> None:
        for line in _wrap(text, WIDTH, TEXT_SIZE):
            if self.y - TEXT_SIZE * LEADING < BOTTOM:
                self.new_page()
            self.y -= TEXT_SIZE * LEADING
            self.canvas.setFont(FONT, TEXT_SIZE)
            self.canvas.drawString(MARGIN, self.y, line)
        self.y -= 4

    def table(self, table: Table, fragments: list[list[tuple[Row, int, int]]], glyphs: Glyphs) -> None:
        for number, fragment in enumerate(fragments):
            first = fragment[0][2] if fragment else -1
            if number > 0 or first in table.markers:
                self.new_page(glyphs(table.markers.get(first, "")))
            widths, lines = _layout(table, fragment, glyphs, self.shape)
            page: list[Line] = []
            for line in lines:
                marker = table.markers.get(line.index) if line.index != first else None
                if marker is not None or (page and self.y - sum(x.height for x in page) - line.height < BOTTOM):
                    self._draw(widths, page)
                    page = []
                    self.new_page(glyphs(marker or ""))
                page.append(line)
            self._draw(widths, page)
            self.y -= 8

    def _draw(self, widths: list[float], lines: list[Line]) -> None:
        """Rows of one page: the group cells of consecutive rows merged, then every cell's box and text."""
        lefts = [MARGIN + sum(widths[:i]) for i in range(len(widths) + 1)]
        tops: list[float] = []
        y = self.y
        for line in lines:
            tops.append(y)
            y -= line.height
        bottom = y
        drawn: list[tuple[int, int, Cell, float, float, float, float]] = []
        for i, line in enumerate(lines):
            for cell in line.cells:
                if cell.col == 0 and line.group and i > 0 and lines[i - 1].group == line.group:
                    continue  # merged into the group cell above
                height = line.height
                if cell.col == 0 and line.group:
                    j = i + 1
                    while j < len(lines) and lines[j].group == line.group:
                        height += lines[j].height
                        j += 1
                box = (lefts[cell.col], lefts[cell.col + cell.colspan], tops[i], tops[i] - height)
                drawn.append((cell.col, i, cell, *box))
        if self.by_columns:
            drawn.sort(key=lambda d: (d[0], d[1]))
        for _, _, cell, left, right, top, low in drawn:
            self._cell(cell, left, right, top, low)
        self.y = bottom

    def _cell(self, cell: Cell, left: float, right: float, top: float, bottom: float) -> None:
        c = self.canvas
        if self.ruled:
            c.setLineWidth(0.5)
            c.rect(left, bottom, right - left, top - bottom)
        if not cell.text:
            return
        c.setFont(FONT, SIZE)
        wrapped = _cell_lines(cell.text, right - left - 2 * PAD, SIZE, self.shape.split)
        step = SIZE * LEADING
        block = len(wrapped) * step
        if cell.valign == "top":
            y = top - PAD - SIZE
        elif cell.valign == "bottom":
            y = bottom + PAD + block - step + 1
        else:
            y = (top + bottom) / 2 + block / 2 - SIZE
        for text in wrapped:
            if cell.align == "left":
                c.drawString(left + PAD, y, text)
            elif cell.align == "right":
                c.drawRightString(right - PAD, y, text)
            else:
                c.drawCentredString((left + right) / 2, y, text)
            y -= step

    def finish(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()
