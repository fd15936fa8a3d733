from __future__ import annotations

import random
from pathlib import Path

from giar_llm.core.checker import check, failing_sum_cells, violation_cells
from giar_llm.core.paths import flatten
from giar_llm.core.schema import (
    APPLICANT_COLUMNS,
    Report2019,
    Report2021,
    Row,
    empty_report,
    parse_report,
    report_to_json,
)
from giar_llm.core.verdict import involved_cells
from giar_llm.files import load_gold


def filled_2021() -> Report2021:
    """A small report that passes every strict check."""
    report = empty_report("2021")
    assert isinstance(report, Report2021)
    apps = report.applications
    apps.new_requests = Row(
        natural_person=3,
        commercial_enterprise=1,
        research_institution=0,
        public_interest_org=0,
        legal_service_org=0,
        other_org=0,
        total=4,
    )
    apps.carried_over = Row(
        natural_person=1,
        commercial_enterprise=0,
        research_institution=0,
        public_interest_org=0,
        legal_service_org=0,
        other_org=0,
        total=1,
    )
    apps.results.granted = Row(
        natural_person=2,
        commercial_enterprise=1,
        research_institution=0,
        public_interest_org=0,
        legal_service_org=0,
        other_org=0,
        total=3,
    )
    apps.results.unable.not_held = Row(
        natural_person=1,
        commercial_enterprise=0,
        research_institution=0,
        public_interest_org=0,
        legal_service_org=0,
        other_org=0,
        total=1,
    )
    apps.results.total_processed = Row(
        natural_person=3,
        commercial_enterprise=1,
        research_institution=0,
        public_interest_org=0,
        legal_service_org=0,
        other_org=0,
        total=4,
    )
    apps.carried_forward = Row(
        natural_person=1,
        commercial_enterprise=0,
        research_institution=0,
        public_interest_org=0,
        legal_service_org=0,
        other_org=0,
        total=1,
    )
    report.review_litigation.review.upheld = 1
    report.review_litigation.review.total = 1
    return report


def keys(report: Report2019 | Report2021) -> set[tuple[str, str]]:
    return {v.key for v in check(report).violations}


def test_a_consistent_report_passes() -> None:
    result = check(filled_2021())
    assert result.violations == []
    assert result.passed


def test_row_total_names_the_row_in_chinese() -> None:
    report = filled_2021()
    report.applications.results.partially_granted.total = 8
    report.applications.results.partially_granted.natural_person = 2
    violations = [v for v in check(report).violations if v.check == "row_total"]
    assert [v.row for v in violations] == ["applications.results.partially_granted"]
    assert violations[0].message == "表三 （二）部分公开 行：总计为 8，但各申请人列之和为 2"
    assert (violations[0].expected, violations[0].found) == (2, 8)


def test_balance_and_results_total_per_column() -> None:
    report = filled_2021()
    report.applications.carried_forward.natural_person = 2  # 3+1 != 3+2
    assert ("balance", "applications.carried_forward.natural_person") in keys(report)
    report = filled_2021()
    report.applications.results.granted.commercial_enterprise = 2
    report.applications.results.granted.total = 4
    found = keys(report)
    assert ("results_total", "applications.results.total_processed.commercial_enterprise") in found
    assert ("results_total", "applications.results.total_processed.total") in found


def test_review_total() -> None:
    report = filled_2021()
    report.review_litigation.litigation_direct.pending = 2
    report.review_litigation.litigation_direct.total = 1
    violations = check(report).violations
    assert [v.key for v in violations] == [("review_total", "review_litigation.litigation_direct")]
    assert "未经复议直接起诉" in violations[0].message


def test_non_negative_but_items_change_is_signed() -> None:
    report = empty_report("2019")
    assert isinstance(report, Report2019)
    report.proactive.licensing.items_change = -2
    assert keys(report) == set()
    report.proactive.licensing.decisions = -1
    assert keys(report) == {("non_negative", "proactive.licensing.decisions")}


