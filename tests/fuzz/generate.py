"""Random layouts of the gold reports: a report's tables as rows of cells, mutated, printed as an input file.

A :class:`Case` is drawn through a :class:`Chooser` (hypothesis in the tests, ``random.Random`` in the
benchmark): a gold report, an input kind (plain text in one of the text layouts of ``tests/reader/render.py``,
markdown pipe tables, a Word-style HTML page, a DOCX file, a PDF with its tables ruled or as text only) and a
random combination of mutations seen in real reports. ``truth`` is what the printed file says, cell by cell: the
gold's numbers, with the cells a mutation left blank as ``None``.
"""

from __future__ import annotations

import html
import io
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any, Protocol, TypeVar

from giar_llm.core.paths import flatten, labels
from giar_llm.core.schema import COLUMNS, Report2019, Report2021, parse_report, report_to_json
from giar_llm.files import load_gold
from giar_llm.reader.normalize import RADICALS

from ..reader.render import LABEL_2019, LAYOUTS, PROACTIVE_2019, PROACTIVE_2021, _text
from .pdf import CENTRED, Pages, Shape

GOLD = Path(__file__).resolve().parents[2] / "evals" / "gold"
GOLDS = sorted(GOLD.glob("*.json"))

T = TypeVar("T")
Cell = int | float | str | None
Report = Report2019 | Report2021

KINDS = ("text", "markdown", "html", "docx", "pdf")
TEXT_LAYOUTS = ("tabs", "spaces", "lines", "spaced", "flattened", "columns")
PDF_LAYOUTS = ("ruled", "unruled", "columns")  # tables with their rules, as text only, as text drawn by columns
# unruled, the numbers right- or left-aligned in columns of random widths under centred headers, 表三's and 表四's
# counts scaled by a random factor: drawn only when asked for (``pdf_layouts``), so that every seed of the layouts
# above draws the same example as before
ALIGNED_LAYOUTS = ("unruled_right", "unruled_left")
# unruled, as above or the numbers centred, a number of more than 2-4 digits wrapped in its cell over two lines or
# more (a number too wide for a narrow cell): drawn only when asked for
WRAPPED_LAYOUTS = ("wrapped_center", "wrapped_right", "wrapped_left")
MUTATIONS = (
    "blank_zeros",  # random zero cells printed blank
    "blank_legal",  # the legal-person columns blank where they are 0
    "blank_totals",  # the 总计 column blank for the sub-rows of 办理结果
    "review_rows",  # 表四 transposed: 行政复议 / 直接起诉 / 复议后起诉 as rows
    "review_columns",  # 表四 transposed: the five results as rows
    "fragments",  # tables split into fragments at random rows
    "bad_headers",  # fragment headers: placeholders, another block's header, short, none
    "drop_labels",  # labels dropped from random rows
    "wrap_labels",  # labels wrapped over 2-3 lines
    "next_line",  # numbers on the line after their label
    "page_markers",  # - 3 - / — 4 — / 第 3 页 lines inside tables
    "glyphs",  # Kangxi radicals and full-width digits
    "short_header",  # 表三's header row with fewer cells than its rows: no corner cell, no 总计, a name left out
    "drop_column",  # one applicant column dropped from the whole of 表三 (header and every row)
    "review_headers",  # 表四 under a placeholder header, another table's header, or none
)
BLANK_STYLES = ("nbsp", "empty", "op", "nbsp_op")
LEGAL = COLUMNS[1:6]
RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
REVIEW_PARTS = (
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
)
LATE = ("short_header", "drop_column", "review_headers")  # drawn last: see _mutate_grid
SHORT_HEADERS = ("corner", "last", "middle")
REVIEW_HEADERS = ("placeholder", "other", "none")
PAGE_MARKERS = ("- {n} -", "— {n} —", "-{n}-", "第 {n} 页", "－ {n} －")
KANGXI = {unicodedata.normalize("NFKC", chr(cp)): chr(cp) for cp in range(0x2F00, 0x2FD6)}
SUPPLEMENT = {simple: radical for radical, simple in RADICALS.items()}
FULL_WIDTH_DIGITS = {ord(d): chr(0xFF10 + int(d)) for d in "0123456789"}


class Chooser(Protocol):
    def boolean(self) -> bool: ...
    def integer(self, low: int, high: int) -> int: ...
    def choice(self, options: Sequence[T]) -> T: ...


@dataclass
class RandomChooser:
    rng: Random

    def boolean(self) -> bool:
        return self.rng.random() < 0.5

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]


@dataclass
class Row:
    """One printed row: its label, its cells, and the cell path each value cell holds."""

    label: str
    cells: list[Cell]
    paths: list[str | None]
    kind: str = "data"  # data | header | heading
    heads: list[str] = field(default_factory=list)  # group headings printed on lines of their own before it
    group: str = ""  # the merged group cell beside it in a grid (（三）不予公开)
    spans: list[int] = field(default_factory=list)  # column spans of the cells in a grid
    wrap_after: bool = True  # a wrapped label's numbers follow its last line (else its first)
    next_line: bool = False  # the numbers on the line after the label
    corner: bool = True  # a header row's first cell (over the row labels) is printed


