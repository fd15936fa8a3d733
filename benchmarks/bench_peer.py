"""giar-llm's reader + checker side by side with the peer parser govnianbao, on the same plain-text reports.

    python benchmarks/bench_peer.py --peer-python /tmp/peer-venv/bin/python [--repeat 50] [--rounds 10] [--cpu]
        [--no-pin] [FILES…]

The peer is no dependency of giar-llm and is not on PyPI. Install it from its public source repository
(``zxj6827111-blip/govnianbao``: a setuptools package with no dependencies of its own) into a venv of
its own, and give that venv's python here::

    python3 -m venv /tmp/peer-venv
    git clone <the govnianbao repository> /tmp/peer          # or unpack a source archive of it there
    /tmp/peer-venv/bin/pip install /tmp/peer
    /tmp/peer-venv/bin/python -c "import govnianbao"         # check

The files are the repository's plain-text reports, ``evals/reports/*.txt`` and ``*.md`` (the tests keep
no report files of their own), or the FILES given. Both sides get the same decoded text: giar-llm the
loaded document (decoding timed apart, as in ``bench_reader.py``), the peer the file's text.

For each report, in turn: giar-llm reads + checks in this process, timed by ``bench_reader``'s
``read_check_runs``; then a long-lived subprocess under the peer's python runs the peer's own entry
point ``govnianbao.parse_annual_report_text`` on the text and times it inside itself (CPU with
``time.process_time`` and wall with ``time.perf_counter``). The two sides take ``--rounds`` turns at each
report (default 10), each turn ``repeat / rounds`` runs, and each side's time is the median of all its runs:
a machine whose speed drifts over seconds (a shared host, as here) slows both sides alike, not whichever
happened to run in the slow second. Both sides run on one processor (this process is pinned to it before the
peer's starts, which inherits it; ``--no-pin`` leaves them free): on a shared host two processors' speeds
differ. The peer's warning log is switched off (that favours the peer: it logs a warning on every report
whose 表三 has not exactly 175 numbers).

Prints per-report medians, what each side returned (giar-llm: table cells with a number, and cells named
unsure; the peer: numeric cells it filled, and which of its tables 二/三/四 it filled — ``三~`` is its
positional fallback that flags ``parse_warning``), both medians over reports and the ratio
giar-llm / peer (≤ 1 means giar-llm is as fast or faster). ``--cpu`` compares CPU times (giar-llm's
thread clock, the peer's process clock), steadier on a machine that others load.

Before anything is timed, both sides warm up for ``--warmup`` seconds (default 2), taking turns over the
reports: a processor that has been idle runs its first second or so slower (a virtual machine's host scales
its clock up under load), which would count against whichever side is timed first.
Without ``--peer-python`` it says that the peer is not installed and exits 2.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bench_reader import read_check_runs, reader_kind

from giar_llm.core.document import Document
from giar_llm.core.paths import flatten
from giar_llm.inputs import load_input
from giar_llm.inputs.text import decode
from giar_llm.reader import Reading, read

ROOT = Path(__file__).resolve().parents[1]
NOT_INSTALLED = (
    "the peer parser govnianbao is not installed: install it into a separate venv (see the docstring of "
    "benchmarks/bench_peer.py) and give --peer-python /path/to/that/venv/bin/python"
)

# Runs under the peer's python: one JSON job a line in ({"text", "repeat"}), one JSON result a line out (each
# run's CPU and wall milliseconds, and what the last run filled).
PEER_RUNNER = """
import json, logging, sys, time
try:
    from govnianbao import parse_annual_report_text
except ImportError as exc:
    print(json.dumps({"error": f"cannot import govnianbao: {exc}"}), flush=True)
    raise SystemExit(0)
