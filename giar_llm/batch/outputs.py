"""The batch outputs, written from the per-input results in input order: results.jsonl (cross-year warnings
added), the data package (``giar_llm.datapackage``: cells.csv/.parquet, reports.csv/.parquet, codebook.csv,
datapackage.json), cross_year.json, and the counts and file lists of the summary. Each output is written
through a temporary file and renamed into place. The results are read from the store (``store``); when
neither the rows nor the manifest changed since the last export, the outputs are kept as they are and
the summary's counts are those the export recorded."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from giar_llm.batch.plan import BatchSummary, Task, remove_stale_temporaries
from giar_llm.batch.processes import Child
from giar_llm.batch.store import Exported, Store, Stored
from giar_llm.core.cross_year import cross_year_warnings
from giar_llm.core.envelope import STATUSES, Envelope
from giar_llm.datapackage import (
    BackgroundWrites,
    Manifest,
    PackageSummary,
    PackageWriter,
    Rows,
    package_rows,
    source_places,
)
from giar_llm.files import atomic_file, dumps_compact, loads_exact, write_json
from giar_llm.inputs.names import readable
from giar_llm.pipeline import failed_envelope

__all__ = ["export_cells", "write_outputs"]

log = logging.getLogger(__name__)

APART_FROM = 400  # inputs from which a batch with worker processes has its long table written by one of its own
# (fewer are written inline in less time than that process takes to start)


_EXPORT_VERSION = "1"  # bump when what the outputs hold changes
_OUTPUTS = ("results.jsonl", "cross_year.json")
_SIZED = ("results.jsonl", "cells.csv", "cells.parquet", "reports.csv", "reports.parquet")  # not fsync'ed
_FROM_EXPORT = (
    "statuses",
    "violations",
    "warnings",
    "cross_year_warnings",
    "failed_files",
    "unverified_files",
    "parquet",
    "cells",
    "doubtful_cells",
    "duplicates",
    "manifest_unmatched",
)


def _load(task: Task, text: str | None) -> dict[str, Any]:
    if text is not None:
        try:
            data = loads_exact(text)
        except ValueError:
            data = None
        if isinstance(data, dict) and data.get("status") in STATUSES:
            return data
    return failed_envelope(task.path, "the result is missing from the batch store", task.sha256).to_json()


def _text(envelope: tuple[bytes, ...] | None) -> str | None:
    if envelope is None:
        return None
    try:
        return b"".join(envelope).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _results(tasks: list[Task], store: Store) -> Iterator[tuple[Task, dict[str, Any]]]:
    for task, (_, text) in zip(tasks, store.envelopes([t.name for t in tasks]), strict=True):
        yield task, _load(task, text)


def _export_key(tasks: list[Task], rows: dict[str, Stored], manifest: Manifest | None) -> str:
    digest = hashlib.sha256(_EXPORT_VERSION.encode())
    for task in tasks:
        row = rows.get(task.name)
        digest.update(f"{task.name}\t{task.path}\t{row.stamp if row else 0}\n".encode("utf-8", "surrogateescape"))
    digest.update(repr(manifest).encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _cross_year(tasks: list[Task], years: dict[int, tuple[str, int]], store: Store) -> dict[str, list[dict[str, Any]]]:
    """Cross-year warnings by source path; only the reports with a neighbouring year are parsed."""
    present = set(years.values())
    candidates = [
        i for i, (agency, year) in years.items() if (agency, year - 1) in present or (agency, year + 1) in present
    ]
    envelopes = []
    for _, data in _results([tasks[i] for i in candidates], store):
        try:
            envelopes.append(Envelope.model_validate(data))
        except ValueError:
            continue
    found = cross_year_warnings(envelopes)
    return {path: [w.model_dump(mode="json") for w in warnings] for path, warnings in found.items()}


def write_outputs(
    tasks: list[Task],
    recomputed: set[int],
    outdir: Path,
    summary: BatchSummary,
    store: Store,
    manifest: Manifest | None = None,
    apart: bool = False,
) -> None:
    """The outputs of ``tasks`` from the store (kept when nothing changed since they were written); with
    ``apart``, the long table is written by a process of its own meanwhile (a batch whose workers are done)."""
    key = _export_key(tasks, store.stored(), manifest)
    previous = store.get_meta("export")
    if (
        not recomputed
        and isinstance(previous, dict)
        and previous.get("key") == key
        and all((outdir / name).exists() for name in _OUTPUTS)
        and _sizes(outdir) == previous.get("sizes", _sizes(outdir))
    ):
        for name in _FROM_EXPORT:
            setattr(summary, name, previous["summary"][name])
        return
    _write(tasks, recomputed, outdir, summary, store, manifest, apart)
    exported = {name: getattr(summary, name) for name in _FROM_EXPORT}
    store.set_meta("export", {"key": key, "summary": exported, "sizes": _sizes(outdir)})


def _sizes(outdir: Path) -> dict[str, int | None]:
    """The sizes of the big outputs, which are renamed into place but not flushed to disk (the store is what is
    kept durably): a power cut that leaves one short or empty makes the next run export them again, as a short
    result file is (``plan``)."""
    sizes: dict[str, int | None] = {}
    for name in _SIZED:
        try:
            sizes[name] = (outdir / name).stat().st_size
        except OSError:
            sizes[name] = None
    return sizes


@dataclass
class _Exported:
    """What the outputs take of one input's stored row: its status, envelope line (None: made from ``data``),
    the checks its violations name, its data-package rows, and its envelope's data when it had to be parsed."""

    status: str
    text: tuple[bytes, ...] | None
    checks: list[str]
    rows: Rows
    data: dict[str, Any] | None


