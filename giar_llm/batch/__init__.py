"""Many documents: expand the inputs, extract each one in isolation, resume, and write the batch outputs.

Planning and resume are in ``plan``, running the tasks in ``execute``, the batch outputs in ``outputs``;
the results are kept in one store (``store``: ``batch.sqlite``).

Layout of ``outdir``::

    batch.sqlite          the store: one row per finished input (content hash, config key, corrections
                          digest, status, retry, its envelope and data-package rows: a copy's row holds the
                          parts naming its file, the rest is kept once for all copies); SQLite, WAL (-wal, -shm)
    results/<name>.json   one result envelope per input (as ``extract`` writes it, on one line), exported
    corrections/*.json    kept corrections from the review page (``giar-llm review``), applied on every run
    results.jsonl         every envelope, one per line, in input order (cross-year warnings added)
    cells.csv             the data package (``giar_llm.datapackage``, columns in ``core.tabular``): one row
    cells.parquet         per report and cell, with its evidence level, reason, quote and line;
    reports.csv           one row per input with a fixed column set (every cell of both formats, each
    reports.parquet       value beside its level); codebook.csv and datapackage.json describe every column;
    codebook.csv          CSV is UTF-8 with a BOM (for Excel), Parquet is written when pyarrow is installed
    datapackage.json
    cross_year.json       the cross-year warnings by source path (see ``core.cross_year``)
    summary.json          counts by status, violations by check, model accounting, timings

``<name>`` is the input's path relative to the folder (or glob) it was found under, made safe for a file
name, plus a short hash of its absolute path, so two inputs with the same base name never collide.

Resume: an input is skipped when its row in the store names the file's current content hash, the current
config key (backend, model, base_url, prompt version, package version, max_rounds) and the same
corrections, and is not marked for a retry. The store is written by the main process only, one
transaction per chunk of results, so a batch killed at any moment loses no committed result and leaves no
half-written one; a result computed but not committed is simply redone. Each result file is exported
atomically (a temporary file, then a rename) before its row is committed, and exported again from the
store when it is missing or short (a power cut: the exports are not fsync'ed). The batch outputs are
exported from the store, each renamed into place whole; the big ones are not fsync'ed either: their sizes
are recorded with the export, and a resumed run that changed no row keeps them only while those sizes hold. A failure that may
not happen again (an unexpected exception, a dead worker, a model error, a ``failed`` envelope from a
model backend) is recorded with ``retry`` and redone on the next run; a file that can't be read (empty,
binary, no table) is a final ``failed`` result and is skipped.

Copies: inputs with the same content (sha256), config and corrections are read once; each of the others gets
that result with its own ``source`` (and so its own report id and data-package rows). Once the first one's
result is in, its copies are handed to the workers some at a time (any worker), and committed as they come.
A result that names its file beyond ``source`` (in an error or a warning) is not copied: that input is read
on its own. ``reports.csv`` still marks each copy ``duplicate_of``.

Corrections: the files in ``corrections/`` (and those passed in) are applied to the inputs they were made
on (by content hash), after reading; a correction made on an older version of an input's file name is
reported in its warnings, not applied. A change in an input's corrections redoes it on the next run.

Isolation: any exception for one file becomes a ``failed`` envelope with a one-line reason; a worker
process that dies (out of memory, a crash in a parser) fails only the file it was on, and one that takes
longer than the per-file deadline (``--file-timeout``, GIAR_FILE_TIMEOUT; default 300 s, plus the model
deadline for a model backend) is killed and its file recorded as failed (redone on the next run); a new
worker takes its place. Workers end with the batch's main process, ``kill -9`` included.

Cross-year warnings (``core.cross_year``: 上年结转 vs last year's 结转下年度, 现行有效件数 carried
forward) are added to the envelopes' ``warnings`` in ``results.jsonl`` and counted in ``reports.csv``, and
listed in ``cross_year.json``; the per-input result files are not rewritten.

In ``summary.json`` the statuses and violations count every input (resumed ones too); calls, cache hits,
tokens and ``compute_seconds`` count the work done by this run only; ``seconds`` is this run's wall time, and
``step_seconds`` that of each of its steps: ``plan`` (listing, hashing and resuming the inputs), ``extract`` (the
tasks), ``second_look`` (``neighbours``) and ``outputs``.

One batch at a time per ``outdir``: a run starts by removing temporary files a killed run left there
(each temporary names the process writing it; one whose writer is alive is kept).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import orjson

from giar_llm.batch.execute import Outcome, export, in_processes, run_tasks
from giar_llm.batch.lock import folder_lock
from giar_llm.batch.neighbours import revisit_with_neighbours
from giar_llm.batch.outputs import APART_FROM, write_outputs
from giar_llm.batch.plan import (
    BatchItem,
    BatchSummary,
    Selection,
    config_key,
    plan_batch,
    remove_stale_temporaries,
    result_name,
    select_inputs,
)
from giar_llm.batch.processes import start_fork_server
from giar_llm.batch.store import Store
from giar_llm.core.corrections import Correction
from giar_llm.core.tabular import report_columns
from giar_llm.datapackage import load_parquet, read_manifest
from giar_llm.files import dumps, load_corrections, write_text_atomic
from giar_llm.inputs.listing import expand_inputs
from giar_llm.llm.extraction import Extractor
from giar_llm.settings import Settings

CORRECTIONS_FOLDER = "corrections"

__all__ = [
    "BatchItem",
    "BatchSummary",
    "Selection",
    "config_key",
    "expand_inputs",
    "result_name",
    "run_batch",
    "select_inputs",
]


def _summary_text(summary: BatchSummary) -> str:
    """summary.json as ``files.dumps`` writes it, made by orjson (its lists name every duplicate and failed file: a
    batch of thousands makes it long). Its only floats are seconds rounded to the millisecond, which both write
    alike; an integer beyond 64 bits goes to the standard encoder."""
    data = summary.to_json()
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
    except TypeError:
        return dumps(data) + "\n"


def _steps(steps: dict[str, float], started: float) -> Callable[[str], None]:
    """``mark(step)``: the wall seconds since the last mark (or ``started``) recorded as ``step``'s."""
    last = started

    def mark(step: str) -> None:
        nonlocal last
        now = time.perf_counter()
        steps[step] = now - last
        last = now

    return mark


