"""The one definition of the tables' sums, and the places that use it."""

from __future__ import annotations

from giar_llm.core.arithmetic import (
    OUTCOME_ROWS,
    Equation,
    column_equations,
    equations,
    holds,
    row_sums,
    row_values,
    rows_named,
    sides,
    table_equations,
)
from giar_llm.core.checker import check
from giar_llm.core.paths import flatten
from giar_llm.core.schema import COLUMNS, REVIEW_PARTS, empty_report
from giar_llm.reader.layout import REVIEW_FIELDS, TABLE3_HEAD

from .test_checker import filled_2021

REVIEW = tuple(f"{g}.{f}" for g in ("review", "litigation_direct", "litigation_after_review") for f in REVIEW_FIELDS)


def test_every_sum_of_a_report_is_one_equation_of_the_definition() -> None:
    split = [o for o in OUTCOME_ROWS if o != "other.total"]
    merged = [o for o in OUTCOME_ROWS if not o.startswith("other.") or o == "other.total"]
    for report, outcomes in ((empty_report("2021"), split), (empty_report("2019"), merged)):
        found = equations(flatten(report))
        assert found == list(table_equations(tuple(outcomes)))
        kinds = [e.kind for e in found]
        assert kinds.count("row_total") == len(outcomes) + 4  # every row of 表三
        assert kinds.count("balance") == kinds.count("results_total") == len(COLUMNS)
        assert kinds.count("review_total") == 3


def test_a_failing_check_is_named_as_its_equation_names_it() -> None:
    report = filled_2021()
    report.applications.results.granted.total = 9  # its row and its column's results total fail
    report.applications.carried_forward.natural_person = 5  # the 自然人 column's balance fails
    report.review_litigation.review.upheld = 2
    by_name: dict[tuple[str, str], Equation] = {
        (e.kind, e.names): e for e in table_equations(tuple(report.applications.results.outcome_rows()))
    }
    violations = check(report).violations
    assert {v.check for v in violations} == {"row_total", "results_total", "balance", "review_total"}
    for violation in violations:
        equation = by_name[(violation.check, violation.cell or violation.row or "")]
        assert set(violation.cells) == set(equation.cells)


def test_the_rows_within_one_printed_row_come_from_the_same_definition() -> None:
    assert row_sums(TABLE3_HEAD[0].path, COLUMNS) == ((0, 6),)
    assert row_sums("review_litigation", REVIEW) == ((0, 4), (5, 9), (10, 14))
    # 表四 transposed: a row of one result across the three groups has no sum of its own
    assert (
        row_sums("review_litigation", ("review.upheld", "litigation_direct.upheld", "litigation_after_review.upheld"))
        == ()
    )
    assert row_sums("review_litigation", tuple(f"review.{p}" for p in (*REVIEW_PARTS, "total"))) == ((0, 4),)
    assert row_sums("proactive.regulations", ("issued", "repealed", "in_force")) == ()


def test_a_blank_total_whose_parts_are_filled_is_unknown_and_confirms_nothing() -> None:
    report = filled_2021()
    values = flatten(report)
    outcomes = tuple(report.applications.results.outcome_rows())
    numbers = {p: v for p, v in values.items() if not isinstance(v, str)}
    assert holds(column_equations(outcomes), numbers)
    numbers["applications.results.total_processed.natural_person"] = None
    balance = next(e for e in column_equations(outcomes) if e.names == "applications.carried_forward.natural_person")
    assert sides(balance, numbers) is None  # the outcome rows above it are filled: unknown, not 0
    assert not holds(column_equations(outcomes), numbers)


def test_row_values_address_a_readers_rows_by_path() -> None:
    values = row_values({"applications.new_requests": [1, 0, 0, 0, 0, 0, 1]})
    assert values["applications.new_requests.total"] == 1
    assert values["applications.new_requests.natural_person"] == 1


def test_the_repair_prompt_shows_the_rows_the_failing_sum_holds() -> None:
    report = filled_2021()
    report.applications.carried_forward.natural_person = 5
    report.applications.results.granted.natural_person = 7
    named = [(v.check, rows_named(v.check, v.cell or v.row, v.cells)) for v in check(report).violations]
    rows: dict[str, set[tuple[str, ...]]] = {}
    for kind, shown in named:
        rows.setdefault(kind, set()).add(shown)
    assert rows["balance"] == {
        (
            "applications.new_requests",
            "applications.carried_over",
            "applications.results.total_processed",
            "applications.carried_forward",
        )
    }
    assert rows["results_total"] == {("applications.results.total_processed",)}  # the total stands for its parts
    assert rows["row_total"] == {("applications.results.granted",), ("applications.carried_forward",)}
    assert rows_named("non_negative", "proactive.fees.amount_wan_yuan", ["proactive.fees.amount_wan_yuan"]) == (
        "proactive.fees",
    )
