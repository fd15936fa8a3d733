"""The one shape the reader consumes, whatever the file type: text, the tables as grids, a map back to the source.

For a text file ``text`` is the decoded file itself. For HTML, PDF and DOCX the input layer derives
the text (each table row on one line, cells separated by tabs) and ``origin`` maps every character of
it back to an offset in the decoded source, so evidence points into the file as the user has it.

``grids`` are the tables the source itself draws (HTML ``<table>``, DOCX tables, markdown pipe tables,
ruled PDF tables): every cell where it stands, with its row and column span, so that a blank cell stays
a blank cell in its own column. A cell's ``span`` is its text's place in ``text``
(``Document.source_span`` maps it into the source), so the reader's evidence for a grid cell is the
same kind of span as for any other number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Final

Span = tuple[int, int]
# A converter's placeholder for a header cell (| 数据1 | 数据2 | …, 列3, column4): a name, never a number.
PLACEHOLDER: Final = re.compile(r"(?:数据|列|字段|栏目?|column|col|header)\s*\d{1,2}", re.IGNORECASE)
Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, top-left origin
# A grid row's mark (in its first value cell, a table without ruling read from its words' places): beside it a
# number may be wrapped over lines in its narrow cell, each piece printed as a number; the text layer prints the same
# pieces, so no reading of the row is certain.
WRAPPED_ROW: Final = "（单元格内的数字可能折行，各行数字的归属不确定）"


@dataclass(frozen=True, eq=False)
class GridCell:
    """One cell of a table as the source draws it; a merged cell covers ``rowspan`` × ``colspan`` positions.

    Cells compare by identity: two blank cells in one table are two cells."""

    row: int
    col: int
    text: str
    span: Span | None = None  # the cell's text in ``Document.text`` (None: not in the text, or empty)
    rowspan: int = 1
    colspan: int = 1
    box: Box | None = None  # PDF only
    page: int | None = None  # PDF only: 1-based page the cell stands on (a continued table spans pages)

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class Grid:
    """A table: its cells (each stored once, at its top-left position) and its size in positions."""

    cells: tuple[GridCell, ...]
    rows: int
    cols: int
    page: int | None = None  # PDF only: 1-based page of the table's first row
    fragments: int = 1  # markdown: pieces of one table, split at page breaks, merged back

    @cached_property
    def matrix(self) -> tuple[tuple[GridCell | None, ...], ...]:
        """Every position and the cell that covers it (a merged cell covers all its positions)."""
        table: list[list[GridCell | None]] = [[None] * self.cols for _ in range(self.rows)]
        for cell in self.cells:
            for r in range(cell.row, min(cell.row + cell.rowspan, self.rows)):
                for c in range(cell.col, min(cell.col + cell.colspan, self.cols)):
                    table[r][c] = cell
        return tuple(tuple(row) for row in table)

    def at(self, row: int, col: int) -> GridCell | None:
        """The cell covering a position, if any."""
        if 0 <= row < self.rows and 0 <= col < self.cols:
            return self.matrix[row][col]
        return None


def make_grid(
    rows: Sequence[Sequence[tuple[str, Span | None, int, int]]], page: int | None = None, fragments: int = 1
) -> Grid:
    """A grid from rows of ``(text, span, rowspan, colspan)`` cells as a source lists them: each cell takes
    the next position not covered by a merged cell from an earlier row."""
    covered: set[tuple[int, int]] = set()
    cells: list[GridCell] = []
    for r, row in enumerate(rows):
        c = 0
        for text, span, rowspan, colspan in row:
            while (r, c) in covered:
                c += 1
            cells.append(GridCell(r, c, text, span, rowspan, colspan))
            for rr in range(r, r + rowspan):
                for cc in range(c, c + colspan):
                    covered.add((rr, cc))
            c += colspan
    width = max((cell.col + cell.colspan for cell in cells), default=0)
    return Grid(cells=tuple(cells), rows=len(rows), cols=width, page=page, fragments=fragments)


@dataclass(frozen=True)
class Document:
    text: str
    kind: str = "text"  # text | markdown | html | pdf | docx
    origin: Sequence[int] | None = field(default=None, repr=False)
    grids: tuple[Grid, ...] = field(default=(), repr=False)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """A span of ``text`` as a span of the decoded source."""
        if self.origin is None or start >= end:
            return (start, end)
        return (self.origin[start], self.origin[end - 1] + 1)
