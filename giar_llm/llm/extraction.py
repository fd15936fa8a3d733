"""Section-scoped extraction with check-driven repair and grounding.

For each table the model is asked with only that table's text and schema. After each answer the
checker runs; a strict violation in the table gets a short repair prompt naming the failing cells
(Chinese labels and numbers) and quoting the source lines, for at most ``max_rounds`` rounds.

Faithfulness rules:
- every number the model returns must be found in the table's source text (grounding); a number that
  isn't there is an extraction error: the cell becomes null and doubtful, never a published value;
- a violation whose cells changed through the repair rounds (or had no repair round) stays doubtful;
- nothing is ever changed to make a sum work.

Finding a number somewhere in the table is not reading it at its cell's position: how the model's cells
combine with the reader's, and which level each gets, is decided once in :mod:`giar_llm.core.reconcile`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel

from giar_llm.core.arithmetic import rows_named
from giar_llm.core.checker import check
from giar_llm.core.document import Document
from giar_llm.core.findings import HeuristicWarning, Violation
from giar_llm.core.levels import Reason
from giar_llm.core.paths import describe_row, flatten, labels, short_label
from giar_llm.core.reconcile import ModelCell
from giar_llm.core.schema import (
    SECTION_KEYS,
    Applications,
    Proactive2019,
    Proactive2021,
    Report2019,
    Report2021,
    ReviewLitigation,
    Section,
    section_title,
)
from giar_llm.core.verdict import involved_cells
from giar_llm.errors import ModelError
from giar_llm.llm.client import Answer
from giar_llm.llm.sections import (
    SectionText,
    guide,
    response_model,
    section_text,
)
from giar_llm.prompts import render
from giar_llm.reader.normalize import fold

Report = Report2019 | Report2021
Value = Any


class Extractor(Protocol):
    """Anything that answers a conversation with an instance of the response model."""

    def structured(self, messages: list[dict[str, Any]], response_model: type[Any]) -> Answer: ...


@dataclass
class SectionResult:
    section: Section
    values: dict[str, Value] = field(default_factory=dict)  # dotted path -> value, this table only
    evidence: dict[str, tuple[int, int]] = field(default_factory=dict)  # spans in Document.text
    doubts: dict[str, tuple[Reason, str]] = field(default_factory=dict)  # cell -> (code, Chinese message)
    warnings: list[HeuristicWarning] = field(default_factory=list)
    rounds: int = 0
    first_values: dict[str, Value] = field(default_factory=dict)  # before any repair (for measuring)
    error: str | None = None

    @property
    def unsure(self) -> dict[str, str]:
        """The doubtful cells with their reasons in Chinese."""
        return {path: message for path, (_, message) in self.doubts.items()}

    def model_cells(self) -> dict[str, ModelCell]:
        """The answer as cell records for :func:`giar_llm.core.reconcile.reconcile`."""
        if self.error and not self.values:
            return {}
        out: dict[str, ModelCell] = {}
        for path, value in self.values.items():
            code, message = self.doubts.get(path, (None, ""))
            out[path] = ModelCell(value, self.evidence.get(path), code, message)
        return out


# --------------------------------------------------------------------------- grounding

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_ZERO_MARKS = re.compile(r"(?<![\d.])0(?![\d.])|[/／\-—–无]")


@dataclass(frozen=True)
class Grounding:
    text: str  # the section text, full-width digits folded (same length as the original)
    start: int
    numbers: list[tuple[str, int, int]]  # (token, start, end) in ``text``

    @classmethod
    def of(cls, section: SectionText) -> Grounding:
        text = fold(section.text)
        return cls(text, section.start, [(m.group(), m.start(), m.end()) for m in _NUMBER.finditer(text)])

    def find(self, value: Value, after: int = 0) -> tuple[int, int] | None:
        """The span of ``value`` in the source (as a whole number token, else inside a digit run)."""
        if value is None:
            return None
        if value == 0:
            zero = _ZERO_MARKS.search(self.text, after) or _ZERO_MARKS.search(self.text)
            return (zero.start() + self.start, zero.end() + self.start) if zero else None
        wanted = _canonical(value)
        best: tuple[int, int] | None = None
        for token, start, end in self.numbers:
            if _canonical_token(token) == wanted:
                if start >= after:
                    return (start + self.start, end + self.start)
                best = best or (start + self.start, end + self.start)
        if best:
            return best
        for token, start, _ in self.numbers:  # cells run together without separators
            if "." not in token and len(token) > len(wanted) and wanted in token:
                at = start + token.index(wanted)
                return (at + self.start, at + len(wanted) + self.start)
        if wanted.startswith("-") and (at := self.text.find(wanted, after)) >= 0:  # 2648-18538: the sign glued
            return (at + self.start, at + len(wanted) + self.start)
        return None

    def label_position(self, path: str) -> int:
        """Where the cell's row label stands in the section text (-1 if it can't be found)."""
        return self.row_position(path.rpartition(".")[0])

    def row_position(self, row: str) -> int:
        label = fold(short_label(labels(row)[-1]))
        at = self.text.find(label)
        if at < 0:
            core = re.sub(r"^\(?[一二三四五六七八九十\d]+[).、]?", "", label)[:8]
            hits = [m.start() for m in re.finditer(re.escape(core), self.text)] if len(core) >= 3 else []
            at = hits[0] if hits else -1
        return at


def _canonical(value: Value) -> str:
    number = float(value)
    return str(int(number)) if number == int(number) else repr(number)


def _canonical_token(token: str) -> str:
    number = float(token)
    return str(int(number)) if number == int(number) else repr(number)


# --------------------------------------------------------------------------- one table


def _section_class(section: Section, report: Report) -> type[BaseModel]:
    if section == "二":
        return Proactive2019 if report.format == "2019" else Proactive2021
    if section == "三":
        return Applications
    return ReviewLitigation


def apply_section(report: Report, section: Section, answer: BaseModel) -> None:
    """Put a table's answer into the report (the answer is validated as the core model)."""
    model = _section_class(section, report).model_validate(answer.model_dump())
    setattr(report, SECTION_KEYS[section], model)


