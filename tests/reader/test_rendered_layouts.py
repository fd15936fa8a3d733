"""Every gold report re-printed in each layout family: read exactly where the layout keeps the cells apart,
and never a silent error where it doesn't (blank cells in space rows, cells run together)."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.core.document import Document
from giar_llm.core.paths import flatten
from giar_llm.files import load_gold
from giar_llm.reader import read

from ..conftest import GOLD
from .render import LAYOUTS, render

GOLDS = sorted(GOLD.glob("*.json"))
EXACT = {"tabs", "markdown", "lines", "spaced"}  # layouts that keep every cell, blanks included


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_rendered_report_reads_back(gold_path: Path, layout: str) -> None:
    gold = load_gold(gold_path).report
    text = render(gold, layout)
    reading = read(Document(text))
    assert reading.report is not None, reading.error
    expected, got = flatten(gold), flatten(reading.report)
    wrong = {p for p in expected if expected[p] != got.get(p) or type(expected[p]) is not type(got.get(p))}
    assert not (wrong - set(reading.unsure)), f"silent errors: {sorted(wrong - set(reading.unsure))[:6]}"
    blanks = any(v is None for p, v in expected.items() if not p.startswith("meta"))
    if layout in EXACT or (layout == "spaces" and not blanks):
        assert not wrong, sorted(wrong)[:6]
        assert not reading.unsure, sorted(reading.unsure.items())[:3]


def _variant_labels(text: str) -> str:
    """Label variants seen in real reports: 1、 for 1., straight quotes, a dropped parenthetical,
    ASCII brackets, renamed columns, a typo'd header, a label wrapped over two lines."""
    for old, new in (
        ("1.", "1、"),
        ("2.", "2、"),
        ("“三安全一稳定”", '"三安全一稳定"'),
        ("（区分处理的，只计这一情形，不计其他情形）", ""),
        ("（一）", "(一)"),
        ("社会公益组织", "社会组织"),
        ("本年制发件数", "半年制发件数"),
        ("5.要求行政机关确认或重新出具已获取信息", "5.要求行政机关确认或重新\n出具已获取信息"),
    ):
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_label_variants_read_the_same(gold_path: Path) -> None:
    gold = load_gold(gold_path).report
    reading = read(Document(_variant_labels(render(gold, "tabs"))))
    assert reading.report is not None
    assert flatten(reading.report) == flatten(gold)
    assert not reading.unsure
