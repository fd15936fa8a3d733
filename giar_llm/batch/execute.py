"""Running a batch's tasks: each input extracted in isolation and its result recorded, inline, in threads
(model backends) or in chunks over a process pool (the rules backend), surviving a worker that dies."""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from giar_llm.batch.plan import Task
from giar_llm.batch.store import Record
from giar_llm.core.corrections import apply_corrections
from giar_llm.core.envelope import Envelope
from giar_llm.errors import InputError, ReportFormatError
from giar_llm.files import atomic_file
from giar_llm.inputs.names import readable
from giar_llm.llm.extraction import Extractor
from giar_llm.pipeline import extract_file, failed_envelope
from giar_llm.settings import Settings

__all__ = ["Emit", "Outcome", "run_tasks"]

_MAX_CHUNK = 16


@dataclass(frozen=True)
class Outcome:
    index: int
    status: str
    seconds: float
    error: str | None
    record: Record


Emit = Callable[[list[Outcome]], None]  # a chunk's outcomes, committed together


def _reason(exc: BaseException) -> str:
    lines = f"{type(exc).__name__}: {exc}".strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def export(path: Path, text: str) -> None:
    """A result file exported from the store: atomic (whole or absent), not fsync'ed (the store is what
    says a result is done; a file a power cut left short is exported again, see ``plan``)."""
    with atomic_file(path, fsync=False) as handle:
        handle.write(text)


def record(task: Task, envelope: Envelope, retry: bool) -> Record:
    """A task's result as a store row, its result file exported (the row is committed by the caller)."""
    text = envelope.model_dump_json()  # compact JSON, non-ASCII as is (pydantic's serializer, in Rust)
    export(Path(task.result), text + "\n")
    meta = envelope.report.meta if envelope.report is not None else None
    return Record(
        name=task.name,
        path=readable(task.path),  # the store is UTF-8: a GBK-encoded name is kept as its readable form
        sha256=envelope.source.sha256 or task.sha256,
        config=task.config,
        corrections=task.corrections_key,
        status=envelope.status,
        error=envelope.error,
        retry=retry,
        has_candidates=bool(envelope.candidates),
        agency=meta.agency if meta is not None else None,
        year=meta.year if meta is not None else None,
        envelope=text,
    )


def _run_one(task: Task, settings: Settings, extractor: Extractor | None) -> Outcome:
    started = time.perf_counter()
    try:
        envelope = extract_file(task.path, settings, extractor)
        retry = (envelope.status == "failed" and settings.backend != "rules") or envelope.run.degraded
        if task.corrections:
            envelope = apply_corrections(envelope, task.corrections).envelope
    except Exception as exc:  # isolation: one bad file never stops the batch
        envelope = failed_envelope(task.path, _reason(exc), task.sha256)
        retry = not isinstance(exc, InputError | ReportFormatError)
    row = record(task, envelope, retry)
    return Outcome(task.index, envelope.status, time.perf_counter() - started, envelope.error, row)


def _run_chunk(tasks: list[Task], settings: Settings) -> list[Outcome]:
    """The process-pool worker (module level, so it pickles)."""
    return [_run_one(task, settings, None) for task in tasks]


def _fail(task: Task, reason: str) -> Outcome:
    """A failure the worker itself could not record (a dead worker process, an error writing the result)."""
    envelope = failed_envelope(task.path, reason, task.sha256)
    return Outcome(task.index, "failed", 0.0, reason, record(task, envelope, retry=True))


def _mp_context() -> Any:
    """forkserver (safe when the caller runs threads, e.g. a progress bar) with this module preloaded, so a
    worker starts as a cheap fork instead of importing the package again; spawn where there is no forkserver."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def _run_inline(tasks: list[Task], settings: Settings, extractor: Extractor | None, emit: Emit) -> None:
    for task in tasks:
        try:
            outcome = _run_one(task, settings, extractor)
        except Exception as exc:
            outcome = _fail(task, _reason(exc))
        emit([outcome])


def _run_threads(tasks: list[Task], settings: Settings, workers: int, extractor: Extractor | None, emit: Emit) -> None:
    queue = deque(tasks)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="giar-batch") as pool:
        running: dict[Future[Outcome], Task] = {}
        while queue or running:
            while queue and len(running) < workers * 2:
                task = queue.popleft()
                running[pool.submit(_run_one, task, settings, extractor)] = task
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                task = running.pop(future)
                try:
                    outcome = future.result()
                except Exception as exc:
                    outcome = _fail(task, _reason(exc))
                emit([outcome])


def _run_processes(tasks: list[Task], settings: Settings, jobs: int, emit: Emit) -> None:
    """Chunks of tasks over a process pool, at most ``2 * jobs`` chunks in flight.

    When a worker dies the pool breaks and every chunk in flight is lost: those tasks become suspects and
    run one at a time in a fresh pool; a suspect that breaks the pool alone is recorded as failed.
    """
    size = max(1, min(_MAX_CHUNK, len(tasks) // (jobs * 4)))
    queue = deque(tasks[i : i + size] for i in range(0, len(tasks), size))
    suspects: deque[Task] = deque()
    while queue or suspects:
        running: dict[Future[list[Outcome]], list[Task]] = {}
        alone: Task | None = None
        broken = False
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_mp_context())
        try:
            while (queue or suspects or running) and not broken:
                if suspects:
                    if not running:
                        alone = suspects.popleft()
                        running[pool.submit(_run_chunk, [alone], settings)] = [alone]
                else:
                    alone = None
                    while queue and len(running) < jobs * 2:
                        chunk = queue.popleft()
                        running[pool.submit(_run_chunk, chunk, settings)] = chunk
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    chunk = running.pop(future)
                    try:
                        outcomes = future.result()
                    except BrokenProcessPool:
                        broken = True
                        if alone is not None and chunk == [alone]:
                            emit(
                                [_fail(alone, "BrokenProcessPool: the worker process died (out of memory or a crash)")]
                            )
                        else:
                            suspects.extend(chunk)
                        continue
                    except Exception as exc:
                        outcomes = [_fail(task, _reason(exc)) for task in chunk]
                    emit(outcomes)
            for chunk in running.values():  # lost with the broken pool
                suspects.extend(chunk)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def run_tasks(tasks: list[Task], settings: Settings, jobs: int, extractor: Extractor | None, emit: Emit) -> None:
    """Run ``tasks``, calling ``emit`` with the outcomes of each chunk (or each task, inline and in threads)
    as they finish; their result files are exported, their rows are the caller's to commit.

    The rules backend runs in ``jobs`` worker processes; the model backends in ``settings.concurrency``
    threads; an ``extractor`` (a fake model in tests) in threads, or inline for ``rules``.
    """
    if settings.backend == "rules" and extractor is None and jobs > 1 and len(tasks) > 1:
        _run_processes(tasks, settings, jobs, emit)
    elif settings.backend != "rules" and settings.concurrency > 1 and len(tasks) > 1:
        _run_threads(tasks, settings, settings.concurrency, extractor, emit)
    else:
        _run_inline(tasks, settings, extractor, emit)
