"""The deterministic checker: a report in, violations and warnings out (spec section 3). Pure.

The sums are :mod:`giar_llm.core.arithmetic`'s. Blank cells count as 0 in them, with one exception: a
blank total whose parts are filled (a 总计 beside filled applicant cells, a （七）总计 over filled outcome
rows) is *unknown*, so any check that needs it is skipped (and a ``total_blank`` warning says so). A
blank total cell is never checked against its parts.
"""

from __future__ import annotations

import operator
import re
from functools import cache
from typing import Any, Final, TypeAlias

from giar_llm.core.arithmetic import OUTCOME_ROWS, Compiled, Equation, Number, compiled, failing
from giar_llm.core.findings import CheckResult, HeuristicWarning, Violation
from giar_llm.core.paths import describe_cell, describe_row, flatten, flatten_json, labels, short_label
from giar_llm.core.schema import COLUMNS, OTHER_SUBROWS, REVIEW_PARTS, Report2019, Report2021

REVIEW_FIELDS: Final = (*REVIEW_PARTS, "total")

Report: TypeAlias = Report2019 | Report2021 | dict[str, Any]
"""A report as its pydantic model, or as JSON data of the same shape (the reader's, before it is validated):
the checker reads both alike, each node's fields by name (a model's ``__dict__``, where pydantic keeps them, or
the JSON object itself)."""


def _fields(node: Any) -> dict[str, Any]:
    return node if type(node) is dict else node.__dict__


def check(report: Report) -> CheckResult:
    """Run every strict check and every heuristic that needs only the report."""
    shape, cells = _flat(report)
    fails = failing(shape, cells)
    violations = [_violation(equation, shape.positions, cells, plus, minus) for equation, plus, minus in fails]
    violations += _non_negative(report, cells)
    return CheckResult(violations=violations, warnings=_blank_totals(shape, cells) + _heuristics(report))


def violation_cells(report: Report) -> list[list[str]]:
    """The cells of each violation :func:`check` finds, in its order, without building its words: for a caller
    that only needs which cells the failing sums and negative counts involve."""
    shape, cells = _flat(report)
    return _sum_cells(shape, cells) + [[v.cell] for v in _non_negative(report, cells) if v.cell]


def failing_sum_cells(report: Report) -> list[list[str]]:
    """:func:`violation_cells` of the failing sums alone (its first items), negative counts not looked for."""
    return _sum_cells(*_flat(report))


def _sum_cells(shape: Compiled, cells: list[int | float | None]) -> list[list[str]]:
    return [_involved(equation) for equation, _, _ in failing(shape, cells)]


def _involved(equation: Equation) -> list[str]:
    """A failing sum's cells as its violation lists them (a results total: its total cell, then its parts)."""
    if equation.kind == "results_total":
        return [equation.names, *equation.plus]
    return list(equation.cells)


_FIXED_OUTCOMES: Final = tuple(o for o in OUTCOME_ROWS if not o.startswith("other."))
# A row's cells from its fields by name (an item getter on a dict asks less than an attribute getter on a model).
_ROW_CELLS: Final = operator.itemgetter(*COLUMNS)
_REVIEW_CELLS: Final = operator.itemgetter(*REVIEW_FIELDS)


@cache
def _shape(other: tuple[str, ...]) -> Compiled:
    """The sums of a report whose （六） prints these rows (``Results.outcome_rows``'s order)."""
    return compiled((*_FIXED_OUTCOMES, *(f"other.{name}" for name in other)))


def _flat(report: Report) -> tuple[Compiled, list[int | float | None]]:
    """The report's sums and the cells of 表三 and 表四 in their order (``arithmetic.compiled``'s): 表三's rows, then
    表四's groups. Read straight off the nodes (the rows of ``Results.outcome_rows``, without building it)."""
    root = _fields(report)
    apps = _fields(root["applications"])
    results = _fields(apps["results"])
    other = _fields(results["other"])
    if other.get("total") is not None:
        names: tuple[str, ...] = ("total",)
    else:
        names = tuple(n for n in OTHER_SUBROWS if other.get(n) is not None)
    rows = [
        apps["new_requests"],
        apps["carried_over"],
        results["granted"],
        results["partially_granted"],
        *_fields(results["denied"]).values(),
        *_fields(results["unable"]).values(),
        *_fields(results["not_processed"]).values(),
        *(other[name] for name in names),
        results["total_processed"],
        apps["carried_forward"],
    ]
    out: list[int | float | None] = []
    for row in rows:
        out += _ROW_CELLS(_fields(row))
    for outcomes in _fields(root["review_litigation"]).values():
        out += _REVIEW_CELLS(_fields(outcomes))
    return _shape(names), out


