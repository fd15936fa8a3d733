"""PDF inputs: the text layer of every page, via pypdf; the ruled tables as grids, via pdfplumber.

pypdf's default extraction is used, not ``extraction_mode="layout"``: on the hongze-2024 report the
default keeps each table row's label and its numbers on one line separated by single spaces, while the
layout mode pads columns with runs of spaces, glues labels to numbers ("重新出具0") and scatters
vertically written labels and the 表四 header over several lines.

The tables are read from the lines the PDF draws (pdfplumber's ruled-table finder), only on pages whose
text holds a table's words: each cell keeps its page and box, merged cells their spans. A table that
continues on the next page (no header of its own, the same columns) is merged back into one grid. The
cells have no span in the text (pypdf's text is not cell by cell); the reader uses their values and
places, and takes the evidence span from the text where the text reading agrees.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError

from giar_llm.core.document import Box, Document, Grid, GridCell
from giar_llm.core.limits import DEFAULT_LIMITS, Limits, megabytes
from giar_llm.core.locator import prints_a_table
from giar_llm.errors import InputError
from giar_llm.inputs.grids import append, merge_continued, opens_without_header
from giar_llm.inputs.words import Pages, Word, page_grids
from giar_llm.reader.normalize import fold

MIN_TEXT_CHARS = 20  # fewer non-space characters than this: the pages are images
_TOLERANCE = 1.5  # points: cell edges closer than this are one grid line

# pypdf logs what it repairs in a damaged file; our own one-line error is what the user sees.
logging.getLogger("pypdf").addHandler(logging.NullHandler())
logging.getLogger("pypdf").propagate = False


def _reason(exc: Exception) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return message


def _bomb(limits: Limits) -> InputError:
    return InputError(
        f"PDF has a compressed stream that inflates past the limit of {megabytes(limits.unpacked_bytes)}"
        " (a decompression bomb? raise the limit with GIAR_MAX_UNPACKED_MB)"
    )


def _page_texts(reader: PdfReader, limits: Limits) -> list[str]:
    """Each page's text; every page's content streams are inflated first, within the limit in all."""
    inflated = 0
    texts: list[str] = []
    for page in reader.pages:
        contents = page.get_contents()
        if contents is not None:
            inflated += len(contents.get_data())
            if inflated > limits.unpacked_bytes:
                raise _bomb(limits)
        texts.append(page.extract_text() or "")
    return texts


def load_pdf(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Extract the text of every page, pages joined with a newline."""
    with apply_configuration(
        zlib_maximum_output_length=limits.unpacked_bytes,
        lzw_maximum_output_length=limits.unpacked_bytes,
        run_length_maximum_output_length=limits.unpacked_bytes,
        maximum_declared_stream_length=limits.unpacked_bytes,
    ):
        return _load_pdf(data, limits)


def _load_pdf(data: bytes, limits: Limits) -> Document:
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # pypdf raises many types, e.g. a missing crypto dependency
                raise InputError(f"PDF is encrypted and cannot be opened: {_reason(exc)}") from exc
            if not opened:
                raise InputError("PDF is encrypted (a password is required)")
        pages = _page_texts(reader, limits)
    except InputError:
        raise
    except LimitReachedError as exc:
        raise _bomb(limits) from exc
    except RecursionError as exc:
        raise InputError("not a readable PDF: its object tree loops or nests too deep") from exc
    except Exception as exc:  # a corrupt file makes pypdf fail in many different ways
        raise InputError(f"not a readable PDF: {_reason(exc)}") from exc
    text = "\n".join(page.replace("\r\n", "\n").replace("\r", "\n") for page in pages)
    if sum(1 for char in text if not char.isspace()) < MIN_TEXT_CHARS:
        raise InputError("PDF has no text layer (scanned image?); run OCR first")
    # Folded first: a text layer may print the tables' phrases in Kangxi radicals or other look-alikes (⾏政复议).
    wanted = [i for i, page in enumerate(pages) if prints_a_table(fold(page))]
    return Document(text=text, kind="pdf", origin=None, grids=pdf_grids(data, wanted))


def _lines(edges: list[float]) -> list[float]:
    """Distinct grid lines from cell edges (edges within the tolerance are one line)."""
    out: list[float] = []
    for edge in sorted(edges):
        if not out or edge - out[-1] > _TOLERANCE:
            out.append(edge)
    return out


def _index(lines: list[float], value: float) -> int:
    return min(range(len(lines)), key=lambda i: abs(lines[i] - value))


@dataclass(frozen=True)
class _Table:
    """What pdfplumber finds of one ruled table, as plain data: each cell's text by row and column, and each
    cell's (row, column, box)."""

    texts: list[list[str | None]]
    boxes: list[tuple[int, int, Box]]


def _table(found: Any) -> _Table:
    boxes = [(r, c, box) for r, row in enumerate(found.rows) for c, box in enumerate(row.cells) if box is not None]
    return _Table(found.extract(), boxes)


def _edges(boxes: list[tuple[int, int, Box]], low: int, high: int) -> list[float]:
    """The distinct grid lines of the boxes' edges ``low`` and ``high`` (0 and 2: columns; 1 and 3: rows)."""
    return _lines([b[low] for _, _, b in boxes] + [b[high] for _, _, b in boxes])


