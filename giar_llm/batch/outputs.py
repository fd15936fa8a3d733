"""The batch outputs, written from the per-input results in input order: results.jsonl (cross-year warnings
added), reports.csv (UTF-8 with a BOM), reports.parquet (with pyarrow), cross_year.json, and the counts of
the summary. Each output is written through a temporary file and renamed into place."""

from __future__ import annotations

import csv
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from giar_llm.batch.plan import BatchSummary, Task, read_json
from giar_llm.core.cost import Cost
from giar_llm.core.cross_year import cross_year_warnings
from giar_llm.core.envelope import STATUSES, Envelope
from giar_llm.core.paths import flatten_json
from giar_llm.files import atomic_file, dumps, write_json
from giar_llm.pipeline import failed_envelope

__all__ = ["FIXED_COLUMNS", "write_outputs"]

FIXED_COLUMNS = ("source", "sha256", "status", "agency", "year", "format", "violations", "warnings", "error")
SECTION_ORDER = ("meta", "proactive", "applications", "review_litigation")
_PARQUET_BATCH = 2048


def _load_result(task: Task) -> dict[str, Any]:
    data = read_json(Path(task.result))
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


def _cost(data: dict[str, Any]) -> Cost:
    try:
        return Cost.model_validate(data.get("run") or {})
    except ValueError:
        return Cost()


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


def write_outputs(tasks: list[Task], recomputed: set[int], outdir: Path, summary: BatchSummary) -> None:
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
            summary.cost.add(_cost(data))
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
