"""表二's rows never run past the next section's heading (第二十条第（八）项 …): a label wrapped around its numbers
(行政 35 -15 / 事业性收费) is found at its second piece, so the row above would read the numbers after the heading
as its own. Rebuilt from every gold report: such a row is named unsure, never read."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from giar_llm.core.document import Document
from giar_llm.core.paths import flatten
from giar_llm.files import load_gold
from giar_llm.reader import read

from ..conftest import GOLD
from ..fuzz.generate import Glyphs, Table, _applications, _proactive, _review, _text_file


@pytest.mark.parametrize("layout", ["tabs", "spaces", "flattened"])
@pytest.mark.parametrize("gold_path", sorted(GOLD.glob("*.json")), ids=lambda p: p.stem)
def test_a_label_wrapped_around_its_numbers_after_a_heading_is_never_a_silent_cell(
    gold_path: Path, layout: str
) -> None:
    gold = load_gold(gold_path).report
    cells = dict(flatten(gold))
    tables: list[Table] = [_proactive(gold, cells), _applications(gold, cells), _review(cells, "flat")]
    rows = tables[0].rows
    wrapped = 0
    for before, row in itertools.pairwise(rows):  # a section's first row after its header
        if before.kind == "header" and row.kind == "data" and len(row.label) >= 4:
            row.label = row.label[:2] + "\n" + row.label[2:]
            row.wrap_after = False  # its numbers after the first piece
            wrapped += 1
    assert wrapped >= 3
    reading = read(Document(_text_file(gold, tables, layout, Glyphs(None))))
    assert reading.report is not None
    got = flatten(reading.report)
    truth = {p: v for p, v in cells.items() if p.startswith("proactive.")}
    silent = [p for p, v in truth.items() if p in got and got[p] != v and p not in reading.unsure]
    assert silent == []