@dataclass
class Table:
    name: str  # 二 | 三 | 四
    rows: list[Row]
    breaks: list[int] = field(default_factory=list)  # rows that start a new fragment
    fragment_headers: dict[int, str] = field(
        default_factory=dict
    )  # break -> repeat | placeholder | other | short | none
    markers: dict[int, str] = field(default_factory=dict)  # row -> page marker printed before it

    @property
    def width(self) -> int:
        return max((len(r.cells) for r in self.rows if r.kind == "data"), default=1)


@dataclass
class Case:
    """One generated input file and what it says."""

    gold: str
    kind: str
    layout: str
    mutations: tuple[str, ...]
    data: bytes
    name: str
    truth: dict[str, Cell]
    report: Report  # the gold report with the blanked cells set to None
    blank_style: str = ""

    @property
    def classes(self) -> tuple[str, ...]:
        return (self.kind, f"layout:{self.layout}", *self.mutations)


# --- the tables as rows -----------------------------------------------------------------------------------


def _proactive(report: Report, cells: dict[str, Any]) -> Table:
    rows: list[Row] = []
    fmt = report.format
    for heading, header, names in PROACTIVE_2019 if fmt == "2019" else PROACTIVE_2021:
        rows.append(Row(heading, [], [], kind="heading"))
        rows.append(Row(header[0], list(header[1:]), [None] * (len(header) - 1), kind="header"))
        for name in names:
            label = LABEL_2019.get(
                name, "行政规范性文件" if name == "normative_docs" else labels(f"proactive.{name}")[-1]
            )
            paths = [p for p in cells if p.startswith(f"proactive.{name}.")]
            rows.append(Row(label, [cells[p] for p in paths], list(paths)))
    return Table("二", rows)


APPLICANTS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def _applications(report: Report, cells: dict[str, Any]) -> Table:
    fmt = report.format
    rows = [Row("申请人情况", list(APPLICANTS), [None] * 7, kind="header")]
    printed: set[str] = set()
    paths = list(dict.fromkeys(p.rsplit(".", 1)[0] for p in cells if p.startswith("applications.")))
    for path in paths:
        chain = [c.replace("（合并为一行）", "") for c in labels(path, fmt)[1:]]
        heads = []
        for group in chain[:-1]:
            if group not in printed and group != chain[-1]:
                printed.add(group)
                heads.append(group)
        group = chain[1] if len(chain) == 3 and chain[1] != chain[2] else ""
        values = [f"{path}.{c}" for c in COLUMNS]
        rows.append(Row(chain[-1], [cells[p] for p in values], list(values), heads=heads, group=group))
    return Table("三", rows)


def _review(cells: dict[str, Any], orientation: str) -> Table:
    if orientation == "rows":
        rows = [Row("", list(RESULTS), [None] * 5, kind="header")]
        for part, label in REVIEW_PARTS:
            paths = [
                f"review_litigation.{part}.{f}" for f in ("upheld", "corrected", "other_outcome", "pending", "total")
            ]
            rows.append(
                Row(
                    label,
                    [cells[p] for p in paths],
                    list(paths),
                    heads=["行政诉讼"] if part == "litigation_direct" else [],
                )
            )
        return Table("四", rows)
    if orientation == "columns":
        rows = [Row("", [label for _, label in REVIEW_PARTS], [None] * 3, kind="header")]
        for index, result in enumerate(RESULTS):
            fields = ("upheld", "corrected", "other_outcome", "pending", "total")
            paths = [f"review_litigation.{part}.{fields[index]}" for part, _ in REVIEW_PARTS]
            rows.append(Row(result, [cells[p] for p in paths], list(paths)))
        return Table("四", rows)
    paths = [p for p in cells if p.startswith("review_litigation.")]
    return Table(
        "四",
        [
            Row("", ["行政复议", "行政诉讼"], [None, None], kind="header", spans=[5, 10]),
            Row(
                "",
                ["", "", "", "", "", "未经复议直接起诉", "复议后起诉"],
                [None] * 7,
                kind="header",
                spans=[1] * 5 + [5, 5],
            ),
            Row("", list(RESULTS) * 3, [None] * 15, kind="header"),
            Row("", [cells[p] for p in paths], list(paths)),
        ],
    )


# --- mutations --------------------------------------------------------------------------------------------


def _data_rows(table: Table) -> list[Row]:
    return [r for r in table.rows if r.kind == "data"]


def _blank(row: Row, index: int, truth: dict[str, Cell]) -> None:
    path = row.paths[index]
    if path is not None:
        row.cells[index] = None
        truth[path] = None


def blank_zeros(table: Table, truth: dict[str, Cell]) -> None:
    """Every zero of a table's data rows printed blank, and blank in the truth."""
    for row in _data_rows(table):
        for index, value in enumerate(row.cells):
            if value == 0:
                _blank(row, index, truth)


