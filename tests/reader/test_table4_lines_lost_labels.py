"""表四 printed as three rows (行政复议 / 未经复议直接起诉 / 复议后起诉) one cell a line, the labels of the last two
lost, the first row's zeros printed blank, under 表三's header, a placeholder header or none, rebuilt from every
gold report through the real pipeline: each lost label leaves a blank cell on its own line, so the table holds
more cells than its 15 and which blanks are cells is unknown. Blocks of cells one a line apart from each other,
more than 15 with a blank among them, make 表四 unsure: every cell is right or named unsure."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.files import load_gold

from ..conftest import GOLD
from ..fuzz.generate import Case, _review_headers, gold_case, gold_tables
from ..fuzz.invariant import judged

GOLDS = sorted(GOLD.glob("*.json"))


def _case(gold_path: Path, layout: str, header: str) -> Case:
    gold = load_gold(gold_path).report
    _, truth, tables = gold_tables(gold, "rows")
    t4 = tables[2]
    _review_headers(t4, header, tables[1])
    rows = [r for r in t4.rows if r.kind == "data"]
    for index, value in enumerate(rows[0].cells):
        if value == 0 and (path := rows[0].paths[index]) is not None:
            rows[0].cells[index] = truth[path] = None
    for row in rows[1:]:
        row.label = ""
    return gold_case(gold, gold_path.stem, layout, tables, truth, ("review_rows", "review_headers", "drop_labels"))


@pytest.mark.parametrize("header", ["other", "placeholder", "none"])
@pytest.mark.parametrize("layout", ["lines", "spaced"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_table4_rows_one_cell_a_line_with_lost_labels_is_never_silent(
    gold_path: Path, layout: str, header: str
) -> None:
    judged(_case(gold_path, layout, header))
