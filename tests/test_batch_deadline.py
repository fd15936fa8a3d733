"""A batch's worker processes: a file that overruns its deadline is killed and recorded as failed while the
others complete; workers die with the batch's main process; temporaries are named per writing process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from giar_llm.batch import execute, run_batch
from giar_llm.batch.plan import remove_stale_temporaries
from giar_llm.files import stale_temporary
from giar_llm.settings import Settings

from .conftest import REPORTS, ROOT

GOOD = "000_27f8f84a704e59bd.txt"


def _stalling_task(task: Any, settings: Settings) -> Any:
    """A worker that hangs on the file named stall.txt (as the reader could on a hostile input)."""
    if Path(task.path).name == "stall.txt":
        time.sleep(120)
    return execute._run_one(task, settings, None)


def _parked_task(task: Any, settings: Settings) -> Any:
    """A worker that records its pid next to the inputs' folder, then hangs."""
    (Path(task.path).parent.parent / "pids" / str(os.getpid())).write_text("", encoding="utf-8")
    time.sleep(120)
    return execute._run_one(task, settings, None)


def _folder(tmp_path: Path, names: list[str]) -> Path:
    """The same report under each name, each with content of its own (blank lines added at the end): exact
    copies would be read once."""
    folder = tmp_path / "in"
    folder.mkdir()
    data = (REPORTS / GOOD).read_bytes()
    for count, name in enumerate(names):
        (folder / name).write_bytes(data + b"\n" * count)
    return folder


def _results(outdir: Path) -> dict[str, dict[str, Any]]:
    lines = (outdir / "results.jsonl").read_text(encoding="utf-8").splitlines()
    return {Path(d["source"]["path"]).name: d for d in map(json.loads, lines)}


def test_a_file_over_its_deadline_fails_alone_and_the_others_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path, ["a.txt", "stall.txt", "b.txt", "c.txt"])
    monkeypatch.setattr(execute, "_run_task", _stalling_task)
    started = time.monotonic()
    # 3 s: the others' files (read, checked, their data-package rows made) stay within it on a loaded machine
    summary = run_batch([folder], tmp_path / "out", Settings(backend="rules", file_timeout=3.0), jobs=2)
    assert time.monotonic() - started < 30
    results = _results(tmp_path / "out")
    assert sorted(results) == ["a.txt", "b.txt", "c.txt", "stall.txt"]
    assert results["stall.txt"]["status"] == "failed"
    assert results["stall.txt"]["error"].startswith("Timeout: 超过每个文件的时限 3 秒")
    assert all(results[name]["status"] != "failed" for name in ("a.txt", "b.txt", "c.txt"))
    assert summary.statuses["failed"] == 1


def test_the_file_timeout_comes_from_the_flag_the_environment_or_the_backend() -> None:
    assert execute.file_timeout(Settings()) == execute.DEFAULT_FILE_TIMEOUT
    model = Settings(backend="llm", model="compatible/x", deadline=60.0)
    assert execute.file_timeout(model) == 60.0 + execute.DEFAULT_FILE_TIMEOUT
    assert execute.file_timeout(Settings.from_env({"GIAR_FILE_TIMEOUT": "7"})) == 7.0
    assert execute.file_timeout(Settings.from_env({"GIAR_FILE_TIMEOUT": "7"}, file_timeout=3.0)) == 3.0


PARKED = """
import sys
from pathlib import Path
from giar_llm.batch import execute, run_batch
from giar_llm.settings import Settings
from tests.test_batch_deadline import _parked_task
execute._run_task = _parked_task
run_batch([Path(sys.argv[1])], Path(sys.argv[2]), Settings(backend="rules"), jobs=2)
"""


def _gone(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"  # a zombie nobody reaped has ended too


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_when_the_batch_is_killed(tmp_path: Path) -> None:
    folder = _folder(tmp_path, ["a.txt", "b.txt"])
    pids = tmp_path / "pids"
    pids.mkdir()
    process = subprocess.Popen([sys.executable, "-c", PARKED, str(folder), str(tmp_path / "out")], cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        while len(list(pids.iterdir())) < 2:
            assert process.poll() is None, "the batch ended before its workers started"
            assert time.monotonic() < deadline, "no worker started within 30 s"
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    workers = [int(path.name) for path in pids.iterdir()]
    deadline = time.monotonic() + 5
    while not all(_gone(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_gone(pid) for pid in workers), "a worker outlived the batch"


def test_a_run_removes_only_the_temporaries_of_processes_that_are_gone(tmp_path: Path) -> None:
    finished = subprocess.run([sys.executable, "-c", "pass"], check=True)
    assert finished.returncode == 0
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        folder = tmp_path / "out"
        folder.mkdir()
        other_run = folder / f".results.jsonl.{live.pid}-abc123.tmp"
        killed_run = folder / f".results.jsonl.{dead.pid}-def456.tmp"
        older = folder / ".results.jsonl.xyz789.tmp"
        for path in (other_run, killed_run, older):
            path.write_text("partial", encoding="utf-8")
        assert stale_temporary(killed_run) and stale_temporary(older) and not stale_temporary(other_run)
        assert not stale_temporary(folder / "results.jsonl")
        remove_stale_temporaries(folder)
        assert sorted(p.name for p in folder.iterdir()) == [other_run.name]
    finally:
        live.kill()
        live.wait()
