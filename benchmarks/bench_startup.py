"""Start-up of the command line: ``giar-llm extract`` of a text report, offline, as a fresh process.

    python benchmarks/bench_startup.py [--repeat 10] [--source DIR] [FILE]

Prints the best and median wall time and the best CPU time (user + system) over the runs; the best is
the figure to quote on a shared machine. ``--source DIR`` runs the package found in DIR instead (e.g. an
older checkout exported with ``git archive``), to compare before and after.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "evals" / "reports" / "000_27f8f84a704e59bd.txt"


def run_once(file: Path, source: Path | None) -> tuple[float, float]:
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from giar_llm.cli import main; main()", "extract", str(file)],
        check=True,
        stdout=subprocess.DEVNULL,
        env=env,
        cwd=Path(file).resolve().parent,  # not the checkout: PYTHONPATH decides which package runs
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=SEED)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--source", type=Path, default=None)
    args = parser.parse_args()
    file, source = args.file.resolve(), args.source.resolve() if args.source else None
    runs = [run_once(file, source) for _ in range(args.repeat)]
    walls, cpus = [w for w, _ in runs], [c for _, c in runs]
    print(
        f"giar-llm extract {args.file.name}: wall best {min(walls):.3f} s, median {statistics.median(walls):.3f} s; "
        f"cpu best {min(cpus):.3f} s ({args.repeat} runs, load {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
