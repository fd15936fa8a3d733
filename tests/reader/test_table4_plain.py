"""表四 read from its plain numbers (no tokenising of its headers) is what the tokenised reading gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giar_llm.reader import REVIEW_SPEC, tables

HEADERS = (
    "行政复议",
    "行政诉讼",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
    "未经复议直接起诉",
    "复议后起诉",
)
SEPARATORS = (" ", "\t", "\n", " | ", "\n\n", "\t\n")
AFTER = ("", "\n", "\n注：含上年结转（3件）\n", "\n（注：含结转）", "\n- 9 -\n", "\n其中", " 件", "\n(含上年度2件)")


@st.composite
def table4_texts(draw: st.DrawFn) -> str:
    headers = draw(st.lists(st.sampled_from(HEADERS), max_size=20))
    count = draw(st.sampled_from((15, 15, 15, 14, 16)))
    numbers = draw(st.lists(st.integers(0, 120), min_size=count, max_size=count))
    between = draw(st.sampled_from(SEPARATORS))  # one layout for the numbers: one line, a column, a grid
    head = "".join(header + draw(st.sampled_from(SEPARATORS)) for header in headers)
    body = between.join(map(str, numbers))
    return "四、行政复议、行政诉讼情况\n" + head + body + draw(st.sampled_from(AFTER))


@settings(max_examples=400, deadline=None)
@given(table4_texts())
def test_plain_table4_reads_as_tokenised(text: str) -> None:
    start = len("四、")
    fast = tables.read_table4(text, REVIEW_SPEC, start, len(text))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tables, "plain_numbers", lambda *_: None)
        tokenised = tables.read_table4(text, REVIEW_SPEC, start, len(text))
    assert fast == tokenised