def _mutate(tables: list[Table], mutations: set[str], choose: Chooser, truth: dict[str, Cell], kind: str) -> None:
    t2, t3, t4 = tables
    if "blank_totals" in mutations:
        for row in _data_rows(t3):
            path = row.paths[-1] or ""
            if path.startswith("applications.results.") and not path.startswith("applications.results.total_processed"):
                _blank(row, 6, truth)
    if "blank_legal" in mutations:
        for row in _data_rows(t3):
            for index in range(1, 6):
                if row.cells[index] == 0:
                    _blank(row, index, truth)
    if "blank_zeros" in mutations:
        for table in tables:
            for row in _data_rows(table):
                for index, value in enumerate(row.cells):
                    if value == 0 and choose.integer(0, 3) == 0:
                        _blank(row, index, truth)
    if "drop_labels" in mutations:
        for table in (t2, t3, t4):
            rows = [r for r in _data_rows(table) if r.label]
            for _ in range(choose.integer(1, 3)):
                if rows:
                    choose.choice(rows).label = ""
    if "wrap_labels" in mutations:
        for table in tables:
            for row in table.rows:
                if row.kind != "header" and len(row.label) >= 4 and choose.integer(0, 2) == 0:
                    parts = choose.integer(2, 3 if len(row.label) >= 6 else 2)
                    cut = sorted({choose.integer(1, len(row.label) - 1) for _ in range(parts - 1)})
                    pieces = [row.label[a:b] for a, b in zip([0, *cut], [*cut, len(row.label)], strict=True)]
                    row.label = "\n".join(pieces)
                    row.wrap_after = choose.boolean()
    if "next_line" in mutations and kind in ("text", "markdown"):
        for table in tables:
            for row in _data_rows(table):
                if row.label and choose.boolean():
                    row.next_line = True
    if "fragments" in mutations:
        for table in tables:
            if choose.boolean() or table.name == "三":
                count = choose.integer(1, 3)
                candidates = list(range(1, len(table.rows)))
                for _ in range(count):
                    table.breaks.append(choose.choice(candidates))
                table.breaks = sorted(set(table.breaks))
                for at in table.breaks:
                    table.fragment_headers[at] = (
                        choose.choice(("repeat", "placeholder", "other", "short", "none"))
                        if "bad_headers" in mutations
                        else choose.choice(("repeat", "none"))
                    )
    elif "bad_headers" in mutations:
        for table in tables:
            if choose.boolean():
                table.fragment_headers[0] = choose.choice(("placeholder", "other", "short"))
    if "page_markers" in mutations:
        for table in tables:
            for _ in range(choose.integer(1, 2)):
                at = choose.integer(1, len(table.rows) - 1)
                table.markers[at] = choose.choice(PAGE_MARKERS).format(n=choose.integer(2, 12))
            for at in table.breaks:
                if choose.boolean():
                    table.markers[at] = choose.choice(PAGE_MARKERS).format(n=choose.integer(2, 12))


def _mutate_grid(
    tables: list[Table], mutations: set[str], choose: Chooser, truth: dict[str, Cell], gold: dict[str, Any], kind: str
) -> None:
    """The mutations of a grid's columns and headers, and numbers on the row below their label in HTML and DOCX
    grids, drawn after every other draw (so that the examples drawn before they were added stay the same for a
    seed)."""
    _, t3, t4 = tables
    if "review_headers" in mutations:
        _review_headers(t4, choose.choice(REVIEW_HEADERS), t3)
    if "short_header" in mutations:
        how = choose.choice(SHORT_HEADERS)
        header = t3.rows[0]
        if how == "corner":
            header.corner = False
        else:
            at = len(header.cells) - 1 if how == "last" else choose.integer(1, len(header.cells) - 2)
            del header.cells[at], header.paths[at]
    if "drop_column" in mutations:
        _drop_column(t3, choose.integer(1, 5), truth, gold)
    if "next_line" in mutations and kind in ("html", "docx"):  # a grid row's numbers on the row below its label
        for table in tables:
            for row in _data_rows(table):
                if row.label and choose.boolean():
                    row.next_line = True


def _review_headers(t4: Table, how: str, t3: Table) -> None:
    """表四's own header rows replaced: by placeholders (数据1 …, one over each column), by 表三's header, or
    by nothing; its numbers and row labels stay (fragment breaks and page markers move with their rows)."""
    data = _data_rows(t4)
    labelled = any(r.label for r in data)
    width = t4.width
    if how == "placeholder":
        names = [PLACEHOLDER.format(n=i + 2) for i in range(width)]
        header = [Row(PLACEHOLDER.format(n=1) if labelled else "", names, [None] * width, kind="header")]
    elif how == "other":
        own = t3.rows[0]
        header = [Row(own.label, list(own.cells), [None] * len(own.cells), kind="header")]
    else:
        header = []
    for row in data:
        row.heads = []
    olds = [old for old, row in enumerate(t4.rows) if row.kind == "data"]
    moved = {old: len(header) + new for new, old in enumerate(olds) if len(header) + new > 0}
    t4.breaks = sorted({moved[b] for b in t4.breaks if b in moved})
    t4.fragment_headers = {moved[b]: h for b, h in t4.fragment_headers.items() if b in moved}
    t4.markers = {moved[b]: m for b, m in t4.markers.items() if b in moved}
    t4.rows = header + data


