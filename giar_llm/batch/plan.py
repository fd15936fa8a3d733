"""Planning a batch: the result name and config key of every input, and which stored results can be reused.

An input is resumed when its row in the store names the file's current content hash, the current config key
and the same corrections, and is not marked for a retry (see the package docstring).
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import giar_llm
from giar_llm.batch.store import Store, Stored
from giar_llm.core.corrections import Correction, for_source
from giar_llm.core.cost import Cost
from giar_llm.core.envelope import STATUSES
from giar_llm.files import stale_temporary
from giar_llm.inputs import REPORT_SUFFIXES
from giar_llm.inputs.listing import InputFile, list_inputs
from giar_llm.prompts import prompt_version
from giar_llm.settings import Settings

__all__ = [
    "BatchItem",
    "BatchSummary",
    "Plan",
    "Selection",
    "Task",
    "config_key",
    "plan_batch",
    "result_name",
    "select_inputs",
]


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
    cost: Cost = field(default_factory=Cost)  # of the inputs this run extracted (not the resumed ones)
    seconds: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)  # this run's wall seconds in each step, in order
    skipped: int = 0
    recomputed: int = 0
    parquet: bool = False
    failed_files: list[str] = field(default_factory=list)
    unverified_files: list[str] = field(default_factory=list)
    not_reports: list[str] = field(default_factory=list)  # skipped by extension, with a note
    duplicates: list[dict[str, str]] = field(default_factory=list)
    cells: int = 0
    doubtful_cells: int = 0
    manifest_unmatched: list[str] = field(default_factory=list)

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
            "calls": self.cost.calls,
            "cache_hits": self.cost.cache_hits,
            "tokens": self.cost.tokens.model_dump(),
            "seconds": round(self.seconds, 3),
            "compute_seconds": round(self.cost.seconds, 3),
            "step_seconds": {step: round(seconds, 3) for step, seconds in self.steps.items()},
            "skipped": self.skipped,
            "recomputed": self.recomputed,
            "failed": self.failed,
            "parquet": self.parquet,
            "failed_files": self.failed_files,
            "unverified_files": self.unverified_files,
            "not_reports": self.not_reports,
            "duplicates": self.duplicates,
            "cells": self.cells,
            "doubtful_cells": self.doubtful_cells,
            "manifest_unmatched": self.manifest_unmatched,
        }


@dataclass(frozen=True)
class Task:
    """One input to extract: its row in the store and its exported result file."""

    index: int
    name: str
    path: str
    sha256: str  # of the content when the batch was planned ("" when unreadable)
    result: str
    config: str
    corrections: tuple[Correction, ...] = ()  # kept corrections for this input (made on it, or on an older version)
    corrections_key: str = ""  # their digest: a resumed result must have had the same applied
    copies: tuple[Task, ...] = ()  # inputs with the same content, config and corrections: given this one's result


@dataclass
class Plan:
    """Every input in order, those still to do, and the stored results reused.

    Inputs to do with the same content, config and corrections are read once: ``todo`` holds the first of
    them, with the others as its ``copies`` (their results are the first one's, moved to their own file name,
    see ``execute.copy_outcome``)."""

    tasks: list[Task]
    todo: list[Task]
    resumed: list[tuple[Task, Stored]]
    reexport: list[Task]  # resumed, but the result file is missing or short: exported again from the store


_STEM_BYTES = 120  # leaves room for the hash, ".json" and an atomic write's ".<name>.<random>.tmp"


def result_name(relative: Path, absolute: Path | str) -> str:
    """A file name for an input's result: its relative path made safe, plus a short hash of its absolute path."""
    stem = re.sub(r"[^\w.\-]+", "_", "__".join(p for p in relative.parts if p not in ("", ".", "..")))
    stem = stem.strip("._")[:80]
    while len(stem.encode("utf-8")) > _STEM_BYTES:  # a file name is at most 255 bytes: 80 CJK characters are 240
        stem = stem[:-1]
    stem = stem or "input"
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


def _file_sha256(path: Path) -> str:
    """The content hash of a regular file; "" for anything else (a FIFO, socket or device is never opened)."""
    digest = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return ""
        with open(path, "rb", opener=lambda name, flags: os.open(name, flags | os.O_NONBLOCK)) as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def _resumable(task: Task, row: Stored | None) -> bool:
    """A stored result can be reused: same content, config and corrections, and not marked for a retry."""
    return (
        row is not None
        and bool(task.sha256)
        and not row.retry
        and row.sha256 == task.sha256
        and row.config == task.config
        and row.corrections == task.corrections_key
        and row.status in STATUSES
    )


