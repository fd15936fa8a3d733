"""The narrative's statements found where their first characters stand: the same first match as a search."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from giar_llm.reader.meta import _NARRATIVE, first_match

PIECES = [
    "新收",
    "共收到",
    "收到",
    "受理",
    "收",
    "共",
    "新",
    "受",
    "申请",
    "政府信息公开",
    "各类",
    "3",
    "12",
    "件",
    "条",
]
PIECES += ["个", " ", "\n", "。", "；", "x", "数据", "行政复议", "行政诉讼"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=20))
def test_tried_where_its_first_characters_stand_the_pattern_finds_the_search_s_first_match(pieces: list[str]) -> None:
    text = "".join(pieces)
    for _, regex, starts, _, _ in _NARRATIVE:
        expected = regex.search(text)
        found = first_match(regex, text, starts) if starts else expected
        assert (found.span() if found else None) == (expected.span() if expected else None)
        if starts:  # every match starts with one of them (or first_match would miss it)
            assert all(m.group()[0] in starts for m in regex.finditer(text))


def test_each_way_a_statement_of_requests_starts_is_found() -> None:
    _, regex, starts, _, _ = _NARRATIVE[0]
    for text in ("x新收申请3件", "x共收到各类申请3件", "x收到申请3件", "x受理政府信息公开申请3件"):
        assert first_match(regex, text, starts) is not None, text
