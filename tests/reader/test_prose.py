"""The prose statements' patterns tried only near their phrase find what a search over the whole text finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from giar_llm.reader.prose import _STATEMENTS, matches

PIECES = [
    "共收到",
    "收到",
    "新收",
    "各类",
    "政府信息公开",
    "申请",
    "行政复议",
    "行",
    "政复议",
    "案件",
    "共",
    "、",
    "和",
]
PIECES += ["本年", "制发", "制定", "出台", "印发", "规范性文件", "规章", "废止", "现行有效", "信息", "类", "的"]
PIECES += ["3", "12", "二十一", "两", "件", "起", " ", "\n", "。", "x", "数据", "等等"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=16), st.integers(0, len(_STATEMENTS) - 1))
def test_tried_near_the_phrase_the_pattern_finds_what_finditer_finds(pieces: list[str], which: int) -> None:
    _, _, phrase, before, regex = _STATEMENTS[which]
    text = "".join(pieces)
    expected = [m.span() for m in regex.finditer(text)]
    assert [m.span() for m in matches(regex, text, phrase, before)] == expected


def test_a_match_may_start_as_far_before_its_phrase_as_told() -> None:
    """The longest way before each phrase: one character less would miss where the match starts."""
    for text, which in [
        ("共收到各类政府信息公开申请3件", 0),
        ("政府信息公开行政复议3件", 1),
        ("本年制发" + "的" * 12 + "规范性文件3件", 2),
    ]:
        _, _, phrase, before, regex = _STATEMENTS[which]
        assert [m.span() for m in matches(regex, text, phrase, before)] == [(0, len(text))]
        assert [m.span() for m in matches(regex, text, phrase, before - 1)] != [(0, len(text))]
