"""Blank cells in a grid (HTML, DOCX, markdown), rebuilt from every gold report: the 总计 column left blank for the
rows of 办理结果 (a blank total, read as blank), or every zero of 表三 printed blank. Rows such as （一）予以公开
span both label columns, so their text has a blank cell after the label as well as the blank 总计: read from
the text alone, which blank is padding is unknown and the text reader places its numbers in order, unsure. The
grid's cells say where each blank stands, so the grid's reading stands when the text read the same numbers in
the same order; and a one-row （六）其他处理 whose label was found is no lost structure because its text was
unsure of its blanks. Every cell of 表三 is read exactly and trusted (but a one-row （六） left wholly blank),
and the status is the one expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.core.paths import flatten
from giar_llm.files import load_gold

from ..conftest import GOLD
from ..fuzz.generate import Case, _blank, _data_rows, blank_zeros, gold_case, gold_tables
from ..fuzz.invariant import judged

GOLDS = sorted(GOLD.glob("*.json"))


def _case(gold_path: Path, layout: str, blank: str) -> Case:
    gold = load_gold(gold_path).report
    _, truth, tables = gold_tables(gold)
    if blank == "zeros":
        blank_zeros(tables[1], truth)
    for row in _data_rows(tables[1]) if blank == "totals" else []:
        path = row.paths[-1]
        if path is not None and path.startswith("applications.results.") and ".total_processed." not in path:
            _blank(row, len(row.cells) - 1, truth)
    return gold_case(gold, gold_path.stem, layout, tables, truth, (f"blank_{blank}",))


@pytest.mark.parametrize("blank", ["totals", "zeros"])
@pytest.mark.parametrize("layout", ["html", "docx", "markdown"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_blank_cells_in_a_grid_are_read_where_they_stand(gold_path: Path, layout: str, blank: str) -> None:
    case = _case(gold_path, layout, blank)
    envelope = judged(case)  # every cell right or doubtful, the status the one expected
    got = flatten(envelope.report)
    cells = [p for p in case.truth if p.startswith("applications.")]
    assert {p: got[p] for p in cells} == {p: case.truth[p] for p in cells}
    # A one-row （六）其他处理 left wholly blank shows no number after its label: one row or three stays open.
    merged_blank = all(case.truth[p] is None for p in cells if p.startswith("applications.results.other.total."))
    open_structure = [p for p in cells if p.startswith("applications.results.other.")] if merged_blank else []
    assert [p for p in cells if p in envelope.unsure and p not in open_structure] == []


@pytest.mark.parametrize("layout", ["html", "docx"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_table_split_without_a_header_is_read_as_one_grid(gold_path: Path, layout: str) -> None:
    """表三 split into two tables at （二）部分公开, the second without a header row of its own and its zeros blank
    (its first row may be a label with every cell blank): the second table continues the first, so its cells
    are placed by the first's header, not guessed from the text's order."""
    gold = load_gold(gold_path).report
    _, truth, tables = gold_tables(gold)
    t3 = tables[1]
    blank_zeros(t3, truth)
    at = next(i for i, row in enumerate(t3.rows) if "applications.results.partially_granted" in str(row.paths))
    t3.breaks, t3.fragment_headers = [at], {at: "none"}
    case = gold_case(gold, gold_path.stem, layout, tables, truth, ("fragments", "blank_zeros"))
    envelope = judged(case)
    got = flatten(envelope.report)
    cells = [p for p in case.truth if p.startswith("applications.")]
    assert {p: got[p] for p in cells} == {p: case.truth[p] for p in cells}
    other = [p for p in cells if p.startswith("applications.results.other.")]
    open_structure = other if all(case.truth[p] is None for p in other) else []
    assert [p for p in cells if p in envelope.unsure and p not in open_structure] == []
