"""Numbered labels wrapped in three pieces with their numbers after the first (3 / the numbers / .要 / 求提供公开
出版物), rebuilt from the gold reports: the numbering stands far above the rest of its label, alone on a line
like a cell, so the row above reads it and the label's numbers as its own; with blank cells that leave no mark,
they may come to exactly a row's count. The label starts at its dotted piece (its numbering printed apart), and
the row above is named unsure: every cell is right or named unsure."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from giar_llm.core.document import Document
from giar_llm.core.paths import flatten
from giar_llm.files import load_gold
from giar_llm.reader import read

from ..conftest import GOLD
from ..fuzz.generate import Glyphs, Row, Table, _applications, _proactive, _review, _text_file

NUMBERED = re.compile(r"(\d+)(\.)(.)(.+)")


def _pair(rows: list[Row]) -> tuple[Row, Row] | None:
    """2.重复申请 and 3.要求提供公开出版物 (whose key phrase 出版物 stands wholly on its label's last piece),
    when both hold only zeros."""
    data = [r for r in rows if r.kind == "data"]
    for above, row in itertools.pairwise(data):
        if row.label == "3.要求提供公开出版物" and all(c == 0 for c in above.cells + row.cells):
            return above, row
    return None


GOLDS = [
    p
    for p in sorted(GOLD.glob("*.json"))
    if _pair(_applications(load_gold(p).report, dict(flatten(load_gold(p).report))).rows)
]


@pytest.mark.parametrize("layout", ["spaced", "lines"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_numbering_printed_apart_above_its_numbers_is_never_a_silent_cell(gold_path: Path, layout: str) -> None:
    gold = load_gold(gold_path).report
    cells = dict(flatten(gold))
    tables: list[Table] = [_proactive(gold, cells), _applications(gold, cells), _review(cells, "flat")]
    truth = {p: v for p, v in cells.items() if p.startswith("applications.")}
    pair = _pair(tables[1].rows)
    assert pair is not None
    above, row = pair
    for blanked, columns in ((above, (3, 4, 5, 6)), (row, (0, 2, 4, 5))):  # three numbers each: with the
        for column in columns:  # numbering between them, seven
            path = blanked.paths[column]
            assert path is not None
            blanked.cells[column] = truth[path] = None
    after = tables[1].rows[tables[1].rows.index(row) :]  # so that the row after reads the next one's numbering
    for wrapped in after:
        if wrapped.kind == "data" and (match := NUMBERED.fullmatch(wrapped.label)) is not None:
            wrapped.label = "\n".join((match.group(1), match.group(2) + match.group(3), match.group(4)))
            wrapped.wrap_after = False  # the numbers after the label's first line: its numbering
    reading = read(Document(_text_file(gold, tables, layout, Glyphs(None))))
    assert reading.report is not None
    got = flatten(reading.report)
    silent = [p for p, v in truth.items() if p in got and got[p] != v and p not in reading.unsure]
    assert silent == []
