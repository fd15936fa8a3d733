"""DOCX inputs: paragraphs and tables in body order, each table row on one tab-separated line.

Each table is also kept as a grid: a horizontally merged cell (``gridSpan``) spans its columns, a
vertically merged one (``vMerge``) its rows, and an empty cell stays an empty cell in its own column.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from io import BytesIO
from typing import Any

from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from giar_llm.core.document import Document, Grid, GridCell
from giar_llm.core.limits import DEFAULT_LIMITS, Limits, nested_deeper, too_big
from giar_llm.errors import InputError
from giar_llm.inputs.grids import merge_continued
from giar_llm.inputs.text import collapse_text

_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (qn(tag) for tag in ("w:p", "w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent"))


def _blocks(parent: Any) -> Iterator[Any]:
    """Paragraph and table elements of a container in order, looking inside content controls."""
    for child in parent.iterchildren():
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _blocks(content)


def _paragraph_text(element: Any, parent: Any) -> str:
    return Paragraph(element, parent).text


def _cell_text(tc: Any, parent: Any) -> str:
    """All paragraphs of a cell (nested tables included) as one whitespace-collapsed string."""
    return collapse_text(" ".join(_paragraph_text(p, parent) for p in tc.iter(_P)))


Placed = tuple[int, int, str, bool]  # column, colspan, text, continues the merged cell above


def _row_cells(tr: Any, parent: Any) -> list[Placed]:
    """The row's cells with their grid column and span."""
    column = int(getattr(tr, "grid_before", 0) or 0)
    out: list[Placed] = []
    for tc in tr.iterchildren(_TC):
        span = max(int(getattr(tc, "grid_span", 1) or 1), 1)
        continued = getattr(tc, "vMerge", None) == "continue"
        out.append((column, span, "" if continued else _cell_text(tc, parent), continued))
        column += span
    return out


def _row_line(placed: list[Placed]) -> tuple[str, list[int]]:
    """The row as one tab-separated line (merged cells give their text once, then empty strings) and each
    cell's offset in it."""
    parts: list[str] = [""] * (placed[0][0] if placed else 0)
    offsets: list[int] = []
    for _, span, text, _ in placed:
        offsets.append(sum(len(p) + 1 for p in parts))
        parts.append(text)
        parts.extend([""] * (span - 1))
    return ("\t".join(parts), offsets)


def _table(block: Any, owner: Any, lines: list[str], pos: int) -> tuple[int, Grid | None]:
    """Append a table's rows to ``lines`` (text from ``pos`` on); returns the new position and its grid."""
    cells: dict[tuple[int, int], GridCell] = {}
    rowspans: dict[tuple[int, int], int] = {}
    width = 0
    row_index = 0
    for tr in block.iterchildren(_TR):
        placed = _row_cells(tr, owner)
        if not placed:
            continue
        line, offsets = _row_line(placed)
        for (column, span, text, continued), offset in zip(placed, offsets, strict=True):
            width = max(width, column + span)
            above = next((key for key in ((r, column) for r in range(row_index - 1, -1, -1)) if key in cells), None)
            if continued and above is not None and cells[above].row + rowspans[above] == row_index:
                rowspans[above] += 1
                continue
            cells[(row_index, column)] = GridCell(
                row_index, column, text, (pos + offset, pos + offset + len(text)) if text else None, 1, span
            )
            rowspans[(row_index, column)] = 1
        lines.append(line)
        pos += len(line) + 1
        row_index += 1
    if not cells:
        return (pos, None)
    merged = tuple(GridCell(c.row, c.col, c.text, c.span, rowspans[key], c.colspan) for key, c in sorted(cells.items()))
    return (pos, Grid(cells=merged, rows=row_index, cols=width))


def _lines(parent: Any, owner: Any) -> tuple[list[str], list[Grid]]:
    lines: list[str] = []
    grids: list[Grid] = []
    pos = 0
    for block in _blocks(parent):
        if block.tag == _P:
            text = _paragraph_text(block, owner).strip()
            if text:
                lines.append(text)
                pos += len(text) + 1
        else:
            pos, grid = _table(block, owner, lines, pos)
            if grid is not None:
                grids.append(grid)
    return (lines, grids)


def _check_package(data: bytes, limits: Limits) -> None:
    """Refuse a zip whose members inflate past the limits, before anything is inflated.

    The sizes are the ones the zip declares; ``zipfile`` never inflates a member past its declared size."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"not a valid .docx file (not a zip archive: {exc})") from exc
    markup = sum(m.file_size for m in members if m.filename.lower().endswith((".xml", ".rels")))
    if markup > limits.markup_bytes:
        raise InputError(too_big("the .docx XML", markup, limits.markup_bytes, "GIAR_MAX_MARKUP_MB"))
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.unpacked_bytes:
        raise InputError(too_big("the .docx unpacked", unpacked, limits.unpacked_bytes, "GIAR_MAX_UNPACKED_MB"))


def _check_depth(body: Any, limit: int) -> None:
    """Refuse element nesting deeper than ``limit`` (content controls in content controls ...)."""
    if nested_deeper(body, lambda element: element.iterchildren(), limit):
        raise InputError(f"the .docx nests elements deeper than {limit} levels (GIAR_MAX_DEPTH)")


def load_docx(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a .docx: paragraphs become lines, table rows become tab-separated lines."""
    _check_package(data, limits)
    try:
        document = open_docx(BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError(f"not a valid .docx file (not a zip archive: {exc})") from exc
    except Exception as exc:  # python-docx and lxml raise assorted errors on damaged packages
        raise InputError(f"not a valid .docx file ({type(exc).__name__}: {exc})") from exc
    _check_depth(document.element.body, limits.depth)
    lines, grids = _lines(document.element.body, document)
    text = "\n".join(lines)
    if not text.strip():
        raise InputError("empty file (the .docx has no text)")
    return Document(text=text, kind="docx", origin=None, grids=merge_continued(grids))
