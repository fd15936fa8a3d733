"""A batch as an analyst runs it: globs, stray files set aside, a manifest, plain progress in a log, the
data package and a summary that names the files to look at."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

from giar_llm.batch import run_batch, select_inputs
from giar_llm.core.tabular import cell_columns, report_columns
from giar_llm.settings import Settings

from .conftest import REPORTS

RULES = Settings(backend="rules")


def folder_of_reports(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "drafts").mkdir(parents=True)
    for name in ("000_27f8f84a704e59bd.txt", "shanghai-office-2025.md", "001_804bc5c71be8d781.txt"):
        shutil.copy(REPORTS / name, folder / name)
    shutil.copy(REPORTS / "002_466e71db95901446.txt", folder / "drafts" / "002.txt")
    (folder / "SOURCES.md.bak").write_text("where the files came from", encoding="utf-8")
    (folder / "notes.json").write_text("{}", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def test_globs_narrow_and_stray_files_are_set_aside_not_failed(tmp_path: Path) -> None:
    folder = folder_of_reports(tmp_path)
    selection = select_inputs([folder], tmp_path / "out")
    assert sorted(Path(p).name for p in selection.not_reports) == ["SOURCES.md.bak", "notes.json"]
    names = sorted(f.path.name for f in selection.files)
    assert names == sorted(
        ["000_27f8f84a704e59bd.txt", "shanghai-office-2025.md", "001_804bc5c71be8d781.txt", "002.txt", "empty.txt"]
    )
    only = select_inputs([folder], tmp_path / "out", include=["*.txt"], exclude=["drafts/*", "empty.*"])
    assert sorted(f.path.name for f in only.files) == ["000_27f8f84a704e59bd.txt", "001_804bc5c71be8d781.txt"]
    named = select_inputs([folder / "notes.json"], tmp_path / "out")  # named on its own: taken as asked
    assert [f.path.name for f in named.files] == ["notes.json"] and not named.not_reports

    summary = run_batch([folder], tmp_path / "out", RULES, jobs=1, exclude=["empty.txt"])
    assert summary.total == 4 and not summary.any_failed  # the stray files cost nothing
    assert [Path(p).name for p in summary.unverified_files] == ["shanghai-office-2025.md"]
    written = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert sorted(Path(p).name for p in written["not_reports"]) == ["SOURCES.md.bak", "notes.json"]
    assert written["unverified_files"] == summary.unverified_files and written["failed_files"] == []
    assert written["doubtful_cells"] == 10 and written["cells"] > 4 * 190


def test_the_batch_writes_the_data_package_with_the_manifest_and_flags_duplicates(tmp_path: Path) -> None:
    folder = folder_of_reports(tmp_path)
    shutil.copy(REPORTS / "000_27f8f84a704e59bd.txt", folder / "copy-of-000.txt")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "file,url,地区代码\n000_27f8f84a704e59bd.txt,http://example.org/a,330102\nshanghai-office-2025.md,http://b,310000\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    summary = run_batch([folder], out, RULES, jobs=1, manifest=manifest, exclude=["empty.txt"])
    assert [d["kind"] for d in summary.duplicates] == ["sha256"]
    for name in ("cells.csv", "cells.parquet", "reports.csv", "reports.parquet", "codebook.csv", "datapackage.json"):
        assert (out / name).is_file(), name
    cells = pd.read_parquet(out / "cells.parquet")
    assert list(cells.columns)[: len(cell_columns())] == [c.name for c in cell_columns()]
    assert list(cells.columns)[len(cell_columns()) :] == ["url", "manifest_3"]  # a Chinese header: named by place
    shanghai = cells[cells["source_file"].str.endswith("shanghai-office-2025.md")]
    assert set(shanghai["url"]) == {"http://b"}
    doubtful = shanghai[shanghai["doubtful"]]
    assert len(doubtful) == 10 and doubtful["unsure_reason"].notna().all()
    reports = pd.read_csv(out / "reports.csv", encoding="utf-8-sig", dtype=str)
    assert [c for c in reports.columns if c not in ("url", "manifest_3")] == [c.name for c in report_columns()]
    codebook = pd.read_csv(out / "codebook.csv", encoding="utf-8-sig", keep_default_na=False)
    assert set(codebook[codebook["table"] == "reports"]["name"]) == set(reports.columns)
    assert "地区代码" in set(codebook["label_zh"])
    assert reports["duplicate_of"].notna().sum() == 1


def test_cli_batch_in_a_log_prints_plain_lines_and_names_the_files(tmp_path: Path) -> None:
    folder = folder_of_reports(tmp_path)
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "giar_llm", "batch", str(folder), "-o", str(out), "--jobs", "1"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "120"},
        timeout=300,
    )
    assert result.returncode == 1, result.stderr  # empty.txt fails
    progress = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert len(progress) == 5 and progress[-1].startswith("[5/5] "), result.stderr
    assert "\x1b" not in result.stderr and "━" not in result.stderr  # no bar, no escape codes in a log
    assert "SOURCES.md.bak" in result.stderr and "扩展名不是报告" in result.stderr
    assert "失败的文件（1）" in result.stdout and "empty.txt" in result.stdout
    assert "未核实的文件（有存疑单元格）（1）" in result.stdout and "shanghai-office-2025.md" in result.stdout
