"""PDF tables printed without ruling lines, a number too wide for its narrow cell wrapped over two lines or more in
it ("12345" printed "123" over "45"), as the fuzzer's generator draws them (``WRAPPED_LAYOUTS``): each piece
stands on a line of its own, beside the row's label or above and below it, and whether it is a number of its own
or part of one is unknown. The gold reports so drawn with the fuzzer's mutations (表三's and 表四's counts scaled by a
random factor, every number of more than two, three or four digits wrapped, the values centred, right- or
left-aligned): every cell is right or doubtful, never a piece read as the cell's number."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ..fuzz.generate import (
    MUTATIONS,
    WRAPPED_LAYOUTS,
    draw_case,
)
from ..fuzz.invariant import judged
from ..fuzz.test_layouts import FUZZ, HypothesisChooser

# (A fragment under a placeholder header leaves its page no table to place the words by: the text layer alone is
# read there, a reading of its own.)
WITH_HEADERS = tuple(m for m in MUTATIONS if m != "bad_headers")


@settings(FUZZ, max_examples=30)
@given(st.data())
def test_wrapped_numbers_with_mutations_are_right_or_doubtful(data: st.DataObject) -> None:
    judged(draw_case(HypothesisChooser(data), kinds=("pdf",), allowed=WITH_HEADERS, pdf_layouts=WRAPPED_LAYOUTS))
