"""Many documents: expand the inputs, extract each one in isolation, resume, and write the batch outputs.

Layout of ``outdir``::

    results/<name>.json   one result envelope per input (as ``extract`` writes it, on one line)
    state/<name>.done     {"sha256": <content hash>, "config": <config key>, "result": <result file hash>},
                          written after the result
    results.jsonl         every envelope, one per line, in input order (cross-year warnings added)
    reports.csv           one row per input: source, sha256, status, agency, year, format, violations,
                          warnings, error, then one column per cell path (UTF-8 with a BOM, for Excel)
    reports.parquet       the same table, when pyarrow is installed
    cross_year.json       the cross-year warnings by source path (see ``core.cross_year``)
    summary.json          counts by status, violations by check, model accounting, timings

``<name>`` is the input's path relative to the folder (or glob) it was found under, made safe for a file
name, plus a short hash of its absolute path, so two inputs with the same base name never collide.

Resume: an input is skipped when its ``.done`` names the file's current content hash and the current
config key (backend, model, base_url, prompt version, package version, max_rounds), and the result file
still has the digest the ``.done`` recorded and parses. Every write is atomic (a temporary file, then a
rename) and ``.done`` is written after the result, so a batch killed at any moment leaves only whole
files, and a result without a matching ``.done`` is simply redone. The per-input files are not fsync'ed
(two fsyncs per input cost more than the rules backend's reading): the result digest in ``.done`` makes
a result that a power cut left empty or stale be redone rather than reused. The batch outputs are
fsync'ed. A failure that may not happen again (an unexpected exception, a dead worker, a model error, a
``failed`` envelope from a model backend) is recorded with ``"retry": true`` and redone on the next run;
a file that can't be read (empty, binary, no table) is a final ``failed`` result and is skipped.

Isolation: any exception for one file becomes a ``failed`` envelope with a one-line reason; a worker
process that dies (out of memory, a crash in a parser) is retried alone and then recorded as failed.

Cross-year warnings (``core.cross_year``: 上年结转 vs last year's 结转下年度, 现行有效件数 carried
forward) are added to the envelopes' ``warnings`` in ``results.jsonl`` and counted in ``reports.csv``, and
listed in ``cross_year.json``; the per-input result files are not rewritten.

In ``summary.json`` the statuses and violations count every input (resumed ones too); calls, cache hits,
tokens and ``compute_seconds`` count the work done by this run only; ``seconds`` is this run's wall time.

One batch at a time per ``outdir``: a run starts by removing temporary files a killed run left there.
"""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing
import os
import re
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import giar_llm
from giar_llm.core.cross_year import cross_year_warnings
from giar_llm.core.envelope import STATUSES, Envelope
from giar_llm.core.paths import flatten_json
from giar_llm.errors import InputError, ReportFormatError
from giar_llm.files import atomic_file, dumps, write_json
from giar_llm.inputs.listing import expand_inputs, list_inputs
from giar_llm.llm.extraction import Extractor
from giar_llm.pipeline import extract_file, failed_envelope
from giar_llm.prompts import prompt_version
from giar_llm.settings import Settings

__all__ = ["BatchItem", "BatchSummary", "config_key", "expand_inputs", "result_name", "run_batch"]

FIXED_COLUMNS = ("source", "sha256", "status", "agency", "year", "format", "violations", "warnings", "error")
SECTION_ORDER = ("meta", "proactive", "applications", "review_litigation")
_MAX_CHUNK = 16
_PARQUET_BATCH = 2048


# --------------------------------------------------------------------------- public data


@dataclass(frozen=True)
class BatchItem:
    """One finished input, as ``on_result`` sees it."""

    path: Path
    status: str
    skipped: bool
    seconds: float
    result: Path
    error: str | None = None


