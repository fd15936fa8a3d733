"""Dotted cell paths: a report flattened to ``{path: value}`` and every path's Chinese labels.

A path is a cell's name everywhere (violations, evidence, scoring, CSV columns), e.g.
``applications.results.denied.third_party_rights.natural_person``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel

from giar_llm.core.schema import Report2019, Report2021, section_of_path, table_name

Value = int | float | str | None


def flatten(report: Report2019 | Report2021 | BaseModel) -> dict[str, Value]:
    """Every leaf of the report by dotted path (``format`` left out); absent (六) variants are not paths."""
    out: dict[str, Value] = {}
    _walk(report, "", out)
    out.pop("format", None)
    return out


def _walk(model: BaseModel, prefix: str, out: dict[str, Value]) -> None:
    for name in type(model).model_fields:
        value = getattr(model, name)
        path = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            _walk(value, path + ".", out)
        elif value is None and _is_submodel_field(type(model), name):
            continue  # an absent (六) variant
        else:
            out[path] = value


@cache
def _is_submodel_field(cls: type[BaseModel], name: str) -> bool:
    annotation = cls.model_fields[name].annotation
    args = getattr(annotation, "__args__", (annotation,))
    return any(isinstance(a, type) and issubclass(a, BaseModel) for a in args)


def flatten_json(data: dict[str, Any], prefix: str = "") -> dict[str, Value]:
    """The same flattening for plain JSON data (a report dict), leaving out ``format``."""
    out: dict[str, Value] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten_json(value, path + "."))
        elif path != "format":
            out[path] = value
    return out


def labels(path: str, fmt: str | None = None) -> list[str]:
    """The Chinese labels along a path, from the field descriptions of the format's models
    (``fmt`` "2019" or "2021"; without it, whichever format has the path, 2021 first)."""
    return list(_labels(path, fmt))


@cache
def _labels(path: str, fmt: str | None) -> tuple[str, ...]:
    """The models never change: each path's labels are looked up once per process."""
    order = (Report2019, Report2021) if fmt == "2019" else (Report2021, Report2019)
    for cls in order:
        found = _labels_in(cls, path.split("."))
        if found is not None:
            return tuple(found)
    return (path,)


def _labels_in(cls: type[BaseModel], parts: list[str]) -> list[str] | None:
    out: list[str] = []
    current: type[BaseModel] | None = cls
    for part in parts:
        if current is None or part not in current.model_fields:
            return None
        field = current.model_fields[part]
        out.append(field.description or part)
        current = _submodel(field.annotation)
    return out


def _submodel(annotation: Any) -> type[BaseModel] | None:
    for arg in getattr(annotation, "__args__", (annotation,)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def short_label(label: str) -> str:
    """A row label without its trailing parenthetical: "（二）部分公开（区分处理的…）" -> "（二）部分公开"."""
    if label.endswith("）") and "（" in label[1:]:
        cut = label.rfind("（")
        if cut > 0:
            return label[:cut]
    return label


def table_of(path: str) -> str:
    """表二/表三/表四 for a cell of that table, 报告信息 for ``meta``."""
    section = section_of_path(path)
    if section is not None:
        return table_name(section)
    return "报告信息" if path.split(".", 1)[0] == "meta" else ""


def describe_row(path: str) -> str:
    """ "表三 （二）部分公开 行" for a row path (or the cell's row, for a cell path)."""
    parts = [short_label(p) for p in labels(path)[1:]]
    if path.startswith("applications.results.") and len(parts) > 1:
        parts = parts[1:]  # "三、本年度办理结果" adds nothing to the row's name
    return f"{table_of(path)} {'·'.join(parts)} 行"


def describe_cell(path: str) -> str:
    """ "表三 （二）部分公开 行 · 自然人 列" for a cell path."""
    row = path.rpartition(".")[0]
    column_label = labels(path)[-1]
    head = path.split(".", 1)[0]
    if head == "proactive":
        return f"{table_of(path)} {short_label(labels(row)[-1])}·{column_label}"
    if head == "meta":
        return f"报告信息·{column_label}"
    return f"{describe_row(row)}·{column_label} 列"


def set_cell(report: BaseModel, path: str, value: Any) -> None:
    """Set one cell of a report by its dotted path."""
    parts = path.split(".")
    node: Any = report
    for part in parts[:-1]:
        node = getattr(node, part)
    setattr(node, parts[-1], value)
