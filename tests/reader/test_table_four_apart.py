"""表四 printed so that it looks like a piece of 表三, rebuilt from every gold report through the real pipeline:
表四 under 表三's own header (its 总计 row is no row of 表三), and 表四 as three rows under no header whose
litigation rows lost their labels (each lost label leaves a blank cell). Every cell is right or named unsure;
no wrong ``verified``, no wrong ``source_inconsistent``."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.core.envelope import Envelope
from giar_llm.files import load_gold

from ..conftest import GOLD
from ..fuzz.generate import Cell, Table, _data_rows, _review_headers, gold_case, gold_tables
from ..fuzz.invariant import judged

GOLDS = sorted(GOLD.glob("*.json"))
TOTAL = "applications.results.total_processed."


def _tables(
    gold_path: Path, orientation: str, header: str, blank: tuple[str, ...]
) -> tuple[dict[str, Cell], list[Table]]:
    """The gold report's tables, 表四 in ``orientation`` under ``header`` (other: 表三's own; none), the zeros
    of the cells whose path ends with one of ``blank`` printed blank; with the truth of every cell."""
    _, truth, tables = gold_tables(load_gold(gold_path).report, orientation)
    for table in tables[1:]:
        for row in _data_rows(table):
            for index, value in enumerate(row.cells):
                if value == 0 and (path := row.paths[index]) is not None and path.endswith(blank):
                    row.cells[index] = truth[path] = None
    _review_headers(tables[2], header, tables[1])
    return truth, tables


def _judged(gold_path: Path, layout: str, truth: dict[str, Cell], tables: list[Table]) -> Envelope:
    gold = load_gold(gold_path).report
    return judged(gold_case(gold, gold_path.stem, layout, tables, truth, ("blank_zeros", "drop_labels")))


@pytest.mark.parametrize("layout", ["markdown", "html", "docx"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_table_four_under_table_threes_header_lends_no_row_to_table_three(gold_path: Path, layout: str) -> None:
    """表四 by result (结果维持 … 总计 as row labels) under a copy of 表三's header, and 表三's （七）总计 printed
    without its label on the grid row under a wholly blank （六）其他处理 (or its last sub-row): 表四's 总计 row is
    not （七）总计's label (a grid after 表四's heading is never 表三's), so the unlabelled numbers under （六） may
    be （七）'s and are not taken for （六）'s with certainty."""
    truth, tables = _tables(gold_path, "columns", "other", ("",))  # every zero blank
    rows = _data_rows(tables[1])
    at = next(i for i, r in enumerate(rows) if (r.paths[0] or "").startswith(TOTAL))
    if any(v is not None for v in rows[at - 1].cells):
        pytest.skip("the row before （七）总计 (（六）其他处理 or its last sub-row) is not wholly zero in this report")
    rows[at].label = ""
    envelope = _judged(gold_path, layout, truth, tables)
    assert not any("表头缺少列" in envelope.unsure.get(f"{TOTAL}{f}", "") for f in ("natural_person", "total"))


@pytest.mark.parametrize("layout", ["markdown", "html", "docx"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_table_four_rows_without_labels_under_no_header_are_never_a_silent_cell(gold_path: Path, layout: str) -> None:
    """表四 as three rows (行政复议 / 未经复议直接起诉 / 复议后起诉) under no header, the two litigation rows'
    labels lost, a zero 尚未审结 or 总计 printed blank: read as one run of cells, each unlabelled row leaves a blank
    cell where its label stood, so the run holds more cells than the table, and the blanks at its end are not
    the only ones to spare (a row of zeros shifted by one cell still adds up): its cells are never trusted in a
    guessed place."""
    truth, tables = _tables(gold_path, "rows", "none", (".pending", ".total"))
    for row in _data_rows(tables[2])[1:]:
        row.label = ""
    _judged(gold_path, layout, truth, tables)
