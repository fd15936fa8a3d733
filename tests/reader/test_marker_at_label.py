"""A page marker run into flattened text between a row's numbers and the next row's label, rebuilt from every
gold report through the real pipeline: 表二 printed as one paragraph, a marker (-7-, - 7 -, －7－) before a
section heading (第二十条第（X）项), the first label after it wrapped around its numbers (政府 / 0 0 / 集中采购).
That label is found starting back at the marker's closing dash, so the row above ends inside the marker: its
number is the row's last word, and -7 reads as a count of 本年增/减. The marker is still the row's: every cell
is right or named unsure."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.files import load_gold

from ..conftest import GOLD
from ..fuzz.generate import Case, gold_case, gold_tables
from ..fuzz.invariant import judged

GOLDS = sorted(GOLD.glob("*.json"))


def _cases(gold_path: Path, marker: str, wrap: int) -> list[Case]:
    """One case for each section heading of 表二 but the first: the marker before it, the next label wrapped
    after its first ``wrap`` characters with its numbers after that first piece."""
    gold = load_gold(gold_path).report
    _, _, tables = gold_tables(gold)
    headings = [i for i, row in enumerate(tables[0].rows) if row.kind == "heading"][1:]
    cases = []
    for at in headings:
        _, truth, tables = gold_tables(gold)
        table = tables[0]
        table.markers[at] = marker
        row = next(r for r in table.rows[at:] if r.kind == "data")
        row.label, row.wrap_after = f"{row.label[:wrap]}\n{row.label[wrap:]}", False
        cases.append(gold_case(gold, gold_path.stem, "flattened", tables, truth, ("page_markers", "wrap_labels")))
    return cases


@pytest.mark.parametrize("wrap", [1, 2])
@pytest.mark.parametrize("marker", ["-7-", "- 7 -", "－7－"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_marker_ending_where_the_next_label_starts_is_never_a_silent_cell(
    gold_path: Path, marker: str, wrap: int
) -> None:
    cases = _cases(gold_path, marker, wrap)
    assert cases
    for case in cases:
        judged(case)
