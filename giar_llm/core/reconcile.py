"""One reconciliation step: the reader's cells and a model's cells combined into one evidence level per cell.

The policy, in one place (pure; no I/O):

- A cell the reader read with certainty (``read`` or ``derived``) keeps the reader's value in ``auto``;
  a model that disagrees is a warning. In ``llm`` the model's value stands but is ``chosen``, with both
  numbers as candidates; a model value that is not in the source never replaces a reader's certain cell.
- A model cell is ``read`` only where it agrees with the reader's certain reading of that same cell:
  the reader is what places a number at its row's own line and its column's own position, and a 0 is a
  0 only where that cell's zero mark stands (a blank the reader saw is not a 0, and the reverse).
- Every other model cell is ``chosen`` (a value) or ``unknown`` (null), with the reason: not in the
  source, not a split of its row's run-together digits, still changing after repair, the table's sums
  still failing, or simply unproven. Its sums holding does not make it ``derived``: two rows swapped
  satisfy the same sums. Only :mod:`giar_llm.core.constraints` proves a value ``derived``.
- A table whose model-filled version fails more strict checks than the reader's keeps the reader's cells.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from pydantic import BaseModel

from giar_llm.core.checker import check
from giar_llm.core.findings import HeuristicWarning
from giar_llm.core.levels import REASON_TEXT, Cell, Number, Reason, Span, covering
from giar_llm.core.paths import Value, describe_cell, flatten, set_cell
from giar_llm.core.schema import SECTION_OF_KEY, Report2019, Report2021, table_name
from giar_llm.core.verdict import involved_cells

M = TypeVar("M", bound=BaseModel)

Report = Report2019 | Report2021

TABLE_KEYS = ("proactive", "applications", "review_litigation")
NO_ARITHMETIC = "proactive"  # 表二 has no sums to confirm anything


@dataclass(frozen=True)
class ModelCell:
    """A model's value for one cell, where the grounding found it, and its doubt (if the loop had one)."""

    value: Number | None
    span: Span | None = None
    doubt: Reason | None = None
    message: str = ""


@dataclass(frozen=True)
class DigitRun:
    """A row whose run-together digits the reader could not split uniquely: any reading is one split."""

    fields: tuple[str, ...]
    runs: tuple[str, ...]

    def spelled(self) -> str:
        return "".join(r.lstrip("+") for r in self.runs)


@dataclass
class Reconciled:
    report: Report
    cells: dict[str, Cell]
    warnings: list[HeuristicWarning] = field(default_factory=list)
    open: dict[str, list[tuple[Number, ...]]] = field(default_factory=dict)  # rows still ambiguous: their splits


def table_of_path(path: str) -> str:
    return path.split(".", 1)[0]


def _number(value: Value) -> Number | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def reader_cells(
    values: Mapping[str, Value],
    evidence: Mapping[str, Span],
    unsure: Mapping[str, str],
    derived: Mapping[str, str] | None = None,
    candidates: Mapping[str, Sequence[Number]] | None = None,
) -> dict[str, Cell]:
    """The reader's cells as records: doubtful where the reader said so (a cell or its row), derived where
    its digit-run splitter found the only split, read otherwise (a blank cell too: it stands blank)."""
    derived = derived or {}
    candidates = candidates or {}
    cells: dict[str, Cell] = {}
    for path, raw in values.items():
        if path.startswith("meta."):
            continue
        value = _number(raw)
        span = evidence.get(path) if value is not None else None
        doubt = covering(path, unsure)
        if doubt is not None:
            cells[path] = Cell.doubt(value, Reason.READER, unsure[doubt], span, candidates.get(path, ()))
        elif path in derived:
            cells[path] = Cell.derived(value, Reason.DERIVED_SPLIT, derived[path], span)
        else:
            cells[path] = Cell.read(value, span)
    return cells


def missing_cells(values: Mapping[str, Value], message: str) -> dict[str, Cell]:
    """Every cell of a report the reader found nothing of: unknown."""
    return {path: Cell.doubt(None, Reason.TABLE_MISSING, message) for path in values if not path.startswith("meta.")}


def _ranked(*groups: Iterable[Number | None]) -> tuple[Number, ...]:
    out: list[Number] = []
    for group in groups:
        for value in group:
            if value is not None and value not in out:
                out.append(value)
    return tuple(out)


def _failures_by_table(report: Report) -> Counter[str]:
    counts: Counter[str] = Counter()
    for violation in check(report).violations:
        counts.update({table_of_path(cell) for cell in involved_cells(violation)})
    return counts


def build_report(base: Report, cells: Mapping[str, Cell]) -> Report:
    """A copy of ``base`` holding each cell's value."""
    current = flatten(base)
    report = copy_models(base)
    for path, cell in cells.items():
        if path in current and current[path] != cell.value:
            set_cell(report, path, cell.value)
    return report


_LEAVES = frozenset({int, float, str, bool, type(None)})  # a report's cells and meta: nothing to copy


