"""benchmarks/bench_peer.py: importable, and its argument handling (the peer itself is not installed here)."""

from __future__ import annotations

import importlib.util
import sys
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
    assert bench.main(["--peer-python", sys.executable, "--repeat", "1"]) == 2
    captured = capsys.readouterr()
    assert "cannot import govnianbao" in captured.err
    assert captured.out == ""


def test_a_missing_python_is_one_clear_error(bench: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--peer-python", "/nonexistent/bin/python"]) == 2
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
