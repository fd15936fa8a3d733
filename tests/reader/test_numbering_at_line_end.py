"""表三 printed as one paragraph (flattened text), each numbered label wrapped right after its numbering with its
numbers after the label's text (2. / 重复申请000000), rebuilt from every gold report through the real pipeline,
with every applicant column in turn left out: the numbering ends the line of the row above's numbers
(…申请1000012.), glued to them. A numbering is printed with its label in the national form, so the label starts
at the numbering that ends the line before it; the row above's numbers stop there, and the numbering's digit is
never read as one of them: every cell is right or named unsure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from giar_llm.files import load_gold

from ..conftest import GOLD
from ..fuzz.generate import Case, _drop_column, gold_case, gold_tables
from ..fuzz.invariant import judged

GOLDS = sorted(GOLD.glob("*.json"))
NUMBERED = re.compile(r"(\d+[.、])(.{2,})")


def _case(gold_path: Path, dropped: int | None, dot: str) -> Case:
    gold = load_gold(gold_path).report
    cells, truth, tables = gold_tables(gold)
    for row in tables[1].rows:
        if row.kind == "data" and (numbered := NUMBERED.fullmatch(row.label)):
            numbering, text = numbered.groups()
            row.label, row.wrap_after = f"{numbering[:-1]}{dot}\n{text}", True
    mutations: tuple[str, ...] = ("wrap_labels",)
    if dropped is not None:
        _drop_column(tables[1], dropped, truth, cells)
        mutations += ("drop_column",)
    return gold_case(gold, gold_path.stem, "flattened", tables, truth, mutations)


@pytest.mark.parametrize("dot", [".", "、"])
@pytest.mark.parametrize("dropped", [None, 1, 2, 3, 4, 5])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_numbering_ending_the_line_above_starts_its_label(gold_path: Path, dropped: int | None, dot: str) -> None:
    judged(_case(gold_path, dropped, dot))
