"""表三 printed as one paragraph (flattened text), each numbered label wrapped with its numbers after its first
piece, rebuilt from every gold report through the real pipeline: the first piece is the numbering or part of
it (（一 / 20150000206 / ）予以公开), glued to the row above's label or the heading before it (…结果（一). The
numbering at the end of that run of text starts the label, so the numbers after it are the row's, not the
row above's: every cell is right or named unsure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from giar_llm.files import load_gold

from ..conftest import GOLD
from ..fuzz.generate import Case, gold_case, gold_tables
from ..fuzz.invariant import judged

GOLDS = sorted(GOLD.glob("*.json"))
NUMBERING = re.compile(r"[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、")


def _case(gold_path: Path, cut: int) -> Case:
    """Every 表三 label with a numbering and a number wrapped ``cut`` characters after its numbering's end (-1:
    inside it), its numbers after the first piece."""
    gold = load_gold(gold_path).report
    _, truth, tables = gold_tables(gold)
    for row in tables[1].rows:
        numbering = NUMBERING.match(row.label)
        if row.kind == "data" and numbering and any(c is not None for c in row.cells):
            at = numbering.end() + cut
            row.label, row.wrap_after = f"{row.label[:at]}\n{row.label[at:]}", False
    return gold_case(gold, gold_path.stem, "flattened", tables, truth, ("wrap_labels",))


@pytest.mark.parametrize("cut", [-1, 0, 1])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_numbering_glued_to_the_text_before_it_starts_its_label(gold_path: Path, cut: int) -> None:
    judged(_case(gold_path, cut))
