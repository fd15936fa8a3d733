"""Median milliseconds per report for reading + checking, over evals/reports (or the given files).

    python benchmarks/bench_reader.py [--repeat 50] [FILES…]

Input decoding (HTML parsing, PDF text extraction) is timed separately: it happens once per file.
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
    args = parser.parse_args()
    files = args.files or sorted(p for p in (ROOT / "evals" / "reports").iterdir() if not p.name.startswith("."))
    medians: list[float] = []
    for path in files:
        started = time.perf_counter()
        document = load_input(path).document
        load_ms = (time.perf_counter() - started) * 1000
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            reading = read(document)
            if reading.report is not None:
                check(reading.report)
            times.append((time.perf_counter() - started) * 1000)
        median = statistics.median(times)
        medians.append(median)
        sys.stdout.write(f"{path.name:40s} read+check {median:7.2f} ms   (load {load_ms:7.1f} ms)\n")
    sys.stdout.write(f"{'median over reports':40s} read+check {statistics.median(medians):7.2f} ms\n")


if __name__ == "__main__":
    main()
