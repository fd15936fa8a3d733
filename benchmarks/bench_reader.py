"""Median milliseconds per report for reading + checking, over evals/reports (or the given files).

    python benchmarks/bench_reader.py [--repeat 50] [FILES…]

Input decoding (HTML parsing, PDF text extraction) is timed separately: it happens once per file.
Prints each report's median, then the median over reports and the worst report (targets: ≤ 1 ms and
≤ 5 ms). The checker takes the reader's report as JSON data; its pydantic model is validated once per
report, when the pipeline first asks for it: that is timed apart, as ``validate``. ``--cpu`` times with the
thread's CPU clock instead of the wall clock (steadier on a machine that others load).

The peer parser (govnianbao) is compared on the same text files by ``benchmarks/bench_peer.py``, which
times giar-llm with :func:`time_read_check` from here.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from giar_llm.core.checker import check
from giar_llm.core.document import Document
from giar_llm.core.schema import parse_report
from giar_llm.inputs import load_input
from giar_llm.reader import compiled, read

ROOT = Path(__file__).resolve().parents[1]


def reader_kind() -> str:
    """Which reader the benchmark times: the installed wheel's compiled one, or the Python source."""
    return "compiled (mypyc)" if compiled() else "Python source (a wheel build compiles it: see README, Speed)"


def time_read_check(document: Document, repeat: int, clock: Callable[[], float] = time.perf_counter) -> float:
    """Median milliseconds of reading + checking ``document``, over ``repeat`` runs timed with ``clock``."""
    return statistics.median(read_check_runs(document, repeat, clock))


def read_check_runs(document: Document, repeat: int, clock: Callable[[], float] = time.perf_counter) -> list[float]:
    """Milliseconds of each of ``repeat`` runs reading + checking ``document``, timed with ``clock``."""

    def read_check() -> None:
        reading = read(document)
        if reading.data is not None:
            check(reading.data)

    return _runs(read_check, repeat, clock)


def validate_ms(document: Document, repeat: int, clock: Callable[[], float] = time.perf_counter) -> float:
    """Median milliseconds of validating the reader's report of ``document`` into its pydantic model (what
    ``Reading.report`` does once)."""
    data = read(document).data
    if data is None:
        return 0.0
    return statistics.median(_runs(lambda: parse_report(data), repeat, clock))


def _runs(work: Callable[[], object], repeat: int, clock: Callable[[], float]) -> list[float]:
    """Milliseconds of each of ``repeat`` runs of ``work``, timed with ``clock``."""
    times = []
    for _ in range(repeat):
        started = clock()
        work()
        times.append((clock() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--cpu", action="store_true", help="time with the thread's CPU clock")
    args = parser.parse_args()
    clock = time.thread_time if args.cpu else time.perf_counter
    files = args.files or sorted(p for p in (ROOT / "evals" / "reports").iterdir() if not p.name.startswith("."))
    medians: list[float] = []
    validated: list[float] = []
    sys.stdout.write(f"reader: {reader_kind()}\n")
    for path in files:
        started = time.perf_counter()
        document = load_input(path).document
        load_ms = (time.perf_counter() - started) * 1000
        median = time_read_check(document, args.repeat, clock)
        medians.append(median)
        validated.append(validate_ms(document, args.repeat, clock))
        sys.stdout.write(
            f"{path.name:40s} read+check {median:7.2f} ms   validate {validated[-1]:5.2f} ms   (load {load_ms:7.1f} ms)\n"
        )
    sys.stdout.write(
        f"{'median over reports':40s} read+check {statistics.median(medians):7.2f} ms"
        f"   validate {statistics.median(validated):5.2f} ms\n"
    )
    sys.stdout.write(f"{'worst report':40s} read+check {max(medians):7.2f} ms\n")


if __name__ == "__main__":
    main()
