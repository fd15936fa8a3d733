"""The eval harness: extract every report that has a gold file, score it, write a run folder.

A report ``evals/reports/<id>.<anything>`` is scored against ``evals/gold/<id>.json`` (the id is the file
name up to the first dot, so ``hongze-2024.pdf`` and ``hongze-2024.pypdf.txt`` share one gold file).
A run writes ``<out_root>/<UTC YYYYmmdd-HHMMSS>/``:

- ``summary.json``: what ran (backend, model, prompt and schema version, package version), the summary
  (``core.scoring.Summary``) and every report's score;
- ``<report file name>.json``: one report's score, its wrong cells as "path: expected → got" with their
  labels, and the result's status, violations and unsure cells.

No terminal output here: ``evaluate_view`` renders a run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from giar_llm import __version__
from giar_llm.core.envelope import Envelope, GoldFile
from giar_llm.core.schema import json_schemas
from giar_llm.core.scoring import Comparison, ReportScore, Summary, compare, score_report, summarize
from giar_llm.errors import GiarError, ReportFormatError
from giar_llm.files import load_gold, read_json, write_json
from giar_llm.inputs.listing import expand_inputs
from giar_llm.llm.extraction import Extractor
from giar_llm.pipeline import extract_file
from giar_llm.prompts import prompt_version
from giar_llm.settings import Settings

DEFAULT_REPORTS = Path("evals/reports")
DEFAULT_GOLD = Path("evals/gold")
DEFAULT_RUNS = Path("evals/runs")
DEFAULT_THRESHOLDS = Path("evals/thresholds.json")
SUMMARY_FILE = "summary.json"


class RunMeta(BaseModel):
    """What produced a run."""

    model_config = ConfigDict(extra="ignore")

    created: str = Field(description="UTC, ISO 8601")
    backend: str
    model: str | None = None
    prompt_version: str | None = None
    schema_version: str
    package_version: str
    gold_dir: str = ""


class EvalRun(BaseModel):
    """A scored run: its folder, what produced it, the summary and every report's score."""

    model_config = ConfigDict(extra="ignore")

    path: Path | None = None
    meta: RunMeta
    summary: Summary
    scores: list[ReportScore] = Field(default_factory=list)
    skipped: list[str] = Field(default_factory=list, description="reports not scored, with the reason")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = self.model_dump(mode="json", exclude={"path"})
        return data

    @property
    def name(self) -> str:
        return self.path.name if self.path is not None else ""


# --------------------------------------------------------------------------- inputs


def report_id(path: Path) -> str:
    """The gold id of a report file: its name up to the first dot."""
    return path.name.split(".", 1)[0]


def expand_reports(paths: Sequence[Path] | None = None, default: Path = DEFAULT_REPORTS) -> list[Path]:
    """Files to evaluate (folders, files and globs, as for a batch); ``default``'s files when none is given."""
    return expand_inputs(list(paths or [default]))


