"""benchmarks/bench_peer.py: importable, and its argument handling (the peer itself is not installed here)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT

BENCHMARKS = ROOT / "benchmarks"


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))  # the script imports bench_reader as its sibling
    spec = importlib.util.spec_from_file_location("bench_peer", BENCHMARKS / "bench_peer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_peer", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_without_the_peer_it_says_so_and_exits_2(bench: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main([]) == 2
    err = capsys.readouterr().err
    assert "govnianbao is not installed" in err
    assert "--peer-python" in err
    assert err.count("\n") == 1


def test_a_python_without_the_peer_is_one_clear_error(bench: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--peer-python", sys.executable, "--repeat", "1", "--no-pin"]) == 2
    captured = capsys.readouterr()
    assert "cannot import govnianbao" in captured.err
    assert captured.out == ""


def test_a_missing_python_is_one_clear_error(bench: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--peer-python", "/nonexistent/bin/python", "--no-pin"]) == 2
    assert "cannot run the peer's python" in capsys.readouterr().err


def test_repeat_must_be_positive(bench: ModuleType) -> None:
    with pytest.raises(SystemExit) as exc:
        bench.parse_args(["--peer-python", "python", "--repeat", "0"])
    assert exc.value.code == 2


def test_warmup_must_not_be_negative(bench: ModuleType) -> None:
    with pytest.raises(SystemExit) as exc:
        bench.parse_args(["--peer-python", "python", "--warmup", "-1"])
    assert exc.value.code == 2
    assert bench.parse_args(["--peer-python", "python"]).warmup == 2.0


class _CountingPeer:
    def __init__(self) -> None:
        self.texts: list[str] = []

    def time(self, text: str, repeat: int) -> None:
        assert repeat == 1
        self.texts.append(text)


def test_the_warm_up_runs_both_sides_over_every_report_in_turns(bench: ModuleType) -> None:
    files = bench.default_files()[:2]
    documents = [bench.load_input(path).document for path in files]
    texts = [path.read_text(encoding="utf-8") for path in files]
    peer = _CountingPeer()
    bench.warm_up(documents, texts, peer, 0.0)
    assert peer.texts == []  # no warm-up asked for
    bench.warm_up(documents, texts, peer, 1e-9)
    assert peer.texts == texts  # one round at least, each report once


def test_the_default_files_are_the_plain_text_reports(bench: ModuleType) -> None:
    files = bench.default_files()
    assert files
    assert {p.suffix for p in files} <= {".txt", ".md"}
    assert all(p.parent == ROOT / "evals" / "reports" for p in files)


def test_rounds_are_at_least_one_and_at_most_the_repeats(bench: ModuleType) -> None:
    with pytest.raises(SystemExit) as exc:
        bench.parse_args(["--peer-python", "python", "--rounds", "0"])
    assert exc.value.code == 2
    assert bench.parse_args(["--peer-python", "python", "--repeat", "5", "--rounds", "6"]).rounds == 5
    assert bench.parse_args(["--peer-python", "python"]).rounds == 10


class _TurnPeer:
    def __init__(self, turns: list[tuple[str, int]]) -> None:
        self.turns = turns

    def time(self, text: str, repeat: int) -> object:
        self.turns.append(("peer", repeat))
        return bench_peer_time(repeat)


def bench_peer_time(runs: int) -> object:
    module = sys.modules["bench_peer"]
    return module.PeerTime([1.0] * runs, [2.0] * runs, 3, "三")


def test_the_sides_take_turns_and_each_runs_the_repeats(bench: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    turns: list[tuple[str, int]] = []
    monkeypatch.setattr(
        bench, "read_check_runs", lambda document, runs, clock: turns.append(("ours", runs)) or [0.5] * runs
    )
    ours, theirs = bench.time_in_turns(None, "text", _TurnPeer(turns), 7, 3, lambda: 0.0)
    assert turns == [("ours", 2), ("peer", 2), ("ours", 2), ("peer", 2), ("ours", 3), ("peer", 3)]
    assert ours == [0.5] * 7
    assert theirs.cpu_ms == [1.0] * 7 and theirs.wall_ms == [2.0] * 7 and (theirs.cells, theirs.tables) == (3, "三")


PEER_PACKAGE = """
import os
from types import SimpleNamespace

def parse_annual_report_text(text):
    with open(os.environ["FAKE_PEER_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{len(text)}\\n")
    section = SimpleNamespace(tables={"t": {"cells": {"r": {"a": 1, "b": None}}}})
    return SimpleNamespace(section2=section, section3=section, section4=SimpleNamespace(tables={}))
"""


def test_a_run_against_a_peer_prints_both_sides_and_the_ratio(tmp_path: Path) -> None:
    """The benchmark as run, against a stand-in peer package on the peer's python: every report timed on both
    sides, the peer run ``repeat`` times a report (in its turns), both sides on one processor, the medians and their
    ratio printed."""
    (tmp_path / "govnianbao").mkdir()
    (tmp_path / "govnianbao" / "__init__.py").write_text(PEER_PACKAGE, encoding="utf-8")
    log = tmp_path / "calls.log"
    files = sorted(p for p in (ROOT / "evals" / "reports").iterdir() if p.suffix == ".txt")[:2]
    args = ["--peer-python", sys.executable, "--repeat", "4", "--rounds", "2", "--warmup", "0", "--cpu"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]), "FAKE_PEER_LOG": str(log)}
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench_peer.py"), *args, *map(str, files)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for path in files:
        line = next(line for line in out.splitlines() if line.startswith(path.name[:36]))
        assert line.rstrip().endswith("2 二三")  # the peer's cells and tables, from its last run
    assert "ratio giar-llm / peer:" in out
    if hasattr(os, "sched_setaffinity"):
        assert "both on processor" in out
    calls = log.read_text(encoding="utf-8").split()
    assert len(calls) == 8  # 4 runs a report
