"""The three tables as separate extraction tasks: their response models, guides and source text.

Each table is asked for on its own, with only its own text and its own schema. The response models
are copies of the core models with every field *required* (a constrained decoder then has to write
every cell, as null or a number), and (六) fixed to the variant the source has.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from giar_llm.core.document import Document
from giar_llm.core.locator import locate
from giar_llm.core.paths import flatten, labels, short_label
from giar_llm.core.schema import (
    SECTION_KEYS,
    Applications,
    Denied,
    NotProcessed,
    OtherProcessing,
    Proactive2019,
    Proactive2021,
    Results,
    ReviewLitigation,
    Row,
    Section,
    Unable,
    empty_report,
)
from giar_llm.reader.normalize import normalize


def _required(cls: type[BaseModel], name: str) -> type[BaseModel]:
    """A copy of ``cls`` whose fields are all required (sub-models copied the same way)."""
    fields: dict[str, Any] = {}
    for field_name, info in cls.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            annotation = _required_cached(annotation)
        fields[field_name] = (annotation, _field(info.description))
    model: type[BaseModel] = create_model(name, __config__=ConfigDict(extra="forbid"), __doc__=cls.__doc__, **fields)
    return model


def _field(description: str | None) -> Any:
    return Field(..., description=description)


@cache
def _required_cached(cls: type[BaseModel]) -> type[BaseModel]:
    if cls is OtherProcessing:
        raise TypeError("OtherProcessing needs a variant")
    return _required(cls, cls.__name__)


@cache
def _other_model(merged: bool) -> type[BaseModel]:
    row = _required_cached(Row)
    names = ("total",) if merged else ("no_correction", "fee_unpaid", "other")
    fields = {n: (row, _field(OtherProcessing.model_fields[n].description)) for n in names}
    model: type[BaseModel] = create_model(  # type: ignore[call-overload]
        "OtherProcessingMerged" if merged else "OtherProcessingRows", __config__=ConfigDict(extra="forbid"), **fields
    )
    return model


@cache
def response_model(section: Section, fmt: str, merged_other: bool) -> type[BaseModel]:
    """The schema the model answers with for one table."""
    if section == "二":
        return _required_cached(Proactive2019 if fmt == "2019" else Proactive2021)
    if section == "四":
        return _required_cached(ReviewLitigation)
    row = _required_cached(Row)
    result_fields: dict[str, Any] = {}
    for name, info in Results.model_fields.items():
        sub = {"denied": Denied, "unable": Unable, "not_processed": NotProcessed}.get(name)
        if name == "other":
            annotation: Any = _other_model(merged_other)
        elif sub is not None:
            annotation = _required_cached(sub)
        else:
            annotation = row
        result_fields[name] = (annotation, _field(info.description))
    results = create_model("Results", __config__=ConfigDict(extra="forbid"), **result_fields)
    app_fields: dict[str, Any] = {
        name: (results if name == "results" else row, _field(info.description))
        for name, info in Applications.model_fields.items()
    }
    model: type[BaseModel] = create_model("Applications", __config__=ConfigDict(extra="forbid"), **app_fields)
    return model


def guide(section: Section, fmt: str, merged_other: bool) -> str:
    """Which JSON key holds which row/column, in the national row order (the model may not see the schema)."""
    report = empty_report(fmt)  # type: ignore[arg-type]
    if section == "三":
        other = report.applications.results.other
        if merged_other:
            other.no_correction = other.fee_unpaid = other.other = None
            other.total = Row()
        else:
            other.total = None
            other.no_correction, other.fee_unpaid, other.other = Row(), Row(), Row()
    key = SECTION_KEYS[section]
    lines: list[str] = []
    if section == "三":
        columns = "、".join(f"{c}={labels('applications.new_requests.' + c)[-1]}" for c in Row.model_fields)
        lines.append(f"每一行有 7 列：{columns}。")
        rows = dict.fromkeys(p.rpartition(".")[0] for p in flatten(report) if p.startswith(key + "."))
        for row_path in rows:
            lines.append(f"- {row_path.removeprefix(key + '.')}：{short_label(labels(row_path)[-1])}")
    else:
        for path in (p for p in flatten(report) if p.startswith(key + ".")):
            names = labels(path, fmt)[1:]
            lines.append(f"- {path.removeprefix(key + '.')}：{' · '.join(names)}")
    return "\n".join(lines)


@dataclass(frozen=True)
class SectionText:
    text: str
    start: int  # offset of ``text`` in Document.text


def section_text(document: Document, section: Section, spans: dict[str, tuple[int, int]]) -> SectionText:
    """The table's own text: the reader's span if it found one, else the table locator's place for it (from its
    heading to the next heading), else the whole text."""
    if section in spans:
        start, end = spans[section]
    else:
        place = locate(normalize(document.text)).get(section)
        if place is None or place.heading is None:
            return SectionText(document.text, 0)
        start, end = place.start, place.end
    return SectionText(document.text[start:end], start)
