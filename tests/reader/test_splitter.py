"""The digit-run splitter: unique, ambiguous and impossible splits, decided by the row's arithmetic."""

from __future__ import annotations

from giar_llm.reader.cells import atoms, split_runs
from giar_llm.reader.rows import resolve


def row_total(values: list[int]) -> bool:
    return sum(values[:6]) == values[6]


def test_unique_split_by_row_total() -> None:
    assert split_runs(["200", "000121"], 7, row_total) == [[20, 0, 0, 0, 0, 1, 21]]


def test_one_run_holding_all_seven_cells() -> None:
    assert split_runs(["2200003252"], 7, row_total) == []  # no split adds up: nothing is guessed
    assert split_runs(["6000017"], 7, row_total) == [[6, 0, 0, 0, 0, 1, 7]]


def test_ambiguous_split_returns_every_candidate() -> None:
    solutions = split_runs(["1111"], 3, lambda v: True)
    assert sorted(solutions) == [[1, 1, 11], [1, 11, 1], [11, 1, 1]]


def test_no_leading_zeros_and_signed_first_part() -> None:
    assert split_runs(["05"], 2, lambda v: True) == [[0, 5]]
    assert [-18, 538] in split_runs(["-18538"], 2, lambda v: True)


def test_resolve_reports_ambiguity_as_unsure_not_a_guess() -> None:
    text = "规范性文件7777166"
    read = resolve(atoms(text, 5), 3, lambda v: True, has_total=False, checked=False)
    assert read.values == [None, None, None]
    assert read.unsure and "种拆分" in read.unsure
    assert len(read.candidates) > 1


def test_resolve_unique_split_keeps_sub_spans() -> None:
    text = "数量200 000121"
    read = resolve(atoms(text, 2), 7, row_total, has_total=True)
    assert read.values == [20, 0, 0, 0, 0, 1, 21] and read.unsure is None and read.split
    assert [text[a:b] for a, b in read.spans if True] == ["20", "0", "0", "0", "0", "1", "21"]


def test_delimited_cells_are_never_split() -> None:
    text = "规章 | 22 | 235 |"
    read = resolve(atoms(text, 2), 3, lambda v: True, has_total=False, checked=False)
    assert read.unsure is not None and not read.split


def test_thousands_separators_make_one_number() -> None:
    text = "数量 1,259\t36\t0"
    values = [a for a in atoms(text, 2) if a.is_value]
    assert [a.number() for a in values] == [1259, 36, 0]
    assert text[values[0].start : values[0].end] == "1,259"


def test_empty_lines_place_cells_when_they_count_exactly() -> None:
    from giar_llm.reader.rows import by_empty_lines

    text = "自然人行\n\n16\n\n\n\n\n\n\n16\n\n"  # 16, five blank cells, 16
    read = by_empty_lines(atoms(text, 4), 7, text.count("\n", 4))
    assert read is not None and read.values == [16, None, None, None, None, None, 16]
    uneven = "自然人行\n\n16\n\n\n16\n\n"  # only one blank cell's worth of lines: not 7 cells
    assert by_empty_lines(atoms(uneven, 4), 7, uneven.count("\n", 4)) is None
