"""表四's end: the line tests that find it, against the patterns they stand for."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from giar_llm.reader import _ideographs_run, _numbers_line, _table4_end

_NUMBERS_LINE = re.compile(r"[\s|]*+(?:[-+]?\d+(?:\.\d+)?[\s|]*+)+")
_PROSE = re.compile(r"[\u4e00-\u9fff]{6,}")

lines = st.text(alphabet="0123456789 \t|\r\x0b.-+行政复议诉讼结果维持、，①١\u3000a", max_size=24)


@settings(max_examples=1500, deadline=None)
@given(lines)
def test_a_numbers_line_is_what_the_pattern_matches(line: str) -> None:
    assert _numbers_line(line) == (_NUMBERS_LINE.fullmatch(line) is not None)


@settings(max_examples=1500, deadline=None)
@given(lines)
def test_prose_is_six_ideographs_in_a_row(line: str) -> None:
    assert _ideographs_run(line, 6) == (_PROSE.search(line) is not None)


def test_the_first_prose_line_after_the_numbers_ends_the_table() -> None:
    text = "四、行政复议\n结果维持\t结果纠正\n0\t1\n2 3\n本机关将继续做好政府信息公开工作。\n"
    start = text.index("\n") + 1
    assert _table4_end(text, start, len(text)) == text.index("本机关")
    assert _table4_end(text, start, text.index("本机关")) == text.index("本机关")  # no prose: the end given
