"""The batch outputs, written from the per-input results in input order: results.jsonl (cross-year warnings
added), the data package (``giar_llm.datapackage``: cells.csv/.parquet, reports.csv/.parquet, codebook.csv,
datapackage.json), cross_year.json, and the counts and file lists of the summary. Each output is written
through a temporary file and renamed into place."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from giar_llm.batch.plan import BatchSummary, Task, read_json
from giar_llm.core.cost import Cost
from giar_llm.core.cross_year import cross_year_warnings
from giar_llm.core.envelope import STATUSES, Envelope
from giar_llm.datapackage import Manifest, PackageWriter
from giar_llm.files import atomic_file, dumps, write_json
from giar_llm.pipeline import failed_envelope

__all__ = ["write_outputs"]


def _load_result(task: Task) -> dict[str, Any]:
    data = read_json(Path(task.result))
    if isinstance(data, dict) and data.get("status") in STATUSES:
        return data
    return failed_envelope(task.path, "the result file is missing or unreadable", task.sha256).to_json()


def _cost(data: dict[str, Any]) -> Cost:
    try:
        return Cost.model_validate(data.get("run") or {})
    except ValueError:
        return Cost()


def _cross_year(tasks: list[Task], years: dict[int, tuple[str, int]]) -> dict[str, list[dict[str, Any]]]:
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


def write_outputs(
    tasks: list[Task], recomputed: set[int], outdir: Path, summary: BatchSummary, manifest: Manifest | None = None
) -> None:
    statuses: Counter[str] = Counter()
    violations: Counter[str] = Counter()
    years: dict[int, tuple[str, int]] = {}
    for task in tasks:  # pass 1: counts, the files to name, who has which year
        data = _load_result(task)
        status = str(data["status"])
        statuses[status] += 1
        if status == "failed":
            summary.failed_files.append(task.path)
        elif status == "unverified":
            summary.unverified_files.append(task.path)
        violations.update(str(v.get("check")) for v in data.get("violations") or [])
        summary.warnings += len(data.get("warnings") or [])
        meta = (data.get("report") or {}).get("meta") or {}
        if isinstance(meta.get("agency"), str) and isinstance(meta.get("year"), int):
            years[task.index] = (meta["agency"], meta["year"])
        if task.index in recomputed:
            summary.cost.add(_cost(data))
    summary.statuses = dict(statuses)
    summary.violations = dict(violations)

    extra = _cross_year(tasks, years)
    summary.cross_year_warnings = sum(len(w) for w in extra.values())
    summary.warnings += summary.cross_year_warnings
    write_json(outdir / "cross_year.json", extra)

    with atomic_file(outdir / "results.jsonl") as jsonl, PackageWriter(outdir, manifest) as package:
        for task in tasks:  # pass 2: the lines and rows, in input order
            data = _load_result(task)
            added = extra.get(str((data.get("source") or {}).get("path")), [])
            if added:
                data["warnings"] = [*(data.get("warnings") or []), *added]
            jsonl.write(dumps(data, indent=None) + "\n")
            package.add(data)
    done = package.summary
    summary.parquet = done.parquet
    summary.cells, summary.doubtful_cells = done.cells, done.doubtful_cells
    summary.duplicates = done.duplicates
    summary.manifest_unmatched = done.manifest_unmatched
