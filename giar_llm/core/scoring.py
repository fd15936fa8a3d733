"""Scoring a result against a gold file (spec section 5), summing scores over a run, comparing two runs.

Pure: no I/O. Every cell path of the gold report (``paths.flatten``, meta included) is compared with the
prediction:

- strict: the values are equal (``3 == 3.0``; strings equal after NFKC and whitespace removal) and
  ``null`` is distinct from ``0``;
- lenient: the same, but ``null`` and ``0`` count equal;
- a path the prediction doesn't have (another format, the other (六) variant, no report at all) is
  wrong in both.

The non-zero cells of the gold (not null, not 0, not "") get their own accuracy, because most cells of
most reports are 0 or blank and an empty prediction already scores high leniently.

Violations the result reports are matched with the gold's ``expected_violations`` by key
``(check, cell or row)``.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

from giar_llm.core.cost import Cost
from giar_llm.core.envelope import STATUSES, GoldFile, RunInfo
from giar_llm.core.findings import Violation
from giar_llm.core.paths import Value, describe_cell, flatten, flatten_json, labels, short_label, table_of
from giar_llm.core.schema import SECTION_KEYS, Report2019, Report2021, section_of_path

SECTION_ORDER: tuple[str, ...] = ("meta", *SECTION_KEYS)


def section_of(path: str) -> str:
    """The report's part a cell belongs to: ``meta``, a table (二/三/四), or ``other``."""
    if path.split(".", 1)[0] == "meta":
        return "meta"
    return section_of_path(path) or "other"


def _ratio(right: int, total: int) -> float:
    """right / total, defined as 1.0 when there is nothing to get right."""
    return 1.0 if total == 0 else right / total


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = self.model_dump(mode="json")
        return data


# --------------------------------------------------------------------------- one report


class Counts(_Model):
    """Cell counts; the accuracies are 1.0 when there are no cells of the kind."""

    cells: int = 0
    strict_right: int = 0
    lenient_right: int = 0
    nonzero: int = 0
    nonzero_right: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def strict_accuracy(self) -> float:
        return _ratio(self.strict_right, self.cells)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def lenient_accuracy(self) -> float:
        return _ratio(self.lenient_right, self.cells)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def nonzero_accuracy(self) -> float:
        return _ratio(self.nonzero_right, self.nonzero)

    def add(self, other: Counts) -> None:
        self.cells += other.cells
        self.strict_right += other.strict_right
        self.lenient_right += other.lenient_right
        self.nonzero += other.nonzero
        self.nonzero_right += other.nonzero_right


class WrongCell(_Model):
    """A cell the prediction got wrong (strictly). ``missing``: the prediction has no such path."""

    path: str
    expected: Value
    got: Value
    label: str = ""
    missing: bool = False
    lenient_right: bool = Field(default=False, description="only null vs 0: right in the lenient score")

    def line(self) -> str:
        """ "path: expected → got" (``缺`` for a path the prediction doesn't have, ``null`` for a blank)."""
        got = "缺" if self.missing else _show(self.got)
        return f"{self.path}: {_show(self.expected)} → {got}"


