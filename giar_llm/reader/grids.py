"""Tables read from the grids the source draws: columns by their header labels, rows by their labels.

Every cell is read where it stands: a blank cell is null in its own column, never a reason to shift the
values after it. A column's meaning comes from the header rows above it (the lowest header cell that
names a column wins, so 商业企业 under 法人或其他组织 is 商业企业); a new header band after data rows (a
table printed in stacked bands) replaces the previous one. A row's meaning comes from its label cells.

表四 is read in any orientation: each number takes its group (行政复议, 未经复议直接起诉, 复议后起诉) and
its result (结果维持 … 总计) from its column header or its row label, whichever names it.

A row is returned only when every one of its cells is placed by a header and a label. Rows the grids
can't place are left to the text reader.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Final, NamedTuple

from giar_llm.core.arithmetic import (
    RESULTS,
    REVIEW,
    TOTAL_PROCESSED,
    column_equations,
    holds,
    row_equations,
    row_values,
    sides,
    table_equations,
)
from giar_llm.core.document import WRAPPED_ROW, Grid, GridCell
from giar_llm.core.headers import (
    APPLICANT_HEADERS,
    REVIEW_GROUPS,
    REVIEW_OUTCOMES,
    ROW_NUMBERING,
    ZERO_MARKS,
    Keys,
)
from giar_llm.core.locator import pattern
from giar_llm.core.schema import APPLICANT_COLUMNS
from giar_llm.reader.cells import ascii_digits
from giar_llm.reader.layout import REVIEW_FIELDS, RowSpec
from giar_llm.reader.normalize import normalize
from giar_llm.reader.rows import Number, RowRead

Span = tuple[int, int]


def unnamed_applicants(header: str) -> list[str]:
    """The applicant columns (their names) a printed 表三 header leaves out, when it names at least three:
    a column missing from the table, or its name lost, so the numbers under the header may stand one column
    off. Empty when the header names them all, or too few of them to be a header."""
    compact = _compact(header)
    named = {name for phrase, name in APPLICANT_HEADERS if phrase in compact}
    missing = [n for n in APPLICANT_COLUMNS if n not in named]
    if len(APPLICANT_COLUMNS) - len(missing) < 3:
        return []
    return [next(phrase for phrase, name in APPLICANT_HEADERS if name == n) for n in missing]


_NUMBER: Final = re.compile(r"([-+]?\d+(?:\.\d+)?)\s*(?:万元|元|件|项|个|次)?")
_SPACE: Final = re.compile(r"[\s|]+")
_THOUSANDS: Final = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


class Value(NamedTuple):
    """A cell's content: ``kind`` num, zero (a / - — 无 mark), blank, or text (a tuple: one per grid cell, made
    several times faster than a frozen dataclass)."""

    kind: str
    number: int | float | None = None
    span: Span | None = None


def cell_text(cell: GridCell, text: str) -> str:
    """A cell's text as the reader sees it (normalised), from ``text`` where the cell has a span."""
    if cell.span is not None:
        return text[cell.span[0] : cell.span[1]]
    return normalize(cell.text)


def value_of(cell: GridCell, text: str) -> Value:
    return _value(cell, cell_text(cell, text))


_new_value = tuple.__new__  # a Value without the named tuple's Python-level constructor
_BLANK: Final = Value("blank")
_TEXT: Final = Value("text")
_VALUED: Final = ("num", "zero")


def _value(cell: GridCell, raw: str) -> Value:
    """A cell's value from its text as the reader sees it (``cell_text``)."""
    kind, number, lead, width = _parse(raw)
    if kind == "blank":
        return _BLANK
    if kind == "text":
        return _TEXT
    if cell.span is None:
        return Value(kind, number)
    start = cell.span[0] + lead
    return Value(kind, number, (start, start + width))


@lru_cache(maxsize=4096)
def _parse(raw: str) -> tuple[str, int | float | None, int, int]:
    """A cell text's kind and number, with where the number stands in it (its offset and width); once per
    distinct text (a grid repeats 0, 1, / …)."""
    stripped = raw.strip()
    if not stripped:
        return "blank", None, 0, 0
    lead = raw.index(stripped[0])
    if ascii_digits(stripped):
        return "num", int(stripped), lead, len(stripped)
    if stripped in ZERO_MARKS:
        return "zero", 0, lead, len(stripped)
    plain = stripped.replace(",", "") if _THOUSANDS.fullmatch(stripped) else stripped
    match = _NUMBER.fullmatch(plain)
    if match is None:
        return "text", None, 0, 0
    number: int | float = float(match.group(1)) if "." in match.group(1) else int(match.group(1))
    return "num", number, lead, len(stripped) if plain != stripped else match.end(1)


def _compact(value: str) -> str:
    if "|" in value:
        return _SPACE.sub("", value)
    return "".join(value.split())  # the same whitespace as the pattern's, split in C


def name_in(value: str, keys: Keys) -> str | None:
    return _name_in_compact(_compact(value), keys)