def _grid(table: _Table, page_number: int, xs: list[float] | None = None) -> Grid | None:
    """A ruled table as a grid: positions from the distinct cell edges (or the column lines ``xs`` it shares
    with the fragments it continues), spans from each cell's box."""
    texts, boxes = table.texts, table.boxes
    if not boxes:
        return None
    xs = xs or _edges(boxes, 0, 2)
    ys = _edges(boxes, 1, 3)
    cells: list[GridCell] = []
    for r, c, box in boxes:
        col, end_col = _index(xs, box[0]), _index(xs, box[2])
        row, end_row = _index(ys, box[1]), _index(ys, box[3])
        value = texts[r][c] if r < len(texts) and c < len(texts[r]) else None
        text = " ".join((value or "").split())
        bounds: Box = (float(box[0]), float(box[1]), float(box[2]), float(box[3]))
        cells.append(GridCell(row, col, text, None, max(end_row - row, 1), max(end_col - col, 1), bounds, page_number))
    return Grid(cells=tuple(cells), rows=max(len(ys) - 1, 1), cols=max(len(xs) - 1, 1), page=page_number)


def pdf_grids(data: bytes, pages: list[int]) -> tuple[Grid, ...]:
    """The tables on the given pages (0-based), in reading order, continued tables merged back: the ruled ones,
    and on a page that draws none, the ones its words' places lay out (``inputs.words``)."""
    if not pages:
        return ()
    import pdfplumber  # imported by the first PDF with tables, not by every command

    # What pdfplumber reads of the pages, as plain data. A damaged drawing layer makes it fail in many ways: then
    # the text is left, which the reader reads on its own. (Only pdfplumber's own work is guarded: the grids are
    # made from its data below, where a fault of ours surfaces.)
    try:
        with pdfplumber.open(BytesIO(data)) as pdf:
            ruled = {index: pdf.pages[index].find_tables() for index in pages}
            tables = [
                (_table(found), index + 1)
                for index in pages
                for found in sorted(ruled[index], key=lambda t: (t.bbox[1], t.bbox[0]))
            ]
            unruled = [
                (
                    index,
                    [
                        Word(str(w["text"]), float(w["x0"]), float(w["x1"]), float(w["top"]), float(w["bottom"]))
                        for w in pdf.pages[index].extract_words()
                    ],
                )
                for index in pages
                if not ruled[index]
            ]
    except Exception:
        return ()
    found: list[tuple[int, Grid]] = []  # (page, grid)
    for run, lines in _runs(tables):
        if len(run) == 1:
            made = run[0][2]
        else:  # a table and the fragments that continue it on later pages, on their shared lines: one grid
            parts = [_grid(table, page_number, lines) for table, page_number, _ in run]
            made = functools.reduce(append, [part for part in parts if part is not None])
        if made.cols > 1:
            found.append((run[0][1], made))
    found += _word_grids(unruled)
    return merge_continued([grid for _, grid in sorted(found, key=lambda item: item[0])])


def _word_grids(pages: list[tuple[int, list[Word]]]) -> list[tuple[int, Grid]]:
    """The tables printed without ruling lines on the given pages (0-based, each with its words), from their
    words' places; a table running to a page's end goes on with the next page's first rows under the same columns."""
    out: list[tuple[int, Grid]] = []
    before: Pages | None = None
    previous = -2
    for index, words in pages:
        grids, before = page_grids(words, index + 1, before if index == previous + 1 else None)
        out += [(index + 1, grid) for grid in grids]
        previous = index
    return out


def _runs(tables: Sequence[tuple[_Table, int]]) -> list[tuple[list[tuple[_Table, int, Grid]], list[float]]]:
    """Tables (with their own grids) in runs of a table and the headerless fragments on later pages that continue
    it, each run with the union of its column lines: a fragment continues the run when its first row is a table
    row (a number in it, or a row label with its cells blank) and its column lines are all lines of the run so
    far, or the other way round (a page whose rows all span both label columns draws one line fewer than a page
    with group and sub-row labels). A run's tables are made grids again on those lines, so that the same column
    has the same position in each."""
    runs: list[tuple[list[tuple[_Table, int, Grid]], list[float]]] = []
    for table, page_number in tables:
        own = _grid(table, page_number)
        if own is None:
            continue
        lines = _edges(table.boxes, 0, 2)
        if runs:
            members, run_lines = runs[-1]
            if page_number > members[-1][1] and opens_without_header(own) and _nested(run_lines, lines):
                members.append((table, page_number, own))
                runs[-1] = (members, _lines(run_lines + lines))
                continue
        runs.append(([(table, page_number, own)], lines))
    return runs


def _nested(one: list[float], other: list[float]) -> bool:
    """Whether every line of one set is a line of the other (within the tolerance), and both are tables."""

    def within(xs: list[float], ys: list[float]) -> bool:
        return all(any(abs(x - y) <= _TOLERANCE for y in ys) for x in xs)

    return len(one) > 2 and len(other) > 2 and (within(one, other) or within(other, one))
