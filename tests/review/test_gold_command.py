"""giar-llm gold: a reviewed result becomes a gold file that giar-llm eval scores against."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from giar_llm.cli import app
from giar_llm.core.corrections import Correction, CorrectionsFile, ViolationRef
from giar_llm.files import load_gold, write_json
from giar_llm.pipeline import extract_file
from giar_llm.settings import Settings

from ..conftest import GOLD, REPORTS
from ..test_corrections import doubtful_fixed_from_gold

RULES = Settings(backend="rules")
runner = CliRunner()


def test_a_reviewed_result_becomes_a_gold_file_that_eval_accepts(tmp_path: Path) -> None:
    stem = "pingtan-2020"
    reports, gold_dir = tmp_path / "reports", tmp_path / "gold"
    reports.mkdir()
    source = reports / f"{stem}.txt"
    shutil.copy(REPORTS / source.name, source)
    envelope = extract_file(source, RULES)
    result = tmp_path / "result.json"
    write_json(result, envelope.to_json())

    refused = runner.invoke(app, ["gold", str(result), "-o", str(gold_dir / f"{stem}.json")])
    assert refused.exit_code == 2 and "仍存疑" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert not (gold_dir / f"{stem}.json").exists()

    fixed = doubtful_fixed_from_gold(envelope, stem)
    confirmed = [
        Correction(sha256=envelope.source.sha256, violation=ViolationRef(check=v.check, cell=v.cell, row=v.row))
        for v in envelope.violations
    ]
    corrections = tmp_path / "corrections.json"
    write_json(corrections, CorrectionsFile(corrections=fixed + confirmed).model_dump(mode="json"))
    made = runner.invoke(
        app, ["gold", str(result), "--corrections", str(corrections), "-o", str(gold_dir / f"{stem}.json")]
    )
    assert made.exit_code == 0, made.output
    gold = load_gold(gold_dir / f"{stem}.json")
    hand = load_gold(GOLD / f"{stem}.json")
    assert gold.report == hand.report
    assert {v.key for v in gold.expected_violations} == {v.key for v in hand.expected_violations}
    assert "张三" in gold.notes

    scored = runner.invoke(app, ["eval", str(source), "--gold", str(gold_dir), "--runs", str(tmp_path / "runs")])
    assert scored.exit_code == 0, scored.output
    summary = json.loads(next((tmp_path / "runs").glob("*/summary.json")).read_text(encoding="utf-8"))
    assert summary["summary"]["reports"] == 1 and summary["scores"][0]["gold"] == stem
    assert summary["summary"]["violations"]["recall"] == 1.0  # the confirmed violations are the expected ones