def _violation(
    equation: Equation, positions: dict[str, int], cells: list[Number | None], plus: Number, minus: Number
) -> Violation:
    """A failing sum in the checker's words (blank cells shown as 0), its cells found by their positions."""
    kind = equation.kind
    if kind == "row_total":
        path = equation.names
        total = cells[positions[equation.minus[0]]]
        return Violation(
            check="row_total",
            row=path,
            cells=_involved(equation),
            expected=plus,
            found=total,
            message=f"{describe_row(path)}：总计为 {total}，但各申请人列之和为 {plus}",
        )
    if kind == "balance":
        new, carried, processed, forward = (cells[positions[c]] or 0 for c in equation.cells)
        label = labels(equation.cells[0])[-1]
        return Violation(
            check="balance",
            cell=equation.names,
            cells=_involved(equation),
            expected=plus,
            found=minus,
            message=(
                f"表三 {label} 列：本年新收 {new} + 上年结转 {carried} = {plus}，"
                f"但办理结果总计 {processed} + 结转下年度 {forward} = {minus}"
            ),
        )
    if kind == "results_total":
        path = equation.names
        return Violation(
            check="results_total",
            cell=path,
            cells=_involved(equation),
            expected=plus,
            found=minus,
            message=f"表三 （七）总计 行·{labels(path)[-1]} 列：为 {minus}，但（一）至（六）各项之和为 {plus}",
        )
    path = equation.names
    total = cells[positions[equation.minus[0]]]
    return Violation(
        check="review_total",
        row=path,
        cells=_involved(equation),
        expected=plus,
        found=total,
        message=f"表四 {labels(path)[-1]}：总计为 {total}，但结果维持、结果纠正、其他结果、尚未审结之和为 {plus}",
    )


def _any_negative(report: Report, cells: list[int | float | None]) -> bool:
    """A negative number in a cell that counts: 表三 and 表四 from their flat cells, 表二 from its rows (增/减 may
    be negative)."""
    if min(filter(None, cells), default=0) < 0:  # (blanks and zeros left out in C: neither is negative)
        return True
    for row in _fields(_fields(report)["proactive"]).values():
        for name, value in _fields(row).items():
            if value is not None and value < 0 and name != "items_change":
                return True
    return False


def _non_negative(report: Report, cells: list[int | float | None]) -> list[Violation]:
    if not _any_negative(report, cells):
        return []
    out = []
    for path, value in (flatten_json(report) if isinstance(report, dict) else flatten(report)).items():
        if path.startswith("meta.") or path.endswith(".items_change"):
            continue
        if isinstance(value, int | float) and value < 0:
            out.append(
                Violation(
                    check="non_negative",
                    cell=path,
                    cells=[path],
                    expected=0,
                    found=value,
                    message=f"{describe_cell(path)}：为 {value}，计数不能为负",
                )
            )
    return out


# --------------------------------------------------------------------------- warnings


def _blank_totals(shape: Compiled, cells: list[int | float | None]) -> list[HeuristicWarning]:
    width = len(COLUMNS)
    blank = []
    for total in range(width - 1, len(cells), width):  # each row's 总计, blank beside a filled applicant cell
        if cells[total] is None and cells[total - width + 1 : total].count(None) != width - 1:
            row = shape.paths[total].rpartition(".")[0]
            if row.startswith("applications."):
                blank.append(row)
    if not blank:
        return []
    names = "、".join(short_label(labels(p)[-1]) for p in blank[:5]) + ("等" if len(blank) > 5 else "")
    return [
        HeuristicWarning(
            check="total_blank",
            cells=[f"{p}.total" for p in blank],
            message=f"表三 {len(blank)} 行的总计列为空（{names}），相关合计检查已跳过",
        )
    ]


_TOWNSHIP: Final = re.compile(r"(街道|乡|镇)(人民政府|办事处)?$|街道办事处|乡人民政府|镇人民政府")


def _heuristics(report: Report) -> list[HeuristicWarning]:
    out: list[HeuristicWarning] = []
    root = _fields(report)
    meta = _fields(root["meta"])
    proactive = _fields(root["proactive"])
    regulations = _fields(proactive["regulations"])
    agency = meta["agency"] or ""
    year = meta["year"]
    if root["format"] == "2021":
        for name in ("regulations", "normative_docs"):
            docs = _fields(proactive[name])
            in_force, issued = docs["in_force"], docs["issued"]
            if in_force is not None and issued is not None and in_force < issued:
                path = f"proactive.{name}"
                out.append(
                    HeuristicWarning(
                        check="in_force_below_issued",
                        cells=[f"{path}.in_force", f"{path}.issued"],
                        message=f"表二 {labels(path)[-1]}：现行有效件数 {in_force} 少于本年制发件数 {issued}",
                    )
                )
        reg_values = [regulations["issued"], regulations["in_force"]]
    else:
        reg_values = [regulations["newly_made"], regulations["newly_published"], regulations["total_published"]]
        out += _items_as_decisions(proactive)
        if year is not None and year >= 2021:
            out.append(
                HeuristicWarning(
                    check="old_format",
                    cells=[],
                    message=f"{year} 年度报告使用了 2019 年版表格（国办公开办函〔2019〕60号）",
                )
            )
    if _TOWNSHIP.search(agency) and any((v or 0) > 0 for v in reg_values):
        out.append(
            HeuristicWarning(
                check="township_regulations",
                cells=["proactive.regulations"],
                message=f"{agency} 为街道/乡镇，却填报了规章数量（乡镇街道无权制定规章），请核对是否填错行",
            )
        )
    return out


def _items_as_decisions(proactive: dict[str, Any]) -> list[HeuristicWarning]:
    """表二 of the 2019 format (its rows' fields by name)."""
    hits = []
    for name in ("licensing", "other_services", "penalty", "coercion"):
        items = _fields(proactive[name])
        prev, change, decisions = items["prev_year_items"], items["items_change"], items["decisions"]
        if None not in (prev, change, decisions) and decisions and prev + change == decisions:
            hits.append(name)
    if len(hits) < 2:
        return []
    return [
        HeuristicWarning(
            check="items_as_decisions",
            cells=[f"proactive.{n}.decisions" for n in hits],
            message="表二 多行的 上一年项目数量 + 本年增/减 恰等于 处理决定数量，疑似把项目数当作决定数填报",
        )
    ]