def _name_in_compact(compact: str, keys: Keys) -> str | None:
    for phrase, name in keys:
        if phrase in compact:
            return name
    return None


class View:
    """A grid as the reader sees it: each cell's text and value, each row's cells, computed once."""

    def __init__(self, grid: Grid, text: str) -> None:
        self.grid = grid
        self.rows, self.cols = grid.rows, grid.cols
        self.matrix = grid.matrix
        normalized: dict[str, str] = {}  # a cell without a span: its text normalised once per distinct text
        self.text: dict[GridCell, str] = {}  # by cell (cells hash by identity)
        self.value: dict[GridCell, Value] = {}
        cell_text, value = self.text, self.value
        valued_cells: set[GridCell] = set()  # the cells holding a number or a zero mark
        number_cells: set[GridCell] = set()  # the cells holding a number
        for c in grid.cells:  # (_value inlined: a grid has hundreds of cells)
            span = c.span
            if span is not None:
                raw = text[span[0] : span[1]]
            else:
                seen = normalized.get(c.text)
                raw = seen if seen is not None else normalized.setdefault(c.text, normalize(c.text))
            cell_text[c] = raw
            kind, number, lead, width = _parse(raw)
            if kind == "blank":
                value[c] = _BLANK
            elif kind == "text":
                value[c] = _TEXT
            else:
                if span is None:
                    value[c] = _new_value(Value, (kind, number, None))
                else:
                    start = span[0] + lead
                    value[c] = _new_value(Value, (kind, number, (start, start + width)))
                valued_cells.add(c)
                if kind == "num":
                    number_cells.add(c)
        self._texts: dict[int, list[str]] = {}
        self._compacts: dict[int, list[str]] = {}
        self._label_cells: dict[int, list[GridCell]] = {}
        self._header_cells: dict[int, list[tuple[int, str]]] = {}
        self.row_cells: list[list[GridCell]] = []  # each cell once, in order
        self.numbered: list[bool] = []  # a number among the row's own cells (not merged down)
        self.valued: list[list[GridCell]] = []  # each row's own cells that hold a number or a zero mark
        for r, row in enumerate(self.matrix):
            cells = list(dict.fromkeys(row))
            if None in cells:  # (a position no cell covers; cells compare by identity)
                cells.remove(None)
            valued = (
                [c for c in cells if c in valued_cells and c.row == r] if not valued_cells.isdisjoint(cells) else []
            )
            self.row_cells.append(cells)  # type: ignore[arg-type]  # (None removed)
            self.numbered.append(not number_cells.isdisjoint(valued))
            self.valued.append(valued)
        self._labels: dict[tuple[int, int], tuple[str, str]] = {}
        self._row_labels: list[str] | None = None
        self._all_labels = ""
        self.flat = _compact("".join(cell_text.values()))

    def names(self, phrase: str) -> bool:
        return phrase in self.flat

    def texts(self, r: int) -> list[str]:
        """Row ``r``'s text at each position ("" where no cell stands), computed once."""
        found = self._texts.get(r)
        if found is None:
            found = self._texts[r] = [self.text[c] if c is not None else "" for c in self.matrix[r]]
        return found

    def compacts(self, r: int) -> list[str]:
        """Row ``r``'s cell texts without whitespace or pipes (for the header names), computed once."""
        found = self._compacts.get(r)
        if found is None:
            found = self._compacts[r] = [_compact(t) for t in self.texts(r)]
        return found

    def header_cells(self, r: int) -> list[tuple[int, str]]:
        """Row ``r``'s positions that may name a column, with their compact text (not empty, not starting with
        a row's numbering), computed once for every key set the readers look for."""
        found = self._header_cells.get(r)
        if found is None:
            found = self._header_cells[r] = [
                (c, t) for c, t in enumerate(self.compacts(r)) if t and not ROW_NUMBERING.match(t)
            ]
        return found

    def label_cells(self, r: int) -> list[GridCell]:
        """Row ``r``'s cells that are not blank, in column order, computed once."""
        found = self._label_cells.get(r)
        if found is None:
            found = self._label_cells[r] = [c for c in self.row_cells[r] if c.text.strip()]  # (not c.blank)
        return found

    def row_labels(self) -> tuple[list[str], str]:
        """Each row's label cells joined as ``_find_label`` joins them, and every row's together (one line a
        row), computed once and shared by the readers: a row's label left of any column is a prefix of its
        line, so a pattern of row keys that finds nothing there finds nothing in any of its labels."""
        found = self._row_labels
        if found is None:
            text = self.text
            found = self._row_labels = [" ".join([text[c] for c in self.label_cells(r)]) for r in range(self.rows)]
            self._all_labels = "\n".join(found)
        return found, self._all_labels


def views(grids: Sequence[Grid], text: str) -> list[View]:
    return [View(grid, text) for grid in grids]


