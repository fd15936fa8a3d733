"""The command line as a user meets it, run as a subprocess: version, help, environment variables,
and every ordinary mistake as one line on stderr with exit 2."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from giar_llm import __version__
from giar_llm.reader import compiled

from .conftest import ROOT

SEED = ROOT / "evals" / "reports" / "000_27f8f84a704e59bd.txt"


def giar(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "giar_llm", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "100", **(env or {})},
        timeout=120,
    )


def one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("giar-llm: "), lines
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def test_version_and_short_help() -> None:
    suffix = " (compiled reader)" if compiled() else ""  # a compiled build (.ci/run) runs these tests too
    assert giar("--version").stdout.strip() == f"giar-llm {__version__}{suffix}"
    for args in (["-h"], ["extract", "-h"], ["batch", "--help"]):
        result = giar(*args)
        assert result.returncode == 0 and "Usage" in result.stdout, result.stderr


def test_every_giar_variable_is_named_in_the_help() -> None:
    names = set()
    for path in (ROOT / "giar_llm").rglob("*.py"):
        names.update(re.findall(r"\bGIAR_[A-Z_]+[A-Z]\b", path.read_text(encoding="utf-8")))
    assert {"GIAR_MODEL", "GIAR_BACKEND", "GIAR_API_KEY"} <= names
    helps = "".join(giar(*args).stdout for args in (["-h"], ["extract", "-h"], ["batch", "-h"], ["cache", "-h"]))
    missing = sorted(n for n in names if n not in helps)
    assert not missing, missing


def test_choices_are_checked_by_the_parser() -> None:
    one_line_error(giar("extract", str(SEED), "--format", "xml"), "xml", "extract -h")
    one_line_error(giar("extract", str(SEED), "--backend", "magic"), "magic")
    one_line_error(giar("cache", "wipe"), "wipe")
    one_line_error(giar("extract", str(SEED), "--no-such-flag"), "--no-such-flag")
    one_line_error(giar("extract", str(SEED), env={"GIAR_MAX_ROUNDS": "many"}), "GIAR_MAX_ROUNDS")


def test_output_mistakes_are_one_line(tmp_path: Path) -> None:
    one_line_error(giar("extract", str(SEED), "-o", str(tmp_path)), "文件夹")
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    one_line_error(giar("batch", str(SEED), "-o", str(a_file)), "是一个文件")
    one_line_error(giar("extract", str(SEED), "-o", str(a_file / "out.json")), "不是文件夹")
    one_line_error(giar("batch", str(SEED), "-o", str(a_file / "out")), "不是文件夹")
    one_line_error(giar("extract", str(tmp_path / "missing.txt")), "missing.txt")
    one_line_error(giar("extract", str(SEED), env={"GIAR_PROMPTS_DIR": str(tmp_path / "none")}), "--prompts-dir")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_folder_is_one_line(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        one_line_error(giar("extract", str(SEED), "-o", str(locked / "x.json")), "权限")
        one_line_error(giar("batch", str(SEED), "-o", str(locked / "out")), "权限")
    finally:
        locked.chmod(0o700)


def test_eval_without_gold_reports_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    one_line_error(giar("eval", cwd=tmp_path), "evals/reports")
    report = tmp_path / "r.txt"
    report.write_bytes(SEED.read_bytes())
    (tmp_path / "gold").mkdir()
    one_line_error(giar("eval", str(report), "--gold", str(tmp_path / "gold"), cwd=tmp_path), "金标准")
    assert not (tmp_path / "evals").exists()


def test_check_gives_no_tick_to_an_empty_report(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_text(json.dumps({"format": "2021"}), encoding="utf-8")
    result = giar("check", str(path))
    assert result.returncode == 1 and "✓" not in result.stdout and "没有任何数字" in result.stdout


def test_verbose_names_the_matched_rows_and_quiet_is_quiet() -> None:
    loud = giar("extract", str(SEED), "-v")
    assert loud.returncode == 0 and "匹配 表三 （七）总计 行：第" in loud.stderr, loud.stderr
    quiet = giar("-q", "extract", str(SEED), "--format", "table")
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_reader_only_extract_imports_no_model_library() -> None:
    code = (
        "import sys, runpy; sys.argv = ['giar-llm', 'extract', sys.argv[1]]\n"
        "try:\n    runpy.run_module('giar_llm', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "heavy = {'openai', 'instructor', 'tenacity', 'diskcache', 'pypdf', 'docx', 'pyarrow', 'multiprocessing'}\n"
        "print(sorted(heavy & set(sys.modules)), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(SEED)], capture_output=True, text=True, timeout=120)
    assert result.stderr.strip().splitlines()[-1] == "[]", result.stderr


def test_eval_outside_the_repo_writes_its_run_beside_the_gold_files(tmp_path: Path) -> None:
    work, data = tmp_path / "work", tmp_path / "data"
    (data / "gold").mkdir(parents=True)
    work.mkdir()
    gold = ROOT / "evals" / "gold" / "000_27f8f84a704e59bd.json"
    (data / "gold" / gold.name).write_bytes(gold.read_bytes())
    result = giar("eval", str(SEED), "--gold", str(data / "gold"), cwd=work)
    assert result.returncode == 0, result.stderr
    assert list((data / "runs").glob("*/summary.json")) and not list(work.iterdir())


def test_batch_mistakes_are_one_line(tmp_path: Path) -> None:
    one_line_error(
        giar("batch", str(SEED), "-o", str(tmp_path / "out"), "--manifest", str(tmp_path / "m.csv")), "m.csv"
    )
    one_line_error(giar("batch", str(tmp_path / "*.nothing"), "-o", str(tmp_path / "out")), "没有匹配")
