"""Scoring against gold: strict vs lenient, non-zero cells, swaps that keep every sum, silent errors,
violation precision/recall, and comparing two runs."""

from __future__ import annotations

import json

import pytest

from giar_llm.core.checker import check
from giar_llm.core.cost import Tokens
from giar_llm.core.envelope import ExpectedViolation, GoldFile, RunInfo
from giar_llm.core.findings import Violation
from giar_llm.core.paths import flatten
from giar_llm.core.schema import Report2021, Row, empty_report
from giar_llm.core.scoring import (
    ReportScore,
    Summary,
    compare,
    score_report,
    summarize,
    values_equal,
)
from giar_llm.evaluate import thresholds_check


def _row(natural: int, enterprise: int) -> Row:
    return Row(
        natural_person=natural,
        commercial_enterprise=enterprise,
        research_institution=0,
        public_interest_org=0,
        legal_service_org=0,
        other_org=0,
        total=natural + enterprise,
    )


def _report() -> Report2021:
    """The gold report below, fresh each call."""
    report = empty_report("2021")
    assert isinstance(report, Report2021)
    report.meta.agency = "某某区人民政府"
    report.meta.year = 2021
    report.proactive.normative_docs.issued = 3
    report.proactive.fees.amount_wan_yuan = 12.5
    apps = report.applications
    apps.new_requests = _row(5, 2)
    apps.carried_over = _row(0, 0)
    apps.results.granted = _row(5, 2)
    apps.results.total_processed = _row(5, 2)
    apps.carried_forward = _row(0, 0)
    report.review_litigation.review.upheld = 1
    report.review_litigation.review.total = 1
    return report


def _gold(expected: list[ExpectedViolation] | None = None) -> GoldFile:
    return GoldFile(report=_report(), expected_violations=expected or [])


def test_identical_report_scores_100_percent() -> None:
    gold = _gold()
    score = score_report(gold, _report(), "verified", [])
    cells = len(flatten(gold.report))
    assert score.counts.cells == cells
    assert score.counts.strict_right == score.counts.lenient_right == cells
    assert score.counts.strict_accuracy == score.counts.lenient_accuracy == score.counts.nonzero_accuracy == 1.0
    assert score.exact and not score.silent_error and score.wrong == []
    assert set(score.sections) == {"meta", "二", "三", "四"}
    assert sum(c.cells for c in score.sections.values()) == cells
    assert score.sections["meta"].cells == 3


def test_integer_money_equals_float_money() -> None:
    report = _report()
    report.proactive.fees.amount_wan_yuan = 3
    gold = GoldFile(report=report)
    predicted = _report()
    predicted.proactive.fees.amount_wan_yuan = 3.0
    assert score_report(gold, predicted, "verified", []).exact
    assert values_equal(3, 3.0) and not values_equal(3, 3.01)


def test_null_vs_zero_is_strictly_wrong_and_leniently_right() -> None:
    gold = _gold()
    predicted = _report()
    predicted.applications.carried_over.natural_person = None  # gold: 0
    score = score_report(gold, predicted, "verified", [])
    assert score.counts.cells - score.counts.strict_right == 1
    assert score.counts.lenient_right == score.counts.cells
    assert not score.exact and score.silent_error
    [wrong] = score.wrong
    assert wrong.path == "applications.carried_over.natural_person"
    assert wrong.expected == 0 and wrong.got is None and wrong.lenient_right
    assert wrong.line() == "applications.carried_over.natural_person: 0 → null"
    assert "自然人" in wrong.label
    # a zero cell is not a non-zero cell: the non-zero accuracy is untouched
    assert score.counts.nonzero_accuracy == 1.0


def test_swap_that_keeps_every_sum_is_counted_wrong() -> None:
    gold = _gold()
    predicted = _report()
    apps = predicted.applications
    for row in (apps.new_requests, apps.results.granted, apps.results.total_processed):
        row.natural_person, row.commercial_enterprise = row.commercial_enterprise, row.natural_person
    assert check(predicted).passed  # every strict check still passes
    score = score_report(gold, predicted, "verified", [])
    assert len(score.wrong) == 6
    assert score.counts.lenient_right == score.counts.cells - 6
    assert score.counts.nonzero - score.counts.nonzero_right == 6
    assert score.sections["三"].strict_right == score.sections["三"].cells - 6
    assert score.silent_error


def test_silent_error_only_when_verified() -> None:
    gold = _gold()
    predicted = _report()
    predicted.proactive.normative_docs.issued = 4
    assert score_report(gold, predicted, "verified", []).silent_error
    assert not score_report(gold, predicted, "unverified", []).silent_error
    assert not score_report(gold, _report(), "verified", []).silent_error


def test_missing_report_counts_every_cell_wrong() -> None:
    gold = _gold()
    score = score_report(gold, None, "failed", [], error="no table found")
    assert score.counts.strict_right == score.counts.lenient_right == 0
    assert len(score.wrong) == score.counts.cells
    assert all(w.missing for w in score.wrong)
    assert score.wrong[0].line().endswith("→ 缺")


def test_other_format_paths_are_missing() -> None:
    gold = _gold()
    predicted = empty_report("2019")
    score = score_report(gold, predicted, "verified", [])
    missing = {w.path for w in score.wrong if w.missing}
    assert "proactive.normative_docs.issued" in missing
    assert "applications.results.other.no_correction.total" in missing
    assert "applications.new_requests.total" not in missing  # both formats have it; it's just blank


