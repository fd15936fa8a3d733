"""The narrative's statements found where their first characters stand: the same first match as a search."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from giar_llm.reader.meta import _NARRATIVE, _title_lines, first_match

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


TITLE_PIECES = ["盐仓街道", "2021", "年度", "政府信息公开工作年度报告", " ", "\t", "|", "\n", "标题：", "x"]


def _lines_by_split(text: str) -> list[tuple[int, str, bool]]:
    """The title lines by their definition: the text split at its line breaks, each line (or each cell of a
    delimited line with more than one) without whitespace, at its offset."""
    out: list[tuple[int, str, bool]] = []
    pos = 0
    for line in text.split("\n"):
        cells = [c for c in re.finditer(r"[^\t|]+", line) if c.group().strip()]
        if ("\t" in line or "|" in line) and len(cells) > 1:
            out += [(pos + c.start(), "".join(c.group().split()), True) for c in cells]
        else:
            out.append((pos, "".join(line.split()), False))
        pos += len(line) + 1
    return out


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(TITLE_PIECES), max_size=16))
def test_title_lines_taken_one_at_a_time_are_the_split_texts_lines(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert list(_title_lines(text)) == _lines_by_split(text)
