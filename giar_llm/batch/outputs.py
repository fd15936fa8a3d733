"""The batch outputs, written from the per-input results in input order: results.jsonl (cross-year warnings
added), the data package (``giar_llm.datapackage``: cells.csv/.parquet, reports.csv/.parquet, codebook.csv,
datapackage.json), cross_year.json, and the counts and file lists of the summary. Each output is written
through a temporary file and renamed into place. The results are read from the store (``store``); when
neither the rows nor the manifest changed since the last export, the outputs are kept as they are and
the summary's counts are those the export recorded."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from giar_llm.batch.plan import BatchSummary, Task
from giar_llm.batch.store import Store, Stored
from giar_llm.core.cost import Cost
from giar_llm.core.cross_year import cross_year_warnings
from giar_llm.core.envelope import STATUSES, Envelope
from giar_llm.datapackage import Manifest, PackageWriter
from giar_llm.files import atomic_file, dumps_compact, loads_exact, write_json
from giar_llm.inputs.names import readable
from giar_llm.pipeline import failed_envelope

__all__ = ["write_outputs"]


_EXPORT_VERSION = "1"  # bump when what the outputs hold changes
_OUTPUTS = ("results.jsonl", "cross_year.json")
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


def _cost(data: dict[str, Any]) -> Cost:
    try:
        return Cost.model_validate(data.get("run") or {})
    except ValueError:
        return Cost()


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
) -> None:
    key = _export_key(tasks, store.stored(), manifest)
    previous = store.get_meta("export")
    if (
        not recomputed
        and isinstance(previous, dict)
        and previous.get("key") == key
        and all((outdir / name).exists() for name in _OUTPUTS)
    ):
        for name in _FROM_EXPORT:
            setattr(summary, name, previous["summary"][name])
        return
    _write(tasks, recomputed, outdir, summary, store, manifest)
    store.set_meta("export", {"key": key, "summary": {name: getattr(summary, name) for name in _FROM_EXPORT}})


def _write(
    tasks: list[Task],
    recomputed: set[int],
    outdir: Path,
    summary: BatchSummary,
    store: Store,
    manifest: Manifest | None,
) -> None:
    statuses: Counter[str] = Counter()
    violations: Counter[str] = Counter()
    years: dict[int, tuple[str, int]] = {}
    for task, data in _results(tasks, store):  # pass 1: counts, the files to name, who has which year
        status = str(data["status"])
        statuses[status] += 1
        if status == "failed":
            summary.failed_files.append(readable(task.path))
        elif status == "unverified":
            summary.unverified_files.append(readable(task.path))
        violations.update(str(v.get("check")) for v in data.get("violations") or [])
        summary.warnings += len(data.get("warnings") or [])
        meta = (data.get("report") or {}).get("meta") or {}
        if isinstance(meta.get("agency"), str) and isinstance(meta.get("year"), int):
            years[task.index] = (meta["agency"], meta["year"])
        if task.index in recomputed:
            summary.cost.add(_cost(data))
    summary.statuses = dict(statuses)
    summary.violations = dict(violations)

    extra = _cross_year(tasks, years, store)
    summary.cross_year_warnings = sum(len(w) for w in extra.values())
    summary.warnings += summary.cross_year_warnings
    write_json(outdir / "cross_year.json", extra)

    with atomic_file(outdir / "results.jsonl") as jsonl, PackageWriter(outdir, manifest) as package:
        for _, data in _results(tasks, store):  # pass 2: the lines and rows, in input order
            added = extra.get(str((data.get("source") or {}).get("path")), [])
            if added:
                data["warnings"] = [*(data.get("warnings") or []), *added]
            jsonl.write(dumps_compact(data) + "\n")
            package.add(data)
    done = package.summary
    summary.parquet = done.parquet
    summary.cells, summary.doubtful_cells = done.cells, done.doubtful_cells
    summary.duplicates = done.duplicates
    summary.manifest_unmatched = done.manifest_unmatched