def run_batch(
    inputs: Sequence[Path | str],
    outdir: Path,
    settings: Settings,
    jobs: int | None = None,
    on_result: Callable[[BatchItem], None] | None = None,
    extractor: Extractor | None = None,
    corrections: Sequence[Correction] = (),
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    manifest: Path | None = None,
    wait: bool = False,
) -> BatchSummary:
    """Extract every input into ``outdir`` (see the module docstring), resuming finished work.

    ``jobs`` (default: the CPU count) is the number of worker processes for the ``rules`` backend; the
    model backends use ``settings.concurrency`` threads. ``extractor`` (a fake model in tests) runs in
    threads, or inline for ``rules``. ``include``/``exclude`` are globs on the file name or path; ``manifest``
    is a CSV of the user's own columns, joined on file name into the data package. Another batch on the
    same ``outdir`` is refused (``BusyError``), or waited for with ``wait``.
    """
    with folder_lock(outdir, wait):
        return _run_batch(inputs, outdir, settings, jobs, on_result, extractor, corrections, include, exclude, manifest)


def _run_batch(
    inputs: Sequence[Path | str],
    outdir: Path,
    settings: Settings,
    jobs: int | None,
    on_result: Callable[[BatchItem], None] | None,
    extractor: Extractor | None,
    corrections: Sequence[Correction],
    include: Sequence[str],
    exclude: Sequence[str],
    manifest: Path | None,
) -> BatchSummary:
    started = time.perf_counter()
    user_columns = read_manifest(manifest, [c.name for c in report_columns()]) if manifest is not None else None
    jobs = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    results_dir = outdir / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(results_dir, outdir)

    kept = outdir / CORRECTIONS_FOLDER
    if kept.is_dir():
        corrections = [*corrections, *load_corrections(kept)]
    selection = select_inputs(inputs, outdir, include, exclude)
    with Store(outdir) as store:
        if len(selection.files) > len(store.stored()) and in_processes(settings, jobs, extractor, 2):
            start_fork_server()  # some input is not done yet: the workers' fork server starts while the plan is made
        plan = plan_batch(selection, outdir, settings, store, corrections)
        for task in plan.reexport:
            text = store.envelope(task.name)
            if text is not None:
                export(Path(task.result), text + "\n")
        summary = BatchSummary(outdir=outdir, total=len(plan.tasks), skipped=len(plan.resumed))
        mark = _steps(summary.steps, started)
        mark("plan")
        summary.not_reports = selection.not_reports
        if on_result is not None:
            for task, stored in plan.resumed:
                on_result(BatchItem(Path(task.path), stored.status, True, 0.0, Path(task.result), stored.error))

        recomputed: set[int] = set()

        def emit(outcomes: list[Outcome]) -> None:
            store.put(o.record for o in outcomes)  # one transaction: the chunk's results are done together
            for outcome in outcomes:
                recomputed.add(outcome.index)
                if outcome.cost is not None:
                    summary.cost.add(outcome.cost)
                if on_result is not None:
                    task = plan.tasks[outcome.index]
                    on_result(
                        BatchItem(
                            Path(task.path), outcome.status, False, outcome.seconds, Path(task.result), outcome.error
                        )
                    )

        todo = sum(1 + len(t.copies) for t in plan.todo)
        loading = load_parquet() if in_processes(settings, jobs, extractor, todo) else None  # while workers read
        run_tasks(plan.todo, settings, jobs, extractor, emit)
        if loading is not None:
            loading.join()
        mark("extract")
        revisit_with_neighbours(plan.tasks, settings, extractor, store, recomputed, jobs)
        mark("second_look")

        if recomputed:
            store.forget_unused()
        summary.recomputed = len(recomputed)
        apart = in_processes(settings, jobs, extractor, len(plan.tasks)) and len(plan.tasks) >= APART_FROM
        write_outputs(plan.tasks, recomputed, outdir, summary, store, user_columns, apart)
        mark("outputs")
    summary.seconds = time.perf_counter() - started
    write_text_atomic(outdir / "summary.json", _summary_text(summary))
    return summary
