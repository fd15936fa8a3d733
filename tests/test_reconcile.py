"""The one reconciliation step: reader and model cells combined into evidence levels (pure)."""

from __future__ import annotations

from giar_llm.core.levels import Cell, Reason
from giar_llm.core.paths import flatten
from giar_llm.core.reconcile import DigitRun, ModelCell, reader_cells, reconcile
from giar_llm.core.schema import Report2021, empty_report

UPHELD = "review_litigation.review.upheld"
PENDING = "review_litigation.review.pending"
TOTAL = "review_litigation.review.total"


def review_report(upheld: int | None, pending: int | None, total: int | None) -> Report2021:
    report = empty_report("2021")
    assert isinstance(report, Report2021)
    review = report.review_litigation.review
    review.upheld, review.pending, review.total = upheld, pending, total
    return report


def test_auto_keeps_the_readers_certain_cell_and_flags_the_disagreement() -> None:
    report = review_report(1, 1, 2)
    reader = reader_cells(flatten(report), {UPHELD: (0, 1)}, {})
    model = {UPHELD: ModelCell(0, (5, 6)), TOTAL: ModelCell(1, (7, 8))}
    auto = reconcile(report, reader, model, prefer_reader=True)
    assert auto.cells[UPHELD] == Cell.read(1, (0, 1))
    assert [w.check for w in auto.warnings] == ["model_reader_disagree"] * 2
    llm = reconcile(report, reader, model, prefer_reader=False)
    assert llm.cells[UPHELD].level == "chosen" and llm.cells[UPHELD].value == 0
    assert llm.cells[UPHELD].reason is Reason.MODEL_DISAGREES and llm.cells[UPHELD].candidates == (0, 1)
    assert llm.report.review_litigation.review.upheld == 0
    worse = reconcile(report, reader, {UPHELD: ModelCell(0, (5, 6))}, prefer_reader=False)
    assert worse.cells[UPHELD].level == "read" and worse.report.review_litigation.review.upheld == 1
    assert "model_not_used" in [w.check for w in worse.warnings]


def test_a_model_value_agreeing_with_the_readers_certain_cell_is_read() -> None:
    report = review_report(1, 1, 2)
    reader = reader_cells(flatten(report), {UPHELD: (0, 1)}, {})
    result = reconcile(report, reader, {UPHELD: ModelCell(1, (0, 1))}, prefer_reader=False)
    assert result.cells[UPHELD].level == "read" and not result.warnings


def test_a_model_zero_is_not_a_blank_the_reader_saw() -> None:
    report = review_report(1, None, 1)
    reader = reader_cells(flatten(report), {UPHELD: (0, 1), TOTAL: (4, 5)}, {})
    result = reconcile(report, reader, {PENDING: ModelCell(0, (9, 10))}, prefer_reader=False)
    assert result.cells[PENDING].level == "chosen" and result.cells[PENDING].candidates == (0,)


def test_model_cells_where_the_reader_was_unsure_are_chosen_even_when_the_sums_hold() -> None:
    report = review_report(None, None, 2)
    unsure = {UPHELD: "只读到 2 个数字", PENDING: "只读到 2 个数字"}
    reader = reader_cells(flatten(report), {TOTAL: (4, 5)}, unsure)
    assert reader[UPHELD].level == "unknown" and reader[TOTAL].level == "read"
    result = reconcile(report, reader, {UPHELD: ModelCell(1, (0, 1)), PENDING: ModelCell(1, (2, 3))})
    assert result.report.review_litigation.review.upheld == 1
    for path in (UPHELD, PENDING):
        cell = result.cells[path]
        assert cell.level == "chosen" and cell.reason is Reason.MODEL_UNPROVEN
        assert "互换" in cell.message


def test_a_model_value_not_in_the_source_stays_unknown() -> None:
    report = review_report(None, 1, 2)
    reader = reader_cells(flatten(report), {PENDING: (2, 3), TOTAL: (4, 5)}, {UPHELD: "该行未读到数字"})
    model = {UPHELD: ModelCell(None, None, Reason.MODEL_NOT_IN_SOURCE, "模型给出 7，原文中找不到这个数字")}
    cell = reconcile(report, reader, model).cells[UPHELD]
    assert cell.level == "unknown" and cell.value is None and "找不到" in cell.message


def test_a_model_reading_that_is_not_a_split_of_the_digit_run_is_dropped() -> None:
    report = review_report(None, None, None)
    unsure = {f"review_litigation.review.{f}": "连写数字有 2 种拆分" for f in ("upheld", "pending", "total")}
    reader = reader_cells(flatten(report), {}, unsure)
    runs = {"review_litigation.review": DigitRun(("upheld", "pending", "total"), ("1910",))}
    wrong = {UPHELD: ModelCell(19, None), PENDING: ModelCell(1, None), TOTAL: ModelCell(20, None)}
    cells = reconcile(report, reader, wrong, runs).cells
    assert cells[UPHELD].value is None and cells[UPHELD].reason is Reason.MODEL_NOT_A_SPLIT
    split = {UPHELD: ModelCell(1, None), PENDING: ModelCell(9, None), TOTAL: ModelCell(10, None)}
    cells = reconcile(report, reader, split, runs).cells
    assert cells[TOTAL].value == 10 and cells[TOTAL].level == "chosen"


def test_a_digit_run_split_uniquely_by_the_reader_is_derived() -> None:
    report = review_report(1, 1, 2)
    reader = reader_cells(flatten(report), {}, {}, derived={UPHELD: "连写数字只有这一种拆分"})
    assert reader[UPHELD].level == "derived" and reader[UPHELD].reason is Reason.DERIVED_SPLIT
    assert reader[PENDING].level == "read"
