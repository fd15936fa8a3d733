"""Tables split into fragments (at page breaks, or by a converter) merged back into one grid.

A grid continues the one before it when it has no header of its own (its first row holds a number, or a row label
with every other cell blank) and the same number of columns: the rows are appended, so every column keeps its
header.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from giar_llm.core.document import PLACEHOLDER, Grid, GridCell

_NUMBER = re.compile(r"\s*[-+]?\d[\d,]*(?:\.\d+)?\s*")


def opens_without_header(grid: Grid) -> bool:
    """Whether a grid's first row is a table row, not a header: a number in it, or text only in its first two
    columns (a row label, with its group's label; no caption across the table) and every other cell blank."""
    first = [cell for cell in grid.cells if cell.row == 0]
    if any(_NUMBER.fullmatch(cell.text) for cell in first):
        return True
    labels = [cell for cell in first if cell.text]
    return bool(labels) and all(cell.col + cell.colspan <= 2 for cell in labels) and grid.cols > 2


def continues(before: Grid, after: Grid) -> bool:
    return after.cols == before.cols and opens_without_header(after)


def append(before: Grid, after: Grid) -> Grid:
    """``after``'s rows below ``before``'s."""
    moved = tuple(
        GridCell(c.row + before.rows, c.col, c.text, c.span, c.rowspan, c.colspan, c.box, c.page) for c in after.cells
    )
    return Grid(
        cells=before.cells + moved,
        rows=before.rows + after.rows,
        cols=before.cols,
        page=before.page,
        fragments=before.fragments + after.fragments,
    )


def merge_continued(grids: Sequence[Grid]) -> tuple[Grid, ...]:
    """Consecutive grids, each fragment that continues the one before it appended to it."""
    out: list[Grid] = []
    for grid in grids:
        if out and continues(out[-1], grid):
            out[-1] = append(out[-1], grid)
        else:
            out.append(grid)
    return tuple(out)


# --- markdown pipe tables ---------------------------------------------------------------------------------------

_RULE = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*")
_LABEL_LINE = re.compile(r"[^\d。；;|]{1,30}")  # a group label printed between fragments: （三）不予公开
_NOISE = re.compile(
    r"\s*(?:[-—–－]{1,2}\s*\d{1,3}\s*[-—–－]{1,2}|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3})?\s*"
)


def _pipe_cells(line: str, offset: int) -> list[tuple[str, tuple[int, int] | None, int, int]]:
    """A pipe row's cells: text (stripped), span in the text, rowspan 1, colspan 1."""
    inner_start = line.index("|") + 1
    inner_end = line.rstrip().rindex("|")
    if inner_end < inner_start:
        inner_end = len(line)
    cells: list[tuple[str, tuple[int, int] | None, int, int]] = []
    pos = inner_start
    for piece in line[inner_start:inner_end].split("|"):
        stripped = piece.strip()
        lead = len(piece) - len(piece.lstrip())
        start = offset + pos + lead
        cells.append((stripped, (start, start + len(stripped)) if stripped else None, 1, 1))
        pos += len(piece) + 1
    return cells


def _placeholder(cells: list[tuple[str, tuple[int, int] | None, int, int]]) -> bool:
    """A converter's placeholder header (| 数据1 | 数据2 | …): every non-empty cell a numbered placeholder."""
    texts = [text for text, *_ in cells if text]
    return bool(texts) and all(PLACEHOLDER.fullmatch(text) for text in texts)


def pipe_grids(text: str) -> tuple[Grid, ...]:
    """The markdown pipe tables of a text as grids: separator rows and placeholder header rows left out; a
    table interrupted only by blank lines, page markers or short label lines, whose next piece continues it,
    merged back (a label line between the pieces is the converter's loose group label, not a cell)."""
    from giar_llm.core.document import make_grid

    if "|" not in text:
        return ()
    tables: list[tuple[list[list[tuple[str, tuple[int, int] | None, int, int]]], bool]] = []
    rows: list[list[tuple[str, tuple[int, int] | None, int, int]]] = []
    noise_only = False  # only blank lines or page markers since the last table
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("|") and stripped.count("|") >= 2:
            if not _RULE.fullmatch(line):
                cells = _pipe_cells(line, offset)
                if not _placeholder(cells):
                    rows.append(cells)
        else:
            if rows:
                tables.append((rows, noise_only))
                rows = []
                noise_only = True
            if not (_NOISE.fullmatch(line) or _LABEL_LINE.fullmatch(stripped)):
                noise_only = False
        offset += len(line) + 1
    if rows:
        tables.append((rows, noise_only))
    grids: list[Grid] = []
    for table_rows, after_noise in tables:
        grid = make_grid(table_rows)
        if grids and after_noise and continues(grids[-1], grid):
            grids[-1] = append(grids[-1], grid)
        else:
            grids.append(grid)
    return tuple(grids)