def _bands(grid: View, keys: Sequence[Keys]) -> list[list[dict[int, str]]]:
    """For every row, the column names of the header band in force: one ``{column: name}`` per key set.

    Consecutive rows without a number form a block; a block is a header band when one of its cells names
    a column and is not the first cell of its row, over however many columns that cell spans (a lone row
    label such as （六）其他处理 names nothing). A cell that starts with a row's numbering (一、 （二） 3.) is a row
    label, never a column header, whatever name it holds (2.其他法律行政法规禁止公开, （七）总计).
    In a band the lowest naming cell wins for its column; a new band replaces the one before (a table
    printed in stacked bands).
    """
    current: list[dict[int, str]] = [{} for _ in keys]
    before = current
    block: list[list[dict[int, str]]] = []
    qualifies = False
    out: list[list[dict[int, str]]] = []
    for r in range(grid.rows):
        if grid.numbered[r]:
            block, qualifies, before = [], False, current
            out.append(current)
            continue
        cells = grid.header_cells(r)
        names = [{c: n for c, t in cells if (n := _name_in_compact(t, k))} for k in keys]
        shift = _short_header_shift(grid, r, names)
        if shift:
            names = [{c + shift: n for c, n in table.items()} for table in names]
        else:
            names = [_header_cell_lost(grid, r, table) for table in names]
        block.append(names)
        first = next((c for c, t in enumerate(grid.texts(r)) if t.strip()), None)
        cell = grid.matrix[r][first] if first is not None and not shift else None
        leading = range(cell.col, cell.col + cell.colspan) if cell is not None else range(0)  # its columns
        if any(c not in leading for table in names for c in table):
            qualifies = True
        if qualifies:
            merged: list[dict[int, str]] = [{} for _ in keys]
            for row_names in block:
                merged = [{**old, **new} for old, new in zip(merged, row_names, strict=True)]
            current = merged
        else:
            current = before
        out.append(current)
    return out


def _short_header_shift(grid: View, r: int, names: list[dict[int, str]]) -> int:
    """How far a short header row stands left of its columns: a header row that ends before the table's last
    column and whose first cell already names a column lacks the corner cell over the row labels (a
    converter or CMS left it out), so its names belong that many columns to the right."""
    cells = [c for c in grid.row_cells[r] if c.row == r]
    if not cells or cells[0].col != 0:
        return 0
    end = max(c.col + c.colspan for c in cells)
    if end >= grid.cols or not any(0 in table for table in names):
        return 0
    covered_from_above = any(c.row != r for c in grid.row_cells[r])
    return 0 if covered_from_above else grid.cols - end


_NATIONAL: Final = (*APPLICANT_COLUMNS, "total")  # 表三's columns in the national format's order


def _header_cell_lost(grid: View, r: int, names: dict[int, str]) -> dict[int, str]:
    """表三's header row one cell short of the table, naming every column of the national format but one, in
    the national order: a converter lost the missing name's cell, and the names from its place on stand one
    column to the right of where they are printed. Taken only when every row below that holds a number and prints
    its 总计 then has it equal to the sum of its other cells (a blank counts 0), at least one 总计 is not 0, and
    read as printed some row's 总计 fails; otherwise the names stay as printed (the rows read under them are
    unsure)."""
    if len(names) != len(_NATIONAL) - 1 or not set(names.values()) <= set(_NATIONAL):
        return names
    cells = [c for c in grid.row_cells[r] if c.row == r]
    end = max((c.col + c.colspan for c in cells), default=grid.cols)
    columns = sorted(names)
    printed = [names[c] for c in columns]
    missing = [n for n in _NATIONAL if n not in printed]
    if end != grid.cols - 1 or len(missing) != 1 or printed != [n for n in _NATIONAL if n != missing[0]]:
        return names
    if columns != list(range(columns[0], columns[0] + len(columns))) or columns[-1] != end - 1:
        return names  # the printed names stand side by side, up to the header's end
    place = _NATIONAL.index(missing[0])
    repaired = {c + (1 if i >= place else 0): n for i, (c, n) in enumerate(zip(columns, printed, strict=True))}
    repaired[columns[0] + place] = missing[0]
    return repaired if _totals_hold(grid, r, repaired) and not _totals_hold(grid, r, names) else names


_ROW: Final = "applications.new_requests"  # any row of 表三: its row sum is the one every row of 表三 has
(_ROW_SUM,) = row_equations(_ROW)


def _totals_hold(grid: View, r: int, names: dict[int, str]) -> bool:
    """Whether 表三's row sum (``core.arithmetic``: the applicant cells add up to 总计) holds, by ``names``, in
    every row below ``r`` that holds a number and prints its 总计 (blanks and zero marks count 0; a blank 总计
    proves nothing, as the checker skips its sum), with some 总计 not 0."""
    if "total" not in names.values():
        return False
    nonzero = False
    for below in range(r + 1, grid.rows):
        if not grid.numbered[below]:
            continue
        row = grid.matrix[below]
        values: dict[str, Number | None] = {}
        for c, name in names.items():
            cell = row[c] if c < len(row) else None
            value = grid.value[cell] if cell is not None and cell.row == below else None
            values[f"{_ROW}.{name}"] = 0 if value is not None and value.kind == "zero" else value and value.number
        both = sides(_ROW_SUM, values)
        if both is None:
            continue
        if both[0] != both[1]:
            return False
        nonzero = nonzero or both[1] != 0
    return nonzero


