"""Build the DOCX fixture ``evals/reports/000_27f8f84a704e59bd.docx`` from its seed text.

The seed (``000_27f8f84a704e59bd.txt``) holds narrative lines unindented, and its tables as one cell
per line indented by a tab, rows separated by blank lines. This script knows the shape of the three
tables of a 2021-format report (表二 small tables, 表三 with 3 label columns + 7 data columns, 表四
with 15 columns) and lays them out as real Word tables with merged cells; every cell text, and every
number, is taken from the seed.

    .venv/bin/python evals/make_docx.py
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.table import Table

REPORTS = Path(__file__).resolve().parent / "reports"
SEED = REPORTS / "000_27f8f84a704e59bd.txt"
TARGET = REPORTS / "000_27f8f84a704e59bd.docx"

Row = list[str]


@dataclass
class Region:
    """A run of table rows between two narrative lines."""

    rows: list[Row] = field(default_factory=list)


def parse_seed(text: str) -> list[str | Region]:
    """Narrative lines (str) and table regions, in order."""
    items: list[str | Region] = []
    row: Row | None = None
    region: Region | None = None
    for line in text.splitlines():
        if line.startswith("\t"):
            if region is None:
                region = Region()
                items.append(region)
            if row is None:
                row = []
                region.rows.append(row)
            row.append(line[1:].strip())
        elif not line.strip():
            row = None
        else:
            row, region = None, None
            items.append(line.strip())
    return items


def fail(message: str) -> None:
    sys.exit(f"make_docx: {message}")


def new_table(doc: DocxDocument, rows: int, cols: int) -> Table:
    table: Table = doc.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    return table


def put(table: Table, row: int, col: int, text: str, *, to_row: int | None = None, to_col: int | None = None) -> None:
    """Write a cell, merging it first with the cell at (to_row, to_col) if given."""
    cell = table.cell(row, col)
    if to_row is not None or to_col is not None:
        cell = cell.merge(table.cell(row if to_row is None else to_row, col if to_col is None else to_col))
    cell.text = text


def add_table2(doc: DocxDocument, region: Region) -> None:
    """表二: one small table per 第二十条 item, its title row merged across the columns."""
    groups: list[list[Row]] = []
    for row in region.rows:
        if row[0].startswith("第二十条"):
            groups.append([])
        if not groups:
            fail(f"表二 row before any 第二十条 title: {row}")
        groups[-1].append(row)
    if len(groups) != 4:
        fail(f"表二 should have 4 items, found {len(groups)}")
    for rows in groups:
        width = max(len(row) for row in rows)
        table = new_table(doc, len(rows), width)
        for r, row in enumerate(rows):
            if len(row) == 1:
                put(table, r, 0, row[0], to_col=width - 1)
            else:
                for c, value in enumerate(row):
                    put(table, r, c, value)
        doc.add_paragraph()


def add_table3(doc: DocxDocument, region: Region) -> None:
    """表三: 3 header rows, then 25 rows of 1-3 labels and 7 numbers; labels merge down and across."""
    header, body = region.rows[:3], region.rows[3:]
    if len(body) != 25 or any(len(row) < 8 or len(row) > 10 for row in body):
        fail(f"表三 should have 25 data rows of 8-10 cells, found {[len(row) for row in body]}")
    table = new_table(doc, 3 + len(body), 10)
    note, applicant = header[0][0], header[0][1]
    natural, legal, total = header[1][1], header[1][2], header[1][3]
    kinds = header[2][2:7]
    put(table, 0, 0, note, to_row=2, to_col=2)
    put(table, 0, 3, applicant, to_col=9)
    put(table, 1, 3, natural, to_row=2)
    put(table, 1, 4, legal, to_col=8)
    put(table, 1, 9, total, to_row=2)
    for c, kind in enumerate(kinds, start=4):
        put(table, 2, c, kind)
    top: list[int | None] = [None, None]  # first row of the open vertical merge in label columns 0 and 1
    for r, row in enumerate(body, start=3):
        labels, numbers = row[:-7], row[-7:]
        for c, number in enumerate(numbers, start=3):
            put(table, r, c, number)
        if len(labels) == 1:
            put(table, r, 0, labels[0], to_col=2)
            top = [None, None]
            continue
        for level, label in enumerate(labels[:-1]):
            start = top[level]
            if label:
                top[level] = r
                put(table, r, level, label)
            elif start is None:
                fail(f"表三 row {r} continues a label that was never opened: {row}")
            else:
                merged = table.cell(start, level).merge(table.cell(r, level))
                merged.text = table.cell(start, level).text.strip()
        if len(labels) == 2:
            put(table, r, 1, labels[1], to_col=2)
            top[1] = None
        else:
            put(table, r, 2, labels[2])
    doc.add_paragraph()


def add_table4(doc: DocxDocument, region: Region) -> None:
    """表四: 行政复议 (5 columns) and 行政诉讼 (2 x 5 columns), then the 15 numbers."""
    if len(region.rows) != 4 or len(region.rows[3]) != 15:
        fail(f"表四 should have 4 rows ending with 15 numbers, found {[len(row) for row in region.rows]}")
    review, litigation = region.rows[0]
    second, third, numbers = region.rows[1], region.rows[2], region.rows[3]
    table = new_table(doc, 4, 15)
    put(table, 0, 0, review, to_col=4)
    put(table, 0, 5, litigation, to_col=14)
    for c in range(5):
        put(table, 1, c, second[c], to_row=2)
    put(table, 1, 5, second[5], to_col=9)
    put(table, 1, 10, second[6], to_col=14)
    for c in range(5, 15):
        put(table, 2, c, third[c])
    for c, number in enumerate(numbers):
        put(table, 3, c, number)
    doc.add_paragraph()


def build(seed: Path = SEED, target: Path = TARGET) -> Path:
    """Write the .docx and return its path."""
    items = parse_seed(seed.read_text(encoding="utf-8"))
    regions = [item for item in items if isinstance(item, Region)]
    if len(regions) != 3:
        fail(f"expected 3 table regions (表二, 表三, 表四), found {len(regions)}")
    builders = dict(zip((id(region) for region in regions), (add_table2, add_table3, add_table4), strict=True))
    doc = Document()
    for item in items:
        if isinstance(item, Region):
            builders[id(item)](doc, item)
        else:
            doc.add_paragraph(item)
    doc.core_properties.title = items[0] if isinstance(items[0], str) else ""
    doc.save(str(target))
    return target


if __name__ == "__main__":
    build()
