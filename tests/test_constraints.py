"""Candidates and proof for run-together digits: the table's sums, the digits in order, prose pins (pure)."""

from __future__ import annotations

from giar_llm.core.arithmetic import equations
from giar_llm.core.constraints import Pin, Split, narrow, solve
from giar_llm.core.levels import Cell, Reason
from giar_llm.core.paths import flatten
from giar_llm.core.reconcile import reader_cells
from giar_llm.core.schema import Report2021, empty_report

FIELDS = ("upheld", "corrected", "other_outcome", "pending", "total")


def table4_cells(doubtful: tuple[str, ...]) -> dict[str, Cell]:
    report = empty_report("2021")
    assert isinstance(report, Report2021)
    values = flatten(report)
    unsure = {f"review_litigation.{group}.{f}": "连写数字有多种拆分" for group in doubtful for f in FIELDS}
    return reader_cells(values, {}, unsure)


def test_equations_cover_row_totals_balances_results_and_table_four() -> None:
    names = {e.name for e in equations(flatten(empty_report("2021")))}
    assert names == {"本行合计", "本列收支平衡（新收+上年结转=办理+结转下年度）", "本列办理结果之和", "表四合计"}


def test_a_single_split_left_by_the_sums_is_derived_and_names_them() -> None:
    cells = table4_cells(("review",))
    split = Split(FIELDS, ("10012",), ((1, 0, 0, 1, 2), (10, 0, 1, 2, 0)))  # only the first adds up
    out = narrow(cells, {"review_litigation.review": split}).cells
    cell = out["review_litigation.review.total"]
    assert cell.level == "derived" and cell.value == 2 and cell.reason is Reason.DERIVED_CONSTRAINTS
    assert "10012" in cell.message and "表四合计" in cell.message


def test_an_incomplete_list_of_splits_proves_nothing() -> None:
    cells = table4_cells(("review",))
    split = Split(FIELDS, ("10012",), ((1, 0, 0, 1, 2),), complete=False)
    cell = narrow(cells, {"review_litigation.review": split}).cells["review_litigation.review.total"]
    assert cell.level == "chosen" and cell.value == 2


def test_several_survivors_are_chosen_with_every_candidate_ranked() -> None:
    cells = table4_cells(("review",))
    split = Split(FIELDS, ("11002",), ((1, 1, 0, 0, 2), (11, 0, 0, 0, 11)))  # hypothetical: both add up
    out = narrow(cells, {"review_litigation.review": split}).cells
    total = out["review_litigation.review.total"]
    assert total.level == "chosen" and total.reason is Reason.CHOSEN_PLAUSIBLE
    assert total.value == 2 and total.candidates == (2, 11)  # similar magnitudes first


def test_two_rows_that_can_swap_are_never_derived() -> None:
    cells = table4_cells(("litigation_direct", "litigation_after_review"))
    direct = Split(FIELDS, ("10001",), ((1, 0, 0, 0, 1),))
    after = Split(FIELDS, ("20002",), ((2, 0, 0, 0, 2),))
    out = narrow(
        cells, {"review_litigation.litigation_direct": direct, "review_litigation.litigation_after_review": after}
    ).cells
    assert out["review_litigation.litigation_direct.total"].level == "derived"  # each row alone is unique
    fixed = {p: c.value for p, c in cells.items() if c.trusted}
    rows = [
        (tuple(f"review_litigation.litigation_direct.{f}" for f in FIELDS), [(1, 0, 0, 0, 1), (2, 0, 0, 0, 2)]),
        (tuple(f"review_litigation.litigation_after_review.{f}" for f in FIELDS), [(2, 0, 0, 0, 2), (1, 0, 0, 0, 1)]),
    ]
    assert len(solve(fixed, rows, equations(cells)).found) == 4  # nothing links the rows: no proof


def test_plausibility_prefers_similar_magnitudes() -> None:
    report = empty_report("2019")
    cells = reader_cells(flatten(report), {}, {"proactive.normative_docs": "连写数字有多种拆分"})
    fields = ("newly_made", "newly_published", "total_published")
    options = ((7, 777, 166), (77, 77, 166), (777, 7, 166), (7777, 16, 6))
    narrowed = narrow(cells, {"proactive.normative_docs": Split(fields, ("7777166",), options)})
    out = narrowed.cells
    assert narrowed.open["proactive.normative_docs"][0] == (77, 77, 166)
    assert [out[f"proactive.normative_docs.{f}"].value for f in fields] == [77, 77, 166]
    assert out["proactive.normative_docs.newly_made"].candidates[:2] == (
        77,
        777,
    )  # 7/777/166 publishes more than in total


def test_a_number_stated_in_the_prose_pins_the_split() -> None:
    report = empty_report("2021")
    cells = reader_cells(flatten(report), {}, {"proactive.normative_docs": "连写数字有多种拆分"})
    fields = ("issued", "repealed", "in_force")
    options = ((1, 2, 34), (1, 23, 4), (12, 3, 4))
    pins = {"proactive.normative_docs.issued": Pin(12, "本年制发规范性文件12件")}
    narrowed = narrow(cells, {"proactive.normative_docs": Split(fields, ("1234",), options)}, pins)
    out = narrowed.cells
    assert narrowed.open == {}
    cell = out["proactive.normative_docs.in_force"]
    assert cell.level == "derived" and cell.value == 4 and cell.reason is Reason.DERIVED_PROSE
    assert "本年制发规范性文件12件" in cell.message
