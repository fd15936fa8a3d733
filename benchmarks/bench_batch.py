"""Throughput of ``run_batch`` with the rules backend: a fresh run, then a resumed run (all skipped).

    python benchmarks/bench_batch.py            # 10,000 inputs, jobs = CPU count
    python benchmarks/bench_batch.py -n 2000 --jobs 4

The inputs are N copies of the gold-set text reports (evals/reports/*.txt and *.md), cycled, in a
temporary folder (1,000 per subfolder). Prints reports/second for each run, the statuses, the main
process's CPU seconds (the workers' are not counted) and the load average at the end of each run: on a
shared machine, a rate means little without it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from giar_llm.batch import BatchSummary, run_batch
from giar_llm.settings import Settings

REPORTS = Path(__file__).resolve().parent.parent / "evals" / "reports"


def build_inputs(folder: Path, count: int) -> None:
    sources = sorted(p for p in REPORTS.iterdir() if p.suffix in (".txt", ".md"))
    if not sources:
        raise SystemExit(f"no .txt/.md reports in {REPORTS}")
    texts = [(p.name, p.read_bytes()) for p in sources]
    for i in range(count):
        name, data = texts[i % len(texts)]
        sub = folder / f"part-{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:06d}-{name}").write_bytes(data)


def report(label: str, summary: BatchSummary, seconds: float, cpu: float) -> None:
    rate = summary.total / seconds if seconds else float("inf")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{label}: {summary.total} reports in {seconds:.2f} s = {rate:.0f} reports/s "
        f"(recomputed {summary.recomputed}, skipped {summary.skipped}; main process {cpu:.2f} s CPU; "
        f"load average {load})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", "--count", type=int, default=10_000, help="number of inputs (default 10000)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: CPUs)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="giar-bench-batch-"))
    try:
        inputs, outdir = workdir / "in", workdir / "out"
        started = time.perf_counter()
        build_inputs(inputs, args.count)
        print(f"built {args.count} inputs in {time.perf_counter() - started:.2f} s; jobs={args.jobs}")
        settings = Settings(backend="rules")

        started, cpu = time.perf_counter(), time.process_time()
        first = run_batch([inputs], outdir, settings, jobs=args.jobs)
        report("fresh run", first, time.perf_counter() - started, time.process_time() - cpu)
        print("statuses: " + ", ".join(f"{k}={v}" for k, v in first.statuses.items()))

        started, cpu = time.perf_counter(), time.process_time()
        second = run_batch([inputs], outdir, settings, jobs=args.jobs)
        report("resumed run", second, time.perf_counter() - started, time.process_time() - cpu)
        if second.recomputed:
            print(f"warning: the resumed run recomputed {second.recomputed} inputs", file=sys.stderr)
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
