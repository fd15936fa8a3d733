"""Numbered labels of 表三 wrapped over three lines, the numbering alone on the first with the row's numbers
after it and the label's text on the next two (3. / 0 / 要求提供公开 / 出版物), every zero printed blank, rebuilt
from every gold report through the real pipeline: the key phrase is found on the last line, so the numbering
and the numbers after it stand in the region of the row above, whose blank cells leave room for them. A row's
numbering printed apart in the row above's region, with a number that row read after it, makes that row unsure:
every cell is right or named unsure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..conftest import GOLD
from ..fuzz.generate import Case, relabelled_case
from ..fuzz.invariant import judged

GOLDS = sorted(GOLD.glob("*.json"))
NUMBERED = re.compile(r"(\d+\.)(.{3,})")


def _case(gold_path: Path, layout: str, cut: int) -> Case:
    def relabel(label: str) -> tuple[str, bool] | None:
        if numbered := NUMBERED.fullmatch(label):
            numbering, text = numbered.groups()
            at = min(cut, len(text) - 2)
            return f"{numbering}\n{text[:at]}\n{text[at:]}", False
        return None

    return relabelled_case(gold_path, layout, relabel)


@pytest.mark.parametrize("cut", [2, 6])
@pytest.mark.parametrize("layout", ["lines", "spaced", "tabs"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_numbering_printed_apart_in_the_row_aboves_region_is_never_a_silent_cell(
    gold_path: Path, layout: str, cut: int
) -> None:
    judged(_case(gold_path, layout, cut))
