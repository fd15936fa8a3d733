"""Running a batch's tasks: each input extracted in isolation and its result recorded, inline, in threads
(model backends) or over worker processes (the rules backend) with a deadline per file, surviving a worker
that hangs or dies, and no worker outliving the batch."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from multiprocessing import connection
from multiprocessing.connection import Connection
from pathlib import Path, PurePath
from typing import Any

from giar_llm.batch import processes
from giar_llm.batch.plan import Task
from giar_llm.batch.store import Record, moved_wide, pack_rows
from giar_llm.core.corrections import apply_corrections
from giar_llm.core.cost import Cost
from giar_llm.core.envelope import Envelope, Source
from giar_llm.core.schema import empty_report
from giar_llm.datapackage import package_rows, source_places
from giar_llm.errors import InputError, ReportFormatError
from giar_llm.files import TEMPORARY_SUFFIX, dumps_compact, loads_exact
from giar_llm.inputs.names import readable, verbatim
from giar_llm.llm.extraction import Extractor
from giar_llm.pipeline import extract_file, failed_envelope
from giar_llm.settings import Settings

__all__ = [
    "DEFAULT_FILE_TIMEOUT",
    "Emit",
    "Outcome",
    "copy_outcome",
    "file_timeout",
    "in_processes",
    "run_tasks",
    "warm_up",
]

_MAX_CHUNK = 16


@dataclass(frozen=True)
class Outcome:
    index: int
    status: str
    seconds: float
    error: str | None
    record: Record
    cost: Cost | None = None  # of the extraction (a model's calls and tokens)


Emit = Callable[[list[Outcome]], None]  # a chunk's outcomes, committed together


def export(path: Path, text: str) -> None:
    """A result file exported from the store: atomic (whole or absent), not fsync'ed (the store is what
    says a result is done; a file a power cut left short is exported again, see ``plan``)."""
    write_parts(path, text.encode("utf-8"))


def write_parts(path: Path | str, *parts: bytes) -> int:
    """``export`` of a text already encoded, in parts (one write): a temporary beside the file, renamed into
    place (named as ``files.atomic_file`` names its temporaries, so a killed run's are cleaned up alike).
    Returns the bytes written."""
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}-{next(_TEMPORARIES)}{TEMPORARY_SUFFIX}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    try:
        fd = os.open(temporary, flags, 0o666)  # the umask applies, as to any new file
    except FileNotFoundError:  # the folder went away meanwhile
        os.makedirs(folder or ".", exist_ok=True)
        fd = os.open(temporary, flags, 0o666)
    try:
        try:
            size = sum(len(p) for p in parts)
            written = os.writev(fd, parts)
            if written != size:  # a short write: the rest, until done (a full disk is an error)
                rest = memoryview(b"".join(parts))[written:]
                while rest:
                    rest = rest[os.write(fd, rest) :]
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return size


_TEMPORARIES = itertools.count()


def record(task: Task, envelope: Envelope, retry: bool) -> Record:
    """A task's result as a store row, its result file exported (the row is committed by the caller), with
    its rows of the data package made here (in the worker process that read it)."""
    text = envelope.model_dump_json()  # compact JSON, non-ASCII as is (pydantic's serializer, in Rust)
    size = write_parts(task.result, text.encode("utf-8"), b"\n")
    data = envelope.model_dump(mode="json")  # what ``text`` parses to (big counts exact), without parsing it
    cells, wide = pack_rows(package_rows(data, source_places(data)))
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
        head="",
        body=text,
        size=size,
        checks=tuple(v.check for v in envelope.violations),
        cells=cells,
        wide=wide,
    )


_SOURCE_KEY = '{"source":'  # an envelope's JSON begins with its source (``Envelope``'s first field)
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class _Shared:
    """What the copies of one result share: its source (as JSON data) and the rest of its envelope after it,
    as text and as the bytes each copy's result file ends with; None when it can't be copied."""

    source: dict[str, Any]
    rest: str
    encoded: bytes
    key: str  # the store's key of ``rest`` (``Record.content``)


_SHARED: OrderedDict[int, tuple[Record, _Shared | None]] = OrderedDict()  # by the first result's record


def _shared(made: Record) -> _Shared | None:
    """``_Shared`` of a result, made once for all its copies (kept for the last few results, by identity; the
    entry holds the record, so its id is not reused while kept)."""
    found = _SHARED.get(id(made))
    if found is not None and found[0] is made:
        return found[1]
    shared = _split(made.envelope)
    _SHARED[id(made)] = (made, shared)
    if len(_SHARED) > 8:
        _SHARED.popitem(last=False)
    return shared


def _split(text: str) -> _Shared | None:
    if not text.startswith(_SOURCE_KEY):
        return None
    try:
        source, end = _DECODER.raw_decode(text, len(_SOURCE_KEY))
    except ValueError:
        return None
    if not isinstance(source, dict) or not isinstance(source.get("path"), str) or not source["path"]:
        return None
    rest = text[end:]
    name = PurePath(source["path"]).name  # in the path too
    if name in rest or dumps_compact(name)[1:-1] in rest:
        return None  # the result names its file beyond ``source``
    encoded = rest.encode("utf-8")
    return _Shared(source, rest, encoded + b"\n", hashlib.sha256(encoded).hexdigest())


def copy_outcome(task: Task, first: Outcome) -> Outcome | None:
    """The outcome of an input with the same content, config and corrections as one just read (``first``): that
    one's result with ``source`` naming this input's file, its result file exported (the row is the caller's
    to commit). None when that result names its file beyond ``source`` (its path or file name appear in an
    error or a warning) or was read from other content: this input is then read on its own."""
    made = first.record
    if made.sha256 != task.sha256:
        return None
    shared = _shared(made)
    if shared is None:
        return None
    source = shared.source
    path = readable(task.path)
    moved = Source.model_construct(  # the fields ``source_of`` makes, unvalidated: they are the first one's
        path=path,
        raw_path=verbatim(task.path),
        sha256=made.sha256,
        encoding=source.get("encoding"),
        kind=source.get("kind"),
    )
    head = _SOURCE_KEY + moved.model_dump_json()
    size = write_parts(task.result, head.encode("utf-8"), shared.encoded)
    row = replace(
        made,
        name=task.name,
        path=path,
        corrections=task.corrections_key,
        head=head,
        body=shared.rest,
        size=size,
        content=shared.key,
        wide=moved_wide(made.wide, moved.path, made.sha256),
    )
    return Outcome(task.index, first.status, 0.0, first.error, row)


def _run_one(task: Task, settings: Settings, extractor: Extractor | None) -> Outcome:
    started = time.perf_counter()
    try:
        envelope = extract_file(task.path, settings, extractor)
        retry = (envelope.status == "failed" and settings.backend != "rules") or envelope.run.degraded
        if task.corrections:
            envelope = apply_corrections(envelope, task.corrections).envelope
    except Exception as exc:  # isolation: one bad file never stops the batch
        envelope = failed_envelope(task.path, processes.reason(exc), task.sha256)
        retry = not isinstance(exc, InputError | ReportFormatError)
    row = record(task, envelope, retry)
    return Outcome(task.index, envelope.status, time.perf_counter() - started, envelope.error, row, envelope.run.cost())


def _run_task(task: Task, settings: Settings) -> Outcome:
    """What a worker process does with one task (module level, so it pickles by reference)."""
    return _run_one(task, settings, None)


def _fail(task: Task, reason: str) -> Outcome:
    """A failure the worker itself could not record (a dead worker process, an error writing the result)."""
    envelope = failed_envelope(task.path, reason, task.sha256)
    return Outcome(task.index, "failed", 0.0, reason, record(task, envelope, retry=True))


def _safe(work: Callable[[Task], Outcome], task: Task) -> Outcome:
    try:
        return work(task)
    except Exception as exc:
        return _fail(task, processes.reason(exc))


def _with_copies(task: Task, first: Outcome, work: Callable[[Task], Outcome]) -> list[Outcome]:
    """A task's outcome, then its copies' (``Task.copies``)."""
    return [first, *_copied(first, task.copies, work)]


def _copied(first: Outcome, copies: tuple[Task, ...], work: Callable[[Task], Outcome]) -> list[Outcome]:
    """The outcomes of copies of ``first``'s input: each given its result, or read on its own with ``work`` when
    that result can't be copied."""
    return [_safe(lambda t: copy_outcome(t, first) or work(t), copy) for copy in copies]


_COPIES_AT_ONCE = 32  # copies handed to a worker at a time


@dataclass(frozen=True)
class _Copies:
    """Some copies of an input whose outcome was just made, for any worker to give that outcome to: the copies of
    one content are spread over the workers, and their results committed as they come."""

    first: Outcome
    tasks: tuple[Task, ...]


Work = Task | _Copies  # what a worker process is given at a time


def _inputs(item: Work) -> tuple[Task, ...]:
    return item.tasks if isinstance(item, _Copies) else (item, *item.copies)


def _fail_all(item: Work, reason: str) -> list[Outcome]:
    return [_fail(t, reason) for t in _inputs(item)]


def warm_up() -> None:
    """Once in the fork server, before any worker is forked, what each worker's first file would pay otherwise
    (against its deadline): the data package's tables of columns and labels."""
    envelope = Envelope(source=Source(path="-", sha256=""), status="unverified", report=empty_report("2021"))
    package_rows(loads_exact(envelope.model_dump_json()))


def _run_inline(tasks: list[Task], settings: Settings, extractor: Extractor | None, emit: Emit) -> None:
    def work(task: Task) -> Outcome:
        return _run_one(task, settings, extractor)

    for task in tasks:
        emit(_with_copies(task, _safe(work, task), work))


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
                    outcome = _fail(task, processes.reason(exc))
                emit(_with_copies(task, outcome, lambda t: _run_one(t, settings, extractor)))


DEFAULT_FILE_TIMEOUT = 300.0  # seconds: a report the reader takes minutes on is a stuck one


def file_timeout(settings: Settings) -> float:
    """Seconds a batch gives one file in a worker process: ``settings.file_timeout`` (``--file-timeout``,
    GIAR_FILE_TIMEOUT), else 300 for the reader alone, or the model deadline plus 300 for a model backend."""
    if settings.file_timeout is not None:
        return settings.file_timeout
    return DEFAULT_FILE_TIMEOUT if settings.backend == "rules" else settings.deadline + DEFAULT_FILE_TIMEOUT


def _serve(
    work: Callable[[Task, Settings], Outcome], settings: Settings, conn: Connection, lifeline: Connection
) -> None:
    """A worker process: says it is ready (``None``), then takes one task (or some copies) at a time from ``conn``
    and sends their outcomes back (a task's own, then its copies'), until the batch closes it."""
    processes.die_with_parent(lifeline)
    try:
        conn.send(None)
    except OSError:
        return
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        if isinstance(item, _Copies):
            outcomes = _copied(item.first, item.tasks, lambda t: work(t, settings))
        else:
            outcomes = _with_copies(item, _safe(lambda t: work(t, settings), item), lambda t: work(t, settings))
        try:
            conn.send(outcomes)
        except OSError:  # the batch is gone
            return


@dataclass
class _Worker:
    process: Any  # a multiprocessing Process of the batch's context
    conn: Connection
    lifeline: Connection  # the write end, never written: closed when this process ends
    since: float  # when it was started, or given its task
    task: Work | None = None
    ready: bool = False  # it said so: a file's deadline runs from when it is handed to a ready worker


_NO_START = "BrokenProcessPool: a worker process did not start"
_FLUSH_SECONDS = 1.0


def _run_processes(tasks: list[Task], settings: Settings, jobs: int, emit: Emit) -> None:
    """The tasks over ``jobs`` worker processes, one at a time per worker, each with a deadline; a task's copies
    are handed out when its outcome is in, some at a time to any worker, which gives them that outcome.

    A worker that overruns ``file_timeout`` is killed and its file recorded as failed; one that dies (out of
    memory, a crash in a parser) fails only the file it was on; either is replaced and the others go on. A
    file's deadline starts when a ready worker takes it, so a worker's start-up (slow on a loaded machine) is
    not counted against it; a worker that dies or overruns the deadline before it is ready costs the next file
    (so a batch whose workers cannot start still ends). Outcomes are emitted in groups (one store transaction
    each), at least every second.
    """
    limit = file_timeout(settings)
    context = processes.context()
    work = _run_task  # looked up here, so a test can replace it; it pickles by reference
    total = sum(1 + len(t.copies) for t in tasks)
    size = max(1, min(_MAX_CHUNK, total // (jobs * 4)))
    queue: deque[Work] = deque(tasks)
    done: list[Outcome] = []
    first_done = 0.0

    def start() -> _Worker:
        here, there = context.Pipe()
        lifeline, held = context.Pipe(duplex=False)
        process = context.Process(target=_serve, args=(work, settings, there, lifeline), daemon=True, name="giar-batch")
        process.start()
        there.close()
        lifeline.close()
        return _Worker(process, here, held, time.monotonic())

    def stop(worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()
        worker.lifeline.close()

    def finish(outcomes: list[Outcome]) -> None:
        nonlocal first_done
        if not done:
            first_done = time.monotonic()
        done.extend(outcomes)

    def hand_out(item: Work, outcomes: list[Outcome]) -> None:
        """A task's copies, once its outcome is in: next in the queue, some at a time."""
        if isinstance(item, Task) and item.copies and outcomes:
            copies = item.copies
            for start_at in reversed(range(0, len(copies), _COPIES_AT_ONCE)):
                queue.appendleft(_Copies(outcomes[0], copies[start_at : start_at + _COPIES_AT_ONCE]))

    def give() -> None:
        """Work to each ready worker without any."""
        for worker in workers:
            if worker.ready and worker.task is None and queue:
                worker.task, worker.since = queue.popleft(), time.monotonic()
                given = worker.task
                worker.conn.send(replace(given, copies=()) if isinstance(given, Task) else given)

    workers = [start() for _ in range(min(jobs, total))]
    try:
        while True:
            give()
            watched = [w for w in workers if w.task is not None or (not w.ready and queue)]
            if not watched:
                break
            waited = min(w.since for w in watched) + limit - time.monotonic()
            if done:
                waited = min(waited, first_done + _FLUSH_SECONDS - time.monotonic())
            waited = max(0.0, waited)
            ready = set(connection.wait([w.conn for w in watched] + [w.process.sentinel for w in watched], waited))
            for worker in watched:
                outcomes: list[Outcome] | None = None
                gone = False
                if worker.conn in ready or worker.process.sentinel in ready:
                    try:
                        message = worker.conn.recv() if worker.conn.poll() else processes.DIED
                    except (EOFError, OSError):
                        message = processes.DIED
                    if message is None and not worker.ready:
                        worker.ready = True
                    elif isinstance(message, list) and worker.task is not None:
                        outcomes = message
                        hand_out(worker.task, message)
                    else:
                        gone = True
                elif time.monotonic() - worker.since > limit:
                    gone = True
                if gone:
                    timed_out = not (worker.conn in ready or worker.process.sentinel in ready)
                    stop(worker)
                    worker.process = None
                    if worker.task is None:  # it never became ready: it costs the next file
                        if queue:
                            finish(_fail_all(queue.popleft(), _NO_START))
                    elif timed_out:
                        reason = f"Timeout: 超过每个文件的时限 {limit:g} 秒（--file-timeout），读取进程已终止"
                        outcomes = _fail_all(worker.task, reason)
                    else:
                        outcomes = _fail_all(worker.task, processes.DIED)
                if outcomes is not None:
                    worker.task = None
                    finish(outcomes)
            workers = [w if w.process is not None else start() for w in workers if w.process is not None or queue]
            if done and (len(done) >= size or time.monotonic() - first_done >= _FLUSH_SECONDS or not queue):
                give()  # the workers go on while the outcomes are committed
                emit(done)
                done = []
        if done:
            emit(done)
    finally:
        for worker in workers:
            worker.conn.close()  # an idle worker sees the end of its pipe and returns
        for worker in workers:
            if worker.process is not None:
                worker.process.join(timeout=5)
                stop(worker)


def run_tasks(tasks: list[Task], settings: Settings, jobs: int, extractor: Extractor | None, emit: Emit) -> None:
    """Run ``tasks``, calling ``emit`` with the outcomes of each chunk (or each task, inline and in threads)
    as they finish; their result files are exported, their rows are the caller's to commit.

    The rules backend runs in ``jobs`` worker processes; the model backends in ``settings.concurrency``
    threads; an ``extractor`` (a fake model in tests) in threads, or inline for ``rules``.
    """
    inputs = sum(1 + len(t.copies) for t in tasks)
    if in_processes(settings, jobs, extractor, inputs):
        _run_processes(tasks, settings, jobs, emit)
    elif settings.backend != "rules" and settings.concurrency > 1 and len(tasks) > 1:
        _run_threads(tasks, settings, settings.concurrency, extractor, emit)
    else:
        _run_inline(tasks, settings, extractor, emit)


def in_processes(settings: Settings, jobs: int, extractor: Extractor | None, inputs: int) -> bool:
    """Whether ``run_tasks`` runs ``inputs`` inputs over worker processes."""
    return settings.backend == "rules" and extractor is None and jobs > 1 and inputs > 1