logging.disable(logging.CRITICAL)
print(json.dumps({"ready": sys.version.split()[0]}), flush=True)
for line in sys.stdin:
    job = json.loads(line)
    text, cpu, wall = job["text"], [], []
    for _ in range(job["repeat"]):
        cpu0, wall0 = time.process_time(), time.perf_counter()
        report = parse_annual_report_text(text)
        cpu.append((time.process_time() - cpu0) * 1000)
        wall.append((time.perf_counter() - wall0) * 1000)
    filled, tables = 0, ""
    for mark, section in (("二", report.section2), ("三", report.section3), ("四", report.section4)):
        values = [v for t in section.tables.values() for row in t["cells"].values() for v in row.values()]
        count = sum(v is not None for v in values)
        filled += count
        if count:
            lenient = any(t.get("parse_warning") for t in section.tables.values())
            tables += mark + ("~" if lenient else "")
    print(json.dumps({"cpu": cpu, "wall": wall, "cells": filled, "tables": tables}, ensure_ascii=False), flush=True)
"""


class PeerError(Exception):
    """The peer's python could not run the peer: one line for the user."""


@dataclass(frozen=True)
class PeerTime:
    cpu_ms: list[float]  # each run's
    wall_ms: list[float]
    cells: int
    tables: str


class Peer:
    """A subprocess under the peer's python that parses texts and times them inside itself."""

    def __init__(self, python: str) -> None:
        try:
            self._process = subprocess.Popen(
                [python, "-c", PEER_RUNNER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            )
        except OSError as exc:
            raise PeerError(f"cannot run the peer's python {python}: {exc.strerror or exc}") from exc
        hello = self._answer()
        if "error" in hello:
            self.close()
            raise PeerError(f"{python}: {hello['error']} (install the peer into that venv)")
        self.version = str(hello["ready"])

    def _pipes(self) -> tuple[IO[str], IO[str]]:
        assert self._process.stdin is not None and self._process.stdout is not None
        return self._process.stdin, self._process.stdout

    def _answer(self) -> dict[str, Any]:
        line = self._pipes()[1].readline()
        if not line:
            raise PeerError(f"the peer's process ended (exit code {self._process.wait()})")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def time(self, text: str, repeat: int) -> PeerTime:
        stdin = self._pipes()[0]
        try:
            stdin.write(json.dumps({"text": text, "repeat": repeat}, ensure_ascii=False) + "\n")
            stdin.flush()
        except OSError as exc:
            raise PeerError(f"the peer's process ended (exit code {self._process.wait()})") from exc
        answer = self._answer()
        return PeerTime(list(answer["cpu"]), list(answer["wall"]), answer["cells"], answer["tables"] or "-")

    def close(self) -> None:
        if self._process.stdin is not None:
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        self._process.wait()


def default_files() -> list[Path]:
    """The repository's plain-text reports."""
    return sorted(p for p in (ROOT / "evals" / "reports").iterdir() if p.suffix in (".txt", ".md"))


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="plain-text reports (default: evals/reports *.txt *.md)")
    parser.add_argument("--peer-python", help="python of a separate venv where govnianbao is installed")
    parser.add_argument("--repeat", type=int, default=50, help="runs per report and side (median; default 50)")
    parser.add_argument("--cpu", action="store_true", help="compare CPU times instead of wall times")
    parser.add_argument(
        "--rounds",
        type=int,
        default=10,
        help="turns the two sides take at each report, each running repeat/rounds times (default 10, at most repeat)",
    )
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="seconds both sides run untimed first, in turns (default 2)"
    )
    parser.add_argument(
        "--no-pin", dest="pin", action="store_false", help="leave both sides free to run on any processor"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.warmup < 0:
        parser.error("--warmup must not be negative")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    args.rounds = min(args.rounds, args.repeat)  # (a turn runs once at least)
    return args


def _filled(reading: Reading) -> int:
    """How many table cells giar-llm's report holds a number for."""
    if reading.report is None:
        return 0
    return sum(v is not None for path, v in flatten(reading.report).items() if not path.startswith("meta."))


def warm_up(documents: list[Document], texts: list[str], peer: Peer, seconds: float) -> None:
    """Both sides read the reports in turns, untimed, until ``seconds`` have passed (at least once each when
    ``seconds`` > 0): the first report timed should not pay for a processor still scaling its clock up."""
    if seconds <= 0:
        return
    ends = time.perf_counter() + seconds
    while True:
        for document, text in zip(documents, texts, strict=True):
            read(document)
            peer.time(text, 1)
        if time.perf_counter() >= ends:
            return


def time_in_turns(
    document: Document, text: str, peer: Peer, repeat: int, rounds: int, clock: Callable[[], float]
) -> tuple[list[float], PeerTime]:
    """Each side's ``repeat`` runs on one report (giar-llm's milliseconds, and the peer's), taken in ``rounds``
    turns of about ``repeat / rounds`` runs each: a machine whose speed drifts (a shared host, a clock scaling)
    slows both sides alike, not whichever ran in the slow second."""
    ours: list[float] = []
    cpu: list[float] = []
    wall: list[float] = []
    last: PeerTime | None = None
    for turn in range(rounds):
        runs = repeat * (turn + 1) // rounds - repeat * turn // rounds
        ours += read_check_runs(document, runs, clock)
        last = peer.time(text, runs)
        cpu += last.cpu_ms
        wall += last.wall_ms
    assert last is not None
    return ours, PeerTime(cpu, wall, last.cells, last.tables)


def pin_to_one_processor() -> int | None:
    """Pin this process, and so the peer's process started after it (which inherits it), to one processor: the sides
    run by turns, never at once, and on a shared host two processors' speeds differ (measured here: the same two
    build 1.02-1.43x the peer unpinned, 1.04-1.19x pinned). Returns the processor, or None where it can't be set."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    processor = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {processor})
    return processor


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.peer_python:
        sys.stderr.write(NOT_INSTALLED + "\n")
        return 2
    files: list[Path] = args.files or default_files()
    pinned = pin_to_one_processor() if args.pin else None
    try:
        peer = Peer(args.peer_python)
    except PeerError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    clock = time.thread_time if args.cpu else time.perf_counter
    measure = "CPU" if args.cpu else "wall"
    out = sys.stdout
    out.write(f"{len(files)} reports, {args.repeat} runs each side; {measure} time; peer on Python {peer.version}\n")
    out.write(f"giar-llm's reader: {reader_kind()}\n")
    where = f"both on processor {pinned}" if pinned is not None else "processors not pinned"
    out.write(f"before: {_load()}; warm-up {args.warmup:g} s; {where}\n")
    out.write(
        f"{'report':36s} {'giar-llm':>9s} {'peer cpu':>9s} {'peer wall':>9s} {'ratio':>6s}   giar cells   peer cells\n"
    )
    ours: list[float] = []
    theirs: list[float] = []
    documents = [load_input(path).document for path in files]
    texts = [decode(path.read_bytes())[0] for path in files]
    try:
        warm_up(documents, texts, peer, args.warmup)
        for path, document, text in zip(files, documents, texts, strict=True):
            giar_runs, peer_time = time_in_turns(document, text, peer, args.repeat, args.rounds, clock)
            reading = read(document)
            giar_ms = statistics.median(giar_runs)
            peer_cpu, peer_wall = statistics.median(peer_time.cpu_ms), statistics.median(peer_time.wall_ms)
            peer_ms = peer_cpu if args.cpu else peer_wall
            ours.append(giar_ms)
            theirs.append(peer_ms)
            giar_cells = f"{_filled(reading):3d} {len(reading.unsure):2d} unsure"
            peer_cells = f"{peer_time.cells:3d} {peer_time.tables}"
            out.write(
                f"{path.name[:36]:36s} {giar_ms:6.2f} ms {peer_cpu:6.2f} ms {peer_wall:6.2f} ms "
                f"{giar_ms / peer_ms:5.1f}x   {giar_cells}   {peer_cells}\n"
            )
    except PeerError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    finally:
        peer.close()
    giar_median, peer_median = statistics.median(ours), statistics.median(theirs)
    out.write(f"median over reports ({measure}): giar-llm {giar_median:.3f} ms, peer {peer_median:.3f} ms\n")
    out.write(f"ratio giar-llm / peer: {giar_median / peer_median:.2f}x\n")
    out.write(f"after:  {_load()}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