def _violation(check: str, cell: str | None = None, row: str | None = None) -> Violation:
    return Violation(check=check, cell=cell, row=row, message="")


def test_violation_precision_and_recall() -> None:
    expected = [
        ExpectedViolation(check="row_total", row="applications.new_requests"),
        ExpectedViolation(check="balance", cell="applications.new_requests.total"),
    ]
    gold = _gold(expected)
    found = [
        _violation("row_total", row="applications.new_requests"),  # tp
        _violation("results_total", cell="applications.results.total_processed.total"),  # fp
    ]
    score = score_report(gold, _report(), "unverified", found)
    assert (score.violations.tp, score.violations.fp, score.violations.fn) == (1, 1, 1)
    assert score.violations.precision == 0.5 and score.violations.recall == 0.5
    assert score.violations.missed == ["balance applications.new_requests.total"]
    clean = score_report(_gold(), _report(), "verified", [])
    assert clean.violations.precision == 1.0 and clean.violations.recall == 1.0


def test_summarize_totals_statuses_and_cost() -> None:
    gold = _gold()
    wrong = _report()
    wrong.proactive.normative_docs.issued = 4
    run = RunInfo(backend="llm", calls=3, cache_hits=1, tokens=Tokens(prompt=100, completion=20), seconds=1.5)
    scores = [
        score_report(gold, _report(), "verified", [], report="a.txt", run=run),
        score_report(gold, wrong, "verified", [], report="b.txt", run=run),
        score_report(gold, None, "failed", [], report="c.txt"),
    ]
    summary = summarize(scores)
    cells = scores[0].counts.cells
    assert summary.reports == 3 and summary.exact == 1
    assert summary.counts.cells == 3 * cells
    assert summary.strict_accuracy == pytest.approx((2 * cells - 1) / (3 * cells))
    assert summary.statuses == {"verified": 2, "source_inconsistent": 0, "unverified": 0, "failed": 1}
    assert summary.silent_errors == 1 and summary.silent_error_reports == ["b.txt"]
    assert summary.cost.calls == 6 and summary.cost.cache_hits == 2
    assert summary.cost.tokens.prompt == 200 and summary.cost.tokens.completion == 40
    assert summary.cost.seconds == pytest.approx(3.0)
    assert summary.violation_precision == summary.violation_recall == 1.0
    assert summary.backend == "llm"
    data = summary.to_json()
    json.dumps(data, ensure_ascii=False)
    assert data["strict_accuracy"] == summary.strict_accuracy
    assert Summary.model_validate(data).counts == summary.counts
    assert ReportScore.model_validate(scores[1].to_json()).wrong == scores[1].wrong


def test_compare_shows_fixed_and_broken_cells() -> None:
    gold = _gold()
    old_pred = _report()
    old_pred.proactive.normative_docs.issued = 4  # wrong before, fixed later
    new_pred = _report()
    new_pred.review_litigation.review.upheld = 0  # right before, broken later
    old = [score_report(gold, old_pred, "verified", [], report="a.txt")]
    new = [
        score_report(gold, new_pred, "unverified", [], report="a.txt"),
        score_report(gold, _report(), "verified", [], report="b.txt"),
    ]
    result = compare(summarize(old).to_json(), summarize(new).to_json(), [s.to_json() for s in old], new)
    [change] = result.reports
    assert [c.path for c in change.fixed] == ["proactive.normative_docs.issued"]
    assert change.fixed[0].old == 4 and change.fixed[0].new == 3
    assert [c.path for c in change.broken] == ["review_litigation.review.upheld"]
    assert change.broken[0].new == 0
    assert change.old_status == "verified" and change.new_status == "unverified"
    assert result.only_new == ["b.txt"] and result.only_old == []
    assert result.fixed == 1 and result.broken == 1
    assert result.metrics["reports"].delta == 1
    assert result.metrics["silent_errors"].delta == -1
    assert result.metrics["strict_accuracy"].new > result.metrics["strict_accuracy"].old
    json.dumps(result.to_json(), ensure_ascii=False)


def test_accuracy_per_evidence_level_and_a_wrong_trusted_cell_fails_the_gate() -> None:
    gold = _gold()
    predicted = _report()
    predicted.proactive.normative_docs.issued = 4  # wrong
    predicted.proactive.normative_docs.in_force = 9  # wrong
    cells = [p for p in flatten(predicted) if not p.startswith("meta.")]
    levels = dict.fromkeys(cells, "read")
    levels["proactive.normative_docs.issued"] = "chosen"  # wrong but marked doubtful: allowed
    levels["proactive.normative_docs.repealed"] = "derived"
    del levels["proactive.normative_docs.in_force"]  # no level: counted unknown
    score = score_report(gold, predicted, "unverified", [], levels=levels)
    assert score.levels["chosen"].cells == 1 and score.levels["chosen"].accuracy == 0.0
    assert score.levels["derived"].accuracy == 1.0 and score.levels["unknown"].cells == 1
    assert score.trusted_wrong == []
    levels["proactive.normative_docs.issued"] = "derived"
    summary = summarize([score_report(gold, predicted, "unverified", [], levels=levels)])
    assert summary.trusted_wrong == 1 and summary.trusted_wrong_cells == [": proactive.normative_docs.issued"]
    assert thresholds_check(summary, {"trusted_wrong": 0}) == ["trusted_wrong: 1 > allowed 0"]
