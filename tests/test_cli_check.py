from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from giar_llm.cli import app
from giar_llm.core.schema import empty_report, report_to_json

runner = CliRunner()


def write_report(tmp_path: Path, total: int) -> Path:
    report = empty_report("2021")
    report.applications.results.partially_granted.natural_person = 2
    report.applications.results.partially_granted.total = total
    report.applications.results.total_processed.natural_person = 2
    report.applications.results.total_processed.total = total
    report.applications.new_requests.natural_person = 2
    report.applications.new_requests.total = total
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report_to_json(report), ensure_ascii=False), encoding="utf-8")
    return path


def test_check_passes_with_exit_0(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(write_report(tmp_path, 2))])
    assert result.exit_code == 0, result.output
    assert "全部严格检查通过" in result.output


def test_check_prints_violations_in_chinese_with_exit_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(write_report(tmp_path, 8))])
    assert result.exit_code == 1
    assert "表三 （二）部分公开 行：总计为 8，但各申请人列之和为 2" in result.output


def test_check_json_output_is_data(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "--json", str(write_report(tmp_path, 8))])
    assert result.exit_code == 1
    data = json.loads(result.output)
    rows = {v["row"] for v in data["violations"] if v["check"] == "row_total"}
    assert "applications.results.partially_granted" in rows


def test_check_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "2021", "applications": {"new_requests": {"total": "x"}}}', encoding="utf-8")
    for target in (bad, tmp_path / "missing.json"):
        result = runner.invoke(app, ["check", str(target)])
        assert result.exit_code == 2
        assert result.output.strip().count("\n") == 0
        assert result.output.startswith("giar-llm: ")
