"""CI gate: the reader's accuracy over every gold file meets the committed thresholds (evals/thresholds.json),
and no cell whose evidence level is read or derived is wrong."""

from __future__ import annotations

from pathlib import Path

from giar_llm.evaluate import expand_reports, load_thresholds, run_eval, thresholds_check
from giar_llm.settings import Settings

from .conftest import GOLD, REPORTS, ROOT


def test_reader_meets_committed_thresholds(tmp_path: Path) -> None:
    run = run_eval(expand_reports([REPORTS]), GOLD, Settings.from_env(backend="rules"), tmp_path)
    assert not run.skipped
    assert thresholds_check(run, load_thresholds(ROOT / "evals" / "thresholds.json")) == []
    assert run.summary.silent_errors == 0
    assert run.summary.trusted_wrong == 0, run.summary.trusted_wrong_cells  # no read/derived cell is wrong
    assert set(run.summary.levels) >= {"read", "derived"}