def _drop_column(t3: Table, column: int, truth: dict[str, Cell], gold: dict[str, Any]) -> None:
    """One applicant column left out of 表三, header and rows: the file does not say its cells, so the truth
    is the report's (the reader may derive them from each row's 总计, or must name them)."""
    for row in t3.rows:
        if row.kind == "heading" or column >= len(row.cells):
            continue
        path = row.paths[column]
        if path is not None:
            truth[path] = gold[path]
        del row.cells[column], row.paths[column]


class Glyphs:
    """Kangxi radicals (and the radical supplement's look-alikes) for some characters, full-width digits."""

    def __init__(self, choose: Chooser | None) -> None:
        self.table: dict[int, str] = {}
        if choose is None:
            return
        for simple, radical in {**KANGXI, **SUPPLEMENT}.items():
            if len(simple) == 1 and choose.integer(0, 2) > 0:
                self.table[ord(simple)] = radical
        if choose.boolean():
            self.table.update(FULL_WIDTH_DIGITS)

    def __call__(self, text: str) -> str:
        return text.translate(self.table) if self.table else text


# --- printing: plain text and markdown ---------------------------------------------------------------------


PLACEHOLDER = "数据{n}"


def _fragment_header(table: Table, how: str, all_tables: list[Table]) -> Row | None:
    header = next((r for r in table.rows if r.kind == "header"), None)
    width = table.width
    if how == "placeholder":
        return Row(
            PLACEHOLDER.format(n=1), [PLACEHOLDER.format(n=i + 2) for i in range(width)], [None] * width, kind="header"
        )
    if how == "other":
        other = next(t for t in all_tables if t is not table and any(r.kind == "header" for r in t.rows))
        return next(r for r in other.rows if r.kind == "header")
    if how == "short" and header is not None:
        return Row(header.label, header.cells[:-1], header.paths[:-1], kind="header")
    if how == "repeat":
        return header
    return None


def _text_row(layout: str, row: Row) -> str:
    line = LAYOUTS["tabs" if layout == "columns" else layout]
    cells = list(row.cells)
    if not row.corner:
        return line(_text(cells[0]), cells[1:])
    label_lines = row.label.split("\n") if row.label else [""]
    if row.next_line and row.kind == "data" and layout not in ("lines", "spaced"):  # these print a cell a line
        return "\n".join([*label_lines, line("", cells).lstrip("\t| ")])
    if len(label_lines) == 1:
        return line(row.label, cells)
    if row.wrap_after:
        return "\n".join([*label_lines[:-1], line(label_lines[-1], cells)])
    return "\n".join([line(label_lines[0], cells), *label_lines[1:]])


def _columns(table: Table) -> list[str]:
    """Column-by-column extraction: every row label, then each column's numbers one per line, blocks apart."""
    rows = _data_rows(table)
    out: list[str] = []
    for row in table.rows:
        out += [*row.heads, row.label] if row.kind == "data" else [row.label, *(_text(c) for c in row.cells)]
    out = [line for line in out if line]
    for column in range(table.width):
        out.append("")
        out += [_text(r.cells[column]) for r in rows if column < len(r.cells) and r.cells[column] is not None]
    return [*out, ""]


def _table_text(table: Table, layout: str, all_tables: list[Table]) -> list[str]:
    if layout == "columns" and table.name == "三":
        return _columns(table)
    out: list[str] = []
    for index, row in enumerate(table.rows):
        if index in table.breaks:
            out.append("")
        if index in table.markers:
            out += [table.markers[index], ""] if layout == "spaced" else [table.markers[index]]
        if index in table.fragment_headers:
            header = _fragment_header(table, table.fragment_headers[index], all_tables)
            if header is not None:
                out.append(_text_row(layout, header))
        out += row.heads
        out.append(_text_row(layout, row) if row.kind != "heading" else row.label)
    return out


def _markdown_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(c.replace("\n", " ") for c in cells) + " |"


