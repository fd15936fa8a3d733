"""PDF tables printed without ruling lines, their numbers right- or left-aligned in columns of random widths under
centred headers (as real reports often print them): a number sticks out of its narrow header's extent, but the
numbers' own edges line up in as many columns as the header names. Every gold report drawn so through the
fuzzer's generator (``ALIGNED_LAYOUTS``: random widths, 表三's and 表四's counts scaled by a random factor): with
the fuzzer's mutations every cell is right or doubtful; without them, where every column prints a number in every
row (no blank cell in the gold), every cell is read. A number that can't be placed by the columns the numbers form
(a blank column) is never read under a header beside its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giar_llm.files import load_gold

from ..fuzz.generate import (
    ALIGNED_LAYOUTS,
    COUNTS,
    GOLDS,
    Case,
    Glyphs,
    _blank,
    _data_rows,
    _pdf_file,
    _with_blanks,
    draw_case,
    gold_tables,
)
from ..fuzz.invariant import judged
from ..fuzz.pdf import Shape
from ..fuzz.test_layouts import FUZZ, HypothesisChooser


@settings(FUZZ, max_examples=30)
@given(st.data())
def test_aligned_numbers_are_right_or_doubtful(data: st.DataObject) -> None:
    judged(draw_case(HypothesisChooser(data), kinds=("pdf",), pdf_layouts=ALIGNED_LAYOUTS))


@settings(FUZZ, max_examples=30)
@given(st.data())
def test_aligned_numbers_are_read_under_their_columns(data: st.DataObject) -> None:
    case = draw_case(HypothesisChooser(data), kinds=("pdf",), allowed=(), pdf_layouts=ALIGNED_LAYOUTS)
    envelope = judged(case)
    if all(value is not None for path, value in case.truth.items() if path.startswith(COUNTS)):
        assert dict(envelope.unsure) == {}, f"{case.gold} {case.layout}"


SHAPES = ((0.55, (1.0, 1.5)), (0.55, ()), (1.0, (1.5, 1.0, 1.2)))  # label columns' share, value columns' widths


@pytest.mark.parametrize("align", ["left", "right"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_number_beside_a_blank_column_is_not_read_under_it(gold_path: Path, align: str) -> None:
    """Every row's first cell printed blank, in every table: no table's numbers form all its columns, so which edge
    they are aligned on is never known. An edge-aligned number in a wide cell (a row with fewer cells than the
    table's widest spans its last cell over the rest: 表二's 收费 and 采购 rows of the 2019 format) stands nearer
    the blank column's header than its own: it is read under its own header or left doubtful, never under the
    blank one."""
    for labels, values in SHAPES:
        gold = load_gold(gold_path).report
        _, truth, tables = gold_tables(gold)
        for table in tables:
            for row in _data_rows(table):
                _blank(row, 0, truth)
        data = _pdf_file(gold, tables, "unruled", Glyphs(None), Shape(align, labels, values))
        judged(
            Case(
                gold_path.stem,
                "pdf",
                f"unruled_{align}",
                (),
                data,
                f"{gold_path.stem}.pdf",
                truth,
                _with_blanks(gold, truth),
            )
        )
