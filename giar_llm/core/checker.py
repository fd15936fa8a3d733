"""The deterministic checker: a report in, violations and warnings out (spec section 3). Pure.

Blank cells count as 0 in sums, with one exception: a blank 总计 in a row whose applicant cells are
filled is *unknown*, so any check that needs it is skipped (and a ``total_blank`` warning says so).
A blank total cell (总计, （七）总计) is never checked against its parts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from giar_llm.core.findings import CheckResult, HeuristicWarning, Violation
from giar_llm.core.paths import describe_cell, describe_row, flatten, labels, short_label
from giar_llm.core.schema import (
    COLUMNS,
    REVIEW_PARTS,
    Applications,
    Report2019,
    Report2021,
    Row,
)

Report = Report2019 | Report2021

_UNKNOWN = object()  # a blank total whose parts are filled


def check(report: Report) -> CheckResult:
    """Run every strict check and every heuristic that needs only the report."""
    result = CheckResult()
    apps = report.applications
    rows = _application_rows(apps)
    result.violations += _row_totals(rows)
    result.violations += _balances(apps)
    result.violations += _results_totals(apps)
    result.violations += _review_totals(report)
    result.violations += _non_negative(report)
    result.warnings += _blank_totals(rows)
    result.warnings += _heuristics(report)
    return result


def _application_rows(apps: Applications) -> dict[str, Row]:
    rows = {"applications.new_requests": apps.new_requests, "applications.carried_over": apps.carried_over}
    for name, row in apps.results.outcome_rows().items():
        rows[f"applications.results.{name}"] = row
    rows["applications.results.total_processed"] = apps.results.total_processed
    rows["applications.carried_forward"] = apps.carried_forward
    return rows


def _filled(row: Row) -> bool:
    return any(v is not None for v in row.applicant_cells())


def _value(row: Row, column: str) -> int | object:
    """A cell for sums: blank is 0, except a blank 总计 whose applicant cells are filled (unknown)."""
    value = getattr(row, column)
    if value is None:
        return _UNKNOWN if column == "total" and _filled(row) else 0
    return int(value)


def _sum(values: Iterable[int | object]) -> int | None:
    total = 0
    for v in values:
        if v is _UNKNOWN:
            return None
        assert isinstance(v, int)
        total += v
    return total


def _row_totals(rows: dict[str, Row]) -> list[Violation]:
    out = []
    for path, row in rows.items():
        if row.total is None:
            continue
        parts = sum(v or 0 for v in row.applicant_cells())
        if parts != row.total:
            out.append(
                Violation(
                    check="row_total",
                    row=path,
                    cells=[f"{path}.{c}" for c in COLUMNS],
                    expected=parts,
                    found=row.total,
                    message=f"{describe_row(path)}：总计为 {row.total}，但各申请人列之和为 {parts}",
                )
            )
    return out


def _column_label(column: str) -> str:
    return labels(f"applications.new_requests.{column}")[-1]


def _balances(apps: Applications) -> list[Violation]:
    out = []
    for column in COLUMNS:
        new, carried, processed, forward = (
            _value(r, column)
            for r in (apps.new_requests, apps.carried_over, apps.results.total_processed, apps.carried_forward)
        )
        if getattr(apps.results.total_processed, column) is None and any(
            getattr(r, column) is not None for r in apps.results.outcome_rows().values()
        ):
            processed = _UNKNOWN  # a blank （七）总计 whose outcome rows are filled
        left, right = _sum([new, carried]), _sum([processed, forward])
        if left is None or right is None or left == right:
            continue
        cells = [
            f"applications.{p}.{column}"
            for p in ("new_requests", "carried_over", "results.total_processed", "carried_forward")
        ]
        out.append(
            Violation(
                check="balance",
                cell=f"applications.carried_forward.{column}",
                cells=cells,
                expected=left,
                found=right,
                message=(
                    f"表三 {_column_label(column)} 列：本年新收 {new} + 上年结转 {carried} = {left}，"
                    f"但办理结果总计 {processed} + 结转下年度 {forward} = {right}"
                ),
            )
        )
    return out


def _results_totals(apps: Applications) -> list[Violation]:
    out = []
    outcome_rows = apps.results.outcome_rows()
    total_row = apps.results.total_processed
    for column in COLUMNS:
        found = getattr(total_row, column)
        if found is None:
            continue  # a blank total is never checked against its parts
        parts = _sum(_value(r, column) for r in outcome_rows.values())
        if parts is None or parts == found:
            continue
        path = f"applications.results.total_processed.{column}"
        out.append(
            Violation(
                check="results_total",
                cell=path,
                cells=[path] + [f"applications.results.{n}.{column}" for n in outcome_rows],
                expected=parts,
                found=found,
                message=f"表三 （七）总计 行·{_column_label(column)} 列：为 {found}，但（一）至（六）各项之和为 {parts}",
            )
        )
    return out


def _review_totals(report: Report) -> list[Violation]:
    out = []
    rl = report.review_litigation
    for name in type(rl).model_fields:
        outcomes = getattr(rl, name)
        if outcomes.total is None:
            continue
        parts = sum(getattr(outcomes, p) or 0 for p in REVIEW_PARTS)
        if parts != outcomes.total:
            path = f"review_litigation.{name}"
            out.append(
                Violation(
                    check="review_total",
                    row=path,
                    cells=[f"{path}.{p}" for p in (*REVIEW_PARTS, "total")],
                    expected=parts,
                    found=outcomes.total,
                    message=(
                        f"表四 {labels(path)[-1]}：总计为 {outcomes.total}，"
                        f"但结果维持、结果纠正、其他结果、尚未审结之和为 {parts}"
                    ),
                )
            )
    return out


def _non_negative(report: Report) -> list[Violation]:
    if ":-" not in report.model_dump_json():  # no negative number anywhere (the serializer is compiled code)
        return []
    out = []
    for path, value in flatten(report).items():
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


def _blank_totals(rows: dict[str, Row]) -> list[HeuristicWarning]:
    blank = [p for p, r in rows.items() if r.total is None and _filled(r)]
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


_TOWNSHIP = re.compile(r"(街道|乡|镇)(人民政府|办事处)?$|街道办事处|乡人民政府|镇人民政府")


def _heuristics(report: Report) -> list[HeuristicWarning]:
    out: list[HeuristicWarning] = []
    agency = report.meta.agency or ""
    if isinstance(report, Report2021):
        for name in ("regulations", "normative_docs"):
            docs = getattr(report.proactive, name)
            if docs.in_force is not None and docs.issued is not None and docs.in_force < docs.issued:
                path = f"proactive.{name}"
                out.append(
                    HeuristicWarning(
                        check="in_force_below_issued",
                        cells=[f"{path}.in_force", f"{path}.issued"],
                        message=f"表二 {labels(path)[-1]}：现行有效件数 {docs.in_force} 少于本年制发件数 {docs.issued}",
                    )
                )
        regulations = report.proactive.regulations
        reg_values = [regulations.issued, regulations.in_force]
    else:
        regulations_19 = report.proactive.regulations
        reg_values = [regulations_19.newly_made, regulations_19.newly_published, regulations_19.total_published]
        out += _items_as_decisions(report)
        if report.meta.year is not None and report.meta.year >= 2021:
            out.append(
                HeuristicWarning(
                    check="old_format",
                    cells=[],
                    message=f"{report.meta.year} 年度报告使用了 2019 年版表格（国办公开办函〔2019〕60号）",
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


def _items_as_decisions(report: Report2019) -> list[HeuristicWarning]:
    hits = []
    for name in ("licensing", "other_services", "penalty", "coercion"):
        items = getattr(report.proactive, name)
        prev, change, decisions = items.prev_year_items, items.items_change, items.decisions
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
