"""表三 as PDF text extracted column by column: every row label, then each column's numbers one per line, the
columns in blocks an empty line apart. Placed by the count of rows and confirmed by the arithmetic, or unsure."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.core.checker import check
from giar_llm.core.document import Document
from giar_llm.core.paths import flatten
from giar_llm.files import load_gold
from giar_llm.reader import read
from giar_llm.reader.tables import COLUMNS_READ, COLUMNS_READ_IN_PART

from ..conftest import GOLD
from ..fuzz.generate import Glyphs, Table, _applications, _proactive, _review, _text_file

GOLDS = sorted(GOLD.glob("*.json"))


def _printed(gold_path: Path, edit: str = "") -> tuple[str, dict[str, object]]:
    """The report as text with 表三 printed column by column (``edit``: blank one cell of 自然人)."""
    gold = load_gold(gold_path).report
    cells = dict(flatten(gold))
    tables: list[Table] = [_proactive(gold, cells), _applications(gold, cells), _review(cells, "flat")]
    if edit == "blank":
        row = next(r for r in tables[1].rows if r.kind == "data")
        row.cells[0] = None
    return _text_file(gold, tables, "columns", Glyphs(None)), cells


@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_columns_are_placed_by_the_count_of_rows_and_confirmed_by_the_arithmetic(gold_path: Path) -> None:
    text, cells = _printed(gold_path)
    assert "\n\n" in text.split("（七）总计", 1)[1]  # the numbers stand in column blocks after the labels
    reading = read(Document(text))
    assert reading.report is not None
    got = flatten(reading.report)
    table3 = [p for p in cells if p.startswith("applications.")]
    consistent = not any(v.check != "non_negative" for v in check(load_gold(gold_path).report).violations)
    full = all(cells[p] is not None for p in table3)  # a blank cell leaves no mark in its column
    if consistent and full:
        assert {p: got[p] for p in table3} == {p: cells[p] for p in table3}
        assert not [p for p in table3 if p in reading.unsure]
        assert all(reading.derived.get(p) == COLUMNS_READ for p in table3)
    else:  # a short column, or the source's own sums fail (a shifted placement can't be told from it)
        assert all(p in reading.unsure for p in table3)


def test_a_column_shorter_than_the_rows_is_unsure_and_the_others_stand_on_their_own_sums() -> None:
    text, cells = _printed(GOLD / "hongze-2024.json", edit="blank")
    reading = read(Document(text))
    assert reading.report is not None
    got = flatten(reading.report)
    table3 = [p for p in got if p.startswith("applications.")]
    natural = [p for p in table3 if p.endswith(".natural_person")]
    assert all(p in reading.unsure for p in natural)
    assert "自然人列的数字个数与行数" in reading.unsure["applications.new_requests.natural_person"]
    others = [p for p in table3 if p not in natural]  # each column's balance and results total hold
    assert {p: got[p] for p in others} == {p: cells[p] for p in others}
    assert not [p for p in others if p in reading.unsure]
    assert {reading.derived[p] for p in others} == {COLUMNS_READ_IN_PART}