def _label(grid: View, r: int, first_value_col: int) -> tuple[str, str]:
    """A row's label cells left of its values: the innermost (its own, rightmost) and all of them joined (once
    per view, row and column)."""
    found = grid._labels.get((r, first_value_col))
    if found is None:
        found = grid._labels[(r, first_value_col)] = _find_label(grid, r, first_value_col)
    return found


def _find_label(grid: View, r: int, first_value_col: int) -> tuple[str, str]:
    seen = [c for c in grid.label_cells(r) if c.col < first_value_col]  # a cell stands in the row from its column
    if not seen:
        return "", ""
    text = grid.text
    own = [c for c in seen if c.row == r]
    return text[own[-1] if own else seen[-1]], " ".join([text[c] for c in seen])


class _Rows:
    """Row specs with what matching a label against them needs, built once per table: one pattern of every
    key, so that a label holding none of them (most labels a grid's other tables print) is told in one search."""

    def __init__(self, specs: Sequence[RowSpec]) -> None:
        self.specs = tuple(specs)
        self.widest = max((spec.width for spec in specs), default=0)
        self.any = re.compile("|".join(pattern(spec.keys).pattern for spec in specs)) if specs else None
        self.patterns = [(spec, pattern(spec.keys)) for spec in specs]
        by_first: dict[str, list[int]] = {}  # a key's first character -> the rows (indices) with a key starting so
        for index, spec in enumerate(specs):
            for char in spec.first_chars:
                by_first.setdefault(char, []).append(index)
        self.by_first = {char: tuple(indices) for char, indices in by_first.items()}
        self.firsts = re.compile("[" + "".join(re.escape(char) for char in sorted(by_first)) + "]")
        self.widths: list[tuple[int, _Rows]] = []  # the specs by their number of cells, the widest first

    def match(self, label: str, whole: str) -> RowSpec | None:
        """The row a label names: its own (innermost) label first, then its whole label; the longest key wins."""
        if self.any is None:
            return None
        for candidate in (label, whole) if whole != label else (label,):
            if self.any.search(candidate) is None:
                continue  # no key of any row in it
            best: tuple[int, RowSpec] | None = None
            by_first = self.by_first
            # (a key starts with its first character: only the rows with a key starting with one in the label
            # are searched, in their order)
            tried = {index for char in set(self.firsts.findall(candidate)) for index in by_first[char]}
            for index in sorted(tried):
                spec, keys = self.patterns[index]
                match = keys.search(candidate)
                if match is not None and (best is None or len(match.group(0)) > best[0]):
                    best = (len(match.group(0)), spec)
            if best is not None:
                return best[1]
        return None


_TABLES: Final[dict[tuple[int, ...], _Rows]] = {}  # by the ids of its specs (which it holds, so no id is reused)


def _rows(specs: Sequence[RowSpec]) -> _Rows:
    """A table's row specs ready for matching labels, built once per table (the format's specs are constants)."""
    key = tuple(map(id, specs))
    found = _TABLES.get(key)
    if found is None:
        if len(_TABLES) >= 64:
            _TABLES.clear()
        found = _TABLES[key] = _Rows(specs)
        widths = sorted({spec.width for spec in specs}, reverse=True)
        found.widths = [(w, _Rows([s for s in specs if s.width == w])) for w in widths]
    return found