def schema_version() -> str:
    """sha256[:12] of the JSON Schemas of the report models."""
    text = json.dumps(json_schemas(), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _prompt_version() -> str | None:
    try:
        return prompt_version()
    except GiarError:
        return None


# --------------------------------------------------------------------------- running


def run_eval(
    reports: Sequence[Path],
    gold_dir: Path = DEFAULT_GOLD,
    settings: Settings | None = None,
    out_root: Path = DEFAULT_RUNS,
    extractor: Extractor | None = None,
) -> EvalRun:
    """Extract and score every report that has a gold file; write the run folder and return the run."""
    settings = settings if settings is not None else Settings.from_env()
    files = expand_reports(reports)
    golds: dict[str, GoldFile] = {}
    skipped: list[str] = []
    scored: list[tuple[Path, ReportScore, Envelope | None]] = []
    for path in files:
        gid = report_id(path)
        gold_path = gold_dir / f"{gid}.json"
        if gid not in golds:
            if not gold_path.exists():
                skipped.append(f"{path.name}: no gold file {gold_path}")
                continue
            try:
                golds[gid] = load_gold(gold_path)
            except ReportFormatError as exc:
                skipped.append(f"{path.name}: {exc}")
                continue
        gold = golds[gid]
        envelope: Envelope | None = None
        try:
            envelope = extract_file(path, settings, extractor)
        except GiarError as exc:
            score = score_report(
                gold, None, "failed", [], report=path.name, gold_id=gid, error=f"{type(exc).__name__}: {exc}"
            )
        else:
            score = score_report(
                gold,
                envelope.report,
                envelope.status,
                envelope.violations,
                report=path.name,
                gold_id=gid,
                run=envelope.run,
                error=envelope.error,
                levels=envelope.levels,
            )
        scored.append((path, score, envelope))
    scores = [s for _, s, _ in scored]
    now = datetime.now(UTC)
    meta = RunMeta(
        created=now.isoformat(timespec="seconds"),
        backend=settings.backend,
        model=settings.model,
        prompt_version=_prompt_version(),
        schema_version=schema_version(),
        package_version=__version__,
        gold_dir=str(gold_dir),
    )
    folder = _new_run_folder(out_root, now)
    run = EvalRun(path=folder, meta=meta, summary=summarize(scores), scores=scores, skipped=skipped)
    for path, score, envelope in scored:
        write_json(folder / f"{path.name}.json", report_file_data(path, score, envelope))
    write_json(folder / SUMMARY_FILE, run.to_json())
    return run


def _new_run_folder(out_root: Path, now: datetime) -> Path:
    stem = now.strftime("%Y%m%d-%H%M%S")
    folder = out_root / stem
    n = 1
    while True:
        try:
            folder.mkdir(parents=True, exist_ok=False)
            return folder
        except FileExistsError:
            folder = out_root / f"{stem}-{n}"
            n += 1


def report_file_data(path: Path, score: ReportScore, envelope: Envelope | None) -> dict[str, Any]:
    """What ``<report file name>.json`` holds."""
    return {
        "report": path.name,
        "source": str(path),
        "gold": score.gold,
        "status": score.status,
        "error": score.error,
        "strict_accuracy": score.counts.strict_accuracy,
        "lenient_accuracy": score.counts.lenient_accuracy,
        "nonzero_accuracy": score.counts.nonzero_accuracy,
        "wrong": [{"cell": w.line(), "label": w.label, "lenient_right": w.lenient_right} for w in score.wrong],
        "violations": [v.model_dump(mode="json") for v in envelope.violations] if envelope else [],
        "unsure": dict(envelope.unsure) if envelope else {},
        "run": envelope.run.model_dump(mode="json") if envelope else None,
        "score": score.to_json(),
    }


# --------------------------------------------------------------------------- reading runs back


def load_run(path: Path) -> EvalRun:
    """A run from its folder (or its summary.json)."""
    summary_path = path / SUMMARY_FILE if path.is_dir() else path
    data = read_json(summary_path)
    try:
        run = EvalRun.model_validate(data)
    except ValidationError as exc:
        raise ReportFormatError(f"{summary_path}: not an eval run summary ({exc.errors()[0]['msg']})") from exc
    run.path = summary_path.parent
    return run


def latest_run(out_root: Path = DEFAULT_RUNS, exclude: Path | Iterable[Path] | None = None) -> EvalRun | None:
    """The newest readable run under ``out_root`` (by folder name), leaving out ``exclude``."""
    if not out_root.is_dir():
        return None
    excluded = {exclude.resolve()} if isinstance(exclude, Path) else {p.resolve() for p in exclude or ()}
    folders = sorted(
        (p for p in out_root.iterdir() if p.is_dir() and (p / SUMMARY_FILE).is_file()),
        key=lambda p: _folder_order(p.name),
        reverse=True,
    )
    for folder in folders:
        if folder.resolve() in excluded:
            continue
        try:
            return load_run(folder)
        except GiarError:
            continue
    return None


def _folder_order(name: str) -> tuple[str, int]:
    """ "20250101-120000-2" sorts after "20250101-120000-1" and "20250101-120000" (same second)."""
    base, _, suffix = name.rpartition("-")
    if base.count("-") == 1 and suffix.isdigit():
        return (base, int(suffix))
    return (name, 0)


def compare_runs(old: EvalRun, new: EvalRun) -> Comparison:
    return compare(old.summary, new.summary, old.scores, new.scores)


# --------------------------------------------------------------------------- thresholds

#: thresholds that are maxima (counts that must stay low); every other metric is a minimum.
MAX_KEYS = ("silent_errors", "trusted_wrong", "failed", "unverified", "source_inconsistent", "wrong_cells")


def load_thresholds(path: Path = DEFAULT_THRESHOLDS) -> dict[str, Any]:
    data = read_json(path)
    if not isinstance(data, dict):
        raise ReportFormatError(f"{path}: expected a JSON object of thresholds")
    return data


def _metric(summary: Summary, key: str) -> float | None:
    if key in ("failed", "unverified", "source_inconsistent", "verified"):
        return float(summary.statuses.get(key, 0))
    if key == "wrong_cells":
        return float(summary.counts.cells - summary.counts.strict_right)
    data: Any = summary.to_json()
    for part in key.split("."):
        if not isinstance(data, Mapping) or part not in data:
            return None
        data = data[part]
    if isinstance(data, bool) or not isinstance(data, int | float):
        return None
    return float(data)


def thresholds_check(summary: Summary | EvalRun, thresholds: Mapping[str, Any]) -> list[str]:
    """Every threshold the run misses, as a readable line (empty: all met).

    Keys: ``backend`` (the run must use it); maxima ``silent_errors``, ``trusted_wrong`` (wrong cells whose
    evidence level is read, derived or reviewed), ``failed``, ``unverified``,
    ``source_inconsistent``, ``wrong_cells``; every other key is a minimum on a summary metric such as
    ``strict_accuracy``, ``nonzero_accuracy``, ``violation_recall``, ``exact_rate`` or a dotted path
    like ``sections.三.strict_accuracy``.
    """
    backend = summary.meta.backend if isinstance(summary, EvalRun) else summary.backend
    summary = summary.summary if isinstance(summary, EvalRun) else summary
    failures: list[str] = []
    for key, limit in thresholds.items():
        if key == "backend":
            if backend is not None and backend != limit:
                failures.append(f"backend: thresholds are for {limit!r}, this run used {backend!r}")
            continue
        if isinstance(limit, bool) or not isinstance(limit, int | float):
            failures.append(f"{key}: threshold {limit!r} is not a number")
            continue
        value = _metric(summary, key)
        if value is None:
            failures.append(f"{key}: no such metric in the summary")
        elif key in MAX_KEYS:
            if value > limit:
                failures.append(f"{key}: {_fmt(value)} > allowed {_fmt(limit)}")
        elif value < limit:
            failures.append(f"{key}: {_fmt(value)} < required {_fmt(limit)}")
    return failures


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.4f}"
