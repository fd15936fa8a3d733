"""表二 drawn column by column over two pages, rebuilt from every gold report through the fuzzer's PDF renderer:
the second page starts with the last row of the section before the last (its label lost), then the last
section (第二十条第（八）项 in 2021, （九） in 2019) with its cells printed blank. The page's text is its labels,
then its columns: the lost row's number comes right after the last label, then the last section's column
header (本年收费金额 / 采购项目数量) with nothing under it. A section's headers stand above its rows, so a header
of the row's own section after every label and heading of the table says the text runs by columns: the number
after the label is not the row's, and every cell is right or named unsure."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.files import load_gold

from ..conftest import GOLD
from ..fuzz.generate import Case, Glyphs, _blank, _pdf_file, _with_blanks, gold_tables
from ..fuzz.invariant import judged

GOLDS = sorted(GOLD.glob("*.json"))


def _case(gold_path: Path, blank_last: bool) -> Case:
    gold = load_gold(gold_path).report
    _, truth, tables = gold_tables(gold)
    table = tables[0]
    last = max(i for i, row in enumerate(table.rows) if row.kind == "heading")
    lost = last - 1  # the last data row before the last section
    table.markers[lost] = "- 3 -"
    table.breaks.append(lost)
    table.rows[lost].label = ""
    for row in table.rows[last:] if blank_last else ():
        for index in range(len(row.cells)) if row.kind == "data" else ():
            _blank(row, index, truth)
    data = _pdf_file(gold, tables, "columns", Glyphs(None))
    mutations: tuple[str, ...] = ("drop_labels", "page_markers", *(("blank_zeros",) if blank_last else ()))
    return Case(
        gold_path.stem, "pdf", "columns", mutations, data, f"{gold_path.stem}.pdf", truth, _with_blanks(gold, truth)
    )


@pytest.mark.parametrize("blank_last", [True, False])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_sections_header_after_every_label_is_never_a_silent_cell(gold_path: Path, blank_last: bool) -> None:
    judged(_case(gold_path, blank_last))
