"""表三 of the 2021 format drawn column by column over two pages, the second starting at one of （六）其他处理's
sub-rows, rebuilt from every gold report through the fuzzer's PDF renderer: the second page prints its group
labels' column first (（六）其他处理, （七）总计, 四、结转下年度继续办理), then the sub-rows' labels, so these stand after
（七）总计 in the text. Printed, they make （六） three rows (the national format's 2021 structure), never one row
whose sub-rows' cells go missing: every cell is right or named unsure."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.core.paths import flatten
from giar_llm.files import load_gold

from ..conftest import GOLD
from ..fuzz.generate import Case, Glyphs, _data_rows, _pdf_file, _with_blanks, gold_tables
from ..fuzz.invariant import judged

OTHER = "applications.results.other."
GOLDS = [
    path
    for path in sorted(GOLD.glob("*.json"))
    if any(p.startswith(OTHER) and not p.startswith(f"{OTHER}total") for p in flatten(load_gold(path).report))
]


def _case(gold_path: Path, sub_row: int, header: str, blanks: bool) -> Case:
    gold = load_gold(gold_path).report
    _, truth, tables = gold_tables(gold)
    t3 = tables[1]
    if blanks:
        for row in _data_rows(t3):  # the legal-person columns' zeros blank
            for index in range(1, 6):
                if row.cells[index] == 0 and (path := row.paths[index]) is not None:
                    row.cells[index] = truth[path] = None
    at = [i for i, row in enumerate(t3.rows) if row.kind == "data" and (row.paths[0] or "").startswith(OTHER)][sub_row]
    t3.breaks, t3.fragment_headers = [at], {at: header}
    data = _pdf_file(gold, tables, "columns", Glyphs(None))
    mutations = ("fragments", "blank_legal") if blanks else ("fragments",)
    return Case(
        gold_path.stem, "pdf", "columns", mutations, data, f"{gold_path.stem}.pdf", truth, _with_blanks(gold, truth)
    )


@pytest.mark.parametrize("blanks", [False, True], ids=["full", "blank_legal"])
@pytest.mark.parametrize("header", ["repeat", "none"])
@pytest.mark.parametrize("sub_row", [0, 1, 2])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_other_sub_rows_printed_after_the_total_on_a_later_page_are_three_rows(
    gold_path: Path, sub_row: int, header: str, blanks: bool
) -> None:
    judged(_case(gold_path, sub_row, header, blanks))
