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

from ..conftest import GOLD
from ..fuzz.generate import Case, relabelled_case
from ..fuzz.invariant import judged

GOLDS = sorted(GOLD.glob("*.json"))
BRACKETED = re.compile(r"（([一二三四五六七八九十]+)）(.+)")


def _case(gold_path: Path, layout: str, after: bool) -> Case:
    def relabel(label: str) -> tuple[str, bool] | None:
        if numbered := BRACKETED.fullmatch(label):
            numeral, text = numbered.groups()
            return f"（\n{numeral}\n）{text}", after
        return None

    return relabelled_case(gold_path, layout, relabel)


@pytest.mark.parametrize("after", [False, True], ids=["numbers_first", "numbers_last"])
@pytest.mark.parametrize("layout", ["tabs", "spaces", "lines"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_numbering_wrapped_in_pieces_is_the_next_rows(gold_path: Path, layout: str, after: bool) -> None:
    judged(_case(gold_path, layout, after))
