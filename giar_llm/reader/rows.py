"""One row's cells from its region: direct, positional with blanks, split digit runs, or placed by order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from giar_llm.reader.cells import Atom, Sums, split_runs

Number = int | float
SPLIT_LIMIT: Final = 64  # splits listed per row; a row with this many may have more
Span = tuple[int, int]
Location = tuple[int, tuple[float, float, float, float]]  # a PDF cell's 1-based page and box


@dataclass(init=False, slots=True)
class RowRead:
    """The cells read for one row (``None`` = blank), their spans, and why the reader is unsure, if it is."""

    values: list[Number | None]
    spans: list[Span | None]
    unsure: str | None
    candidates: list[list[int]]
    runs: list[str]  # the digit runs, when the split was ambiguous
    surplus: list[Atom]  # numbers beyond the row's width
    zero_marks: list[int]  # columns read from / - — 无
    split: bool
    derived: str  # why the row's cells are derived (placed by the table's arithmetic), if they are
    derived_columns: dict[int, str]  # column -> why that cell alone is derived
    unsure_columns: dict[int, str]  # column -> why that cell alone is unsure
    complete: bool  # ``candidates`` lists every split
    locations: dict[int, Location]  # column -> its PDF grid cell's page and box
    fewer_columns: bool  # a grid row with fewer columns after its label than the format, no header naming them
    lines_unsure: bool  # a grid row whose lines of numbers may be another row's (``core.document.WRAPPED_ROW``)

    def __init__(
        self,
        values: list[Number | None],
        spans: list[Span | None],
        unsure: str | None = None,
        candidates: list[list[int]] | None = None,
        runs: list[str] | None = None,
        split: bool = False,
        complete: bool = True,
    ) -> None:
        # Written out rather than generated: a dataclass's default factories cost a call each, and hundreds of
        # rows are made per document (most keep every container empty).
        self.values, self.spans, self.unsure = values, spans, unsure
        self.candidates = [] if candidates is None else candidates
        self.runs = [] if runs is None else runs
        self.surplus, self.zero_marks = [], []
        self.split, self.derived, self.complete, self.fewer_columns = split, "", complete, False
        self.lines_unsure = False
        self.derived_columns, self.unsure_columns, self.locations = {}, {}, {}

    @classmethod
    def missing(cls, width: int, reason: str) -> RowRead:
        return cls([None] * width, [None] * width, unsure=reason)


def _run_spans(runs: list[Atom], values: list[int]) -> list[Span | None]:
    """Sub-spans of each number cut from its digit run."""
    spans: list[Span | None] = []
    index = 0
    for run in runs:
        pos = run.start
        taken = 0
        digits = len(run.text.lstrip("+-"))
        sign = len(run.text) - digits
        pos += sign
        while taken < digits and index < len(values):
            width = len(str(abs(values[index])))
            start = pos - (sign if taken == 0 else 0)
            spans.append((start, pos + width))
            pos += width
            taken += width
            index += 1
    return spans


def by_empty_lines(atoms: list[Atom], width: int, lines: int) -> RowRead | None:
    """One cell per line, an empty line for an empty cell (Word tables pasted as text).

    Every value on a line of its own with only empty lines around it; the smallest gap is the layout's
    separator, every further empty line a blank cell. Used only when the count comes out at exactly
    ``width`` cells, so a layout that spaces lines differently is never read this way.
    """
    # One pass over the atoms, without a comprehension each (a comprehension is a function call in Python 3.11, and
    # this runs for every row of such a table); sums and minima by loops rather than builtins called with a list.
    values: list[Atom] = []
    value_lines: list[int] = []
    text_lines: list[int] = []  # the lines of text and blank atoms, past the label's own line
    for atom in atoms:
        if atom.delimited:
            return None
        if atom.kind in _VALUE:
            if value_lines and value_lines[-1] == atom.line:
                return None  # two values on a line (atoms come in their lines' order)
            values.append(atom)
            value_lines.append(atom.line)
        elif atom.line > 0:
            text_lines.append(atom.line)
    count = len(values)
    if count < 2 or count >= width:
        return None  # the separator is learnt between two values: one value alone can't tell spacing from blanks
    first_line, last_line = value_lines[0], value_lines[-1]
    if first_line < 1:
        return None
    label_end = 0  # a wrapped label's last line
    after = -1  # a group label before the next row (-1: none)
    for line in text_lines:
        if first_line <= line <= last_line:
            return None
        if line < first_line:
            label_end = line if line > label_end else label_end
        elif after < 0:
            after = line
    gaps = [first_line - label_end - 1]  # empty lines before each value
    for index in range(1, count):
        gaps.append(value_lines[index] - value_lines[index - 1] - 1)
    last = (lines if after < 0 else after) - last_line - 1  # and after the last
    separator = last
    spaced = 0
    for gap in gaps:
        separator = gap if gap < separator else separator
        spaced += gap
    head = spaced - separator * count  # blank cells before the last value
    tail = 0 if count + head == width else last - separator  # after it (or spacing before the next heading)
    if count + head + tail != width:
        return None
    if separator == 0 and head == 0:
        return None  # values on consecutive lines, then empty lines: spacing or a page break, not blank cells
    columns = []
    column = -1
    for gap in gaps:  # each value a column past the one before and the blank cells between
        column += 1 + gap - separator
        columns.append(column)
    return placed(width, columns, values)


def row_atoms(atoms: list[Atom]) -> list[Atom]:
    """A region's atoms without the blank cells of lines that hold no number and are not one cell: a header
    row repeated in the table (申请人情况 | | 自然人 …), a group label's row, an empty grid row."""
    for atom in atoms:  # (most regions hold no blank atom: none is looked for twice)
        if atom.kind == "blank" and atom.line > 0:
            break
    else:
        return atoms
    candidates = {a.line for a in atoms if a.kind == "blank" and a.line > 0}
    kinds: dict[int, list[str]] = {}
    for atom in atoms:
        if atom.line in candidates:
            kinds.setdefault(atom.line, []).append(atom.kind)
    layout = set()
    for index, line in kinds.items():
        if "num" not in line and "zero" not in line:
            blanks = line.count("blank")
            if blanks > 1 or len(line) > blanks:
                layout.add(index)
    return [a for a in atoms if not (a.kind == "blank" and a.line in layout)] if layout else atoms


