"""A converter's placeholder header (| 数据1 | 数据2 | …, 列3, column4) names a column; its digits are no cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.core.document import Document
from giar_llm.core.paths import flatten
from giar_llm.files import load_gold
from giar_llm.reader import read
from giar_llm.reader.cells import atoms

from ..conftest import GOLD
from ..fuzz.generate import Glyphs, Table, _applications, _proactive, _review, _text_file


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("数据12", [("text", "数据12")]),
        ("| 数据1 | 数据2 | 数据3 |", [("text", "数据1"), ("text", "数据2"), ("text", "数据3")]),
        ("数据1数据2数据3", [("text", "数据1"), ("text", "数据2"), ("text", "数据3")]),
        ("列5 0 column3 1", [("text", "列5"), ("num", "0"), ("text", "column3"), ("num", "1")]),
        ("予以公开3\t0\t数据4", [("text", "予以公开"), ("num", "3"), ("num", "0"), ("text", "数据4")]),
        ("数据123", [("text", "数据"), ("num", "123")]),  # no placeholder: a name is numbered up to 99
    ],
)
def test_a_placeholder_name_is_text(text: str, pieces: list[tuple[str, str]]) -> None:
    assert [(a.kind, a.text) for a in atoms(text)] == pieces


@pytest.mark.parametrize("layout", ["tabs", "spaces", "lines", "spaced"])
@pytest.mark.parametrize("gold_path", sorted(GOLD.glob("*.json")), ids=lambda p: p.stem)
def test_fragments_under_placeholder_headers_read_exactly(gold_path: Path, layout: str) -> None:
    """Each table broken after its third row, the next fragment under a placeholder header (数据1 数据2 …, one
    name a column): the names' numbers were read as cells of the row above, which then held too many."""
    gold = load_gold(gold_path).report
    cells = dict(flatten(gold))
    tables: list[Table] = [_proactive(gold, cells), _applications(gold, cells), _review(cells, "flat")]
    for table in tables:
        table.breaks, table.fragment_headers = [3], {3: "placeholder"}
    text = _text_file(gold, tables, layout, Glyphs(None))
    assert "数据2" in text
    reading = read(Document(text))
    assert reading.report is not None
    got = flatten(reading.report)
    assert {p: got[p] for p in cells if not p.startswith("meta.")} == {
        p: v for p, v in cells.items() if not p.startswith("meta.")
    }
