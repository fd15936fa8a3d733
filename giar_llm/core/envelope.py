"""The result envelope (spec section 4) and the gold file (spec section 5)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

from giar_llm.core.cost import Cost
from giar_llm.core.findings import HeuristicWarning, Violation
from giar_llm.core.levels import Level
from giar_llm.core.redaction import redact
from giar_llm.core.schema import Report2019, Report2021

Status = Literal["verified", "source_inconsistent", "unverified", "failed"]
STATUSES: tuple[str, ...] = ("verified", "source_inconsistent", "unverified", "failed")
STATUS_NAMES: dict[str, str] = {
    "verified": "已核实",
    "source_inconsistent": "原文不一致",
    "unverified": "未核实",
    "failed": "失败",
}
AnyReport = Annotated[Report2019 | Report2021, Field(discriminator="format")]


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="the file name as text (a name that is not UTF-8 decoded as GB18030, else \\xNN)")
    raw_path: str | None = Field(
        default=None, description="the exact bytes of a file name that is not UTF-8, percent-encoded"
    )
    sha256: str
    encoding: str | None = None
    kind: str | None = Field(default=None, description="text | html | pdf | docx")


class RunInfo(Cost):
    """How a report was made (backend, model, prompt version, checker rounds) and what it cost."""

    model_config = ConfigDict(extra="forbid")

    backend: str = "rules"
    model: str | None = None
    prompt_version: str | None = None
    rounds: int = 0
    degraded: bool = Field(
        default=False, description="a model call failed (outage, deadline): never verified, redone by the next batch"
    )

    def add(self, other: Cost) -> None:
        super().add(other)
        if isinstance(other, RunInfo):
            self.rounds += other.rounds
            self.degraded = self.degraded or other.degraded


class ReviewedCell(BaseModel):
    """A cell a person set or confirmed (a correction applied), and by whom."""

    model_config = ConfigDict(extra="forbid")

    old: int | float | None = Field(default=None, description="更正前的值")
    new: int | float | None = Field(default=None, description="复核后的值")
    reason: str = ""
    reviewer: str | None = None
    time: str | None = None


class Location(BaseModel):
    """Where a cell read from a PDF's drawn table stands: its page and its box on that page."""

    model_config = ConfigDict(extra="forbid")

    page: int = Field(ge=1, description="1-based page")
    box: tuple[float, float, float, float] = Field(description="x0, top, x1, bottom in PDF points, top-left origin")


class Envelope(BaseModel):
    """What ``giar-llm extract`` writes for one input file."""

    model_config = ConfigDict(extra="forbid")

    source: Source
    status: Status
    report: AnyReport | None = None
    violations: list[Violation] = Field(default_factory=list)
    warnings: list[HeuristicWarning] = Field(default_factory=list)
    evidence: dict[str, tuple[int, int]] = Field(default_factory=dict)
    levels: dict[str, Level] = Field(
        default_factory=dict, description="every cell's evidence level: read | derived | chosen | unknown | reviewed"
    )
    candidates: dict[str, list[int | float]] = Field(
        default_factory=dict, description="ranked candidate values of chosen/unknown cells"
    )
    unsure: dict[str, str] = Field(
        default_factory=dict, description="cells the extraction is not sure of (chosen/unknown), with the reason"
    )
    reviews: dict[str, ReviewedCell] = Field(
        default_factory=dict, description="cells a person set or confirmed (level reviewed), by cell path"
    )
    reviewed: bool = Field(default=False, description="corrections were applied and no doubtful cell is left")
    locations: dict[str, Location] = Field(
        default_factory=dict, description="cells read from a PDF's drawn table: page and box, by cell path"
    )
    run: RunInfo = Field(default_factory=RunInfo)
    error: str | None = None

    @field_validator("error")
    @classmethod
    def _no_secrets(cls, error: str | None) -> str | None:
        return redact(error) if error else error

    @field_serializer("evidence")
    def _spans(self, evidence: dict[str, tuple[int, int]]) -> dict[str, list[int]]:
        return {k: [a, b] for k, (a, b) in evidence.items()}

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = self.model_dump(mode="json")
        return data


class ViolationRef(BaseModel):
    """A violation named by its identity: its check and its cell or row (a gold file's expected violation,
    a reviewer's 原文如此)."""

    model_config = ConfigDict(extra="forbid")

    check: str
    cell: str | None = None
    row: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.check, self.cell or self.row or "")


ExpectedViolation = ViolationRef


class GoldFile(BaseModel):
    """A hand-checked report plus the strict checks that genuinely fail in its source."""

    model_config = ConfigDict(extra="forbid")

    report: AnyReport
    expected_violations: list[ExpectedViolation] = Field(default_factory=list)
    notes: str = ""
