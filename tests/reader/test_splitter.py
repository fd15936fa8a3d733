"""The digit-run splitter: unique, ambiguous and impossible splits, decided by the row's arithmetic."""

from __future__ import annotations

import itertools
import random

import pytest

from giar_llm.reader import cells
from giar_llm.reader.cells import atoms, split_runs
from giar_llm.reader.rows import resolve

ROW_TOTAL = ((0, 6),)  # 表三: the six applicant columns add up to 总计
TABLE4 = ((0, 4), (5, 9), (10, 14))  # 表四: in each group of five, the first four add up to the fifth


def test_unique_split_by_row_total() -> None:
    split = split_runs(["200", "000121"], 7, ROW_TOTAL)
    assert split.solutions == [[20, 0, 0, 0, 0, 1, 21]] and split.complete


def test_one_run_holding_all_seven_cells() -> None:
    assert split_runs(["2200003252"], 7, ROW_TOTAL).solutions == []  # no split adds up: nothing is guessed
    assert split_runs(["6000017"], 7, ROW_TOTAL).solutions == [[6, 0, 0, 0, 0, 1, 7]]


def test_ambiguous_split_returns_every_candidate_in_the_order_of_the_cuts() -> None:
    split = split_runs(["1111"], 3)
    assert split.solutions == [[1, 1, 11], [1, 11, 1], [11, 1, 1]] and split.complete


def test_no_leading_zeros_and_signed_first_part() -> None:
    assert split_runs(["05"], 2).solutions == [[0, 5]]
    assert [-18, 538] in split_runs(["-18538"], 2).solutions
    assert [-1, 1, 0] in split_runs(["-110"], 3, ((0, 2),)).solutions  # a signed member: -1 + 1 = 0


def _every_split(runs: list[str], n: int, sums: tuple[tuple[int, int], ...]) -> list[list[int]]:
    """Plain enumeration, for small runs: every cut of every run, then the sums."""
    per_run: list[list[list[int]]] = []
    for run in runs:
        sign = -1 if run.startswith("-") else 1
        body = run.lstrip("+-")
        options = []
        for k in range(1, len(body) + 1):
            for cuts in itertools.combinations(range(1, len(body)), k - 1):
                parts = [body[a:b] for a, b in itertools.pairwise((0, *cuts, len(body)))]
                if all(p == "0" or not p.startswith("0") for p in parts):
                    options.append([int(parts[0]) * sign, *map(int, parts[1:])])
        per_run.append(options)
    out = []
    for combo in itertools.product(*per_run):
        values = [v for part in combo for v in part]
        if len(values) == n and all(sum(values[a:b]) == values[b] for a, b in sums):
            out.append(values)
    return sorted(out, key=lambda vs: [len(str(abs(v))) for v in vs])


def test_the_splitter_finds_exactly_what_plain_enumeration_finds() -> None:
    rng = random.Random(16)
    for _ in range(400):
        n, sums = rng.choice([(3, ()), (4, ((0, 3),)), (7, ROW_TOTAL), (15, TABLE4)])
        runs = []
        for _ in range(rng.randint(1, 2)):
            length = rng.randint(1, 5 if n < 15 else 10)
            runs.append(str(rng.randint(1, 9)) + "".join(rng.choice("0011123456789") for _ in range(length - 1)))
        expected = _every_split(runs, n, sums)
        split = split_runs(runs, n, sums, limit=1000)
        assert split.solutions == expected and split.complete, runs


def _glued(values: list[int]) -> str:
    return "".join(map(str, values))


def test_a_long_table3_run_is_decided_by_the_arithmetic() -> None:
    """45–60 digits in one run (a row of big numbers, or several rows glued together): unique or none."""
    cells = [31415926, 2718281, 1414213, 1732050, 2236067, 577215]
    run = _glued([*cells, sum(cells)])
    assert 45 <= len(run) <= 60
    assert split_runs([run], 7, ROW_TOTAL).solutions == [[*cells, sum(cells)]]
    rows = [[12, 3, 0, 0, 1, 0, 16], [9, 0, 2, 0, 0, 1, 12], [30, 4, 0, 1, 0, 0, 35], [7, 7, 0, 0, 0, 0, 14]]
    glued = "".join(_glued(row) for row in rows * 2)[:56]  # most of eight rows' digits, their labels lost
    assert 45 <= len(glued) <= 60
    split = split_runs([glued], 7, ROW_TOTAL)
    assert split.complete and all(sum(v[:6]) == v[6] and _glued(v) == glued for v in split.solutions)
    rng = random.Random(60)
    for _ in range(5):
        digits = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(59))
        split = split_runs([digits], 7, ROW_TOTAL)
        assert split.complete and all(sum(v[:6]) == v[6] and _glued(v) == digits for v in split.solutions)


def test_a_long_table4_run_is_decided_by_its_three_totals() -> None:
    groups = [[1, 0, 2, 0, 3], [12, 5, 3, 0, 20], [4, 1, 0, 2, 7]]
    values = [v for group in groups for v in group]
    run = _glued(values)
    split = split_runs([run], 15, TABLE4)
    assert values in split.solutions and split.complete
    assert all(_glued(v) == run for v in split.solutions)
    for digits in ("1203120531202074", "31415926535897932384626433", "1000000000000000000000000001"):
        split = split_runs([digits], 15, TABLE4)
        assert split.complete
        assert all(_glued(v) == digits and all(sum(v[a:b]) == v[b] for a, b in TABLE4) for v in split.solutions)


def test_an_unchecked_long_run_lists_the_first_splits_and_says_there_are_more() -> None:
    split = split_runs(["1" * 28], 3, limit=64)
    assert len(split.solutions) == 64 and not split.complete
    assert split.solutions[0] == [1, 1, int("1" * 26)]


def test_a_search_beyond_its_budget_is_incomplete_not_a_guess(monkeypatch: pytest.MonkeyPatch) -> None:
    split = split_runs(["31415926535897932384626433832795028841971693993751"], 7, ROW_TOTAL, budget=10)
    assert split.solutions == [] and not split.complete
    monkeypatch.setattr(cells, "STEP_BUDGET", 10)
    read = resolve(atoms("自然人31415926535897932384626433832795028841971693993751", 3), 7, ROW_TOTAL, True)
    assert read.values == [None] * 7 and read.unsure and not read.complete


def test_resolve_reports_ambiguity_as_unsure_not_a_guess() -> None:
    text = "规范性文件7777166"
    read = resolve(atoms(text, 5), 3, (), has_total=False)
    assert read.values == [None, None, None]
    assert read.unsure and "种拆分" in read.unsure
    assert len(read.candidates) > 1


def test_resolve_unique_split_keeps_sub_spans() -> None:
    text = "数量200 000121"
    read = resolve(atoms(text, 2), 7, ROW_TOTAL, has_total=True)
    assert read.values == [20, 0, 0, 0, 0, 1, 21] and read.unsure is None and read.split
    assert [text[a:b] for a, b in read.spans if True] == ["20", "0", "0", "0", "0", "1", "21"]


def test_delimited_cells_are_never_split() -> None:
    text = "规章 | 22 | 235 |"
    read = resolve(atoms(text, 2), 3, (), has_total=False)
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
