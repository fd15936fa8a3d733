"""Checks across years: one agency's report for year t against its report for year t-1 (pure).

Two relations hold between consecutive annual reports of the same reporting body:

- ``cross_year_carried_over``: 表三 "二、上年结转政府信息公开申请数量" of year t equals
  "四、结转下年度继续办理" of year t-1, column by column;
- ``cross_year_in_force`` (2021 format, both years): 表二 现行有效件数 of year t equals
  现行有效件数(t-1) + 本年制发件数(t) - 本年废止件数(t), for 规章 and for 行政规范性文件.

Reports are grouped by ``meta.agency`` as written (exact string). A relation is checked only when every
number in it is present (not blank). These are warnings, never violations: agencies restructure, and
re-count their 规范性文件 after a cleanup, so a mismatch is worth a look, not a failure. The warnings
are keyed by the *later* report's source path; the earlier report is named in the message.
"""

from __future__ import annotations

from collections import defaultdict

from giar_llm.core.envelope import Envelope
from giar_llm.core.findings import HeuristicWarning
from giar_llm.core.paths import describe_cell
from giar_llm.core.schema import COLUMNS, Report2019, Report2021

CARRIED_OVER_CHECK = "cross_year_carried_over"
IN_FORCE_CHECK = "cross_year_in_force"
DOC_KINDS = {"regulations": "规章", "normative_docs": "行政规范性文件"}

__all__ = ["CARRIED_OVER_CHECK", "IN_FORCE_CHECK", "cross_year_warnings"]


def cross_year_warnings(envelopes: list[Envelope]) -> dict[str, list[HeuristicWarning]]:
    """Warnings per source path (only paths that have any) for consecutive years of the same agency.

    When an agency has more than one report for a year (two copies, two versions), every pair of
    reports for t-1 and t is compared.
    """
    by_agency: dict[str, dict[int, list[Envelope]]] = defaultdict(lambda: defaultdict(list))
    for envelope in envelopes:
        report = envelope.report
        if report is None or report.meta.agency is None or report.meta.year is None:
            continue
        by_agency[report.meta.agency][report.meta.year].append(envelope)
    out: dict[str, list[HeuristicWarning]] = {}
    for years in by_agency.values():
        for year in sorted(years):
            for current in years[year]:
                for previous in years.get(year - 1, []):
                    found = _pair_warnings(previous, current)
                    if found:
                        out.setdefault(current.source.path, []).extend(found)
    return out


def _pair_warnings(previous: Envelope, current: Envelope) -> list[HeuristicWarning]:
    before, after = previous.report, current.report
    assert before is not None and after is not None
    warnings = _carried_over(before, after, previous.source.path)
    if isinstance(before, Report2021) and isinstance(after, Report2021):
        warnings += _in_force(before, after, previous.source.path)
    return warnings


def _carried_over(
    before: Report2019 | Report2021, after: Report2019 | Report2021, before_path: str
) -> list[HeuristicWarning]:
    year, prev_year = after.meta.year, before.meta.year
    out = []
    for column in COLUMNS:
        carried_over = getattr(after.applications.carried_over, column)
        carried_forward = getattr(before.applications.carried_forward, column)
        if carried_over is None or carried_forward is None or carried_over == carried_forward:
            continue
        cell = f"applications.carried_over.{column}"
        previous_cell = describe_cell(f"applications.carried_forward.{column}")
        out.append(
            HeuristicWarning(
                check=CARRIED_OVER_CHECK,
                cells=[cell],
                message=(
                    f"{year}年报告{describe_cell(cell)}为 {carried_over}，"
                    f"但{prev_year}年报告（{before_path}）{previous_cell}为 {carried_forward}，"
                    f"上年结转数应等于上一年度的结转下年度数。"
                ),
            )
        )
    return out


def _in_force(before: Report2021, after: Report2021, before_path: str) -> list[HeuristicWarning]:
    year, prev_year = after.meta.year, before.meta.year
    out = []
    for kind, label in DOC_KINDS.items():
        now = getattr(after.proactive, kind)
        prev_in_force = getattr(before.proactive, kind).in_force
        numbers = (now.in_force, prev_in_force, now.issued, now.repealed)
        if any(n is None for n in numbers):
            continue
        expected = prev_in_force + now.issued - now.repealed
        if now.in_force == expected:
            continue
        out.append(
            HeuristicWarning(
                check=IN_FORCE_CHECK,
                cells=[f"proactive.{kind}.{name}" for name in ("in_force", "issued", "repealed")],
                message=(
                    f"{year}年报告表二 {label}·现行有效件数为 {now.in_force}，"
                    f"但按{prev_year}年报告（{before_path}）的现行有效件数 {prev_in_force}"
                    f" + {year}年本年制发件数 {now.issued} − 本年废止件数 {now.repealed}，应为 {expected}。"
                ),
            )
        )
    return out