_VALUE: Final = ("num", "zero")


def resolve(
    atoms: list[Atom],
    width: int,
    sums: Sums,
    has_total: bool,
    lines: int | None = None,
    fewer: bool = False,
) -> RowRead:
    """Read ``width`` cells from a region's atoms.

    In order: exactly ``width`` numbers; numbers and delimited blanks making ``width`` cells; digit runs
    split by the row's arithmetic ``sums`` (unique, or candidates when ambiguous); else the numbers placed in the
    leading columns (and the last in 总计), flagged unsure because blank cells were not delimited.

    ``fewer``: the row may hold blank cells, so when the digit runs also split into fewer numbers (the rest
    blank, 总计 still their sum), a unique split into ``width`` numbers is not proven.
    """
    atoms = row_atoms(atoms)
    values: list[Atom] = []  # numbers and zero marks
    cells: list[Atom] = []  # and blank cells (one loop, not a comprehension each: resolve runs for many rows)
    for atom in atoms:
        if atom.kind != "text":
            cells.append(atom)
            if atom.kind in _VALUE:
                values.append(atom)
    if len(values) == width:
        read = direct(values)
        if len(cells) > width and _full_line(cells, width):
            read.unsure = ROWS_IN_REGION.format(width=width)
        return read
    if len(values) < width and len(cells) == width:
        return direct(cells)
    if len(values) < width and len(cells) > width:
        # Extra delimited blanks: a label spanning several columns pads the row's start; an empty column
        # after 总计 pads its end. Either side, but not both, leaves exactly the row's cells.
        excess = len(cells) - width
        leading = all(a.kind == "blank" for a in cells[:excess])
        trailing = all(a.kind == "blank" for a in cells[width:])
        if leading != trailing:
            return direct(cells[excess:] if leading else cells[:width])
    if len(values) > width:
        read = direct(values[:width])
        read.unsure = f"行内有 {len(values)} 个数字，多于 {width} 列"
        read.surplus = values[width:]
        return read
    runs = False  # a value not from a delimited cell: a digit run that may hold several
    digits = 0
    for atom in values:
        runs = runs or not atom.delimited
        digits += len(atom.text.lstrip("+-"))
    if runs and digits >= width and all([a.kind == "num" and "." not in a.text for a in values]):  # integers
        split = split_runs([a.text for a in values], width, sums, limit=SPLIT_LIMIT)
        solutions = split.solutions
        if len(solutions) == 1 and split.complete:
            read = RowRead(list(solutions[0]), _run_spans(values, solutions[0]), split=True)
            if fewer and (blanks := _with_blanks(values, width, has_total)):
                shown = ",".join(map(str, blanks))
                read.unsure = f"连写数字只有一种拆分为 {width} 个数，但也可读作 {shown} 并留空白单元格"
            return read
        if solutions or not split.complete:
            shown = " / ".join(",".join(map(str, s)) for s in solutions[:4])
            judged = "均符合勾稽关系" if sums else "（此表无勾稽关系可判）"
            unsure = (
                f"连写数字有{'' if split.complete else '至少'} {len(solutions)} 种拆分{judged}：{shown}"
                if solutions
                else "连写数字过长，拆分未能在限定步数内穷尽，不作猜测"
            )
            return RowRead(
                [None] * width,
                [None] * width,
                unsure=unsure,
                candidates=solutions,
                runs=[a.text for a in values],
                complete=split.complete,
            )
    if not values:
        return RowRead.missing(width, "该行未读到数字")
    if lines is not None and (spaced := by_empty_lines(atoms, width, lines)) is not None:
        return spaced
    columns = [*range(len(values) - 1), width - 1] if has_total else list(range(len(values)))
    read = placed(width, columns, values)
    read.unsure = f"只读到 {len(values)} 个数字（共 {width} 列），空白单元格没有分隔，列位置按顺序推定"
    return read