def _markdown_table(table: Table, all_tables: list[Table]) -> list[str]:
    """Pipe tables; each fragment a table of its own, its first row (a header, or the first data row) its head."""
    out: list[str] = []
    width = table.width + 1
    starts = sorted({0, *table.breaks})
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(table.rows)
        if start in table.markers:
            out += ["", table.markers[start], ""]
        elif out:
            out.append("")
        how = table.fragment_headers.get(start, "repeat" if start == 0 else "none")
        header = _fragment_header(table, how, all_tables) if start > 0 or how != "repeat" else None
        lines: list[list[str]] = []
        if header is not None:
            lines.append([header.label] * header.corner + [_text(c) for c in header.cells])
        for index in range(start, end):
            row = table.rows[index]
            if index in table.markers and index != start:
                lines.append([table.markers[index]])
            for head in row.heads:
                lines.append([head] + [""] * (width - 1))
            label = row.label.replace("\n", "" if row.wrap_after else " ")
            if not row.corner:
                lines.append([_text(c) for c in row.cells])
            elif row.next_line and row.kind == "data":
                lines.append([label] + [""] * (width - 1))
                lines.append(["", *(_text(c) for c in row.cells)])
            else:
                lines.append([label, *(_text(c) for c in row.cells)])
        if not lines:
            continue
        out.append(_markdown_row(lines[0]))
        out.append(_markdown_row(["---"] * len(lines[0])))
        out += [_markdown_row(cells) for cells in lines[1:]]
    return out


def _paragraphs(report: Report) -> tuple[list[str], list[str], list[str], list[str]]:
    return (
        [
            report.meta.title or "政府信息公开工作年度报告",
            "一、总体情况",
            "本年度依法做好政府信息公开工作。",
            "二、主动公开政府信息情况",
        ],
        ["三、收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"],
        ["四、政府信息公开行政复议、行政诉讼情况"],
        ["五、存在的主要问题及改进情况", "无。", "六、其他需要报告的事项", "无。"],
    )


def _text_file(report: Report, tables: list[Table], layout: str, glyphs: Glyphs) -> str:
    before2, before3, before4, after = _paragraphs(report)
    t2, t3, t4 = tables
    out = [*before2, *_table_text(t2, layout, tables), *before3, *_table_text(t3, layout, tables), *before4]
    out += _table_text(t4, layout, tables) + after
    joiner = "" if layout == "flattened" else "\n"
    return glyphs(joiner.join(out) + "\n")


def _markdown_file(report: Report, tables: list[Table], glyphs: Glyphs) -> str:
    before2, before3, before4, after = _paragraphs(report)
    out = [f"# {before2[0]}", *before2[1:], ""]
    for paragraphs, table in zip((None, before3, before4), tables, strict=True):
        if paragraphs:
            out += ["", *paragraphs, ""]
        out += _markdown_table(table, tables)
    out += ["", *after]
    return glyphs("\n".join(out) + "\n")


# --- printing: HTML and DOCX grids ------------------------------------------------------------------------


def _grid_rows(table: Table, all_tables: list[Table]) -> list[list[tuple[Row, int, int]]]:
    """Fragments of grid rows: each (row, start index of the fragment, its own index)."""
    starts = sorted({0, *table.breaks})
    fragments: list[list[tuple[Row, int, int]]] = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(table.rows)
        rows: list[tuple[Row, int, int]] = []
        how = table.fragment_headers.get(start)
        if how is not None and start > 0:
            header = _fragment_header(table, how, all_tables)
            if header is not None:
                rows.append((header, start, -1))
        elif how is not None:  # a bad header in place of the table's own first header
            header = _fragment_header(table, how, all_tables)
            if header is not None:
                rows.append((header, start, -1))
                if table.rows[0].kind == "header":
                    start += 1
        rows += [(table.rows[i], start, i) for i in range(start, end)]
        fragments.append(rows)
    return fragments


def _html_cell(text: str, blank: str, glyphs: Glyphs, rowspan: int = 1, colspan: int = 1) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    if not text:
        inner = {
            "nbsp": "<p>&nbsp;</p>",
            "empty": "",
            "op": "<p><o:p></o:p></p>",
            "nbsp_op": "<p>&nbsp;<o:p></o:p></p>",
        }[blank]
        return f"<td{attrs}>{inner}</td>"
    parts = text.split("\n")
    body = "".join(
        f"<p><span>{html.escape(glyphs(p[: len(p) // 2]))}</span><span>{html.escape(glyphs(p[len(p) // 2 :]))}</span></p>"
        for p in parts
    )
    return f"<td{attrs}>{body}</td>"


