"""Numbered labels wrapped with their numbering alone on the first line and their numbers after it (2. / the
numbers / 申请 / 人逾期未按…), rebuilt from the gold reports: the row above reads on past its own numbers into
the numbering and the next label's numbers; with blank cells that leave no mark they may come to exactly a
row's count, the numbering's digit among them. A label's numbering standing alone (2. 2、) is no count, so
the row above is short of numbers and named unsure: every cell is right or named unsure."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from giar_llm.core.document import Document
from giar_llm.core.paths import flatten
from giar_llm.files import load_gold
from giar_llm.reader import read
from giar_llm.reader.cells import atoms

from ..conftest import GOLD
from ..fuzz.generate import Glyphs, Row, Table, _applications, _proactive, _review, _text_file

NUMBERED = re.compile(r"(\d+\.)(.{2})(.+)")


def _pairs(rows: list[Row]) -> list[tuple[Row, Row]]:
    """Each data row followed by a numbered row whose label is long enough to wrap in three pieces."""
    data = [r for r in rows if r.kind == "data"]
    return [(above, row) for above, row in itertools.pairwise(data) if NUMBERED.fullmatch(row.label)]


GOLDS = sorted(GOLD.glob("*.json"))


@pytest.mark.parametrize("token", ["2.", "2、", "12．"])
def test_a_numbering_alone_is_text_not_a_number(token: str) -> None:
    text = f"40 1 {token} 0 0"
    assert [a.text for a in atoms(text) if a.kind == "num"] == ["40", "1", "0", "0"]


@pytest.mark.parametrize("which", [0, 1, 2])
@pytest.mark.parametrize("layout", ["spaced", "lines"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_numbering_printed_apart_before_its_numbers_is_never_a_silent_cell(
    gold_path: Path, layout: str, which: int
) -> None:
    gold = load_gold(gold_path).report
    cells = dict(flatten(gold))
    tables: list[Table] = [_proactive(gold, cells), _applications(gold, cells), _review(cells, "flat")]
    truth = {p: v for p, v in cells.items() if p.startswith("applications.")}
    pairs = _pairs(tables[1].rows)
    assert pairs
    above, row = pairs[(len(pairs) * which) // 3]
    # Four numbers left above, two on the numbered row: with the numbering between them, seven.
    for blanked, columns in ((above, (2, 3, 5)), (row, (1, 2, 3, 4, 5))):
        for column in columns:
            path = blanked.paths[column]
            assert path is not None
            blanked.cells[column] = truth[path] = None
    match = NUMBERED.fullmatch(row.label)
    assert match is not None
    row.label = "\n".join(match.groups())
    row.wrap_after = False  # the numbers after the label's first line: its numbering alone
    reading = read(Document(_text_file(gold, tables, layout, Glyphs(None))))
    assert reading.report is not None
    got = flatten(reading.report)
    silent = [p for p, v in truth.items() if p in got and got[p] != v and p not in reading.unsure]
    assert silent == []
