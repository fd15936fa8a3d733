"""表三's bracket-numbered labels wrapped inside their numbering, over three lines: the opening bracket, the
numeral, the closing bracket with the label's text (（ / 一 / ）予以公开), the row's numbers beside the first piece or
the last, every zero printed blank, rebuilt from every gold report through the real pipeline. The key phrase is
found on the last line; the pieces above it are the national format's numbering of that row, so the label starts
at the opening bracket and the numbers beside it are its row's, never the row above's (whose blank cells leave
room for them): every cell is right or named unsure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from giar_llm.files import load_gold

from ..conftest import GOLD
from ..fuzz.generate import Case, _data_rows, blank_zeros, gold_case, gold_tables
from ..fuzz.invariant import judged

GOLDS = sorted(GOLD.glob("*.json"))
BRACKETED = re.compile(r"（([一二三四五六七八九十]+)）(.+)")


def _case(gold_path: Path, layout: str, after: bool) -> Case:
    gold = load_gold(gold_path).report
    _, truth, tables = gold_tables(gold)
    blank_zeros(tables[1], truth)
    for row in _data_rows(tables[1]):
        if numbered := BRACKETED.fullmatch(row.label):
            numeral, text = numbered.groups()
            row.label, row.wrap_after = f"（\n{numeral}\n）{text}", after
    return gold_case(gold, gold_path.stem, layout, tables, truth, ("blank_zeros", "wrap_labels"))


@pytest.mark.parametrize("after", [False, True], ids=["numbers_first", "numbers_last"])
@pytest.mark.parametrize("layout", ["tabs", "spaces", "lines"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_numbering_wrapped_in_pieces_is_the_next_rows(gold_path: Path, layout: str, after: bool) -> None:
    judged(_case(gold_path, layout, after))
