"""Violations and warnings: what the checker (and the reader) find, as data."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from giar_llm.core.redaction import redact

StrictCheck = Literal["row_total", "balance", "results_total", "review_total", "non_negative"]
STRICT_CHECKS: tuple[str, ...] = ("row_total", "balance", "results_total", "review_total", "non_negative")
Verdict = Literal["source", "extraction"]


class Violation(BaseModel):
    """A strict check that fails. ``cell`` or ``row`` names it; ``cells`` lists every cell involved."""

    model_config = ConfigDict(extra="forbid")

    check: str = Field(description="检查项 id")
    cell: str | None = Field(default=None, description="单元格路径（按列的检查）")
    row: str | None = Field(default=None, description="行路径（按行的检查）")
    cells: list[str] = Field(default_factory=list, description="参与该检查的全部单元格")
    expected: float | None = Field(default=None, description="按勾稽关系应得的数")
    found: float | None = Field(default=None, description="表中所填的数")
    message: str = Field(description="中文说明：哪张表、哪一行哪一列、数字是多少")
    verdict: Verdict | None = Field(
        default=None, description="source: 数字已在原文中确认；extraction: 抽取仍可疑；None: 未判定"
    )

    @property
    def key(self) -> tuple[str, str]:
        """The identity used to compare with a gold file's expected_violations."""
        return (self.check, self.cell or self.row or "")


class HeuristicWarning(BaseModel):
    """A heuristic finding: worth a look, never a failure."""

    model_config = ConfigDict(extra="forbid")

    check: str
    cells: list[str] = Field(default_factory=list)
    message: str
    evidence: str | None = Field(default=None, description="原文引述")
    span: tuple[int, int] | None = Field(default=None, description="引述在原文中的位置")

    @field_validator("message")
    @classmethod
    def _no_secrets(cls, message: str) -> str:
        return redact(message)


class CheckResult(BaseModel):
    violations: list[Violation] = Field(default_factory=list)
    warnings: list[HeuristicWarning] = Field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.violations


def violation_key(item: dict[str, object]) -> tuple[str, str]:
    """The identity of an expected violation in a gold file: (check, cell or row)."""
    return (str(item["check"]), str(item.get("cell") or item.get("row") or ""))
