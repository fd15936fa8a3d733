"""Corrections a person made on the review page, kept in a file and re-applied on every run.

A correction names the source by its sha256 and either a cell (set it to ``new``; the level becomes
``reviewed``) or a violation (``原文如此``: the numbers stand so in the source; every cell it involves
becomes ``reviewed`` with its value kept). Applying re-checks the report and decides the status again:
a report whose every doubtful cell was reviewed and whose checks pass is ``verified`` with
``reviewed: true``. A strict check that a typed value breaks, and that nobody confirmed as 原文如此,
leaves the report ``unverified``: the arithmetic disagrees with the reviewer. A correction made on another version of the source (its sha256 differs from the
source's) is reported as a warning and not applied; nothing else is ever changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from giar_llm.core.checker import check
from giar_llm.core.envelope import Envelope, ExpectedViolation, GoldFile, ReviewedCell, ViolationRef
from giar_llm.core.findings import HeuristicWarning
from giar_llm.core.levels import DOUBTFUL, LEVEL_NAMES, Level, covering
from giar_llm.core.paths import describe_cell, flatten
from giar_llm.core.schema import parse_report, report_to_json
from giar_llm.core.verdict import involved_cells, judge, status_of

CONFIRMED = "原文如此"
Number = int | float


class Correction(BaseModel):
    """One decision of a reviewer (a line of the corrections file)."""

    model_config = ConfigDict(extra="forbid")

    sha256: str = Field(description="原文件的 sha256：原文变了，更正就不再适用")
    source: str | None = Field(default=None, description="原文件路径（仅供阅读）")
    cell: str | None = Field(default=None, description="单元格路径；改为 new")
    violation: ViolationRef | None = Field(default=None, description="确认为原文如此的勾稽关系")
    old: Number | None = Field(default=None, description="更正前的值")
    new: Number | None = Field(default=None, description="更正后的值（null：原文为空）")
    reason: str = Field(default="", description="理由")
    reviewer: str | None = Field(default=None, description="复核人")
    time: str | None = Field(default=None, description="复核时间（ISO 8601）")


class CorrectionsFile(BaseModel):
    """What the review page exports and ``--corrections`` reads."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    corrections: list[Correction] = Field(default_factory=list)


def parse_corrections(data: Any) -> list[Correction]:
    """A corrections file's data (an object with ``corrections``, or a bare list); raises ValueError."""
    try:
        if isinstance(data, list):
            data = {"corrections": data}
        return CorrectionsFile.model_validate(data).corrections
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"not a corrections file: {where}: {first['msg']}") from exc


def for_source(corrections: Iterable[Correction], sha256: str, path: str) -> tuple[list[Correction], list[Correction]]:
    """The corrections that apply to this source, and those made on another version of the same path."""
    matching, stale = [], []
    name = _basename(path)
    for correction in corrections:
        if correction.sha256 == sha256:
            matching.append(correction)
        elif correction.source is not None and _basename(correction.source) == name:
            stale.append(correction)
    return matching, stale


def apply_for_source(envelope: Envelope, corrections: Sequence[Correction]) -> Applied:
    """Apply those of ``corrections`` made on this source; those made on another version of it are reported."""
    matching, stale = for_source(corrections, envelope.source.sha256, envelope.source.path)
    return apply_corrections(envelope, matching + stale)


def _basename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Applied:
    envelope: Envelope
    applied: int
    rejected: list[str]  # one Chinese line per correction not applied


