"""PDF tables printed without ruling lines, rebuilt from every gold report through the fuzzer's PDF renderer: the
text layer alone can't say where a row's blank cells stand (a blank leaves no mark), but the page's words do: each
number stands under its column's header. Every zero of 表三 printed blank, every cell of 表三 and 表四 is read where it
stands and trusted (but a （六）其他处理 left wholly blank, whose one row or three stays open, as in a ruled grid)."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.core.paths import flatten
from giar_llm.files import load_gold

from ..conftest import GOLD
from ..fuzz.generate import Case, Glyphs, _pdf_file, blank_zeros, gold_tables
from ..fuzz.generate import _with_blanks as with_blanks
from ..fuzz.invariant import judged

GOLDS = sorted(GOLD.glob("*.json"))


def _case(gold_path: Path, layout: str = "unruled") -> Case:
    gold = load_gold(gold_path).report
    _, truth, tables = gold_tables(gold)
    blank_zeros(tables[1], truth)
    data = _pdf_file(gold, tables, layout, Glyphs(None))
    return Case(
        gold_path.stem,
        "pdf",
        layout,
        ("blank_zeros",),
        data,
        f"{gold_path.stem}.pdf",
        truth,
        with_blanks(gold, truth),
    )


@pytest.mark.parametrize("layout", ["unruled", "columns"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_unruled_tables_are_read_from_their_words_places(gold_path: Path, layout: str) -> None:
    """Drawn row by row or column by column (the order the text layer then comes out in), the words stand in
    the same places."""
    case = _case(gold_path, layout)
    envelope = judged(case)
    got = flatten(envelope.report)
    # Drawn by columns, 表四's text comes out in another order than its grid's, and the two readings that differ
    # prove neither: its cells are right or doubtful (``judged``), 表三's trusted.
    tables = ("applications.", "review_litigation.") if layout == "unruled" else ("applications.",)
    cells = [p for p in case.truth if p.startswith(tables)]
    assert {p: got[p] for p in cells} == {p: case.truth[p] for p in cells}
    other = [p for p in cells if p.startswith("applications.results.other.")]
    open_structure = other if all(case.truth[p] is None for p in other) else []
    assert [p for p in cells if p in envelope.unsure and p not in open_structure] == []
