"""One batch per output folder: a second one refuses with one line (or waits), no row is lost; special
files and odd names in a batch folder are accounted for, never hung on."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from giar_llm.cli import app

from .conftest import REPORTS

runner = CliRunner()
HOLD = """
import sys, time
from pathlib import Path
from giar_llm.batch.lock import folder_lock
with folder_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _inputs(folder: Path, copies: int) -> Path:
    folder.mkdir()
    for number in range(copies):
        shutil.copy(REPORTS / "000_27f8f84a704e59bd.txt", folder / f"r{number}.txt")
    return folder


def _rows(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]


def test_a_second_batch_on_the_same_folder_refuses_or_waits(tmp_path: Path) -> None:
    inputs, out = _inputs(tmp_path / "in", 6), tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out), "3"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        refused = runner.invoke(app, ["batch", str(inputs), "-o", str(out), "--jobs", "1", "--quiet"])
        assert refused.exit_code == 2, refused.output
        assert len(refused.stderr.strip().splitlines()) == 1 and "another batch" in refused.stderr
        assert not (out / "results.jsonl").exists()
        started = time.monotonic()
        waited = runner.invoke(app, ["batch", str(inputs), "-o", str(out), "--jobs", "1", "--quiet", "--wait"])
        assert waited.exit_code == 0, waited.output
        assert time.monotonic() - started > 0.5  # it waited for the holder
    finally:
        holder.wait(timeout=30)
        if holder.stdout is not None:
            holder.stdout.close()
    assert len(_rows(out)) == 6


def test_two_concurrent_batches_lose_no_row(tmp_path: Path) -> None:
    inputs, out = _inputs(tmp_path / "in", 40), tmp_path / "out"
    command = [
        sys.executable,
        "-c",
        "from giar_llm.cli import main; main()",
        "batch",
        str(inputs),
        "-o",
        str(out),
        "--jobs",
        "2",
        "--quiet",
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    lock = out / ".lock"
    while first.poll() is None and not (lock.exists() and lock.read_text().strip()):
        time.sleep(0.01)
    second = subprocess.run(command, capture_output=True, text=True, env=env)
    first.wait(timeout=120)
    assert first.returncode == 0, first.stderr
    if second.returncode != 0:  # it ran while the first held the folder
        assert second.returncode == 2 and "another batch" in second.stderr
    rows = _rows(out)
    assert len(rows) == 40 and all(row["status"] == "verified" for row in rows)


def test_special_files_and_odd_names_in_a_batch_are_accounted_for(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in", 2)
    os.mkfifo(inputs / "pipe.txt")
    os.symlink("loop2.txt", inputs / "loop1.txt")
    os.symlink("loop1.txt", inputs / "loop2.txt")
    os.symlink("/dev/zero", inputs / "zero.txt")
    gbk = os.path.join(os.fsencode(inputs), "政府信息公开.txt".encode("gbk"))
    shutil.copy(REPORTS / "000_27f8f84a704e59bd.txt", os.fsdecode(gbk))
    long_name = "政府信息公开工作年度报告" * 6 + "附件一二.txt"
    shutil.copy(REPORTS / "000_27f8f84a704e59bd.txt", inputs / long_name)
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(inputs), "-o", str(out), "--jobs", "1", "--quiet"])
    assert result.exit_code == 1, (result.output, result.exception)
    rows = _rows(out)
    statuses = sorted(str(row["status"]) for row in rows)
    assert statuses == ["failed"] * 4 + ["verified"] * 4, [(r["source"], r["status"], r["error"]) for r in rows]
    errors = " ".join(str(row["error"]) for row in rows if row["status"] == "failed")
    assert "named pipe" in errors and "symlink loop" in errors and "character device" in errors
    paths = [str(row["source"]["path"]) for row in rows]  # type: ignore[index]
    assert any(p.endswith("政府信息公开.txt") for p in paths) and any(p.endswith(long_name) for p in paths)


def test_a_degraded_result_is_redone_by_the_next_run(tmp_path: Path) -> None:
    from giar_llm.batch import run_batch
    from giar_llm.errors import TransientModelError
    from giar_llm.settings import Settings

    from .llm.fake import FakeExtractor

    inputs, out = _inputs(tmp_path / "in", 1), tmp_path / "out"
    settings = Settings(backend="llm", model="local/m", base_url="http://fake.invalid/v1", max_rounds=0)
    outage = FakeExtractor(*[TransientModelError("connection refused")] * 3)
    first = run_batch([inputs], out, settings, jobs=1, extractor=outage)
    row = _rows(out)[0]
    assert row["run"]["degraded"] and row["status"] != "verified"  # type: ignore[index]
    second = run_batch([inputs], out, settings, jobs=1, extractor=FakeExtractor(*[TransientModelError("down")] * 3))
    assert first.recomputed == 1 and second.recomputed == 1 and second.skipped == 0
