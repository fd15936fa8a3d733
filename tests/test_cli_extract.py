"""giar-llm extract / batch / eval from the command line: output, exit codes, one-line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from giar_llm.cli import app

from .conftest import REPORTS

runner = CliRunner()
SEED = REPORTS / "000_27f8f84a704e59bd.txt"


def test_extract_prints_the_envelope_as_json() -> None:
    result = runner.invoke(app, ["extract", str(SEED)])
    assert result.exit_code == 0, result.output
    envelope = json.loads(result.stdout)
    assert envelope["status"] == "verified" and envelope["run"]["backend"] == "rules"
    assert "盐仓街道" in result.stdout  # ensure_ascii=False


def test_extract_writes_the_envelope_and_reads_stdin(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["extract", "-", "-o", str(out)], input=SEED.read_bytes())
    assert result.exit_code == 0, result.output
    envelope = json.loads(out.read_text(encoding="utf-8"))
    assert envelope["source"]["path"] == "-" and envelope["status"] == "verified"


def test_extract_table_view_names_tables_in_chinese() -> None:
    result = runner.invoke(app, ["extract", str(SEED), "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "✓ 已核实" in result.output and "表三" in result.output


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["extract", str(empty)])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "empty" in result.stderr


def test_a_report_without_tables_is_failed_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "no-tables.txt"
    path.write_text("一、总体情况\n本年度无特别事项。\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["status"] == "failed"
    assert "no report table found" in result.stderr


def test_batch_goes_on_past_a_bad_file_and_exit_says_so(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEED, inputs / SEED.name)
    (inputs / "garbage.txt").write_bytes(bytes(range(256)) * 8)
    result = runner.invoke(app, ["batch", str(inputs), "-o", str(tmp_path / "out"), "--jobs", "1", "--quiet"])
    assert result.exit_code == 1, result.output
    lines = (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    statuses = sorted(json.loads(line)["status"] for line in lines)
    assert statuses == ["failed", "verified"]


def test_eval_over_two_reports_writes_a_run_and_gates(tmp_path: Path) -> None:
    reports = [str(SEED), str(REPORTS / "002_466e71db95901446.txt")]
    result = runner.invoke(app, ["eval", *reports, "--runs", str(tmp_path), "--min-accuracy", "0.99"])
    assert result.exit_code == 0, result.output
    assert list(tmp_path.glob("*/summary.json"))
    failing = runner.invoke(app, ["eval", *reports, "--runs", str(tmp_path), "--min-accuracy", "1.01"])
    assert failing.exit_code == 1