def copy_models(model: M) -> M:
    """A deep copy of a report: each of its models copied as pydantic copies one (``model_copy``), their fields
    shared (numbers and text, which no one changes in place): what ``model_copy(deep=True)`` makes, without
    ``copy.deepcopy`` of every value."""
    cls = type(model)
    copied = cls.__new__(cls)
    fields = {name: v if type(v) in _LEAVES else copy_models(v) for name, v in model.__dict__.items()}
    object.__setattr__(copied, "__dict__", fields)
    object.__setattr__(copied, "__pydantic_fields_set__", set(model.__pydantic_fields_set__))
    extra, private = model.__pydantic_extra__, model.__pydantic_private__
    object.__setattr__(copied, "__pydantic_extra__", None if extra is None else dict(extra))
    object.__setattr__(copied, "__pydantic_private__", None if private is None else dict(private))
    return copied


def reconcile(
    base: Report,
    reader: Mapping[str, Cell],
    model: Mapping[str, ModelCell],
    runs: Mapping[str, DigitRun] | None = None,
    prefer_reader: bool = True,
) -> Reconciled:
    """Combine the reader's cells with the model's (``model`` holds the cells of every table it answered)."""
    cells = dict(reader)
    warnings: list[HeuristicWarning] = []
    for path, answer in model.items():
        mine = reader.get(path)
        if mine is None:
            continue
        if mine.trusted:
            if answer.value == mine.value or answer.doubt is Reason.MODEL_NOT_IN_SOURCE:
                continue
            warnings.append(
                HeuristicWarning(
                    check="model_reader_disagree",
                    cells=[path],
                    message=f"{describe_cell(path)}：读取器读到 {mine.value}，模型给出 {answer.value}",
                )
            )
            if not prefer_reader:
                cells[path] = Cell.doubt(
                    answer.value,
                    Reason.MODEL_DISAGREES,
                    f"读取器读到 {mine.value}，模型给出 {answer.value}",
                    answer.span,
                    _ranked([answer.value, mine.value]),
                )
            continue
        reason = answer.doubt or Reason.MODEL_UNPROVEN
        cells[path] = Cell.doubt(
            answer.value,
            reason,
            answer.message or REASON_TEXT[reason],
            answer.span,
            _ranked([answer.value, mine.value], mine.candidates),
        )
    _keep_to_digit_runs(cells, reader, runs or {})
    report = _arbitrate(base, cells, reader, {table_of_path(p) for p in model}, warnings)
    return Reconciled(report=report, cells=cells, warnings=warnings)


def _keep_to_digit_runs(cells: dict[str, Cell], reader: Mapping[str, Cell], runs: Mapping[str, DigitRun]) -> None:
    """A row of run-together digits holds one split of them: a model answer whose numbers don't spell the
    same digits in order (a whole run copied into a cell, a digit dropped) is not a reading of it."""
    for row, run in runs.items():
        paths = [f"{row}.{name}" for name in run.fields]
        values = [cells[p].value if p in cells else None for p in paths]
        if all(v is None for v in values) or all(cells[p] == reader.get(p) for p in paths if p in cells):
            continue
        spelled = "".join(str(v) for v in values if isinstance(v, int))
        if None not in values and spelled == run.spelled():
            continue
        for path in paths:
            before = reader.get(path)
            cells[path] = Cell.doubt(
                None,
                Reason.MODEL_NOT_A_SPLIT,
                f"模型的读数 {values} 不是该行连写数字 {run.spelled()} 的一种拆分；{before.message if before else ''}",
                candidates=before.candidates if before else (),
            )


def _arbitrate(
    base: Report,
    cells: dict[str, Cell],
    reader: Mapping[str, Cell],
    answered: set[str],
    warnings: list[HeuristicWarning],
) -> Report:
    """Tables where the model's cells make more strict checks fail than the reader's keep the reader's;
    elsewhere a model-filled cell says whether its table's sums hold (which never proves it)."""
    merged = build_report(base, cells)
    before, after = _failures_by_table(base), _failures_by_table(merged)
    reverted = False
    for key in TABLE_KEYS:
        if key not in answered:
            continue
        table = [p for p in cells if table_of_path(p) == key]
        if after[key] > before[key] and any(reader[p].reason is not Reason.TABLE_MISSING for p in table):
            for path in table:
                cells[path] = reader[path]
            reverted = True
            warnings.append(
                HeuristicWarning(check="model_not_used", cells=[], message=f"{_table_name(key)}：" + _NOT_USED)
            )
            continue
        if key == NO_ARITHMETIC:
            message = "模型填写，表二没有勾稽关系可以核对"
        elif after[key]:
            message = REASON_TEXT[Reason.MODEL_SUMS_FAIL]
        else:
            message = "模型填写；本表勾稽关系成立，但不能排除其他读法（如两行互换）"
        for path in table:
            cell = cells[path]
            if cell.reason is Reason.MODEL_UNPROVEN:
                reason = Reason.MODEL_SUMS_FAIL if after[key] and key != NO_ARITHMETIC else Reason.MODEL_UNPROVEN
                cells[path] = Cell.doubt(cell.value, reason, message, cell.span, cell.candidates)
    return build_report(base, cells) if reverted else merged


_NOT_USED = "模型的读数比读取器的读数有更多勾稽关系不成立，保留读取器的读数"


def _table_name(key: str) -> str:
    return table_name(SECTION_OF_KEY[key])
