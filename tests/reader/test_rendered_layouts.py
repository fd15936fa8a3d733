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
EXACT = {"tabs", "markdown", "lines"}  # layouts that keep every cell, blanks included


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
