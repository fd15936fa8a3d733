"""Grids with missing columns and 表四 under headers that are not its own, rebuilt from every gold report
through the real pipeline: an applicant column dropped from the whole of 表三, a header row with fewer cells
than the rows under it, 表四 under a placeholder header, 表三's header or none, rows that lost their labels.
Every cell is right or named unsure; no wrong ``verified``, no wrong ``source_inconsistent``."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.core.checker import check
from giar_llm.core.paths import flatten
from giar_llm.core.schema import COLUMNS
from giar_llm.files import load_gold

from ..conftest import GOLD
from ..fuzz.generate import Case, _drop_column, _review_headers, blank_zeros, gold_case, gold_tables
from ..fuzz.invariant import judged

GOLDS = sorted(GOLD.glob("*.json"))
LAYOUTS = ("tabs", "spaced", "lines", "markdown", "html", "docx")


def _case(
    gold_path: Path,
    layout: str,
    edit: str,
    orientation: str = "flat",
    column: int = 2,
    breaks: tuple[int, ...] = (),
    broken: bool = False,
    header: str = "",
    zeros_blank: bool = False,
    marker_in_group: bool = False,
) -> Case:
    gold = load_gold(gold_path).report
    cells, truth, tables = gold_tables(gold, orientation)
    t3 = tables[1]
    t3.breaks = list(breaks)
    if header:  # 表三 under a bad header in place of its own (placeholders, 表二's header, a short one)
        t3.fragment_headers[0] = header
    if zeros_blank:  # every zero of 表三 printed blank: rows left wholly blank
        blank_zeros(t3, truth)
    if marker_in_group:  # a page marker row among a group's rows (the group cell merged down beside it)
        at = next(i for i, row in enumerate(t3.rows) if row.group and i > 0 and t3.rows[i - 1].group == row.group)
        t3.markers[at] = "- 3 -"
    if edit == "drop_column":
        _drop_column(t3, column, truth, cells)
    elif edit == "short_header":  # the header one name short: 科研机构 left out, the rows keep every column
        del t3.rows[0].cells[2], t3.rows[0].paths[2]
    elif edit == "next_line":  # every row's numbers on the grid row below its label
        for row in t3.rows:
            row.next_line = row.kind == "data"
    elif edit == "drop_labels":
        for row in [r for r in t3.rows if r.kind == "data"][3::5]:
            row.label = ""
    elif edit.startswith("review_"):
        _review_headers(tables[2], edit.removeprefix("review_"), t3)
        if broken:  # the source's own 表四 sum fails: 行政复议's 结果维持 printed one more
            row = next(r for r in tables[2].rows if r.kind == "data")
            row.cells[0] = truth[row.paths[0] or ""] = int(row.cells[0] or 0) + 1
    return gold_case(gold, gold_path.stem, layout, tables, truth, (edit,))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_dropped_applicant_column_is_never_a_silent_cell(gold_path: Path, layout: str) -> None:
    case = _case(gold_path, layout, "drop_column")
    envelope = judged(case)
    assert envelope.status != "verified" or all(
        envelope.levels[p] == "derived" for p in case.truth if p.endswith(".research_institution")
    )


@pytest.mark.parametrize("column", [1, 4])
@pytest.mark.parametrize("layout", ["html", "docx"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_dropped_column_under_another_tables_header_is_never_a_silent_cell(
    gold_path: Path, layout: str, column: int
) -> None:
    """表三 without one applicant column, under 表二's header (no column named), its zeros blank: a wholly blank
    row under a two-column label has as many cells after its label in the text as the national format (the
    label's second column reads as a blank cell), but the grid shows one column fewer after the label, so which
    cell is missing is unknown and the row is unsure. （二）部分公开（…不计其他情形） and 2.其他法律行政法规禁止公开
    are row labels (numbered), not a header naming 其他; a header row whose cells hold 总计 is no row read."""
    case = _case(gold_path, layout, "drop_column", column=column, header="other", zeros_blank=True)
    envelope = judged(case)
    dropped = [p for p in case.truth if p.startswith("applications.") and p.endswith(f".{COLUMNS[column]}")]
    assert all(p in envelope.unsure for p in dropped if case.truth[p] == 0)


@pytest.mark.parametrize("column", [1, 5])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_dropped_column_is_counted_in_the_rows_own_cells_not_the_grids_width(gold_path: Path, column: int) -> None:
    """The same table with a page marker row among （三）不予公开's rows: the marker's cell, spanning the table's
    width beside the group cell merged down, runs one column past the table's last, so the grid is a column
    wider than any row of the table. A wholly blank row one column short of the national format is still one
    column short: its cells are unsure (the grid's width counted it full, and the dropped column's zero read
    as a blank, trusted)."""
    case = _case(
        GOLD / gold_path, "html", "drop_column", column=column, header="other", zeros_blank=True, marker_in_group=True
    )
    envelope = judged(case)
    dropped = [p for p in case.truth if p.startswith("applications.") and p.endswith(f".{COLUMNS[column]}")]
    assert all(p in envelope.unsure for p in dropped if case.truth[p] == 0)


@pytest.mark.parametrize("layout", ["html", "docx"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_every_rows_numbers_on_the_grid_row_below_its_label_read_exactly(gold_path: Path, layout: str) -> None:
    """Each label of 表三 alone on its grid row, its numbers (zeros blank) on the row below: the label of （二）部分
    公开（…不计其他情形） names no 其他 column (a numbered row label is no header), and a sub-row's numbers beside
    the group cell merged down from （三）不予公开 are the sub-row's (the group cell is no label of their own). Every
    cell is right and trusted, but a one-row （六）其他处理 left wholly blank: the text shows no number after its
    label, so whether the table prints it as one row or three stays open."""
    case = _case(gold_path, layout, "next_line", zeros_blank=True)
    envelope = judged(case)
    got = flatten(envelope.report)
    cells = [p for p in case.truth if p.startswith("applications.")]
    assert {p: got[p] for p in cells} == {p: case.truth[p] for p in cells}
    merged_blank = all(case.truth[p] is None for p in cells if p.startswith("applications.results.other.total."))
    open_structure = [p for p in cells if p.startswith("applications.results.other.")] if merged_blank else []
    assert not [p for p in cells if p in envelope.unsure and p not in open_structure]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_header_row_shorter_than_its_rows_is_never_a_silent_cell(gold_path: Path, layout: str) -> None:
    judged(_case(gold_path, layout, "short_header"))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_rows_without_their_labels_are_never_a_silent_cell(gold_path: Path, layout: str) -> None:
    judged(_case(gold_path, layout, "drop_labels"))


@pytest.mark.parametrize("orientation", ["flat", "rows", "columns"])
@pytest.mark.parametrize("header", ["placeholder", "other", "none"])
@pytest.mark.parametrize("layout", ["tabs", "markdown", "html", "docx"])
@pytest.mark.parametrize("gold_path", GOLDS[::3], ids=lambda p: p.stem)
def test_table_four_under_a_header_not_its_own_is_never_a_silent_cell(
    gold_path: Path, layout: str, header: str, orientation: str
) -> None:
    judged(_case(gold_path, layout, f"review_{header}", orientation))


def test_a_text_header_without_a_column_names_the_rows_read_from_text_unsure() -> None:
    """Word's table pasted as text, one cell a paragraph, cut at page breaks: a row one cell short before an
    empty line reads like a full row with a blank last cell, so with 科研机构 missing from the header the text
    rows are unsure, not shifted silently."""
    case = _case(GOLD / "hongze-2024.json", "spaced", "drop_column", breaks=tuple(range(4, 30, 3)))
    envelope = judged(case)
    assert any(m.startswith("表三的表头缺少列（科研机构）") for m in envelope.unsure.values())


@pytest.mark.parametrize("layout", ["markdown", "html", "docx"])
@pytest.mark.parametrize(("column", "name"), [(1, "commercial_enterprise"), (4, "legal_service_org")])
def test_a_dropped_column_is_derived_from_each_rows_total_where_its_own_sums_hold(
    layout: str, column: int, name: str
) -> None:
    """shanghai-office-2025 without its 商业企业 (or 法律服务机构) column: each row's cell is its 总计 less its
    other cells, the column's balance and results total hold, so the non-zero cells are derived; a cell that
    comes out 0 may have been printed blank, so it is named unsure."""
    case = _case(GOLD / "shanghai-office-2025.json", layout, "drop_column", column=column)
    envelope = judged(case)
    got = flatten(envelope.report)
    cells = [p for p in case.truth if p.startswith("applications.") and p.endswith(f".{name}")]
    assert {p: got[p] for p in cells} == {p: case.truth[p] for p in cells}
    assert all(envelope.levels[p] == "derived" for p in cells if case.truth[p])
    assert all(p in envelope.unsure for p in cells if not case.truth[p])
    assert any(case.truth[p] for p in cells)


@pytest.mark.parametrize("orientation", ["flat", "rows", "columns"])
@pytest.mark.parametrize("layout", ["markdown", "html", "docx"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_table_four_under_a_placeholder_header_is_placed_in_the_national_order(
    gold_path: Path, layout: str, orientation: str
) -> None:
    """表四's grid under 数据1 数据2 …: its numbers stand in the national order (one row of fifteen, rows by
    group or rows by result, named by their labels); each group's sum holds, so every cell is right and
    trusted (read by its labels, or derived by its position and sums); the placeholders' digits are no cells."""
    case = _case(gold_path, layout, "review_placeholder", orientation)
    envelope = judged(case)
    got = flatten(envelope.report)
    cells = [p for p in case.truth if p.startswith("review_litigation.")]
    assert {p: got[p] for p in cells} == {p: case.truth[p] for p in cells}
    assert all(envelope.levels[p] in ("read", "derived") for p in cells)


