"""Every gold file validates, and the checker finds exactly the violations its source really has."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.core.checker import check
from giar_llm.files import load_gold

from .conftest import GOLD, REPORTS

GOLD_FILES = sorted(GOLD.glob("*.json"))


def test_every_report_has_a_gold_file() -> None:
    ids = {p.name.split(".", 1)[0] for p in REPORTS.iterdir() if not p.name.startswith(".")}
    assert ids == {p.stem for p in GOLD_FILES}


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_checker_agrees_with_expected_violations(path: Path) -> None:
    gold = load_gold(path)
    found = sorted(v.key for v in check(gold.report).violations)
    assert found == sorted(v.key for v in gold.expected_violations)
