"""Median milliseconds per report for reading + checking, over evals/reports (or the given files).

    python benchmarks/bench_reader.py [--repeat 50] [FILES…]

Input decoding (HTML parsing, PDF text extraction) is timed separately: it happens once per file.
Prints each report's median, then the median over reports and the worst report (targets: ≤ 1 ms and
≤ 5 ms). ``--cpu`` times with the thread's CPU clock instead of the wall clock (steadier on a machine
that others load).

The peer parser (govnianbao) is not compared here: it is not on PyPI (``pip download --no-deps
govnianbao`` finds no distribution) and this machine reaches no other source. To compare, install it
from its public source into a separate venv and time its parse of the same text files in one run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from giar_llm.core.checker import check
from giar_llm.inputs import load_input
from giar_llm.reader import read

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--cpu", action="store_true", help="time with the thread's CPU clock")
    args = parser.parse_args()
    clock = time.thread_time if args.cpu else time.perf_counter
    files = args.files or sorted(p for p in (ROOT / "evals" / "reports").iterdir() if not p.name.startswith("."))
    medians: list[float] = []
    for path in files:
        started = time.perf_counter()
        document = load_input(path).document
        load_ms = (time.perf_counter() - started) * 1000
        times = []
        for _ in range(args.repeat):
            started = clock()
            reading = read(document)
            if reading.report is not None:
                check(reading.report)
            times.append((clock() - started) * 1000)
        median = statistics.median(times)
        medians.append(median)
        sys.stdout.write(f"{path.name:40s} read+check {median:7.2f} ms   (load {load_ms:7.1f} ms)\n")
    sys.stdout.write(f"{'median over reports':40s} read+check {statistics.median(medians):7.2f} ms\n")
    sys.stdout.write(f"{'worst report':40s} read+check {max(medians):7.2f} ms\n")


if __name__ == "__main__":
    main()
