"""What the reader returns for one document."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from giar_llm.core.findings import HeuristicWarning
from giar_llm.core.schema import Report2019, Report2021, parse_report


@dataclass
class Reading:
    """The reader's result.

    ``data`` is the report as read, JSON data (what the checker takes as it is); ``report`` is its pydantic
    model, validated once, when first asked for. Both are None only when no table was found at all
    (``error`` says why). ``evidence`` maps a cell
    path to its character span in ``Document.text``. ``unsure`` maps a cell or row path to the reason
    the reader could not read it with certainty (row missing, ambiguous digit split, label not found);
    such cells are null (never a guessed 0) unless an unambiguous reading exists.
    """

    data: dict[str, Any] | None
    evidence: dict[str, tuple[int, int]] = field(default_factory=dict)
    unsure: dict[str, str] = field(default_factory=dict)
    warnings: list[HeuristicWarning] = field(default_factory=list)
    error: str | None = None
    sections: dict[str, tuple[int, int]] = field(default_factory=dict)  # "二"/"三"/"四" -> span in text
    # cell path -> why its value is the only one left (a digit run with one split under the arithmetic)
    derived: dict[str, str] = field(default_factory=dict)
    # row path -> (field names, its run-together digits) for rows whose split stayed ambiguous
    fused: dict[str, tuple[tuple[str, ...], list[str]]] = field(default_factory=dict)
    # cell path -> (number, words) a quantity the report's prose states unambiguously
    prose: dict[str, tuple[int, str]] = field(default_factory=dict)
    # row path -> every split of its digits the row's own arithmetic allows (complete: fewer than the limit)
    splits: dict[str, tuple[list[tuple[int, ...]], bool]] = field(default_factory=dict)
    # cell path -> (1-based page, box x0, top, x1, bottom in points) of the PDF grid cell it was read from
    locations: dict[str, tuple[int, tuple[float, float, float, float]]] = field(default_factory=dict)
    _report: Report2019 | Report2021 | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._report = None

    @property
    def report(self) -> Report2019 | Report2021 | None:
        """The report as read, validated (raises pydantic.ValidationError if the reader made a cell of the
        wrong type: a defect, never the source's)."""
        if self._report is None and self.data is not None:
            self._report = parse_report(self.data)
        return self._report