def read_rows_by_header(grids: Sequence[View], specs: Sequence[RowSpec], keys: Keys) -> dict[str, RowRead]:
    """表二 and 表三: each row found by its label, each cell by its column header."""
    out: dict[str, RowRead] = {}
    seen: dict[str, int] = {}
    labelled: list[tuple[View, int, RowSpec, dict[int, str], dict[int, str]]] = []
    by_position: list[tuple[RowSpec, RowRead]] = []
    rows = _rows(specs)
    widths = rows.widths
    if rows.any is None:
        return out
    keyed = rows.any.search
    for grid in grids:
        fewer: list[tuple[RowSpec, RowRead]] = []
        labels, all_labels = grid.row_labels()
        if keyed(all_labels) is None:
            continue  # no label of the grid names a row of the table: every path below needs one that does
        if not any(grid.names(phrase) for phrase, _ in keys):
            for r in range(grid.rows):
                if keyed(labels[r]) is None:
                    continue  # (neither _by_position nor _fewer_columns can place it)
                if grid.valued[r] and (placed := _by_position(grid, r, widths)) is not None:
                    by_position.append(placed)
                elif (short := _fewer_columns(grid, r, rows)) is not None:
                    fewer.append(short)
            by_position += _of_the_table(fewer)
            continue
        bands = _bands(grid, (keys,))
        for r in range(grid.rows):
            if keyed(labels[r]) is None:
                continue  # no label of the row names a row of the table
            columns = bands[r][0]
            if not columns:
                if grid.valued[r] and (placed := _by_position(grid, r, widths)) is not None:
                    by_position.append(placed)
                elif (short := _fewer_columns(grid, r, rows)) is not None:
                    fewer.append(short)
                continue
            first = min(columns)
            label, whole = _label(grid, r, first)
            spec = rows.match(label, whole)
            if spec is not None:
                labelled.append((grid, r, spec, columns, bands[r + 1][0] if r + 1 < grid.rows else {}))
        by_position += _of_the_table(fewer)
    reads = [
        (grid, r, spec, columns, below, _read_row(grid, r, spec, columns)) for grid, r, spec, columns, below in labelled
    ]
    found = {spec.path for _, _, spec, _, _, row in reads if row is not None}  # (not a header row naming 总计)
    gaps: dict[str, str] = {}  # row -> the one column its header lacks, where that is all the row lacks
    for grid, r, spec, columns, below, row in reads:
        if row is None:
            continue
        if row.unsure is not None and row.unsure.startswith(MISSING):  # only columns the header lacks, if that
            named = set(columns.values())
            missing = [n for n in spec.fields if n not in named]
            if len(missing) == 1 and row.unsure == _missing_columns(missing):
                gaps[spec.path] = missing[0]
        if row.unsure is None and all(v is None for v in row.values):
            row = _numbers_below(grid, r, spec, below, specs, found) or row
        seen[spec.path] = seen.get(spec.path, 0) + 1
        if seen[spec.path] > 1:
            out[spec.path] = RowRead.missing(spec.width, TWO_ROWS)
            continue
        out[spec.path] = row
    for spec, row in by_position:  # a row its header names wins over one placed by position
        if spec.path in found:
            continue
        seen[spec.path] = seen.get(spec.path, 0) + 1
        out[spec.path] = row if seen[spec.path] == 1 else RowRead.missing(spec.width, TWO_ROWS)
    _derive_gap(out, gaps, specs)
    return out


GAP_ZERO: Final = "表格未印出“{name}”列：按本行总计减其余各列推算为 0，但原表该格也可能是空白"
GAP_DERIVED: Final = "表格未印出“{name}”列：按本行总计减其余各列推算，该列的收支平衡和办理结果之和均成立"


def _derive_gap(out: dict[str, RowRead], gaps: dict[str, str], specs: Sequence[RowSpec]) -> None:
    """表三 printed without one applicant column (header and rows): every row's cell of that column is its
    总计 less its other cells (a blank counts 0), derived when every row of the table was read by its header
    with only that column missing, every row's 总计 is filled, and the column's own sums (its balance and
    its results total, ``core.arithmetic``) are evaluated and hold; otherwise the rows stay unsure. A cell
    that comes out 0 is named unsure: 0 and a blank cell add up alike, the sums can't tell which was printed."""
    names = set(gaps.values())
    if len(names) != 1 or set(gaps) != {spec.path for spec in specs}:
        return
    name = names.pop()
    if name not in APPLICANT_COLUMNS:
        return
    values: dict[str, Number | None] = {}
    derived: dict[str, int] = {}
    for spec in specs:
        row = out[spec.path]
        cells = dict(zip(spec.fields, row.values, strict=True))
        total = cells.get("total")
        if total is None or row.derived or row.split:
            return
        value = total - sum(v for f, v in cells.items() if f not in (name, "total") and v is not None)
        if value < 0 or not float(value).is_integer():
            return
        derived[spec.path] = int(value)
        values.update({f"{spec.path}.{f}": v for f, v in cells.items()})
        values[f"{spec.path}.{name}"] = int(value)
    prefix = f"{RESULTS}."
    outcomes = tuple(p.removeprefix(prefix) for p in derived if p.startswith(prefix) and p != TOTAL_PROCESSED)
    sums = [e for e in column_equations(outcomes) if all(c.endswith(f".{name}") for c in e.cells)]
    if not sums or not holds(sums, values):
        return
    label = next(phrase for phrase, key in APPLICANT_HEADERS if key == name)
    for spec in specs:
        row = out[spec.path]
        column = spec.fields.index(name)
        row.values[column] = derived[spec.path]
        row.unsure = None
        if derived[spec.path]:
            row.derived_columns[column] = GAP_DERIVED.format(name=label)
        else:  # nothing printed: 0 by the sums, but the source may have left the cell blank
            row.unsure_columns[column] = GAP_ZERO.format(name=label)


MISSING: Final = "表格单元格：表头缺少列："


def _missing_columns(missing: Sequence[str]) -> str:
    return MISSING + "、".join(missing)


