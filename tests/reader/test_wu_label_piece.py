"""4.无正当理由大量反复申请 wrapped in three pieces with its numbers after its numbering (4. 1 0 0 0 0 1 / 无 /
正当理由大量反复申请), one of its cells printed blank, rebuilt from every gold report through the real pipeline:
the label's first character 无 stands alone on the line between its numbers and its key phrase, where it reads as
a zero mark, one more cell that makes up the blank's count. The lines between a label's numbering line and its
key's line hold the label's text when they hold no number: 无 there is never a cell, every cell is right or named
unsure."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.files import load_gold

from ..conftest import GOLD
from ..fuzz.generate import Case, gold_case, gold_tables
from ..fuzz.invariant import judged

GOLDS = sorted(GOLD.glob("*.json"))
LABEL = "4.无正当理由大量反复申请"


def _case(gold_path: Path, layout: str, blank: int) -> Case:
    gold = load_gold(gold_path).report
    _, truth, tables = gold_tables(gold)
    row = next(r for r in tables[1].rows if r.label == LABEL)
    path = row.paths[blank]
    if row.cells[blank] == 0 and path is not None:
        row.cells[blank] = truth[path] = None
    row.label, row.wrap_after = "4.\n无\n正当理由大量反复申请", False
    return gold_case(gold, gold_path.stem, layout, tables, truth, ("blank_zeros", "wrap_labels"))


@pytest.mark.parametrize("blank", range(7))
@pytest.mark.parametrize("layout", ["tabs", "spaces", "markdown"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_label_piece_that_is_a_zero_mark_is_never_a_cell(gold_path: Path, layout: str, blank: int) -> None:
    judged(_case(gold_path, layout, blank))
