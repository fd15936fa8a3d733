"""表三 with a row the national format does not have (其中：网上提交, an agency's own breakdown) printed after each
row that has blank cells, its numbers in the cells the row above leaves blank, rebuilt from every gold report
through the real pipeline, as tab-delimited text and markdown pipe tables: the two lines then hold exactly the
row's count of numbers. Each line's delimiters print a whole row of cells, so a row whose region holds a line of
all its cells and numbers on another line is unsure, never the numbers of both lines read in order: every cell
is right or named unsure."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.files import load_gold

from ..conftest import GOLD
from ..fuzz.generate import Case, Row, blank_zeros, gold_case, gold_tables
from ..fuzz.invariant import judged

GOLDS = sorted(GOLD.glob("*.json"))


def _case(gold_path: Path, layout: str) -> Case:
    gold = load_gold(gold_path).report
    _, truth, tables = gold_tables(gold)
    t3 = tables[1]
    blank_zeros(t3, truth)
    rows: list[Row] = []
    for row in t3.rows:
        rows.append(row)
        if row.kind == "data" and None in row.cells and any(c is not None for c in row.cells):
            cells = [1 if c is None else None for c in row.cells]
            rows.append(Row("其中：网上提交", list(cells), [None] * len(cells)))
    t3.rows = rows
    return gold_case(gold, gold_path.stem, layout, tables, truth, ("blank_zeros",))


@pytest.mark.parametrize("layout", ["tabs", "markdown"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_row_outside_the_format_filling_the_blank_cells_is_never_read_into_the_row_above(
    gold_path: Path, layout: str
) -> None:
    judged(_case(gold_path, layout))