TWO_ROWS: Final = "表格中有两行同一标签，无法确定取哪一行"
BY_POSITION: Final = (
    "表头未标明国家格式的列名（占位表头、其他表块的表头或没有表头），按国家格式的列序归位，本行合计成立"
)
BY_POSITION_UNSURE: Final = (
    "表头未标明国家格式的列名（占位表头、其他表块的表头或没有表头），按国家格式的列序归位，{why}"
)


def _by_position(grid: View, r: int, widths: Sequence[tuple[int, _Rows]]) -> tuple[RowSpec, RowRead] | None:
    """A row under a header that names none of the table's columns (placeholders 数据1…, another block's header,
    none): when its label names a row of ``specs`` and the grid's last columns, as many as the row has cells,
    hold only numbers, zero marks and blanks (and no number stands left of them), its cells are placed in the
    national column order. The placement stands (derived) when the row's own sum (``core.arithmetic``) is
    evaluated and holds; otherwise, or for a row without a sum, its cells are unsure. ``widths``: the row specs
    by their number of cells, the widest first."""
    numbered = grid.valued[r]
    if not numbered:
        return None
    leftmost = min(c.col for c in numbered)
    for width, specs in widths:
        first = grid.cols - width
        if first < 1:
            continue
        if leftmost < first:  # (so for every narrower width too, whichever row its label names)
            return None  # a number under the label columns: the row is not laid out as the format's
        label, whole = _label(grid, r, first)
        spec = specs.match(label, whole)
        if spec is None:
            continue
        read = RowRead([None] * width, [None] * width)
        for column in range(width):
            cell = grid.matrix[r][first + column]
            if cell is None or cell.row != r or cell.colspan != 1:
                return None
            value = grid.value[cell]
            if value.kind == "text":
                return None
            _place(read, column, value, cell)
        sums = row_equations(spec.path)
        values = row_values({spec.path: read.values}, spec.fields)
        if not sums:
            read.unsure = BY_POSITION_UNSURE.format(why="此行没有勾稽关系可以确认")
        elif holds(sums, values):
            read.derived = BY_POSITION
        else:
            read.unsure = BY_POSITION_UNSURE.format(why="本行合计不成立或总计为空")
        return spec, read
    return None


FEWER_COLUMNS: Final = "表格的这一行在标签之后只有 {cols} 列（国家格式 {width} 列），表头又未标明列名：表格少印了列，无法确定各数字属于哪一列"


def _of_the_table(rows: list[tuple[RowSpec, RowRead]]) -> list[tuple[RowSpec, RowRead]]:
    """The rows a grid has too few columns for, when the grid is this table's: its labels name three or more of
    the table's rows (表四's 总计 alone, printed with three columns, is no row of 表三)."""
    return rows if len({spec.path for spec, _ in rows}) >= 3 else []


def _fewer_columns(grid: View, r: int, specs: _Rows) -> tuple[RowSpec, RowRead] | None:
    """A row under a header that names none of the table's columns, whose label names a row of ``specs`` but
    which has fewer columns after its label cells than that row has cells: the table was printed without a
    column, so which of its cells is missing is unknown (a text reading that finds the row's full count counts
    a merged label's second column as a blank cell). Its cells are unsure. The row's own cells count, not the
    grid's width: a page marker or note spanning past the table's last column widens the grid, not the row."""
    cells = grid.row_cells[r]
    label_end = 0
    for cell in cells:
        if grid.value[cell].kind in ("num", "zero"):
            break
        if grid.value[cell].kind == "text":
            label_end = cell.col + cell.colspan
    if not label_end:
        return None
    cols = cells[-1].col + cells[-1].colspan - label_end  # the row's own columns after its label
    if cols >= specs.widest:
        return None  # (no row of the table is that wide)
    label, whole = _label(grid, r, label_end)
    spec = specs.match(label, whole)
    if spec is None or cols >= spec.width:
        return None
    row = RowRead.missing(spec.width, FEWER_COLUMNS.format(cols=cols, width=spec.width))
    row.fewer_columns = True
    return spec, row


NUMBERS_BELOW: Final = (
    "本行标签所在的格全空，其下一行无标签的数字按本行读取；但国家格式中本行之后的一行未见标签，数字也可能是那一行的"
)


def _numbers_below(
    grid: View, r: int, spec: RowSpec, columns: dict[int, str], specs: Sequence[RowSpec], found: set[str]
) -> RowRead | None:
    """A labelled row whose cells are all blank, followed by a row of numbers without a label of its own (a
    group cell merged down beside both is theirs): the label's numbers printed on the line after it. Certain when the row the national format prints next is labelled
    elsewhere in the grids (so the numbers can't be that row's, its label lost); otherwise unsure."""
    below = r + 1
    if below >= grid.rows or not columns or not grid.numbered[below]:
        return None
    first = min(columns)
    if any(c.row == below and c.col < first and not c.blank for c in grid.row_cells[below]):
        return None  # a label of its own (a group cell merged down from above, （三）不予公开, is the label's)
    row = _read_row(grid, below, spec, columns)
    if row is None or all(v is None for v in row.values):
        return None
    index = next(i for i, other in enumerate(specs) if other.path == spec.path)
    if index + 1 < len(specs) and specs[index + 1].path not in found:
        row.unsure = row.unsure or NUMBERS_BELOW
    return row