def _exported(task: Task, row: Exported | None) -> _Exported:
    """A row as the outputs take it: as its worker made it, or made again from its envelope (a row an older
    version stored, or none: a failed envelope)."""
    if row is not None and row.status in STATUSES and row.rows is not None and row.checks is not None:
        return _Exported(row.status, row.envelope, row.checks, row.rows, None)
    text = row.envelope if row is not None and row.status in STATUSES else None
    data = _load(task, _text(text))
    checks = [str(v.get("check")) for v in data.get("violations") or []]
    return _Exported(str(data["status"]), text, checks, package_rows(data, source_places(data)), data)


def _cells_here(outdir: Path, tasks: list[Task], manifest: Manifest | None) -> tuple[int, int]:
    done = export_cells(outdir, tasks, manifest)
    return done.cells, done.doubtful_cells


def export_cells(outdir: Path, tasks: list[Task], manifest: Manifest | None) -> PackageSummary:
    """The long table (cells.csv, cells.parquet) of the stored rows, in input order, read from the store as
    another process keeps it open: ``_write`` has it written here in a process of its own while it writes the
    rest."""
    with (
        Store(outdir, reader=True) as store,
        PackageWriter(outdir, manifest, fsync=False, tables=("cells",)) as package,
    ):
        for task, (_, row) in zip(tasks, store.exports([t.name for t in tasks]), strict=True):
            package.add_rows(_exported(task, row).rows)
    return package.summary


def _write(
    tasks: list[Task],
    recomputed: set[int],
    outdir: Path,
    summary: BatchSummary,
    store: Store,
    manifest: Manifest | None,
    apart: bool,
) -> None:
    """One pass over the store in input order: each envelope's line as stored (with its cross-year warnings
    added, when it has any), its data-package rows as its worker made them (made again here only for a row an
    older version stored), and the counts; with ``apart``, the long table is written meanwhile by another
    process (``export_cells``; here, when that one fails)."""
    cells = Child(export_cells, outdir, tasks, manifest) if apart else None  # first: it waits for nothing here
    named = store.years()
    years = {task.index: named[task.name] for task in tasks if task.name in named}
    extra = _cross_year(tasks, years, store)
    summary.cross_year_warnings = sum(len(w) for w in extra.values())
    write_json(outdir / "cross_year.json", extra)

    statuses: Counter[str] = Counter()
    violations: Counter[str] = Counter()
    warnings = 0
    with ExitStack() as stack:
        jsonl = BackgroundWrites(
            stack.enter_context(atomic_file(outdir / "results.jsonl", encoding=None, fsync=False)), stack
        )
        tables = ("reports",) if cells is not None else ("cells", "reports")
        package = stack.enter_context(PackageWriter(outdir, manifest, fsync=False, tables=tables))
        for task, (_, row) in zip(tasks, store.exports([t.name for t in tasks]), strict=True):
            made = _exported(task, row)
            status, text, checks, rows, data = made.status, made.text, made.checks, made.rows, made.data
            statuses[status] += 1
            if status == "failed":
                summary.failed_files.append(readable(task.path))
            elif status == "unverified":
                summary.unverified_files.append(readable(task.path))
            violations.update(checks)
            added = extra.get(str(rows.report.get("source_file")), []) if extra else []
            warnings += int(rows.report.get("n_warnings") or 0) + len(added)
            if added or text is None:
                data = data if data is not None else _load(task, _text(text))
                data["warnings"] = [*(data.get("warnings") or []), *added]
                text = (dumps_compact(data).encode(),)
            jsonl.write(*text, b"\n")
            package.add_rows(rows, len(added))
    summary.statuses = dict(statuses)
    summary.violations = dict(violations)
    summary.warnings = warnings
    done = package.summary
    if cells is not None:
        ok, answer = cells.result()
        if not ok:
            log.warning("数据包的长表改由主进程写出（另一进程失败：%s）", answer)
            remove_stale_temporaries(outdir)  # what that process had begun
        done.cells, done.doubtful_cells = (
            (answer.cells, answer.doubtful_cells) if ok else _cells_here(outdir, tasks, manifest)
        )
    summary.parquet = done.parquet
    summary.cells, summary.doubtful_cells = done.cells, done.doubtful_cells
    summary.duplicates = done.duplicates
    summary.manifest_unmatched = done.manifest_unmatched