@dataclass
class BatchSummary:
    outdir: Path
    total: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    violations: dict[str, int] = field(default_factory=dict)
    warnings: int = 0
    cross_year_warnings: int = 0
    calls: int = 0
    cache_hits: int = 0
    tokens: dict[str, int] = field(default_factory=lambda: {"prompt": 0, "completion": 0})
    seconds: float = 0.0
    compute_seconds: float = 0.0
    skipped: int = 0
    recomputed: int = 0
    parquet: bool = False

    @property
    def failed(self) -> int:
        return self.statuses.get("failed", 0)

    @property
    def any_failed(self) -> bool:
        return self.failed > 0

    def to_json(self) -> dict[str, Any]:
        return {
            "outdir": str(self.outdir),
            "total": self.total,
            "statuses": {s: self.statuses.get(s, 0) for s in STATUSES},
            "violations": dict(sorted(self.violations.items())),
            "warnings": self.warnings,
            "cross_year_warnings": self.cross_year_warnings,
            "calls": self.calls,
            "cache_hits": self.cache_hits,
            "tokens": dict(self.tokens),
            "seconds": round(self.seconds, 3),
            "compute_seconds": round(self.compute_seconds, 3),
            "skipped": self.skipped,
            "recomputed": self.recomputed,
            "failed": self.failed,
            "parquet": self.parquet,
        }


# --------------------------------------------------------------------------- inputs and names


def result_name(relative: Path, absolute: Path) -> str:
    """A file name for an input's result: its relative path made safe, plus a short hash of its absolute path."""
    stem = re.sub(r"[^\w.\-]+", "_", "__".join(p for p in relative.parts if p not in ("", ".", "..")))
    stem = stem.strip("._")[:80] or "input"
    digest = hashlib.sha256(str(absolute).encode("utf-8", "surrogateescape")).hexdigest()[:10]
    return f"{stem}-{digest}"