@pytest.mark.parametrize("layout", ["markdown", "html", "docx"])
def test_table_four_placed_by_position_whose_sum_fails_is_unsure(layout: str) -> None:
    """Placed by the grid's position, or read from the text in the national order (the placeholders' digits no
    cells): either way its columns are not confirmed by a header, and a failing sum makes them unsure."""
    case = _case(GOLD / "hongze-2024.json", layout, "review_placeholder", broken=True)
    envelope = judged(case)
    assert "不成立" in envelope.unsure["review_litigation.review.upheld"]


@pytest.mark.parametrize("name", [1, 3, 5])
@pytest.mark.parametrize("layout", ["html", "docx", "markdown"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_header_cell_lost_is_put_back_where_the_totals_hold(gold_path: Path, layout: str, name: int) -> None:
    """表三's header one cell short, one applicant name left out (the rows keep every column, their zeros blank):
    the names from the lost one's place on are printed one column left of their numbers. Put back in the national order, every
    row's 总计 is the sum of its other cells and read as printed it is not, so every cell is read where it
    stands and trusted (but a （六）其他处理 left wholly blank: one row or three stays open). A report whose own
    sums fail, or with no 总计 but 0, proves no placement: its rows stay unsure."""
    gold = load_gold(gold_path).report
    _, truth, tables = gold_tables(gold)
    header = tables[1].rows[0]
    del header.cells[name], header.paths[name]
    blank_zeros(tables[1], truth)  # the text alone can't say where a row's numbers stand
    case = gold_case(gold, gold_path.stem, layout, tables, truth, ("short_header", "blank_zeros"))
    envelope = judged(case)
    cells = [p for p in case.truth if p.startswith("applications.")]
    if check(case.report).violations or not any(case.truth[p] for p in cells if p.endswith(".total")):
        return  # sums that fail, or no 总计 but 0: nothing tells the placements apart
    got = flatten(envelope.report)
    assert {p: got[p] for p in cells} == {p: case.truth[p] for p in cells}
    other = [p for p in cells if p.startswith("applications.results.other.")]
    open_structure = other if all(case.truth[p] is None for p in other) else []
    assert [p for p in cells if p in envelope.unsure and p not in open_structure] == []