def _html_table(table: Table, blank: str, glyphs: Glyphs, all_tables: list[Table]) -> list[str]:
    out: list[str] = []
    two_labels = table.name == "三"
    for fragment in _grid_rows(table, all_tables):
        first = fragment[0][2] if fragment else -1
        if first in table.markers:
            out.append(f"<p>{html.escape(table.markers[first])}</p>")
        out.append("<table>")
        groups: dict[str, int] = {}
        for row, _, _ in fragment:
            if row.group:
                groups[row.group] = groups.get(row.group, 0) + 1 + (row.next_line and row.kind == "data")
        seen: set[str] = set()
        width = table.width
        for row, _, index in fragment:
            if index in table.markers and index != first:
                out.append(f"<tr>{_html_cell(table.markers[index], blank, glyphs, colspan=width + 2)}</tr>")
            if row.kind == "heading":
                out.append(f"<tr>{_html_cell(row.label, blank, glyphs, colspan=width + 1)}</tr>")
                continue
            spans = row.spans or [1] * len(row.cells)
            values = "".join(
                _html_cell(_text(c), blank, glyphs, colspan=s) for c, s in zip(row.cells, spans, strict=True)
            )
            if row.next_line and row.kind == "data":  # the label's row left blank, its numbers on the row below
                blanks = "".join(_html_cell("", blank, glyphs, colspan=s) for s in spans)
                group = ""
                if two_labels and row.group and row.group not in seen:
                    group = _html_cell(row.group, blank, glyphs, rowspan=groups[row.group])
                seen.add(row.group)
                label, empty = (
                    (_html_cell(row.label, blank, glyphs), _html_cell("", blank, glyphs))
                    if row.group or not two_labels
                    else (_html_cell(row.label, blank, glyphs, colspan=2), _html_cell("", blank, glyphs, colspan=2))
                )
                out += [f"<tr>{group}{label}{blanks}</tr>", f"<tr>{empty}{values}</tr>"]
            elif two_labels and row.group:
                group = "" if row.group in seen else _html_cell(row.group, blank, glyphs, rowspan=groups[row.group])
                seen.add(row.group)
                out.append(f"<tr>{group}{_html_cell(row.label, blank, glyphs)}{values}</tr>")
            elif not row.corner:
                out.append(f"<tr>{values}</tr>")
            elif two_labels:
                out.append(f"<tr>{_html_cell(row.label, blank, glyphs, colspan=2)}{values}</tr>")
            elif row.label or table.name != "四" or (row.kind == "data" and len(row.cells) < 15):
                out.append(f"<tr>{_html_cell(row.label, blank, glyphs)}{values}</tr>")
            else:
                out.append(f"<tr>{values}</tr>")
        out.append("</table>")
    return out


def _html_file(report: Report, tables: list[Table], blank: str, glyphs: Glyphs) -> bytes:
    before2, before3, before4, after = _paragraphs(report)
    out = [f"<h1>{html.escape(glyphs(before2[0]))}</h1>", *(f"<p>{html.escape(glyphs(p))}</p>" for p in before2[1:])]
    for paragraphs, table in zip((None, before3, before4), tables, strict=True):
        out += [f"<p>{html.escape(glyphs(p))}</p>" for p in paragraphs or []]
        out += _html_table(table, blank, glyphs, tables)
    out += [f"<p>{html.escape(glyphs(p))}</p>" for p in after]
    head = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head><body><div>'
    return (head + "\n".join(out) + "</div></body></html>").encode("gb18030")


_DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w_paragraphs(text: str) -> str:
    return "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{html.escape(line)}</w:t></w:r></w:p>' for line in text.split("\n")
    )


def _w_cell(text: str, span: int = 1, merge: str = "") -> str:
    props = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (
        '<w:vMerge w:val="restart"/>' if merge == "restart" else "<w:vMerge/>" if merge == "continue" else ""
    )
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{_w_paragraphs(text) if text else '<w:p/>'}</w:tc>"


