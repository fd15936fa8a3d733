"""The status of a result (spec section 4), decided from the checks and what the extraction is sure of.

- ``verified``: every strict check passes, no cell is left unsure, and no warning doubts the whole reading
  (``DOUBT_WARNINGS``: the file holds a second report; a model call failed).
- ``source_inconsistent``: strict checks fail and every cell involved was confirmed in the source.
- ``unverified``: checks fail on a cell the extraction is unsure of, or cells are unsure at all.
- ``failed``: there is no report.
"""

from __future__ import annotations

from collections.abc import Collection

from giar_llm.core.envelope import Status
from giar_llm.core.findings import CheckResult, Violation

# Warnings that doubt the reading as a whole rather than a cell: a result with one is never ``verified``.
DOUBT_WARNINGS = frozenset({"two_reports", "degraded"})


def involved_cells(violation: Violation) -> list[str]:
    return violation.cells or [p for p in (violation.cell, violation.row) if p]


def judge(result: CheckResult, unsure: Collection[str]) -> CheckResult:
    """Set each violation's verdict: ``source`` when none of its cells is unsure, else ``extraction``."""
    unsure_set = set(unsure)
    for violation in result.violations:
        suspect = any(_touches(cell, unsure_set) for cell in involved_cells(violation))
        violation.verdict = "extraction" if suspect else "source"
    return result


def _touches(cell: str, unsure: set[str]) -> bool:
    return cell in unsure or any(cell.startswith(u + ".") for u in unsure)


def status_of(result: CheckResult, unsure: Collection[str], has_report: bool = True) -> Status:
    if not has_report:
        return "failed"
    if result.violations:
        if all(v.verdict == "source" for v in result.violations) and not unsure:
            return "source_inconsistent"
        return "unverified"
    if unsure or any(w.check in DOUBT_WARNINGS for w in result.warnings):
        return "unverified"
    return "verified"