def _read_row(grid: View, r: int, spec: RowSpec, columns: dict[int, str]) -> RowRead | None:
    """One row's cells by their columns' names; None when the row holds no value column of this table, or
    when the header does not fit the row (a number under the label columns or in a column it doesn't name)."""
    read = RowRead([None] * spec.width, [None] * spec.width)
    placed: set[str] = set()
    problems: list[str] = []
    any_value_column = False
    first = min(columns)
    fields = spec.fields
    of = grid.value
    values, spans, zero_marks, locations = read.values, read.spans, read.zero_marks, read.locations
    for cell in grid.row_cells[r]:
        value = of[cell]
        col, colspan = cell.col, cell.colspan
        if col + colspan <= first:
            if value.kind in _VALUED:
                return None  # a number under the label columns: the header does not fit this row
            continue  # a label cell
        if cell.row != r:  # merged down from the row above
            if value.kind in _VALUED:
                problems.append("数字单元格跨行合并")
            continue
        if colspan == 1:  # (most cells: one column, its name or none)
            name = columns.get(col)
            if name not in fields:
                if value.kind in _VALUED:
                    return None  # a number in a column the header does not name: the header does not fit this row
                continue
            any_value_column = True
        else:
            names = {columns.get(c) for c in range(col, col + colspan)}
            wanted = {n for n in names if n in fields}
            if not wanted:
                if value.kind in _VALUED:
                    return None  # a number in a column the header does not name: the header does not fit this row
                continue
            any_value_column = True
            if len(wanted) > 1 or None in names:
                if value.kind in _VALUED:
                    problems.append("数字单元格横跨多列")
                continue
            name = wanted.pop()
        if name in placed:
            problems.append(f"表头“{name}”对应多列")
            continue
        placed.add(name)
        column = fields.index(name)
        kind = value.kind
        if kind == "text":
            problems.append(f"单元格内容不是数字：{cell.text.strip()[:20]}")
            read.lines_unsure = read.lines_unsure or WRAPPED_ROW in cell.text
            continue
        if kind == "blank":
            continue
        values[column] = value.number  # (_place inlined: most of a row's cells)
        spans[column] = value.span
        if kind == "zero":
            zero_marks.append(column)
        if cell.page is not None and cell.box is not None:
            locations[column] = (cell.page, cell.box)
    if not any_value_column:
        return None
    missing = [n for n in spec.fields if n not in placed]
    if missing and not problems:
        read.unsure = _missing_columns(missing)
    elif missing:
        problems.append("表头缺少列：" + "、".join(missing))
    if problems:
        read.unsure = "表格单元格：" + "；".join(dict.fromkeys(problems))
    return read


def read_review(grids: Sequence[View]) -> RowRead | None:
    """表四 in any orientation: each number's group and result from its column header or its row label."""
    fields = [f"{g}.{o}" for g in ("review", "litigation_direct", "litigation_after_review") for o in REVIEW_FIELDS]
    best: RowRead | None = None
    for grid in grids:
        if not grid.names("复议") or not grid.names("维持"):
            continue
        bands = _bands(grid, (REVIEW_GROUPS, REVIEW_OUTCOMES))
        read = RowRead([None] * len(fields), [None] * len(fields))
        placed: set[str] = set()
        problems: list[str] = []
        unfit = False
        for r in range(grid.rows):
            groups, outcomes = bands[r]
            if not (groups or outcomes) or not grid.numbered[r]:
                continue
            first = min(set(groups) | set(outcomes))
            label, whole = _label(grid, r, first)
            row_group, row_outcome = name_in(whole, REVIEW_GROUPS), name_in(label, REVIEW_OUTCOMES)
            named: list[tuple[GridCell, Value, str | None]] = []
            cells = [c for c in grid.row_cells[r] if c.row == r]
            for cell in cells:
                if cell.col + cell.colspan <= first:
                    continue
                span_cols = range(cell.col, cell.col + cell.colspan)
                g = _one({groups.get(c) for c in span_cols}, row_group)
                o = _one({outcomes.get(c) for c in span_cols}, row_outcome)
                named.append((cell, grid.value[cell], f"{g}.{o}" if g and o else None))
            if not any(name for _, _, name in named):
                continue  # not a row of 表四
            if any(c.col + c.colspan <= first and grid.value[c].kind in ("num", "zero") for c in cells):
                unfit = True  # a number under the label columns: the header does not fit the table
                break
            for cell, value, name in named:
                if name is None:
                    if value.kind in ("num", "zero"):
                        problems.append(f"数字 {cell.text.strip()} 的表头或行标签不明")
                    continue
                if name in placed:
                    problems.append(f"{name} 出现两次")
                    continue
                placed.add(name)
                index = fields.index(name)
                if value.kind == "text":
                    problems.append(f"单元格内容不是数字：{cell.text.strip()[:20]}")
                    read.lines_unsure = read.lines_unsure or WRAPPED_ROW in cell.text
                else:
                    _place(read, index, value, cell)
        if unfit or not placed:
            continue
        missing = [n for n in fields if n not in placed]
        if missing:
            problems.append("表头缺少：" + "、".join(missing))
        if problems:
            read.unsure = "表格单元格：" + "；".join(dict.fromkeys(problems))
        if best is None or (best.unsure and not read.unsure):
            best = read
    return best