def _docx_file(report: Report, tables: list[Table], glyphs: Glyphs) -> bytes:
    """A Word file written as WordprocessingML: real tables, horizontally and vertically merged cells."""
    body: list[str] = []
    before2, before3, before4, after = _paragraphs(report)
    body += [_w_paragraphs(glyphs(p)) for p in before2]
    for paragraphs, table in zip((None, before3, before4), tables, strict=True):
        body += [_w_paragraphs(glyphs(p)) for p in paragraphs or []]
        two_labels = table.name == "三"
        has_labels = two_labels or any(r.label for r in table.rows if r.kind == "data")
        for fragment in _grid_rows(table, tables):
            first = fragment[0][2] if fragment else -1
            if first in table.markers:
                body.append(_w_paragraphs(glyphs(table.markers[first])))
            rows: list[str] = []
            previous_group = ""
            width = (2 if two_labels else int(has_labels)) + table.width
            for row, _, index in fragment:
                if index in table.markers and index != first:  # a marker row before the row (a group restarts)
                    rows.append(_w_cell(glyphs(table.markers[index]), span=width))
                    previous_group = ""
                if row.kind == "heading":
                    rows.append(_w_cell(glyphs(row.label), span=width))
                    previous_group = ""
                    continue
                spans = row.spans or [1] * len(row.cells)
                cells = [_w_cell(glyphs(_text(c)), span=s) for c, s in zip(row.cells, spans, strict=True)]
                if row.next_line and row.kind == "data" and has_labels:  # numbers on the row below the label
                    blanks = [_w_cell("", span=s) for s in spans]
                    if two_labels and row.group:
                        merge = "continue" if row.group == previous_group else "restart"
                        text = "" if merge == "continue" else glyphs(row.group)
                        rows.append("".join([_w_cell(text, merge=merge), _w_cell(glyphs(row.label)), *blanks]))
                        rows.append("".join([_w_cell("", merge="continue"), _w_cell(""), *cells]))
                    else:
                        span = 2 if two_labels else 1
                        rows.append("".join([_w_cell(glyphs(row.label), span=span), *blanks]))
                        rows.append("".join([_w_cell("", span=span), *cells]))
                    previous_group = row.group
                    continue
                if two_labels and row.group:
                    merge = "continue" if row.group == previous_group else "restart"
                    text = "" if merge == "continue" else glyphs(row.group)
                    cells = [_w_cell(text, merge=merge), _w_cell(glyphs(row.label)), *cells]
                elif not row.corner:
                    pass
                elif two_labels:
                    cells = [_w_cell(glyphs(row.label), span=2), *cells]
                elif has_labels:
                    cells = [_w_cell(glyphs(row.label)), *cells]
                previous_group = row.group
                rows.append("".join(cells))
            grid = "<w:tblGrid>" + '<w:gridCol w:w="600"/>' * width + "</w:tblGrid>"
            body.append("<w:tbl>" + grid + "".join(f"<w:tr>{r}</w:tr>" for r in rows) + "</w:tbl>")
    body += [_w_paragraphs(glyphs(p)) for p in after]
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}"><w:body>'
        + "".join(body)
        + "</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", _DOCX_TYPES)
        archive.writestr("_rels/.rels", _DOCX_RELS)
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def _pdf_file(report: Report, tables: list[Table], layout: str, glyphs: Glyphs, shape: Shape = CENTRED) -> bytes:
    """A PDF of A4 pages in a CJK font: paragraphs, the tables drawn (ruled or not, in ``shape``), page markers as
    footers."""
    pages = Pages(ruled=layout == "ruled", by_columns=layout == "columns", shape=shape)
    before2, before3, before4, after = _paragraphs(report)
    for paragraph in before2:
        pages.paragraph(glyphs(paragraph))
    for paragraphs, table in zip((None, before3, before4), tables, strict=True):
        for paragraph in paragraphs or []:
            pages.paragraph(glyphs(paragraph))
        pages.table(table, _grid_rows(table, tables), glyphs)
    for paragraph in after:
        pages.paragraph(glyphs(paragraph))
    return pages.finish()


# --- a case -----------------------------------------------------------------------------------------------


def draw_shape(choose: Chooser, align: str) -> Shape:
    """Columns of random widths (label columns 55–100% of the usual, value columns 1–1.2 times each other) with
    the values aligned ``align`` in them."""
    values = tuple(choose.integer(10, 12) / 10 for _ in range(choose.integer(1, 7)))
    return Shape(align, choose.integer(55, 100) / 100, values)


COUNTS = ("applications.", "review_litigation.")  # 表三 and 表四: counts whose checks are all sums, each its own
# The widest number a scaled table prints, half-width digits or full-width: each fits on one line in the narrowest
# value column ``draw_shape`` draws (表三 37 pt, 表四 29 pt, 4 pt of padding; a digit 3.7 or 8 pt wide).
MAX_COUNTS = {"applications.": (99_999, 999), "review_litigation.": (99_999, 99)}


