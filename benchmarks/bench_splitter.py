"""Milliseconds to split long digit runs by the table's arithmetic (``reader.cells.split_runs``).

    python benchmarks/bench_splitter.py [--count 20]

表三 rows of 45–60 digits (a row of big numbers; several rows glued together with their labels lost;
random digits) and 表四 runs of 26–28 digits (three groups of five, each fifth the sum of four). Prints
the median and the slowest split of each kind, and what was found (unique / ambiguous / none).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from giar_llm.reader.cells import split_runs

ROW_TOTAL = ((0, 6),)
TABLE4 = ((0, 4), (5, 9), (10, 14))


def _table3_valid(rng: random.Random) -> str:
    while True:
        cells = [rng.randint(10**5, 10**8) for _ in range(6)]
        run = "".join(map(str, [*cells, sum(cells)]))
        if 45 <= len(run) <= 60:
            return run


def _table3_glued(rng: random.Random) -> str:
    rows = []
    while sum(map(len, rows)) < 60:
        cells = [rng.choice((0, 0, 1, rng.randint(0, 40))) for _ in range(6)]
        rows.append("".join(map(str, [*cells, sum(cells)])))
    return "".join(rows)[: rng.randint(45, 60)]


def _digits(rng: random.Random, low: int, high: int) -> str:
    return str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(rng.randint(low, high) - 1))


def _table4_valid(rng: random.Random) -> str:
    while True:
        values = []
        for _ in range(3):
            parts = [rng.randint(0, 99) for _ in range(4)]
            values += [*parts, sum(parts)]
        run = "".join(map(str, values))
        if 26 <= len(run) <= 28:
            return run


CASES: dict[str, tuple[Callable[[random.Random], str], int, tuple[tuple[int, int], ...]]] = {
    "表三 45–60 digits, a valid row": (_table3_valid, 7, ROW_TOTAL),
    "表三 45–60 digits, rows glued": (_table3_glued, 7, ROW_TOTAL),
    "表三 45–60 random digits": (lambda rng: _digits(rng, 45, 60), 7, ROW_TOTAL),
    "表四 26–28 digits, valid groups": (_table4_valid, 15, TABLE4),
    "表四 26–28 random digits": (lambda rng: _digits(rng, 26, 28), 15, TABLE4),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=20, help="runs of each kind (default 20)")
    args = parser.parse_args()
    rng = random.Random(16)
    for label, (make, n, sums) in CASES.items():
        times, found = [], {"unique": 0, "ambiguous": 0, "none": 0, "incomplete": 0}
        for _ in range(args.count):
            run = make(rng)
            started = time.perf_counter()
            split = split_runs([run], n, sums)
            times.append((time.perf_counter() - started) * 1000)
            kind = (
                "incomplete"
                if not split.complete
                else "unique"
                if len(split.solutions) == 1
                else "ambiguous"
                if split.solutions
                else "none"
            )
            found[kind] += 1
        outcome = ", ".join(f"{k} {v}" for k, v in found.items() if v)
        print(f"{label:34s} median {statistics.median(times):7.2f} ms  slowest {max(times):7.2f} ms  ({outcome})")


if __name__ == "__main__":
    main()