def apply_corrections(envelope: Envelope, corrections: Sequence[Correction]) -> Applied:
    """The envelope with ``corrections`` applied, re-checked and its status decided again (a new object)."""
    if not corrections:
        return Applied(envelope, 0, [])
    result = envelope.model_copy(deep=True)
    if result.report is None:
        return Applied(result, 0, [f"{_name(c)}：没有可更正的报告" for c in corrections])
    sha = result.source.sha256
    values = flatten(result.report)
    cells = report_to_json(result.report)
    reviewed: dict[str, ReviewedCell] = dict(result.reviews)
    confirmed: set[tuple[str, str]] = set()
    rejected: list[str] = []
    applied = 0
    current = {v.key: v for v in result.violations}
    for correction in corrections:
        if correction.sha256 != sha:
            rejected.append(f"{_name(correction)}：原文已变化（sha256 不符），未应用")
        elif correction.cell is not None:
            if correction.cell not in values or correction.cell.startswith("meta."):
                rejected.append(f"{correction.cell}：报告中没有这个单元格，未应用")
                continue
            if correction.new is not None and correction.new < 0 and not correction.cell.endswith("items_change"):
                rejected.append(f"{describe_cell(correction.cell)}：{correction.new} 为负数，未应用")
                continue
            _set(cells, correction.cell, correction.new)
            values[correction.cell] = correction.new
            reviewed[correction.cell] = _mark(correction, values_before=envelope, path=correction.cell)
            applied += 1
        elif correction.violation is not None:
            found = current.get(correction.violation.key)
            if found is None:
                rejected.append(f"{_name(correction)}：这条勾稽关系现在不再不成立，未应用")
                continue
            confirmed.add(correction.violation.key)
            for path in involved_cells(found):
                for cell in _cells_under(path, values):
                    reviewed.setdefault(cell, _mark(correction, values_before=envelope, path=cell))
            applied += 1
        else:
            rejected.append(f"{_name(correction)}：既没有单元格也没有勾稽关系，未应用")
    report = parse_report(cells)
    levels: dict[str, Level] = dict(result.levels)
    for path in reviewed:
        levels[path] = "reviewed"
    doubtful_cells = {p for p, level in levels.items() if level in DOUBTFUL}
    unsure = {p: why for p, why in result.unsure.items() if _still_doubtful(p, doubtful_cells)}
    before = check(envelope.report) if envelope.report is not None else None
    checked = check(report)
    judge(checked, doubtful_cells | set(unsure))
    changed = {p for p, mark in reviewed.items() if mark.new != mark.old}
    for violation in checked.violations:
        if violation.key in confirmed:
            violation.verdict = "source"
        elif any(_cells_under(c, values) and set(_cells_under(c, values)) & changed for c in involved_cells(violation)):
            violation.verdict = "extraction"  # a value a person typed breaks a sum: not the source's doing
    checker_warnings = before.warnings if before is not None else []
    kept = [w for w in result.warnings if w not in checker_warnings]
    kept += [
        HeuristicWarning(check="correction_not_applied", message=line) for line in rejected if line not in _texts(kept)
    ]
    result.report = report
    result.violations = checked.violations
    result.warnings = kept + checked.warnings
    result.levels = levels
    result.unsure = unsure
    result.candidates = {p: c for p, c in result.candidates.items() if p in doubtful_cells}
    result.reviews = reviewed
    result.status = status_of(checked, doubtful_cells | set(unsure))
    result.reviewed = bool(reviewed) and result.status in ("verified", "source_inconsistent")
    return Applied(result, applied, rejected)


def gold_file(envelope: Envelope) -> tuple[GoldFile | None, list[str]]:
    """A reviewed result as a gold file (its confirmed violations expected), or why it can't be one."""
    if envelope.report is None:
        return None, [f"没有报告：{envelope.error or envelope.status}"]
    left = [p for p, level in envelope.levels.items() if level in DOUBTFUL]
    problems = [f"{describe_cell(p)} 仍存疑（{LEVEL_NAMES[envelope.levels[p]]}）" for p in left]
    problems += [f"{v.message}（尚未确认原文如此）" for v in envelope.violations if v.verdict != "source"]
    if problems:
        return None, problems
    who = sorted({mark.reviewer for mark in envelope.reviews.values() if mark.reviewer})
    notes = f"由复核结果生成：原文 {envelope.source.path}（sha256 {envelope.source.sha256}）"
    notes += f"；人工复核 {len(envelope.reviews)} 个单元格" + (f"，复核人 {'、'.join(who)}" if who else "")
    if not envelope.reviews:
        notes += "；未经人工复核（读取器已核实）"
    expected = [ExpectedViolation(check=v.check, cell=v.cell, row=v.row) for v in envelope.violations]
    return GoldFile(report=envelope.report, expected_violations=expected, notes=notes), []


def _texts(warnings: Iterable[HeuristicWarning]) -> set[str]:
    return {w.message for w in warnings}


def _name(correction: Correction) -> str:
    if correction.cell is not None:
        return describe_cell(correction.cell)
    if correction.violation is not None:
        return f"{correction.violation.check} {correction.violation.cell or correction.violation.row or ''}".strip()
    return "更正"


def _mark(correction: Correction, values_before: Envelope, path: str) -> ReviewedCell:
    old = flatten(values_before.report).get(path) if values_before.report is not None else None
    new = correction.new if correction.cell == path else old
    return ReviewedCell(
        old=old if isinstance(old, int | float) else None,
        new=new,
        reason=correction.reason or (CONFIRMED if correction.violation is not None else ""),
        reviewer=correction.reviewer,
        time=correction.time,
    )


def _cells_under(path: str, values: dict[str, Any]) -> list[str]:
    if path in values:
        return [path]
    return [p for p in values if p.startswith(path + ".")]


def _still_doubtful(path: str, doubtful_cells: set[str]) -> bool:
    return any(covering(cell, {path}) is not None for cell in doubtful_cells)


def _set(data: dict[str, Any], path: str, value: Number | None) -> None:
    node = data
    *parents, leaf = path.split(".")
    for part in parents:
        node = node[part]
    node[leaf] = value