def scale_counts(tables: list[Table], truth: dict[str, Cell], factor: int, full_width: bool = False) -> None:
    """表三's and 表四's numbers (printed and true) times ``factor``, each table's at most its :data:`MAX_COUNTS`:
    other numbers, as wide as real reports print, every sum holding (or failing) as before."""
    for prefix, (half, full) in MAX_COUNTS.items():
        counts = [p for p, v in truth.items() if p.startswith(prefix) and isinstance(v, int)]
        widest = max([1, *(abs(int(truth[p] or 0)) for p in counts)])
        times = max(1, min(factor, (full if full_width else half) // widest))
        for path in counts:
            truth[path] = int(truth[path] or 0) * times
        for table in tables:
            for row in _data_rows(table):
                for index, path in enumerate(row.paths):
                    if path is not None and path.startswith(prefix) and isinstance(row.cells[index], int):
                        row.cells[index] = int(row.cells[index] or 0) * times


def _with_blanks(report: Report, truth: dict[str, Cell]) -> Report:
    data = report_to_json(report)
    for path, value in truth.items():
        node = data
        *parents, last = path.split(".")
        for part in parents:
            node = node[part]
        node[last] = value
    return parse_report(data)


def draw_case(
    choose: Chooser,
    kinds: Sequence[str] = KINDS,
    allowed: Sequence[str] = MUTATIONS,
    required: Sequence[str] = (),
    layouts: Sequence[str] = TEXT_LAYOUTS,
    pdf_layouts: Sequence[str] = PDF_LAYOUTS,
) -> Case:
    gold_path = choose.choice(GOLDS)
    gold = load_gold(gold_path).report
    kind = choose.choice(kinds)
    layout = choose.choice(layouts) if kind == "text" else choose.choice(pdf_layouts) if kind == "pdf" else kind
    mutations = {m for m in allowed if m not in LATE and choose.integer(0, 2) == 0}
    mutations |= {m for m in required if m not in LATE}
    if "review_rows" in mutations and "review_columns" in mutations:
        mutations.discard(choose.choice(("review_rows", "review_columns")))
    blank = choose.choice(BLANK_STYLES) if kind == "html" else ""
    cells = dict(flatten(gold))
    truth: dict[str, Cell] = {p: v for p, v in cells.items() if not p.startswith("meta.")}
    orientation = "rows" if "review_rows" in mutations else "columns" if "review_columns" in mutations else "flat"
    tables = [_proactive(gold, cells), _applications(gold, cells), _review(cells, orientation)]
    _mutate(tables, mutations, choose, truth, kind)
    glyphs = Glyphs(choose if "glyphs" in mutations else None)
    late = {m for m in allowed if m in LATE and choose.integer(0, 2) == 0} | {m for m in required if m in LATE}
    if "short_header" in late and "drop_column" in late:  # a header one name short over rows one column short
        either = [m for m in ("short_header", "drop_column") if m not in required]  # would misname the columns
        late.discard(choose.choice(either or ["short_header"]))
    _mutate_grid(tables, late | (mutations & {"next_line"}), choose, truth, cells, kind)
    mutations |= late
    shape = CENTRED
    if kind == "pdf" and layout in ALIGNED_LAYOUTS:
        shape = draw_shape(choose, layout.removeprefix("unruled_"))
        scale_counts(tables, truth, choose.integer(1, 5000), full_width="glyphs" in mutations)
    elif kind == "pdf" and layout in WRAPPED_LAYOUTS:
        drawn = draw_shape(choose, layout.removeprefix("wrapped_"))
        scale_counts(tables, truth, choose.integer(1, 5000), full_width="glyphs" in mutations)
        shape = Shape(drawn.align, drawn.labels, drawn.values, split=choose.integer(2, 4))
    stem = gold_path.stem
    data, name = render_file(gold, tables, stem, kind, layout, glyphs, blank, shape)
    return Case(
        gold=stem,
        kind=kind,
        layout=layout,
        mutations=tuple(m for m in MUTATIONS if m in mutations),
        data=data,
        name=name,
        truth=truth,
        report=_with_blanks(gold, truth),
        blank_style=blank,
    )


def render_file(
    gold: Report,
    tables: list[Table],
    stem: str,
    kind: str,
    layout: str,
    glyphs: Glyphs,
    blank: str = "",
    shape: Shape = CENTRED,
) -> tuple[bytes, str]:
    """The tables of a report rendered as one input file of ``kind`` (text in ``layout``, markdown, html with
    ``blank`` cells, docx, pdf in ``layout`` and ``shape``): its bytes and its file name."""
    if kind == "text":
        return _text_file(gold, tables, layout, glyphs).encode("utf-8"), f"{stem}.txt"
    if kind == "markdown":
        return _markdown_file(gold, tables, glyphs).encode("utf-8"), f"{stem}.md"
    if kind == "html":
        return _html_file(gold, tables, blank, glyphs), f"{stem}.html"
    if kind == "docx":
        return _docx_file(gold, tables, glyphs), f"{stem}.docx"
    return _pdf_file(gold, tables, layout, glyphs, shape), f"{stem}.pdf"


def gold_tables(gold: Report, orientation: str = "flat") -> tuple[dict[str, Cell], dict[str, Cell], list[Table]]:
    """A gold report's cells, the truth of its table cells (meta aside), and its tables 二, 三 and 四 (表四 in
    ``orientation``), for a test to edit before :func:`gold_case` renders them."""
    cells = dict(flatten(gold))
    truth: dict[str, Cell] = {p: v for p, v in cells.items() if not p.startswith("meta.")}
    return cells, truth, [_proactive(gold, cells), _applications(gold, cells), _review(cells, orientation)]


def gold_case(
    gold: Report, stem: str, layout: str, tables: list[Table], truth: dict[str, Cell], mutations: tuple[str, ...]
) -> Case:
    """A test's edited tables of a gold report rendered in ``layout`` (a text layout, markdown, html, docx),
    without glyph changes, html blanks as ``&nbsp;``: the case it makes."""
    kind = layout if layout in ("markdown", "html", "docx") else "text"
    data, name = render_file(gold, tables, stem, kind, layout, Glyphs(None), "nbsp")
    return Case(stem, layout, layout, mutations, data, name, truth, _with_blanks(gold, truth))


def relabelled_case(gold_path: Path, layout: str, relabel: Callable[[str], tuple[str, bool] | None]) -> Case:
    """A gold report's case with 表三's zeros printed blank and each of its data rows' labels as ``relabel`` prints it
    (the label, and whether its line breaks after the row's numbers), or as it is where ``relabel`` gives None."""
    gold = load_gold(gold_path).report
    _, truth, tables = gold_tables(gold)
    blank_zeros(tables[1], truth)
    for row in _data_rows(tables[1]):
        if (printed := relabel(row.label)) is not None:
            row.label, row.wrap_after = printed
    return gold_case(gold, gold_path.stem, layout, tables, truth, ("blank_zeros", "wrap_labels"))
