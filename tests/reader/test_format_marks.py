"""A report whose tables print none of the phrases that tell the 2019 format from the 2021 one (表二's column
headers lost, （六）其他处理 one row): the format is a default, so what 表二's columns mean is named unsure."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giar_llm.core.paths import flatten
from giar_llm.core.schema import FORMAT_MARKS, _holds, format_marked
from giar_llm.files import load_gold
from giar_llm.inputs import load_bytes
from giar_llm.reader import read

from ..conftest import GOLD
from ..fuzz.generate import Glyphs, Table, _applications, _docx_file, _html_file, _proactive, _review, _text_file

GOLDS = sorted(GOLD.glob("*.json"))


def _without_proactive_headers(gold_path: Path, layout: str) -> tuple[bytes, str]:
    gold = load_gold(gold_path).report
    cells = dict(flatten(gold))
    tables: list[Table] = [_proactive(gold, cells), _applications(gold, cells), _review(cells, "flat")]
    tables[0].rows = [row for row in tables[0].rows if row.kind != "header"]
    glyphs = Glyphs(None)
    if layout == "html":
        return _html_file(gold, tables, "empty", glyphs), f"{gold_path.stem}.html"
    if layout == "docx":
        return _docx_file(gold, tables, glyphs), f"{gold_path.stem}.docx"
    return _text_file(gold, tables, layout, glyphs).encode("utf-8"), f"{gold_path.stem}.txt"


@pytest.mark.parametrize("layout", ["tabs", "html", "docx"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_proactive_columns_without_a_format_mark_are_unsure(gold_path: Path, layout: str) -> None:
    data, name = _without_proactive_headers(gold_path, layout)
    document = load_bytes(data, name).document
    reading = read(document)
    assert reading.report is not None
    got = flatten(reading.report)
    proactive = [p for p in got if p.startswith("proactive.")]
    if format_marked(document.text)[1]:  # （六）'s sub-rows, or 表三's own marks, still tell the format
        assert reading.report.format == load_gold(gold_path).report.format
        return
    assert proactive and all(p in reading.unsure for p in proactive)
    assert "2019 与 2021" in reading.unsure[proactive[0]]


def test_some_gold_reports_print_no_format_mark_without_their_proactive_headers() -> None:
    """The test above is not vacuous: some reports' 表三 tells nothing of the format."""
    unmarked = [p.stem for p in GOLDS if not format_marked(_without_proactive_headers(p, "tabs")[0].decode())[1]]
    assert len(unmarked) >= 2


def _marked_by_joining(text: str) -> tuple[str, bool]:
    """format_marked's answer by its definition: the phrases looked for in the text with its whitespace removed."""
    flat = "".join(text.split())
    score_2019 = sum(mark in flat for mark in FORMAT_MARKS["2019"])
    score_2021 = sum(mark in flat for mark in FORMAT_MARKS["2021"])
    if score_2019 == score_2021:
        return ("2021" if "补正" in flat and "缴纳费用" in flat else "2019"), False
    return ("2019" if score_2019 > score_2021 else "2021"), True


_PHRASES = [*FORMAT_MARKS["2019"], *FORMAT_MARKS["2021"], "补正", "缴纳费用"]
_PIECES = [ch for phrase in _PHRASES for ch in phrase] + [" ", "\n", "\t", "\u3000", "\xa0", "|", "x", "本年"]


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), max_size=40),
    st.lists(st.tuples(st.sampled_from(_PHRASES), st.integers(0, 40)), max_size=4),
)
def test_a_phrase_counts_as_the_text_without_whitespace_holds_it(
    pieces: list[str], phrases: list[tuple[str, int]]
) -> None:
    for phrase, at in phrases:  # whole phrases too, with whitespace between some of their characters
        spaced = "".join(ch + (" " if (at + i) % 3 == 0 else "") for i, ch in enumerate(phrase))
        pieces.insert(min(at, len(pieces)), spaced)
    text = "".join(pieces)
    flat = "".join(text.split())
    assert [_holds(text, phrase) for phrase in _PHRASES] == [phrase in flat for phrase in _PHRASES]
    assert format_marked(text) == _marked_by_joining(text)