def test_blank_total_with_filled_parts_is_unknown_not_zero() -> None:
    report = filled_2021()
    for row in (report.applications.new_requests, report.applications.results.granted):
        row.total = None
    result = check(report)
    assert result.violations == []
    warning = next(w for w in result.warnings if w.check == "total_blank")
    assert "applications.new_requests.total" in warning.cells


def test_blank_cells_count_as_zero_in_sums() -> None:
    report = filled_2021()
    report.applications.new_requests.research_institution = None
    report.applications.new_requests.public_interest_org = None
    assert keys(report) == set()


def test_blank_total_processed_is_never_checked_against_parts() -> None:
    report = filled_2021()
    report.applications.results.total_processed.natural_person = None
    assert not any(k[0] == "results_total" for k in keys(report))
    assert ("balance", "applications.carried_forward.natural_person") not in keys(report)


def test_other_processing_merged_row_counts_once() -> None:
    report = filled_2021()
    other = report.applications.results.other
    other.no_correction = other.fee_unpaid = other.other = None
    other.total = Row(natural_person=1, total=1)
    assert ("results_total", "applications.results.total_processed.natural_person") in keys(report)


def test_heuristic_warnings() -> None:
    report = filled_2021()
    report.meta.agency = "盐仓街道"
    report.proactive.regulations.issued = 2
    report.proactive.regulations.in_force = 1
    warned = {w.check for w in check(report).warnings}
    assert {"township_regulations", "in_force_below_issued"} <= warned
    old = empty_report("2019")
    assert isinstance(old, Report2019)
    old.meta.year = 2022
    old.proactive.licensing.prev_year_items, old.proactive.licensing.items_change = 5, 1
    old.proactive.licensing.decisions = 6
    old.proactive.penalty.prev_year_items, old.proactive.penalty.items_change = 3, 0
    old.proactive.penalty.decisions = 3
    warned = {w.check for w in check(old).warnings}
    assert {"old_format", "items_as_decisions"} <= warned
    assert check(report_to_json(old)) == check(old)
    assert check(report_to_json(report)) == check(report)


def test_violation_cells_are_the_cells_of_checks_violations() -> None:
    """The reader's quick look at failing sums names the same cells, in the same order, as the checker's
    violations, on every gold report with cells changed to break its sums (negative counts included); the
    report as JSON data is checked exactly as its model."""
    choose = random.Random(16)
    golds = sorted((Path(__file__).resolve().parents[1] / "evals" / "gold").glob("*.json"))
    assert golds
    for gold in golds:
        report = load_gold(gold).report
        paths = [p for p in flatten(report) if not p.startswith("meta.") and not p.endswith("amount_wan_yuan")]
        for _ in range(20):
            data = report_to_json(report)
            for path in choose.sample(paths, choose.randint(0, 4)):
                *parents, name = path.split(".")
                node = data
                for part in parents:
                    node = node[part]
                node[name] = choose.choice([-2, 0, 3, 17, None])
            changed = parse_report(data)
            violations = check(changed).violations
            assert check(data) == check(changed)  # JSON data is checked as its model is
            assert failing_sum_cells(data) == failing_sum_cells(changed)
            assert violation_cells(changed) == [involved_cells(v) for v in violations]
            sums = [involved_cells(v) for v in violations if v.check != "non_negative"]
            assert failing_sum_cells(changed) == sums


def test_a_report_changed_after_a_check_is_checked_again() -> None:
    """The failing sums kept for the last report checked are used again only while its cells are the same."""
    report = filled_2021()
    assert check(report).violations == []
    report.applications.new_requests.total = 5  # the same object, a sum now broken
    assert violation_cells(report) == [
        [f"applications.new_requests.{c}" for c in (*APPLICANT_COLUMNS, "total")],
        [
            "applications.new_requests.total",
            "applications.carried_over.total",
            "applications.results.total_processed.total",
            "applications.carried_forward.total",
        ],
    ]
    assert [v.check for v in check(report).violations] == ["row_total", "balance"]
    report.applications.new_requests.total = 4
    assert check(report).violations == []