def section_values(report: Report, section: Section) -> dict[str, Value]:
    key = SECTION_KEYS[section] + "."
    return {p: v for p, v in flatten(report).items() if p.startswith(key)}


def _in_section(violation: Violation, section: Section) -> bool:
    key = SECTION_KEYS[section] + "."
    return any(c.startswith(key) for c in involved_cells(violation))


def _failures_text(
    violations: list[Violation], candidates: Mapping[str, Sequence[Sequence[Value]]] | None = None
) -> str:
    """The failing checks, then the splits still possible for each failing row of run-together digits."""
    lines = [f"- {v.message}" for v in violations]
    rows = {c.rpartition(".")[0] for v in violations for c in involved_cells(v)}
    for row in sorted(rows & set(candidates or {})):
        options = [" | ".join(str(x) for x in option) for option in (candidates or {})[row][:6]]
        lines.append(f"- {describe_row(row)}的数字在原文中连写，可能的拆分：" + "；".join(options))
    return "\n".join(lines)


def _source_lines(grounding: Grounding, violations: list[Violation], limit: int = 40) -> str:
    """The source lines of the failing sums' rows (``core.arithmetic``): each row's label line and the non-blank
    lines after it."""
    lines = grounding.text.splitlines(keepends=True)
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line)
    rows = {row for v in violations for row in rows_named(v.check, v.cell or v.row, involved_cells(v))}
    positions = sorted(p for p in (grounding.row_position(r) for r in rows) if p >= 0)
    chosen: list[int] = []
    for position in positions:
        index = max(i for i, s in enumerate(starts) if s <= position)
        taken = 0
        while index < len(lines) and taken < 8 and len(chosen) < limit:
            if lines[index].strip() and index not in chosen:
                chosen.append(index)
                taken += 1
            index += 1
    return "".join(lines[i] if lines[i].endswith("\n") else lines[i] + "\n" for i in sorted(chosen)).rstrip()


def extract_section(
    extractor: Extractor,
    document: Document,
    report: Report,
    section: Section,
    spans: dict[str, tuple[int, int]],
    max_rounds: int,
    merged_other: bool,
    hint: dict[str, Value] | None = None,
    candidates: Mapping[str, Sequence[Sequence[Value]]] | None = None,
) -> SectionResult:
    """Ask for one table, check, repair up to ``max_rounds`` times; ground every number. ``candidates``: the
    splits still possible for rows of run-together digits, named in a repair prompt that concerns them."""
    result = SectionResult(section=section)
    text = section_text(document, section, spans)
    grounding = Grounding.of(text)
    model = response_model(section, report.format, merged_other)
    hint_text = ""
    if hint:
        hint_text = "参考：自动读取得到的部分单元格（可能有误，以原文为准）：\n" + json.dumps(
            hint, ensure_ascii=False, separators=(",", ":")
        )
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": render("system")},
        {
            "role": "user",
            "content": render(
                "extract",
                section_title=section_title(section),
                section_guide=guide(section, report.format, merged_other),
                hint=hint_text,
                section_text=text.text.strip(),
            ),
        },
    ]
    previous: dict[str, Value] | None = None
    stable: set[str] = set()
    violations: list[Violation] = []
    for round_number in range(max_rounds + 1):
        try:
            answer = extractor.structured(messages, model)
        except ModelError as exc:
            result.error = f"{type(exc).__name__}: {exc}"
            if previous is None:
                return result
            break
        result.rounds = round_number
        apply_section(report, section, answer.value)
        values = section_values(report, section)
        if previous is None:
            result.first_values = dict(values)
        else:
            stable = {p for p, v in values.items() if previous.get(p) == v}
        previous = values
        violations = [v for v in check(report).violations if _in_section(v, section)]
        confirmed = round_number > 0 and all(c in stable for v in violations for c in involved_cells(v))
        if not violations or confirmed or round_number == max_rounds:
            break
        messages += [
            {"role": "assistant", "content": answer.content},
            {
                "role": "user",
                "content": render(
                    "repair",
                    failures=_failures_text(violations, candidates),
                    source_lines=_source_lines(grounding, violations),
                ),
            },
        ]
    assert previous is not None
    result.values = previous
    _ground(result, grounding)
    for violation in violations:
        for cell in involved_cells(violation):
            if cell in result.doubts:
                continue
            if result.rounds == 0:
                result.doubts[cell] = (Reason.MODEL_UNSTABLE, "合计不符，且未经复核轮次确认")
            elif cell not in stable:
                result.doubts[cell] = (Reason.MODEL_UNSTABLE, "合计不符，复核后数值仍在变动")
    return result


def _ground(result: SectionResult, grounding: Grounding) -> None:
    for path, value in result.values.items():
        if value is None:
            continue
        span = grounding.find(value, after=max(0, grounding.label_position(path)))
        if span is None:
            result.doubts[path] = (Reason.MODEL_NOT_IN_SOURCE, f"模型给出 {value}，原文中找不到这个数字")
            result.values[path] = None
        else:
            result.evidence[path] = span