def _show(value: Value) -> str:
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class ViolationScore(_Model):
    """Violations found vs expected, by key ``(check, cell or row)``."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    unexpected: list[str] = Field(default_factory=list, description="found, not in the gold: 'check cell'")
    missed: list[str] = Field(default_factory=list, description="in the gold, not found: 'check cell'")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)


class LevelCounts(_Model):
    """Cells of one evidence level and how many of them are right (strictly)."""

    cells: int = 0
    right: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def accuracy(self) -> float:
        return _ratio(self.right, self.cells)

    def add(self, other: LevelCounts) -> None:
        self.cells += other.cells
        self.right += other.right


TRUSTED_LEVELS = ("read", "derived", "reviewed")


class ReportScore(_Model):
    report: str = Field(default="", description="the report's file name")
    gold: str = Field(default="", description="the gold file's id")
    status: str
    error: str | None = None
    format: str = Field(description="the gold's table format")
    predicted_format: str | None = None
    backend: str | None = None
    counts: Counts
    sections: dict[str, Counts]
    wrong: list[WrongCell] = Field(default_factory=list)
    violations: ViolationScore = Field(default_factory=ViolationScore)
    cost: Cost = Field(default_factory=Cost)
    levels: dict[str, LevelCounts] = Field(default_factory=dict, description="cells by evidence level")
    trusted_wrong: list[str] = Field(
        default_factory=list, description="wrong cells whose level says they can be trusted (read/derived/reviewed)"
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def exact(self) -> bool:
        """No wrong cell (strict)."""
        return not self.wrong

    @computed_field  # type: ignore[prop-decorator]
    @property
    def silent_error(self) -> bool:
        """Reported verified, yet a cell is wrong: the error a user would never see."""
        return self.status == "verified" and bool(self.wrong)

    def wrong_lines(self) -> list[str]:
        return [w.line() for w in self.wrong]


def values_equal(expected: Value, got: Value, lenient: bool = False) -> bool:
    """Cell equality: numbers by value (3 == 3.0), strings after NFKC and whitespace removal;
    ``None`` equals only ``None`` (strict) or also ``0`` (lenient)."""
    if expected is None or got is None:
        if expected is None and got is None:
            return True
        other = got if expected is None else expected
        return lenient and _is_zero(other)
    if isinstance(expected, str) or isinstance(got, str):
        return isinstance(expected, str) and isinstance(got, str) and _norm_text(expected) == _norm_text(got)
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected == got
    return math.isclose(float(expected), float(got), rel_tol=0.0, abs_tol=1e-9)


def _is_zero(value: Value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == 0


def _is_nonzero(value: Value) -> bool:
    if value is None or _is_zero(value):
        return False
    return not (isinstance(value, str) and not value.strip())


def _norm_text(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def cell_label(path: str, fmt: str | None = None) -> str:
    """The cell's Chinese name, e.g. "表三 （二）部分公开 行·自然人 列"; 表二 labels follow ``fmt``
    (规范性文件 in 2019, 行政规范性文件 in 2021)."""
    try:
        if path.startswith("proactive.") and path.count(".") == 2:
            row = path.rpartition(".")[0]
            return f"{table_of(path)} {short_label(labels(row, fmt)[-1])}·{labels(path, fmt)[-1]}"
        return describe_cell(path)
    except (IndexError, KeyError, ValueError):
        return "·".join(labels(path, fmt))


def score_report(
    gold: GoldFile,
    envelope_report: Report2019 | Report2021 | None,
    status: str,
    violations: Iterable[Violation],
    *,
    report: str = "",
    gold_id: str = "",
    run: RunInfo | None = None,
    error: str | None = None,
    levels: Mapping[str, str] | None = None,
) -> ReportScore:
    """Score one prediction against its gold file, every gold cell path counted once; with ``levels``
    (the envelope's evidence levels) also per level (a cell without a level is ``unknown``)."""
    expected = flatten(gold.report)
    predicted: Mapping[str, Value] = flatten(envelope_report) if envelope_report is not None else {}
    fmt = gold.report.format
    total = Counts()
    sections = {name: Counts() for name in SECTION_ORDER}
    wrong: list[WrongCell] = []
    by_level: dict[str, LevelCounts] = {}
    trusted_wrong: list[str] = []
    for path, want in expected.items():
        missing = path not in predicted
        got: Value = None if missing else predicted[path]
        strict = not missing and values_equal(want, got)
        lenient = not missing and values_equal(want, got, lenient=True)
        nonzero = _is_nonzero(want)
        counts = Counts(
            cells=1,
            strict_right=int(strict),
            lenient_right=int(lenient),
            nonzero=int(nonzero),
            nonzero_right=int(nonzero and strict),
        )
        total.add(counts)
        sections.setdefault(section_of(path), Counts()).add(counts)
        if levels is not None and not path.startswith("meta."):
            level = levels.get(path, "unknown")
            by_level.setdefault(level, LevelCounts()).add(LevelCounts(cells=1, right=int(strict)))
            if level in TRUSTED_LEVELS and not strict:
                trusted_wrong.append(path)
        if not strict:
            wrong.append(
                WrongCell(
                    path=path,
                    expected=want,
                    got=got,
                    label=cell_label(path, fmt),
                    missing=missing,
                    lenient_right=lenient,
                )
            )
    return ReportScore(
        report=report,
        gold=gold_id,
        status=status,
        error=error,
        format=fmt,
        predicted_format=envelope_report.format if envelope_report is not None else None,
        backend=run.backend if run is not None else None,
        counts=total,
        sections=sections,
        wrong=wrong,
        violations=score_violations(gold, violations),
        cost=run.cost() if run is not None else Cost(),
        levels=by_level,
        trusted_wrong=trusted_wrong,
    )


def score_violations(gold: GoldFile, violations: Iterable[Violation]) -> ViolationScore:
    found = {v.key for v in violations}
    wanted = {v.key for v in gold.expected_violations}
    return ViolationScore(
        tp=len(found & wanted),
        fp=len(found - wanted),
        fn=len(wanted - found),
        unexpected=[_key_text(k) for k in sorted(found - wanted)],
        missed=[_key_text(k) for k in sorted(wanted - found)],
    )


def _key_text(key: tuple[str, str]) -> str:
    return f"{key[0]} {key[1]}".strip()


# --------------------------------------------------------------------------- a run


class Summary(_Model):
    reports: int = 0
    backend: str | None = Field(default=None, description="the backend of every report, 'mixed' if several")
    counts: Counts = Field(default_factory=Counts)
    sections: dict[str, Counts] = Field(default_factory=dict)
    exact: int = 0
    statuses: dict[str, int] = Field(default_factory=dict)
    silent_errors: int = 0
    silent_error_reports: list[str] = Field(default_factory=list)
    violations: ViolationScore = Field(default_factory=ViolationScore)
    cost: Cost = Field(default_factory=Cost)
    levels: dict[str, LevelCounts] = Field(default_factory=dict, description="cells by evidence level")
    trusted_wrong: int = Field(default=0, description="wrong cells marked read/derived/reviewed: must be 0")
    trusted_wrong_cells: list[str] = Field(default_factory=list, description="'report: path' of each")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def strict_accuracy(self) -> float:
        return self.counts.strict_accuracy

    @computed_field  # type: ignore[prop-decorator]
    @property
    def lenient_accuracy(self) -> float:
        return self.counts.lenient_accuracy

    @computed_field  # type: ignore[prop-decorator]
    @property
    def nonzero_accuracy(self) -> float:
        return self.counts.nonzero_accuracy

    @computed_field  # type: ignore[prop-decorator]
    @property
    def violation_precision(self) -> float:
        return self.violations.precision

    @computed_field  # type: ignore[prop-decorator]
    @property
    def violation_recall(self) -> float:
        return self.violations.recall

    @computed_field  # type: ignore[prop-decorator]
    @property
    def exact_rate(self) -> float:
        return _ratio(self.exact, self.reports)


def summarize(scores: Sequence[ReportScore]) -> Summary:
    """Totals over a run: cells summed over reports (micro accuracy), statuses, silent errors, violations, cost."""
    summary = Summary(
        reports=len(scores),
        sections={name: Counts() for name in SECTION_ORDER},
        statuses=dict.fromkeys(STATUSES, 0),
    )
    backends: set[str] = set()
    for score in scores:
        summary.counts.add(score.counts)
        for name, counts in score.sections.items():
            summary.sections.setdefault(name, Counts()).add(counts)
        summary.exact += int(score.exact)
        summary.statuses[score.status] = summary.statuses.get(score.status, 0) + 1
        if score.silent_error:
            summary.silent_errors += 1
            summary.silent_error_reports.append(score.report or score.gold)
        summary.violations.tp += score.violations.tp
        summary.violations.fp += score.violations.fp
        summary.violations.fn += score.violations.fn
        name = score.report or score.gold
        summary.violations.unexpected += [f"{name}: {v}" for v in score.violations.unexpected]
        summary.violations.missed += [f"{name}: {v}" for v in score.violations.missed]
        summary.cost.add(score.cost)
        for level, at_level in score.levels.items():
            summary.levels.setdefault(level, LevelCounts()).add(at_level)
        summary.trusted_wrong += len(score.trusted_wrong)
        summary.trusted_wrong_cells += [f"{name}: {path}" for path in score.trusted_wrong]
        if score.backend:
            backends.add(score.backend)
    summary.levels = {level: summary.levels[level] for level in sorted(summary.levels, key=_level_order)}
    if backends:
        summary.backend = backends.pop() if len(backends) == 1 else "mixed"
    return summary


def _level_order(level: str) -> int:
    order = ("read", "derived", "reviewed", "chosen", "unknown")
    return order.index(level) if level in order else len(order)


# --------------------------------------------------------------------------- two runs


class MetricDelta(_Model):
    old: float
    new: float

    @computed_field  # type: ignore[prop-decorator]
    @property
    def delta(self) -> float:
        return round(self.new - self.old, 9)


class CellChange(_Model):
    path: str
    label: str = ""
    expected: Value = None
    old: Value = None
    new: Value = None


class ReportChange(_Model):
    report: str
    old_status: str | None = None
    new_status: str | None = None
    fixed: list[CellChange] = Field(default_factory=list, description="wrong before, right now")
    broken: list[CellChange] = Field(default_factory=list, description="right before, wrong now")
    still_wrong_changed: list[CellChange] = Field(default_factory=list, description="wrong in both, differently")
    old_strict_accuracy: float | None = None
    new_strict_accuracy: float | None = None

    @property
    def changed(self) -> bool:
        return bool(self.fixed or self.broken or self.still_wrong_changed or self.old_status != self.new_status)


class Comparison(_Model):
    metrics: dict[str, MetricDelta] = Field(default_factory=dict)
    reports: list[ReportChange] = Field(default_factory=list, description="reports scored in both runs")
    only_old: list[str] = Field(default_factory=list)
    only_new: list[str] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def fixed(self) -> int:
        return sum(len(r.fixed) for r in self.reports)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def broken(self) -> int:
        return sum(len(r.broken) for r in self.reports)


def _as_score(item: ReportScore | Mapping[str, Any]) -> ReportScore:
    return item if isinstance(item, ReportScore) else ReportScore.model_validate(dict(item))


def _by_name(items: Iterable[ReportScore | Mapping[str, Any]]) -> dict[str, ReportScore]:
    out: dict[str, ReportScore] = {}
    for item in items:
        score = _as_score(item)
        out[score.report or score.gold] = score
    return out


def _numeric_leaves(data: Mapping[str, Any]) -> dict[str, float]:
    return {
        path: float(value)
        for path, value in flatten_json(dict(data)).items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    }


def compare(
    old_summary: Summary | Mapping[str, Any],
    new_summary: Summary | Mapping[str, Any],
    old_reports: Iterable[ReportScore | Mapping[str, Any]],
    new_reports: Iterable[ReportScore | Mapping[str, Any]],
) -> Comparison:
    """What changed between two runs: every numeric metric of the summaries (old, new, delta) and, for each
    report scored in both, the cells fixed (wrong → right), broken (right → wrong) and still wrong but
    with a different value."""
    old_data = old_summary.to_json() if isinstance(old_summary, Summary) else dict(old_summary)
    new_data = new_summary.to_json() if isinstance(new_summary, Summary) else dict(new_summary)
    old_metrics, new_metrics = _numeric_leaves(old_data), _numeric_leaves(new_data)
    metrics = {k: MetricDelta(old=old_metrics[k], new=v) for k, v in new_metrics.items() if k in old_metrics}
    old_by, new_by = _by_name(old_reports), _by_name(new_reports)
    changes = [_report_change(name, old_by[name], new_by[name]) for name in new_by if name in old_by]
    return Comparison(
        metrics=metrics,
        reports=changes,
        only_old=[n for n in old_by if n not in new_by],
        only_new=[n for n in new_by if n not in old_by],
    )


def _report_change(name: str, old: ReportScore, new: ReportScore) -> ReportChange:
    old_wrong = {w.path: w for w in old.wrong}
    new_wrong = {w.path: w for w in new.wrong}
    change = ReportChange(
        report=name,
        old_status=old.status,
        new_status=new.status,
        old_strict_accuracy=old.counts.strict_accuracy,
        new_strict_accuracy=new.counts.strict_accuracy,
    )
    for path, w in old_wrong.items():
        if path not in new_wrong:
            change.fixed.append(CellChange(path=path, label=w.label, expected=w.expected, old=w.got, new=w.expected))
        else:
            n = new_wrong[path]
            if n.missing != w.missing or not values_equal(n.got, w.got):
                change.still_wrong_changed.append(
                    CellChange(path=path, label=w.label, expected=w.expected, old=w.got, new=n.got)
                )
    for path, n in new_wrong.items():
        if path not in old_wrong:
            change.broken.append(CellChange(path=path, label=n.label, expected=n.expected, old=n.expected, new=n.got))
    return change
