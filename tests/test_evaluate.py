"""The eval harness over real reports with the rules backend: run folder, scores, thresholds, comparison."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from giar_llm.core.envelope import Envelope
from giar_llm.evaluate import (
    compare_runs,
    expand_reports,
    latest_run,
    load_run,
    report_id,
    run_eval,
    thresholds_check,
)
from giar_llm.evaluate_view import print_comparison, print_eval, print_threshold_failures
from giar_llm.pipeline import extract_file
from giar_llm.settings import Settings

from .conftest import GOLD, REPORTS

REPORT_FILES = ("hongze-2024.pypdf.txt", "pingtan-2020.txt")


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    reports, gold = tmp_path / "reports", tmp_path / "gold"
    reports.mkdir()
    gold.mkdir()
    for name in REPORT_FILES:
        shutil.copy(REPORTS / name, reports / name)
        shutil.copy(GOLD / f"{report_id(Path(name))}.json", gold)
    (reports / ".hidden.txt").write_text("ignored", encoding="utf-8")
    return reports, gold


def _rules() -> Settings:
    return Settings.from_env(backend="rules")


def test_report_id_and_expansion(corpus: tuple[Path, Path]) -> None:
    reports, _ = corpus
    assert report_id(Path("x/hongze-2024.pdftotext-layout.txt")) == "hongze-2024"
    assert [p.name for p in expand_reports([reports])] == list(REPORT_FILES)


def test_run_eval_writes_the_run_folder(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    reports, gold = corpus
    (reports / "nogold-2020.txt").write_text("无对应标注", encoding="utf-8")
    out = tmp_path / "runs"
    run = run_eval([reports], gold, _rules(), out_root=out)
    assert run.path is not None and run.path.parent == out
    assert [s.report for s in run.scores] == list(REPORT_FILES)
    assert run.skipped and run.skipped[0].startswith("nogold-2020.txt")
    summary = json.loads((run.path / "summary.json").read_text(encoding="utf-8"))
    assert summary["meta"]["backend"] == "rules"
    assert len(summary["meta"]["schema_version"]) == 12 and summary["meta"]["package_version"]
    assert summary["summary"]["reports"] == 2
    raw = (run.path / "pingtan-2020.txt.json").read_text(encoding="utf-8")
    assert "\\u" not in raw  # ensure_ascii=False
    per_report = json.loads(raw)
    assert per_report["status"] == run.scores[1].status
    assert all(" → " in w["cell"] and w["label"] for w in per_report["wrong"])
    assert "violations" in per_report and "unsure" in per_report
    assert (run.path / "hongze-2024.pypdf.txt.json").is_file()
    s = run.summary
    for value in (s.strict_accuracy, s.lenient_accuracy, s.nonzero_accuracy, s.violation_precision, s.violation_recall):
        assert 0.0 <= value <= 1.0
    assert sum(s.statuses.values()) == 2
    assert s.counts.cells == sum(x.counts.cells for x in run.scores)
    loaded = load_run(run.path)
    assert loaded.summary == run.summary and loaded.scores == run.scores
    console = Console(record=True, width=160)
    print_eval(console, loaded)
    text = console.export_text()
    assert "pingtan-2020.txt" in text and "静默错误" in text


def test_failed_extraction_is_scored_as_failed(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    reports, gold = corpus
    shutil.copy(gold / "pingtan-2020.json", gold / "empty-2020.json")
    (reports / "empty-2020.txt").write_bytes(b"")
    run = run_eval([reports / "empty-2020.txt"], gold, _rules(), out_root=tmp_path / "runs")
    [score] = run.scores
    assert score.status == "failed" and score.error
    assert score.counts.strict_right == 0 and run.summary.statuses["failed"] == 1


def test_thresholds_check(corpus: tuple[Path, Path], tmp_path: Path) -> None:
    reports, gold = corpus
    run = run_eval([reports], gold, _rules(), out_root=tmp_path / "runs")
    s = run.summary
    assert thresholds_check(run, {"backend": "rules", "strict_accuracy": s.strict_accuracy, "silent_errors": 0}) == []
    failures = thresholds_check(run, {"strict_accuracy": 1.01, "nonzero_accuracy": 0.0, "failed": -1})
    assert len(failures) == 2
    assert failures[0].startswith("strict_accuracy:") and failures[1].startswith("failed:")
    assert thresholds_check(run, {"backend": "llm"})[0].startswith("backend:")
    assert thresholds_check(s, {"no_such_metric": 0.5}) == ["no_such_metric: no such metric in the summary"]
    console = Console(record=True, width=120)
    print_threshold_failures(console, failures)
    assert "strict_accuracy" in console.export_text()


def test_compare_against_previous_run(
    corpus: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports, gold = corpus
    out = tmp_path / "runs"
    first = run_eval([reports], gold, _rules(), out_root=out)

    def perturbed(path: Path | str, settings: Settings, extractor: object = None) -> Envelope:
        envelope = extract_file(path, settings)
        if envelope.report is not None and Path(path).name == "hongze-2024.pypdf.txt":
            envelope.report.review_litigation.review.upheld = 7  # gold: 1
        return envelope

    monkeypatch.setattr("giar_llm.evaluate.extract_file", perturbed)
    second = run_eval([reports], gold, _rules(), out_root=out)
    assert second.path != first.path

    previous = latest_run(out, exclude=second.path)
    assert previous is not None and previous.path == first.path
    latest = latest_run(out)
    assert latest is not None and latest.path == second.path

    comparison = compare_runs(previous, second)
    change = {c.report: c for c in comparison.reports}["hongze-2024.pypdf.txt"]
    assert [c.path for c in change.broken] == ["review_litigation.review.upheld"]
    assert change.broken[0].old == 1 and change.broken[0].new == 7
    assert comparison.broken == 1 and comparison.fixed == 0
    assert comparison.metrics["strict_accuracy"].delta < 0

    back = compare_runs(second, previous)
    assert back.fixed == 1 and back.broken == 0
    console = Console(record=True, width=160)
    print_comparison(console, back, second.name, previous.name)
    assert "review_litigation.review.upheld" in console.export_text()