def config_key(settings: Settings) -> str:
    """The hash of everything that changes a result: a resumed result must have been made with the same."""
    parts = {
        "backend": settings.backend,
        "model": settings.model,
        "base_url": settings.base_url,
        "prompt_version": prompt_version(),
        "version": giar_llm.__version__,
        "max_rounds": settings.max_rounds,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


# --------------------------------------------------------------------------- one task


@dataclass(frozen=True)
class _Task:
    index: int
    path: str
    sha256: str  # of the content when the batch was planned ("" when unreadable)
    result: str
    done: str
    config: str


@dataclass(frozen=True)
class _Outcome:
    index: int
    status: str
    seconds: float
    error: str | None


def _reason(exc: BaseException) -> str:
    lines = f"{type(exc).__name__}: {exc}".strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _replace(path: Path, text: str) -> None:
    """Atomic but not fsync'ed: the ``.done`` file records the result's digest, so a result that a power
    cut left empty or stale is never reused; it is redone."""
    with atomic_file(path, fsync=False) as handle:
        handle.write(text)


def _record(task: _Task, envelope: Envelope, retry: bool) -> None:
    text = dumps(envelope.to_json(), indent=None) + "\n"  # compact: the C encoder, several times faster
    _replace(Path(task.result), text)
    state: dict[str, Any] = {
        "sha256": envelope.source.sha256 or task.sha256,
        "config": task.config,
        "result": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "status": envelope.status,
        "error": envelope.error,
    }
    if retry:
        state["retry"] = True
    _replace(Path(task.done), dumps(state, indent=None) + "\n")


def _run_one(task: _Task, settings: Settings, extractor: Extractor | None) -> _Outcome:
    started = time.perf_counter()
    try:
        envelope = extract_file(task.path, settings, extractor)
        retry = envelope.status == "failed" and settings.backend != "rules"
    except Exception as exc:  # isolation: one bad file never stops the batch
        envelope = failed_envelope(task.path, _reason(exc), task.sha256)
        retry = not isinstance(exc, InputError | ReportFormatError)
    _record(task, envelope, retry)
    return _Outcome(task.index, envelope.status, time.perf_counter() - started, envelope.error)


def _run_chunk(tasks: list[_Task], settings: Settings) -> list[_Outcome]:
    """The process-pool worker (module level, so it pickles)."""
    return [_run_one(task, settings, None) for task in tasks]


def _fail(task: _Task, reason: str) -> _Outcome:
    """A failure the worker itself could not record (a dead worker process, an error writing the result)."""
    envelope = failed_envelope(task.path, reason, task.sha256)
    _record(task, envelope, retry=True)
    return _Outcome(task.index, "failed", 0.0, reason)


# --------------------------------------------------------------------------- running


Emit = Callable[[_Outcome], None]


def _mp_context() -> Any:
    """forkserver (safe when the caller runs threads, e.g. a progress bar) with this module preloaded, so a
    worker starts as a cheap fork instead of importing the package again; spawn where there is no forkserver."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def _run_inline(tasks: list[_Task], settings: Settings, extractor: Extractor | None, emit: Emit) -> None:
    for task in tasks:
        try:
            outcome = _run_one(task, settings, extractor)
        except Exception as exc:
            outcome = _fail(task, _reason(exc))
        emit(outcome)


def _run_threads(tasks: list[_Task], settings: Settings, workers: int, extractor: Extractor | None, emit: Emit) -> None:
    queue = deque(tasks)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="giar-batch") as pool:
        running: dict[Future[_Outcome], _Task] = {}
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
                emit(outcome)


def _run_processes(tasks: list[_Task], settings: Settings, jobs: int, emit: Emit) -> None:
    """Chunks of tasks over a process pool, at most ``2 * jobs`` chunks in flight.

    When a worker dies the pool breaks and every chunk in flight is lost: those tasks become suspects and
    run one at a time in a fresh pool; a suspect that breaks the pool alone is recorded as failed.
    """
    size = max(1, min(_MAX_CHUNK, len(tasks) // (jobs * 4)))
    queue = deque(tasks[i : i + size] for i in range(0, len(tasks), size))
    suspects: deque[_Task] = deque()
    while queue or suspects:
        running: dict[Future[list[_Outcome]], list[_Task]] = {}
        alone: _Task | None = None
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
                            emit(_fail(alone, "BrokenProcessPool: the worker process died (out of memory or a crash)"))
                        else:
                            suspects.extend(chunk)
                        continue
                    except Exception as exc:
                        outcomes = [_fail(task, _reason(exc)) for task in chunk]
                    for outcome in outcomes:
                        emit(outcome)
            for chunk in running.values():  # lost with the broken pool
                suspects.extend(chunk)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


# --------------------------------------------------------------------------- resume


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def _resumable(task: _Task) -> dict[str, Any] | None:
    """The stored result when it can be reused, else None."""
    if not task.sha256:
        return None
    state = _read_json(Path(task.done))
    if not isinstance(state, dict) or state.get("retry"):
        return None
    if state.get("sha256") != task.sha256 or state.get("config") != task.config:
        return None
    try:
        data = Path(task.result).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != state.get("result"):
        return None
    if state.get("status") in STATUSES:  # the digest vouches for the file: no need to parse it here
        return {"status": state["status"], "error": state.get("error")}
    try:
        result = json.loads(data)
    except ValueError:
        return None
    if not isinstance(result, dict) or result.get("status") not in STATUSES:
        return None
    return result


def _remove_stale_temporaries(*folders: Path) -> None:
    for folder in folders:
        for stale in folder.glob(".*.tmp"):
            stale.unlink(missing_ok=True)


# --------------------------------------------------------------------------- the batch


def run_batch(
    inputs: Sequence[Path | str],
    outdir: Path,
    settings: Settings,
    jobs: int | None = None,
    on_result: Callable[[BatchItem], None] | None = None,
    extractor: Extractor | None = None,
) -> BatchSummary:
    """Extract every input into ``outdir`` (see the module docstring), resuming finished work.

    ``jobs`` (default: the CPU count) is the number of worker processes for the ``rules`` backend; the
    model backends use ``settings.concurrency`` threads. ``extractor`` (a fake model in tests) runs in
    threads, or inline for ``rules``.
    """
    started = time.perf_counter()
    jobs = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    results_dir, state_dir = outdir / "results", outdir / "state"
    results_dir.mkdir(parents=True, exist_ok=True)
    state_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(results_dir, state_dir, outdir)

    config = config_key(settings)
    found = list_inputs(inputs, exclude=outdir)
    tasks: list[_Task] = []
    for index, item in enumerate(found):
        name = result_name(item.relative, item.path.resolve())
        tasks.append(
            _Task(
                index=index,
                path=str(item.path),
                sha256=_file_sha256(item.path),
                result=str(results_dir / f"{name}.json"),
                done=str(state_dir / f"{name}.done"),
                config=config,
            )
        )

    summary = BatchSummary(outdir=outdir, total=len(tasks))
    recomputed: set[int] = set()
    todo: list[_Task] = []
    for task in tasks:
        stored = _resumable(task)
        if stored is None:
            todo.append(task)
            continue
        summary.skipped += 1
        if on_result is not None:
            on_result(
                BatchItem(Path(task.path), str(stored["status"]), True, 0.0, Path(task.result), stored.get("error"))
            )

    def emit(outcome: _Outcome) -> None:
        recomputed.add(outcome.index)
        if on_result is not None:
            task = tasks[outcome.index]
            on_result(
                BatchItem(Path(task.path), outcome.status, False, outcome.seconds, Path(task.result), outcome.error)
            )

    if settings.backend == "rules" and extractor is None and jobs > 1 and len(todo) > 1:
        _run_processes(todo, settings, jobs, emit)
    elif settings.backend != "rules" and settings.concurrency > 1 and len(todo) > 1:
        _run_threads(todo, settings, settings.concurrency, extractor, emit)
    else:
        _run_inline(todo, settings, extractor, emit)

    summary.recomputed = len(recomputed)
    _write_outputs(tasks, recomputed, outdir, summary)
    summary.seconds = time.perf_counter() - started
    write_json(outdir / "summary.json", summary.to_json())
    return summary


# --------------------------------------------------------------------------- outputs


def _load_result(task: _Task) -> dict[str, Any]:
    data = _read_json(Path(task.result))
    if isinstance(data, dict) and data.get("status") in STATUSES:
        return data
    return failed_envelope(task.path, "the result file is missing or unreadable", task.sha256).to_json()


@dataclass
class _Columns:
    """The cell columns: the union of every report's paths, in schema order, and each column's type."""

    order: dict[str, tuple[int, int]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # "int" | "float" | "str"

    def add(self, cells: dict[str, Any]) -> None:
        for path, value in cells.items():
            if path not in self.order:
                head = path.split(".", 1)[0]
                section = SECTION_ORDER.index(head) if head in SECTION_ORDER else len(SECTION_ORDER)
                self.order[path] = (section, len(self.order))
            kind = self.kind(path, value)
            if _KIND_RANK[kind] > _KIND_RANK[self.kinds.get(path, "int")]:
                self.kinds[path] = kind

    def kind(self, path: str, value: Any) -> str:
        if value is not None:
            return "str" if isinstance(value, str) else "float" if isinstance(value, float) else "int"
        return "float" if path.endswith("amount_wan_yuan") else "str" if path == "meta.title" else "int"

    def names(self) -> list[str]:
        return sorted(self.order, key=self.order.__getitem__)


_KIND_RANK = {"int": 0, "float": 1, "str": 2}


def _shape(data: dict[str, Any]) -> tuple[str, ...]:
    """What decides a report's cell paths: its format and which (六)其他处理 rows it has."""
    report = data.get("report")
    if not isinstance(report, dict):
        return ("none",)
    other = (((report.get("applications") or {}).get("results") or {}).get("other")) or {}
    return (str(report.get("format")), *sorted(other))


_SKIPPED_CELLS = frozenset({"meta.agency", "meta.year"})  # fixed columns already


def _cells(data: dict[str, Any]) -> dict[str, Any]:
    report = data.get("report")
    if not isinstance(report, dict):
        return {}
    return {p: v for p, v in flatten_json(report).items() if p not in _SKIPPED_CELLS}


def _row(data: dict[str, Any], cells: dict[str, Any], columns: list[str]) -> list[Any]:
    report = data.get("report") if isinstance(data.get("report"), dict) else {}
    assert isinstance(report, dict)
    meta = report.get("meta") or {}
    source = data.get("source") or {}
    fixed = [
        source.get("path"),
        source.get("sha256"),
        data.get("status"),
        meta.get("agency"),
        meta.get("year"),
        report.get("format"),
        len(data.get("violations") or []),
        len(data.get("warnings") or []),
        data.get("error"),
    ]
    return fixed + [cells.get(c) for c in columns]


def _cross_year(tasks: list[_Task], years: dict[int, tuple[str, int]]) -> dict[str, list[dict[str, Any]]]:
    """Cross-year warnings by source path; only the reports with a neighbouring year are parsed."""
    present = set(years.values())
    candidates = [
        i for i, (agency, year) in years.items() if (agency, year - 1) in present or (agency, year + 1) in present
    ]
    envelopes = []
    for index in candidates:
        try:
            envelopes.append(Envelope.model_validate(_load_result(tasks[index])))
        except ValueError:
            continue
    found = cross_year_warnings(envelopes)
    return {path: [w.model_dump(mode="json") for w in warnings] for path, warnings in found.items()}


def _write_outputs(tasks: list[_Task], recomputed: set[int], outdir: Path, summary: BatchSummary) -> None:
    statuses: Counter[str] = Counter()
    violations: Counter[str] = Counter()
    columns = _Columns()
    shapes: set[tuple[str, ...]] = set()
    years: dict[int, tuple[str, int]] = {}
    for task in tasks:  # pass 1: counts, the column union, who has which year
        data = _load_result(task)
        statuses[str(data["status"])] += 1
        violations.update(str(v.get("check")) for v in data.get("violations") or [])
        summary.warnings += len(data.get("warnings") or [])
        shape = _shape(data)
        if shape not in shapes:  # reports of one shape have the same cell paths
            shapes.add(shape)
            columns.add(_cells(data))
        meta = (data.get("report") or {}).get("meta") or {}
        if isinstance(meta.get("agency"), str) and isinstance(meta.get("year"), int):
            years[task.index] = (meta["agency"], meta["year"])
        if task.index in recomputed:
            run = data.get("run") or {}
            tokens = run.get("tokens") or {}
            summary.calls += int(run.get("calls") or 0)
            summary.cache_hits += int(run.get("cache_hits") or 0)
            summary.tokens["prompt"] += int(tokens.get("prompt") or 0)
            summary.tokens["completion"] += int(tokens.get("completion") or 0)
            summary.compute_seconds += float(run.get("seconds") or 0.0)
    summary.statuses = dict(statuses)
    summary.violations = dict(violations)

    extra = _cross_year(tasks, years)
    summary.cross_year_warnings = sum(len(w) for w in extra.values())
    summary.warnings += summary.cross_year_warnings
    write_json(outdir / "cross_year.json", extra)

    names = columns.names()
    header = [*FIXED_COLUMNS, *names]
    parquet = _ParquetSink(outdir / "reports.parquet", header, columns.kinds)
    with (
        atomic_file(outdir / "results.jsonl") as jsonl,
        atomic_file(outdir / "reports.csv", encoding="utf-8-sig", newline="") as table,
        parquet,
    ):
        writer = csv.writer(table)
        writer.writerow(header)
        for task in tasks:  # pass 2: the lines and rows, in input order
            data = _load_result(task)
            added = extra.get(str((data.get("source") or {}).get("path")), [])
            if added:
                data["warnings"] = [*(data.get("warnings") or []), *added]
            jsonl.write(dumps(data, indent=None) + "\n")
            row = _row(data, _cells(data), names)
            writer.writerow(["" if v is None else v for v in row])
            parquet.add(row)
    summary.parquet = parquet.written


class _ParquetSink:
    """reports.parquet written in row batches with a fixed schema; a no-op without pyarrow."""

    def __init__(self, path: Path, header: list[str], kinds: dict[str, str]) -> None:
        self.path, self.header, self.kinds = path, header, kinds
        self.rows: list[list[Any]] = []
        self.writer: Any = None
        self.tmp: Path | None = None
        self.written = False
        self.pa: Any = None
        self.pq: Any = None
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            return
        self.pa, self.pq = pa, pq

    def _schema(self) -> Any:
        pa = self.pa
        types = {"int": pa.int64(), "float": pa.float64(), "str": pa.string()}
        fixed = {"year": pa.int64(), "violations": pa.int64(), "warnings": pa.int64()}
        fields = []
        for name in self.header:
            if name in FIXED_COLUMNS:
                fields.append(pa.field(name, fixed.get(name, pa.string())))
            else:
                fields.append(pa.field(name, types[self.kinds.get(name, "int")]))
        return pa.schema(fields)

    def __enter__(self) -> _ParquetSink:
        if self.pa is not None:
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
            os.close(fd)
            self.tmp = Path(tmp)
            self.writer = self.pq.ParquetWriter(tmp, self._schema())
        return self

    def add(self, row: list[Any]) -> None:
        if self.writer is None:
            return
        self.rows.append(row)
        if len(self.rows) >= _PARQUET_BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            columns = list(zip(*self.rows, strict=True))
            schema = self.writer.schema
            arrays = []
            for i, values in enumerate(columns):
                kind = schema.field(i).type
                if kind == self.pa.string():
                    values = tuple(None if v is None else str(v) for v in values)
                arrays.append(self.pa.array(list(values), type=kind))
            self.writer.write_table(self.pa.Table.from_arrays(arrays, schema=schema))
            self.rows = []

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self.writer is None or self.tmp is None:
            return
        try:
            if exc_type is None:
                self._flush()
            self.writer.close()
            if exc_type is None:
                os.replace(self.tmp, self.path)
                self.written = True
        finally:
            self.tmp.unlink(missing_ok=True)
