"""表三 printed as one paragraph (flattened text), each numbered label wrapped right after its numbering or its
first character, its numbers after the label's last piece (2. / 重复申请000000, 3.要 / 求提供公开出版物000000),
rebuilt from every gold report through the real pipeline, with every applicant column in turn left out, or every
总计 of the results printed blank and the label of their 总计 row lost: the numbering ends the line of the row above's numbers, glued to them
(…申请1000012. or …申请3000003.要). A numbering is printed with its label in the national form, so the label starts
at the numbering before its first piece at the end of the line above; the row above's numbers stop there, and
the numbering's digit is never read as one of them: every cell is right or named unsure."""

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
RESULTS = "applications.results."


def _case(gold_path: Path, first: int, dropped: int | str | None, dot: str, next_line: bool = False) -> Case:
    gold = load_gold(gold_path).report
    cells, truth, tables = gold_tables(gold)
    for row in tables[1].rows:
        if row.kind == "data" and (numbered := NUMBERED.fullmatch(row.label)):
            numbering, text = numbered.groups()
            row.label, row.wrap_after = f"{numbering[:-1]}{dot}{text[:first]}\n{text[first:]}", True
        if row.kind == "data":
            row.next_line = next_line
    mutations: tuple[str, ...] = ("wrap_labels", "next_line") if next_line else ("wrap_labels",)
    if dropped == "totals":  # and 总计's label lost: no column sum tells a wrong 总计
        for row in tables[1].rows:
            path = row.paths[-1] if row.kind == "data" else None
            if path == f"{RESULTS}total_processed.total":
                row.label = ""
            elif path and path.startswith(RESULTS):
                row.cells[-1] = truth[path] = None
        mutations += ("blank_totals", "drop_labels")
    elif isinstance(dropped, int):
        _drop_column(tables[1], dropped, truth, cells)
        mutations += ("drop_column",)
    return gold_case(gold, gold_path.stem, "flattened", tables, truth, mutations)


@pytest.mark.parametrize("next_line", [False, True])
@pytest.mark.parametrize("dot", [".", "、"])
@pytest.mark.parametrize("dropped", [None, 1, 2, 3, 4, 5, "totals"])
@pytest.mark.parametrize("first", [0, 1])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_numbering_ending_the_line_above_starts_its_label(
    gold_path: Path, first: int, dropped: int | str | None, dot: str, next_line: bool
) -> None:
    judged(_case(gold_path, first, dropped, dot, next_line))