ROWS_IN_REGION: Final = (
    "数字分在多行，其中一行已有分隔的 {width} 格（含空白格），即整行的单元格：其余行的数字可能属于下一行，"
    "按数字个数读取未经确认"
)


def _full_line(cells: list[Atom], width: int) -> bool:
    """One line of the region holds, delimited, the row's ``width`` cells by itself (numbers and blanks) while
    another line holds a number too: the source's delimiters print that line as a whole row, so the numbers of the
    other lines may be another row's (the next row's label found after them)."""
    counts: dict[int, int] = {}
    numbered: set[int] = set()
    for atom in cells:
        if not atom.delimited:
            return False
        counts[atom.line] = counts.get(atom.line, 0) + 1
        if atom.kind in _VALUE:
            numbered.add(atom.line)
    return len(numbered) > 1 and any(counts[line] == width for line in numbered)


def _with_blanks(values: list[Atom], width: int, has_total: bool) -> list[int] | None:
    """A split of the digit runs into fewer than ``width`` numbers (the last the sum of the others when the row
    has a 总计), if there is one."""
    texts = [a.text for a in values]
    for count in range(max(len(values), 2 if has_total else 1), width):
        found = split_runs(texts, count, ((0, count - 1),) if has_total else (), limit=1).solutions
        if found:
            return found[0]
    return None


def placed(width: int, columns: list[int] | None, cells: list[Atom]) -> RowRead:
    """A row of ``width`` blank cells with each atom put in place: ``cells[i]`` in column ``columns[i]`` (in column
    ``i`` when ``columns`` is None); a blank atom leaves its cell blank."""
    read = RowRead([None] * width, [None] * width)
    values, spans = read.values, read.spans
    for index in range(len(cells)):  # (an index loop: no iterator of pairs is made for a handful of cells)
        atom = cells[index]
        column = index if columns is None else columns[index]
        kind = atom.kind
        if kind == "blank":
            continue
        if kind == "zero":
            values[column] = 0
            read.zero_marks.append(column)
        else:
            values[column] = float(atom.text) if "." in atom.text else int(atom.text)
        spans[column] = (atom.start, atom.end)
    return read


def numbers(text: str, spans: list[Span]) -> RowRead:
    """A row of plain numbers (``text``'s ASCII digits at ``spans``), a cell each: what :func:`direct` makes of
    number atoms."""
    return RowRead([int(text[a:b]) for a, b in spans], list(spans))


def direct(cells: list[Atom]) -> RowRead:
    """Cells in order: a number each, or blank."""
    return placed(len(cells), None, cells)