REVIEW_BY_POSITION: Final = "表四的表头未标明各列（占位表头、其他表的表头或没有表头）：按国家格式的顺序归位，{why}"


def read_review_by_position(grids: Sequence[View], start: int, end: int) -> RowRead | None:
    """表四 under a header that names none of its columns (placeholders 数据1…, another table's header,
    none), in a grid standing between ``start`` and ``end`` (表四's heading and the next section): its
    numbers placed in the national order, as one row of fifteen cells, as three rows labelled by their group
    (行政复议 …) of five cells, or as five rows labelled by their result (结果维持 …) of three cells. The
    placement stands (derived) when each group's sum (``core.arithmetic``) is evaluated and holds; otherwise
    the cells are unsure."""
    fields = [f"{g}.{o}" for g in ("review", "litigation_direct", "litigation_after_review") for o in REVIEW_FIELDS]
    for grid in grids:
        spans = [c.span for c in grid.grid.cells if c.span is not None]
        if not spans or min(a for a, _ in spans) < start or max(b for _, b in spans) > end:
            continue
        if grid.names("维持") and grid.names("复议"):
            continue  # its headers name it: read_review's
        placed = _review_cells(grid)
        if placed is None:
            continue
        read = RowRead([None] * len(fields), [None] * len(fields))
        for index, (cell, value) in enumerate(placed):
            if value.kind != "blank":
                _place(read, index, value, cell)
        sums = [e for e in table_equations((), review=True) if e.kind == "review_total"]
        values = {f"{REVIEW}.{f}": v for f, v in zip(fields, read.values, strict=True)}
        if holds(sums, values):
            read.derived = REVIEW_BY_POSITION.format(why="各组合计成立")
        else:
            read.unsure = REVIEW_BY_POSITION.format(why="合计不成立或总计为空")
        return read
    return None


def _review_cells(grid: View) -> list[tuple[GridCell, Value]] | None:
    """表四's fifteen cells in the national order (group by group, result by result), or None when the grid's
    numbered rows are not laid out as one of the three shapes (each row's last cells its values, no number
    left of them)."""
    rows = [[(c, grid.value[c]) for c in grid.row_cells[r] if c.row == r] for r in range(grid.rows)]
    rows = [row for r, row in enumerate(rows) if grid.numbered[r]]

    def split(row: list[tuple[GridCell, Value]], width: int) -> tuple[str, list[tuple[GridCell, Value]]] | None:
        head, values = row[:-width], row[-width:]
        if len(values) < width or any(c.colspan != 1 or v.kind == "text" for c, v in values):
            return None
        if any(v.kind in ("num", "zero") for _, v in head):
            return None
        return " ".join(grid.text[c] for c, _ in head if not c.blank), values

    if len(rows) == 1 and (flat := split(rows[0], 15)) is not None and not name_in(flat[0], REVIEW_GROUPS):
        return flat[1]
    if len(rows) == 3:
        by_group = [split(row, 5) for row in rows]
        groups = [name_in(part[0], REVIEW_GROUPS) if part else None for part in by_group]
        if groups == ["review", "litigation_direct", "litigation_after_review"]:
            return [cell for part in by_group if part for cell in part[1]]
    if len(rows) == 5:
        by_outcome = [split(row, 3) for row in rows]
        outcomes = [name_in(part[0], REVIEW_OUTCOMES) if part else None for part in by_outcome]
        if outcomes == list(REVIEW_FIELDS):
            return [part[1][g] for g in range(3) for part in by_outcome if part]
    return None


def _one(from_header: set[str | None], from_label: str | None) -> str | None:
    """The one name a cell's columns and its row label give it (None: none, or they disagree)."""
    names = {n for n in from_header if n is not None}
    if None in from_header and names:
        return None  # a cell spanning columns with and without a name
    if from_label is not None:
        names.add(from_label)
    return names.pop() if len(names) == 1 else None


def _place(read: RowRead, column: int, value: Value, cell: GridCell) -> None:
    """A grid cell's number (or zero mark) into ``column`` of the row, with its span and, from a PDF, its box."""
    if value.kind not in ("num", "zero"):
        return
    read.values[column] = value.number
    read.spans[column] = value.span
    if value.kind == "zero":
        read.zero_marks.append(column)
    if cell.page is not None and cell.box is not None:
        read.locations[column] = (cell.page, cell.box)
