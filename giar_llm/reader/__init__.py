"""The deterministic reader: a document's tables read exactly, or cells named as unsure.

``read(document)`` normalises the text (same length, so offsets are the source's), finds tables 二, 三
and 四 by the national format's row labels, detects the format from the table structure, reads every
row (delimited cells, one cell per line, space rows, or digit runs split by the table's arithmetic),
and returns a :class:`Reading` with evidence spans and the cells it is unsure of.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any, Final

from giar_llm.core.checker import failing_sum_cells
from giar_llm.core.document import Document
from giar_llm.core.findings import HeuristicWarning
from giar_llm.core.headers import APPLICANT_HEADERS, PROACTIVE_HEADERS
from giar_llm.core.locator import locate
from giar_llm.core.paths import describe_cell
from giar_llm.core.schema import (
    COLUMNS,
    FormatName,
    Meta,
    empty_report,
    format_marked,
    report_to_json,
)
from giar_llm.reader.grids import (
    View,
    read_review,
    read_review_by_position,
    read_rows_by_header,
    unnamed_applicants,
    views,
)
from giar_llm.reader.layout import REVIEW_FIELDS, RowSpec
from giar_llm.reader.meta import NARRATIVE_CELLS, narrative_warnings, read_meta
from giar_llm.reader.normalize import normalize
from giar_llm.reader.prose import prose_statements
from giar_llm.reader.reading import Reading
from giar_llm.reader.rows import RowRead
from giar_llm.reader.second_report import second_report_warnings
from giar_llm.reader.tables import (
    NO_NUMBERS,
    TableRead,
    read_table2,
    read_table3,
    read_table4,
)

__all__ = ["Reading", "compiled", "read"]


def compiled() -> bool:
    """Whether the reader runs as the C extensions a wheel build makes with mypyc, or from its Python source (an
    editable install, or a build told to stay pure: see setup.py): the same code either way, compiled faster."""
    return not __file__.endswith(".py")


REVIEW_SPEC: Final = RowSpec(
    "review_litigation",
    ("行政复议",),
    fields=tuple(
        f"{part}.{f}" for part in ("review", "litigation_direct", "litigation_after_review") for f in REVIEW_FIELDS
    ),
)


def read(document: Document) -> Reading:
    text = normalize(document.text)
    n = len(text)
    places = locate(text)
    t2 = places["二"].opens if "二" in places else None
    t3, t3_end = places["三"].opens, places["三"].end
    t3_heading = places["三"].heading
    t4_place = places.get("四")
    t4_heading = t4_place.heading if t4_place is not None else None
    s5 = t4_place.end if t4_place is not None else n
    fmt, marked = format_marked(text[t2 if t2 is not None else t3 : t3_end])
    table3 = read_table3(text, t3, t3_end, fmt)
    table2 = read_table2(text, t2, t3, fmt) if t2 is not None else TableRead()
    if t4_heading is not None:
        s5 = _table4_end(text, t4_heading[1], s5)
    review = read_table4(text, REVIEW_SPEC, t4_heading[1], s5) if t4_heading is not None else None
    text_rows = list(table3.rows.values())
    if (
        table3.span is not None
        and (unnamed := unnamed_applicants(text[t3 : table3.span[0]]))
        and 2 * sum(None not in row.values for row in text_rows) < len(text_rows)
    ):  # a column left out of the header, most rows not filling every column: numbers may stand one column off
        for row in text_rows:
            row.unsure = row.unsure or HEADER_GAP.format(columns="、".join(unnamed))
    from_grid: set[int] = set()  # rows read from a grid, by id
    # A PDF's text layer is a reading of its own (an HTML or DOCX text is made from the grids): what it said of
    # the rows a grid reads still tells its layout (labels printed before their numbers).
    said: dict[str, str | None] = {}
    if document.grids and document.kind == "pdf":
        said = {path: row.unsure for table in (table2, table3) for path, row in table.rows.items()}
    if document.grids:
        grids = views(document.grids, text)
        before_t4 = [g for g in grids if t4_heading is None or not _after(g, t4_heading[1])]
        from_grid |= _from_grids(before_t4, table2, table3)
        grid_review = read_review(grids)
        if grid_review is None and t4_heading is not None:
            grid_review = read_review_by_position(grids, t4_heading[1], s5)
        if grid_review is not None:
            review = _prefer(grid_review, review)
            if review is grid_review:
                from_grid.add(id(review))

    found_any = any(row.unsure != "未找到该行的标签" for row in table3.rows.values()) or review is not None
    if not found_any:
        return Reading(data=None, error="no report table found (表二/表三/表四 labels not in the text)")

    # Cells are set on plain data and validated once (assignment validation per cell is slow).
    report = _blank_report(fmt)
    reading = Reading(data=None)
    meta, meta_span = read_meta(text)
    report["meta"] = {name: getattr(meta, name) for name in _META_FIELDS}  # (model_dump()'s dict, without its calls)
    if meta_span is not None:
        reading.sections["meta"] = meta_span
    if table3.merged_other:
        report["applications"]["results"]["other"] = {"total": dict.fromkeys(COLUMNS)}
    # Cells of rows read from text with a blank first or last cell: a blank there may be a label's padding
    # or a dropped empty cell, so the row's numbers may stand one column off. 表四 read from text takes its
    # numbers in the national order: a transposed table would put them in other cells.
    # A text row after a row read unsure may hold that row's numbers (doubted when a sum fails); after two or
    # more labels in a row with no number, the labels were printed before their numbers (a PDF's text in
    # column order): whose numbers follow is unknown. 表二 has no sums to tell: one label without a number will do.
    shiftable: list[str] = []
    previous: RowRead | None = None
    empty = 0  # rows just before this one that hold no number
    for spec, row in [
        *((table.specs[path], row) for table in (table2, table3) for path, row in table.rows.items()),
        *([(REVIEW_SPEC, review)] if review is not None else []),
    ]:
        gridded = from_grid and id(row) in from_grid
        if empty and not gridded and row.unsure is None and empty >= (1 if spec.path in table2.specs else 2):
            row.unsure = STACKED_DOUBT.format(n=empty)
        _apply_row(report, reading, spec, row, text)
        if not gridded and row.unsure is None and previous is not None and previous.unsure is not None:
            shiftable += spec.cell_paths  # the row above's numbers, printed here?
        text_said = said.get(spec.path, row.unsure) if gridded else row.unsure
        if text_said != NO_NUMBERS[1]:  # a row whose label is not in the text stands nowhere between
            empty = empty + 1 if text_said == NO_NUMBERS[0] else 0
            previous = row
        if not gridded and spec is REVIEW_SPEC and row.unsure is None:
            shiftable += spec.cell_paths  # printed order, not a header
        placed = gridded or bool(row.derived)  # by a grid, or by the table's columns and sums
        if not placed and row.unsure is None and None in (row.values[0], row.values[-1]):
            shiftable += spec.cell_paths
            filled = any(v is not None for v in row.values[1:])
            if row.values[0] is None and spec.path.startswith("applications.") and filled:
                for field in spec.fields:  # 自然人 blank but a later column filled: padding read as a cell?
                    reading.unsure.setdefault(f"{spec.path}.{field}", LEAD_DOUBT)
    reading.unsure.update(table3.unsure)
    if not marked:  # 2019 and 2021 print different columns in 表二's rows: which ones these are is a guess
        for spec in table2.specs.values():
            for path in spec.cell_paths:
                reading.unsure.setdefault(path, FORMAT_GUESS)
    if review is None:
        for field in REVIEW_SPEC.fields:
            reading.unsure[f"review_litigation.{field}"] = "未找到表四（行政复议、行政诉讼情况）"
    if table2.span:
        reading.sections["二"] = table2.span
    if table3.span:  # from the heading, so that the model sees the column headers too
        heading = text.rfind("\n", 0, t3) + 1 if t3_heading else table3.span[0]
        reading.sections["三"] = (min(heading, table3.span[0]), table3.span[1])
    if t4_place is not None:
        reading.sections["四"] = (t4_place.start, s5)
    reading.data = report  # validated once, when its model is first asked for (Reading.report)
    if shiftable:
        _doubt_shiftable(reading, set(shiftable))
    cells = {p: _get(report, p) for p in NARRATIVE_CELLS}
    reading.warnings += narrative_warnings(text[: t2 if t2 is not None else t3], cells)
    reading.prose = prose_statements(text[: t2 if t2 is not None else t3], fmt)
    reading.warnings += second_report_warnings(text)
    return reading


_META_FIELDS: Final = tuple(Meta.model_fields)
_BLANK: Final[dict[str, dict[str, Any]]] = {}  # per format: the blank report as JSON data, made once


def _blank_report(fmt: FormatName) -> dict[str, Any]:
    """A fresh copy of the format's blank report as JSON data: each nested dict copied by ``dict.copy`` (which
    clones its keys' table in C, hashes and all), the leaves (blanks, the format's name) shared."""
    template = _BLANK.get(fmt)
    if template is None:
        template = _BLANK[fmt] = report_to_json(empty_report(fmt))
    return _copy_nested(template)


def _copy_nested(node: dict[str, Any]) -> dict[str, Any]:
    out = node.copy()
    for key, value in node.items():
        if type(value) is dict:
            out[key] = _copy_nested(value)
    return out


FORMAT_GUESS: Final = "表二、表三未印出区分 2019 与 2021 年格式的表头或行（如“本年制发件数”“本年新制作数量”）：表二各列的含义按默认格式推定"
STACKED_DOUBT: Final = (
    "本行之前连续 {n} 行的标签下没有数字：标签可能先于数字印出（如 PDF 逐列提取的文本），本行读到的数字未必属于本行"
)
HEADER_GAP: Final = (
    "表三的表头缺少列（{columns}），且多数行不是各列都有数：表格可能少印了一列，从文本读取的数字可能错列"
)
LEAD_DOUBT: Final = "本行从文本读取，自然人列为空而其后各列有数：空白可能是标签的占位，数字可能错列"
SHIFT_DOUBT: Final = (
    "勾稽关系不成立，而本行从文本读取（首列或末列为空，或表四按国家格式的顺序），列位置未经表格确认：数字可能错列"
)


def _doubt_shiftable(reading: Reading, shiftable: set[str]) -> None:
    """A failing sum blames the source only when every cell in it was read where it stands. A cell of a
    text row with a blank first or last cell may have shifted into its neighbour's column: such cells in a
    failing sum are named unsure, so the failure is not blamed on the source and ``auto`` asks the model. (A
    negative count is named unsure where it is read, ``_apply_row``: only the sums can name a cell here.)"""
    assert reading.data is not None
    for involved in failing_sum_cells(reading.data):
        for cell in involved:
            if cell in shiftable and cell not in reading.unsure:
                reading.unsure[cell] = SHIFT_DOUBT


def _from_grids(grids: list[View], table2: TableRead, table3: TableRead) -> set[int]:
    """Rows the source's own grids place by header and label replace the text reader's reading of them;
    returns the ids of the rows now read from a grid."""
    taken: set[int] = set()
    for table, keys in ((table3, APPLICANT_HEADERS), (table2, PROACTIVE_HEADERS)):
        if not table.specs:
            continue
        rows = read_rows_by_header(grids, list(table.specs.values()), keys)
        for path, row in rows.items():
            # cells the text reader could not place (a column drawn apart from its rows) are no reading to dispute
            unplaced = [f"{path}.{field}" for field in table.specs[path].fields]
            doubted = {column for column, cell in enumerate(unplaced) if cell in table.unsure}
            table.rows[path] = _prefer(row, table.rows.get(path), doubted)
            if table.rows[path] is row:
                taken.add(id(row))
                for column in doubted:  # placed by the grid
                    del table.unsure[unplaced[column]]
    return taken


def _after(grid: View, pos: int) -> bool:
    """Whether a grid stands wholly after ``pos`` in the text (its first cell found in the text starts there or
    later): a grid after 表四's heading is 表四's (or a later table's), never a row of 表二 or 表三, whatever
    header it repeats. A grid with no cell in the text (a PDF's) can't be placed and is kept."""
    starts = [cell.span[0] for cell in grid.grid.cells if cell.span is not None]
    return bool(starts) and min(starts) >= pos


def _prefer(grid_row: RowRead, text_row: RowRead | None, doubted: Collection[int] = ()) -> RowRead:
    """The grid's reading of a row, unless the grid could not place all of it and the text reader read it
    with certainty, agreeing with every cell the grid did place; if they disagree, the row is unsure.

    A grid cell without a span in the text (a PDF's) takes the text reader's span for the same value. When the
    text reader is certain and the readings differ, or it found a number where the grid has another or a blank
    (a label's row left blank in the grid, its numbers on the next row), the row is unsure: two readings of one
    source that disagree prove neither. A row the grid placed only by position (its header names no column)
    gives way to the text reader's certain reading of the same numbers, which read them where they stand.
    A text reading unsure of its columns (blank cells without delimiters, placed in order) that holds the grid's
    numbers in the grid's order does not dispute the grid: the grid's cells say where the blanks stand. Nor do the
    text row's ``doubted`` cells (positions the text reader left unknown, named unsure for the table: a column it
    could not place)."""
    if text_row is not None and grid_row.fewer_columns:
        text_row.unsure = text_row.unsure or grid_row.unsure  # the grid has fewer columns than the text read
        return text_row
    if grid_row.derived and text_row is not None and text_row.unsure is None and text_row.values == grid_row.values:
        return text_row
    if grid_row.derived and grid_row.unsure is None and (text_row is None or text_row.unsure is not None):
        return grid_row  # placed by position and confirmed by its sums; the text's reading is unsure
    if (grid_row.derived_columns or grid_row.unsure_columns) and (text_row is None or text_row.unsure is not None):
        return grid_row  # a column the grid lacks, derived by the arithmetic: the text's numbers stand off it
    if (
        grid_row.unsure is None
        and text_row is not None
        and any(
            g != t and (text_row.unsure is None or t is not None) and column not in doubted
            for column, (g, t) in enumerate(zip(grid_row.values, text_row.values, strict=False))
        )
        and (text_row.unsure is None or _numbers(grid_row.values) != _numbers(text_row.values))
    ):
        grid_row.unsure = "表格网格与文本读出的该行数字不一致"
        return grid_row
    if grid_row.unsure is None or text_row is None or text_row.unsure is not None:
        if text_row is not None:  # a grid cell not in the text (a PDF's) takes the text's span of the same value
            for column, (value, span) in enumerate(zip(grid_row.values, grid_row.spans, strict=False)):
                if span is None and value is not None and text_row.values[column : column + 1] == [value]:
                    grid_row.spans[column] = text_row.spans[column]
        return grid_row
    agree = all(g is None or (t is not None and g == t) for g, t in zip(grid_row.values, text_row.values, strict=False))
    if not agree or grid_row.lines_unsure:  # (the text's order of the same lines can't tell whose they are)
        text_row.unsure = grid_row.unsure
    return text_row


def _numbers(values: list[int | float | None]) -> list[int | float]:
    """A row's numbers in their order, its blank cells left out."""
    return [value for value in values if value is not None]


# (The separators' repeats possessive: what follows them starts with no separator, so giving one back never helps.)
_NUMBERS_LINE: Final = re.compile(r"[\s|]*+(?:[-+]?\d+(?:\.\d+)?[\s|]*+)+")


def _table4_end(text: str, start: int, end: int) -> int:
    """Where 表四 ends when the next heading is missing: the first prose line after its numbers."""
    seen_numbers = False
    pos = start
    for line in text[start:end].split("\n"):
        if line:  # (an empty line is neither numbers nor prose)
            if _numbers_line(line):
                seen_numbers = True
            elif seen_numbers and _ideographs_run(line, 6):  # prose: six ideographs in a row
                return pos
        pos += len(line) + 1
    return end


def _numbers_line(line: str) -> bool:
    """``_NUMBERS_LINE.fullmatch(line)``, answered without the pattern for a line of ASCII digits, spaces, tabs and
    pipes only (a match when it holds a digit: the pattern's repeat takes ``\\d+`` at least once) and for a line
    whose first character past spaces, tabs and pipes is an ideograph, as a label's or prose's (none)."""
    digit = False
    for i in range(len(line)):
        code = ord(line[i])
        if 48 <= code <= 57:
            digit = True
        elif code != 32 and code != 9 and code != 124:
            if not digit and 0x4E00 <= code <= 0x9FFF:
                return False  # (a label's or prose's line)
            return _NUMBERS_LINE.fullmatch(line) is not None
    return digit


def _ideographs_run(line: str, length: int) -> bool:
    """Whether ``line`` holds ``length`` CJK unified ideographs in a row (``[\\u4e00-\\u9fff]{length,}``)."""
    run = 0
    for i in range(len(line)):
        code = ord(line[i])
        if 0x4E00 <= code <= 0x9FFF:
            run += 1
            if run >= length:
                return True
        else:
            run = 0
    return False


def _get(report: dict[str, Any], path: str) -> int | float | None:
    node: Any = report
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None
    return node if isinstance(node, int | float) else None


def _set(report: dict[str, Any], path: str, value: int | float | None) -> None:
    parts = _parts(path)
    node: Any = report
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = value


SPLIT_REASON: Final = "连写数字只有这一种拆分符合数字顺序（无前导零）和本表勾稽关系"
_HEADER_UNIT: Final = re.compile(r"(?:金额|单位)\s*[(:：]?\s*(?:单位\s*[:：]\s*)?(万元|元)")


def _header_unit(text: str, spec: RowSpec, start: int) -> str | None:
    """The money unit a table header states for a row (采购总金额（元）), looked for just above the row."""
    window = text[max(0, start - 120) : start]
    units = _HEADER_UNIT.findall(window)
    return units[-1] if units else None


def _apply_row(report: dict[str, Any], reading: Reading, spec: RowSpec, row: RowRead, text: str) -> None:
    if row.runs and row.unsure:
        reading.fused[spec.path] = (spec.fields, row.runs)
        reading.splits[spec.path] = ([tuple(c) for c in row.candidates], row.complete)
    node: Any = report
    for part in _parts(spec.path):  # the row's dict, found once for its cells
        node = node[part]
    values, spans, locations, zero_marks = row.values, row.spans, row.locations, row.zero_marks
    derived = (row.derived or SPLIT_REASON) if (row.split or row.derived) and not row.unsure else None
    paths = spec.cell_paths
    # A plain row (most rows): whole-row updates, each dict filled in column order as the loop below fills it.
    if not row.derived_columns and not row.unsure_columns and len(spans) == len(values) and _plain(spec, values):
        # (Index loops: the lengths are equal, and a compiled loop sets each item without a zip object.)
        fields = spec.fields
        for column in range(len(values)):
            node[fields[column]] = values[column]
        evidence = reading.evidence
        for column in range(len(values)):
            span = spans[column]
            if span is not None and values[column] is not None:
                evidence[paths[column]] = span
        if locations:
            for column, path in enumerate(paths):
                if values[column] is not None and column in locations:
                    reading.locations[path] = locations[column]
        if derived is not None:
            reading.derived.update(dict.fromkeys(paths, derived))
        if row.unsure:
            reading.unsure.update(dict.fromkeys(paths, row.unsure))
        if zero_marks:
            _zero_warning(reading, [path for column, path in enumerate(paths) if column in zero_marks])
        return
    zeros: list[str] = []
    for column, (field, path) in enumerate(zip(spec.fields, spec.cell_paths, strict=True)):
        value = values[column] if column < len(values) else None
        span = spans[column] if column < len(spans) else None
        if value is not None and field in spec.money and span is not None:
            unit = text[span[1] : span[1] + 2]
            stated = (
                "万元"
                if unit.startswith("万元")
                else "元"
                if unit.startswith("元")
                else _header_unit(text, spec, span[0])
            )
            if stated == "元":
                value = round(value / 10000, 6)
                reading.warnings.append(
                    HeuristicWarning(
                        check="unit_converted", cells=[path], message=f"{path}：原文单位为元，已换算为万元"
                    )
                )
            value = float(value)
        elif isinstance(value, float):
            if value.is_integer():
                value = int(value)
            else:
                reading.unsure[path] = f"计数单元格读到小数 {value}"
                value = None
        if value is not None and value < 0 and field != "items_change":
            reading.unsure.setdefault(path, f"读到负数 {value}")
        if "." in field:  # 表四's fields name their group too
            _set(node, field, value)
        else:
            node[field] = value
        if span is not None and value is not None:
            reading.evidence[path] = span
        if value is not None and locations and column in locations:
            reading.locations[path] = locations[column]
        if derived is not None:
            reading.derived[path] = derived
        elif column in row.derived_columns and not row.unsure:
            reading.derived[path] = row.derived_columns[column]
        if column in row.unsure_columns and not row.unsure:
            reading.unsure[path] = row.unsure_columns[column]
        if row.unsure:
            reading.unsure[path] = row.unsure
        if zero_marks and column in zero_marks:
            zeros.append(path)
    _zero_warning(reading, zeros)


_PARTS: Final[dict[str, list[str]]] = {}


def _parts(path: str) -> list[str]:
    """A row's path split at its dots, once per path."""
    found = _PARTS.get(path)
    if found is None:
        found = _PARTS[path] = path.split(".")
    return found


def _plain(spec: RowSpec, values: list[int | float | None]) -> bool:
    """A row whose cells go into the report as they are: no money cell, no group in a field's name, one value a
    field, each a non-negative whole number or blank."""
    if spec.money or spec.grouped or len(values) != len(spec.fields):
        return False
    for value in values:  # noqa: SIM110 - a loop, not all() over a generator: called for every row
        if value is not None and (type(value) is not int or value < 0):
            return False
    return True


def _zero_warning(reading: Reading, zeros: list[str]) -> None:
    if zeros:
        reading.warnings.append(
            HeuristicWarning(
                check="zero_mark",
                cells=zeros,
                message="以下单元格原文为 /、-、— 或“无”，按 0 读取：" + "、".join(describe_cell(p) for p in zeros),
            )
        )