def _exported(task: Task, row: Stored) -> bool:
    try:
        return os.stat(task.result).st_size == row.size
    except OSError:
        return False


def remove_stale_temporaries(*folders: Path) -> None:
    """Temporary files a killed run left; those a running process still writes are kept."""
    for folder in folders:
        for candidate in folder.glob(".*.tmp"):
            if stale_temporary(candidate):
                candidate.unlink(missing_ok=True)


def corrections_key(corrections: Sequence[Correction]) -> str:
    """The digest of the corrections applied to one input, in order ("" for none)."""
    if not corrections:
        return ""
    text = json.dumps([c.model_dump(mode="json") for c in corrections], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Selection:
    """The input files of a batch, and the files found in a folder or by a glob that are not reports by name."""

    files: list[InputFile]
    not_reports: list[str]


def _matches(item: InputFile, pattern: str) -> bool:
    relative = item.relative.as_posix()
    below = Path(*item.relative.parts[1:]).as_posix() if len(item.relative.parts) > 1 else relative
    return any(fnmatch.fnmatch(text, pattern) for text in (item.path.name, relative, below, item.path.as_posix()))


def select_inputs(
    inputs: Sequence[Path | str], outdir: Path, include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> Selection:
    """The inputs (the output folder left out), narrowed by the ``include``/``exclude`` globs (file name or
    path); a file a folder or glob turned up whose extension is not a report's is set aside, not failed.
    A file named on its own is always taken."""
    named = {Path(i).absolute() for i in inputs if not Path(i).is_dir() and not set("*?[") & set(str(i))}
    files: list[InputFile] = []
    not_reports: list[str] = []
    for item in list_inputs(inputs, exclude=outdir):
        if include and not any(_matches(item, g) for g in include):
            continue
        if any(_matches(item, g) for g in exclude):
            continue
        if item.path.suffix.lower() not in REPORT_SUFFIXES and item.path.absolute() not in named:
            not_reports.append(str(item.path))
            continue
        files.append(item)
    return Selection(files, not_reports)


def plan_batch(
    inputs: Sequence[Path | str] | Selection,
    outdir: Path,
    settings: Settings,
    store: Store,
    corrections: Sequence[Correction] = (),
) -> Plan:
    """Name the results of the inputs (a selection, or paths to select from) and find those that can be resumed.
    Each input takes the kept corrections made on its content (or on an older version of the same file name,
    to be reported, not applied); a change in them redoes the input."""
    results = str(outdir / "results")
    config = config_key(settings)
    tasks: list[Task] = []
    selection = inputs if isinstance(inputs, Selection) else select_inputs(inputs, outdir)
    for index, item in enumerate(selection.files):
        name = result_name(item.relative, item.resolved())
        sha256 = _file_sha256(item.path)
        matching, stale = for_source(corrections, sha256, str(item.path)) if corrections else ([], [])
        mine = tuple(matching + stale)
        tasks.append(
            Task(
                index=index,
                name=name,
                path=str(item.path),
                sha256=sha256,
                result=os.path.join(results, f"{name}.json"),
                config=config,
                corrections=mine,
                corrections_key=corrections_key(mine),
            )
        )
    rows = store.stored()
    todo: list[Task] = []
    resumed: list[tuple[Task, Stored]] = []
    reexport: list[Task] = []
    first: dict[tuple[str, str, str], Task] = {}
    copies: dict[int, list[Task]] = {}
    for task in tasks:
        row = rows.get(task.name)
        if row is None or not _resumable(task, row):
            key = (task.sha256, task.config, task.corrections_key)
            leader = first.setdefault(key, task) if task.sha256 else task
            if leader is task:
                todo.append(task)
            else:
                copies.setdefault(leader.index, []).append(task)
            continue
        resumed.append((task, row))
        if not _exported(task, row):
            reexport.append(task)
    todo = [replace(t, copies=tuple(copies[t.index])) if t.index in copies else t for t in todo]
    return Plan(tasks, todo, resumed, reexport)
