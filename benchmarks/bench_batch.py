"""Throughput of ``run_batch`` with the rules backend: a fresh run, then a resumed run (all skipped), over
copies of the gold-set reports and over distinct inputs.

    python benchmarks/bench_batch.py            # 10,000 inputs, jobs = CPU count, both kinds of inputs
    python benchmarks/bench_batch.py -n 2000 --jobs 2 --inputs distinct

The inputs are N files made from the gold-set text reports (evals/reports/*.txt and *.md), cycled, in a
temporary folder (1,000 per subfolder), of two kinds:

- ``copies``: exact copies. A batch reads each content once and gives its copies the same result under
  their own names (collections hold duplicate downloads), so this measures the rest of the batch: planning,
  the store, the per-input result files and the batch outputs.
- ``distinct``: each file the report plus a line of blanks (spaces and tabs) that spells its number, so
  every file has content of its own and is read; its result is the same as the report's (the statuses
  printed for both kinds must agree). This is the honest rate for a collection without duplicates.

Prints reports/second for each run, the statuses, the wall seconds of each step of the batch (plan, extract,
second look, outputs), the CPU a report costs in the main process (its threads
included) and, for a fresh run, in the other processes (fork server and workers, read from /proc), and the
load average at the end of each run: on a shared machine, a rate means little without them. It also prints
what the folder's file system takes to make one result file (a fresh batch makes one per input): ``--dir``
chooses that folder (e.g. ``--dir /dev/shm`` measures the batch without a disk).
First (``--split``, 300 inputs by default) it measures, in its own process, the CPU a report costs in a
worker: reading it, recording it, and giving its result to a copy; with the main process's CPU per report
(from the runs), that is the floor of the rate on a machine's cores.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

from giar_llm.batch import BatchSummary, run_batch
from giar_llm.settings import Settings

REPORTS = Path(__file__).resolve().parent.parent / "evals" / "reports"
KINDS = ("copies", "distinct")


def _blanks(number: int) -> bytes:
    """A line of spaces and tabs that spells ``number`` in binary: no text, but content of its own."""
    return b"\n" + format(number, "b").replace("0", " ").replace("1", "\t").encode("ascii") + b"\n"


def build_inputs(folder: Path, count: int, kind: str = "copies") -> None:
    sources = sorted(p for p in REPORTS.iterdir() if p.suffix in (".txt", ".md"))
    if not sources:
        raise SystemExit(f"no .txt/.md reports in {REPORTS}")
    texts = [(p.name, p.read_bytes()) for p in sources]
    for i in range(count):
        name, data = texts[i % len(texts)]
        sub = folder / f"part-{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:06d}-{name}").write_bytes(data + _blanks(i) if kind == "distinct" else data)


class Descendants:
    """The CPU seconds of this process's descendants (the fork server and the worker processes, which are not
    its children, so ``getrusage`` misses them), from /proc, polled every 0.1 s in a thread: each process's
    last reading counts. None where there is no /proc."""

    def __init__(self) -> None:
        self.seen: dict[int, float] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)
        if os.path.isdir("/proc/self"):
            self.thread.start()

    def _poll(self) -> None:
        me, tick = os.getpid(), os.sysconf("SC_CLK_TCK")
        while not self.done.wait(0.1):
            parents: dict[int, tuple[int, float]] = {}
            for entry in os.listdir("/proc"):
                if entry.isdigit():
                    try:
                        with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                            fields = handle.read().rsplit(")", 1)[1].split()
                    except OSError:
                        continue
                    parents[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
            for pid, (parent, cpu) in parents.items():
                while parent in parents and parent != me:
                    parent = parents[parent][0]
                if parent == me and pid != me:
                    self.seen[pid] = cpu

    def stop(self) -> float | None:
        if not self.thread.is_alive():
            return None
        self.done.set()
        self.thread.join()
        return sum(self.seen.values())


def report(label: str, summary: BatchSummary, seconds: float, cpu: float, others: float | None) -> None:
    rate = summary.total / seconds if seconds else float("inf")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    per = 1000 / max(1, summary.total)
    workers = f", workers {others * per:.3f} ms" if others is not None else ""
    steps = ", ".join(  # an older checkout (run through PYTHONPATH) records none
        f"{step} {step_seconds:.2f}" for step, step_seconds in getattr(summary, "steps", {}).items()
    )
    print(
        f"{label}: {summary.total} reports in {seconds:.2f} s = {rate:.0f} reports/s "
        f"(recomputed {summary.recomputed}, skipped {summary.skipped}; CPU a report: main process {cpu * per:.3f} ms"
        f"{workers}; seconds: {steps}; load average {load})",
        flush=True,
    )


def bench(workdir: Path, kind: str, count: int, jobs: int, keep: bool) -> None:
    inputs, outdir = workdir / kind / "in", workdir / kind / "out"
    started = time.perf_counter()
    build_inputs(inputs, count, kind)
    print(f"{kind}: built {count} inputs in {time.perf_counter() - started:.2f} s; jobs={jobs}", flush=True)
    settings = Settings(backend="rules")

    others = Descendants()
    started, cpu = time.perf_counter(), time.process_time()
    first = run_batch([inputs], outdir, settings, jobs=jobs)
    report(f"{kind}, fresh run", first, time.perf_counter() - started, time.process_time() - cpu, others.stop())
    print(f"{kind}, statuses: " + ", ".join(f"{k}={v}" for k, v in sorted(first.statuses.items())), flush=True)

    started, cpu = time.perf_counter(), time.process_time()
    second = run_batch([inputs], outdir, settings, jobs=jobs)
    report(f"{kind}, resumed run", second, time.perf_counter() - started, time.process_time() - cpu, None)
    if second.recomputed:
        print(f"warning: the resumed run recomputed {second.recomputed} inputs", file=sys.stderr)
    if not keep:  # the next kind's run has the disk to itself
        shutil.rmtree(workdir / kind, ignore_errors=True)


def split(workdir: Path, count: int) -> None:
    """CPU milliseconds a report costs in a worker, measured in this process over ``count`` distinct inputs:
    reading it (``extract_file``: load, read, check, envelope), recording it (its result file, its store row
    and data-package rows), and giving its result to one copy (``copy_outcome``)."""
    from giar_llm.batch.execute import Outcome, copy_outcome, record, warm_up
    from giar_llm.batch.plan import plan_batch, select_inputs
    from giar_llm.batch.store import Store
    from giar_llm.pipeline import extract_file

    inputs, outdir = workdir / "split" / "in", workdir / "split" / "out"
    build_inputs(inputs, count, "distinct")
    settings = Settings(backend="rules")
    (outdir / "results").mkdir(parents=True)
    with Store(outdir) as store:
        tasks = plan_batch(select_inputs([inputs], outdir), outdir, settings, store).todo
    warm_up()
    extract_file(tasks[0].path, settings)
    cpu = time.process_time()
    envelopes = [extract_file(task.path, settings) for task in tasks]
    read = time.process_time() - cpu
    cpu = time.process_time()
    outcomes = [
        Outcome(t.index, e.status, 0.0, e.error, record(t, e, False)) for t, e in zip(tasks, envelopes, strict=True)
    ]
    recorded = time.process_time() - cpu
    cpu = time.process_time()
    for task, outcome in zip(tasks[1:], outcomes[:-1], strict=True):  # the next input's name, as if a copy
        if copy_outcome(replace(task, sha256=outcome.record.sha256), outcome) is None:
            raise SystemExit(f"{task.path}: not copied")
    copied = time.process_time() - cpu
    per = 1000 / len(tasks)
    print(
        f"per report, CPU in a worker ({len(tasks)} distinct inputs, in this process): read {read * per:.2f} ms, "
        f"record {recorded * per:.2f} ms; a copy {copied * 1000 / max(1, len(tasks) - 1):.2f} ms",
        flush=True,
    )
    shutil.rmtree(workdir / "split", ignore_errors=True)


def file_cost(workdir: Path, count: int = 300) -> None:
    """CPU milliseconds the folder's file system takes to export one result file as a batch does (a new temporary
    of 30 KB, renamed into place): a fresh batch makes one per input, so this is part of its floor."""
    folder = workdir / "file-cost"
    folder.mkdir()
    data = b"x" * 30_000
    cpu = time.process_time()
    for i in range(count):
        temporary = folder / f".{i}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        os.write(fd, data)
        os.close(fd)
        os.replace(temporary, folder / f"{i}.json")
    print(f"a result file costs {(time.process_time() - cpu) * 1000 / count:.3f} ms of CPU in {workdir}", flush=True)
    shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-n", "--count", type=int, default=10_000, help="number of inputs (default 10000)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: CPUs)")
    parser.add_argument("--inputs", choices=(*KINDS, "both"), default="both", help="copies, distinct or both (default)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    parser.add_argument(
        "--split", type=int, default=300, metavar="N", help="measure a worker's costs over N inputs first (0: not)"
    )
    parser.add_argument(
        "--dir", type=Path, default=None, help="where the inputs and outputs go (default: the temporary folder)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)  # the duplicates' warnings are the point of the copies, not news

    from giar_llm.reader import compiled

    print(f"reader and core: {'compiled (mypyc)' if compiled() else 'Python source'}", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="giar-bench-batch-", dir=args.dir))
    try:
        file_cost(workdir)
        if args.split:
            split(workdir, args.split)
        for kind in KINDS if args.inputs == "both" else (args.inputs,):
            bench(workdir, kind, args.count, args.jobs, args.keep)
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
