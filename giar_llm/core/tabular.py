"""The analyst's tables, pure: one row per cell (long) and one row per report (wide), with fixed columns.

Every column has a short Stata-safe name (≤32 characters, ``[a-z][a-z0-9_]*``), a Chinese and an
English label, a unit and a type: ``codebook()`` lists them, and the writers (``giar_llm.datapackage``)
use exactly these names. The wide table's cell columns are the union of both national formats'
cells (both variants of （六）其他处理), whatever a batch holds, so its column set never changes from
batch to batch; ``format`` says which cells apply. A doubtful number never travels alone: every cell
value column is followed by its evidence-level column (``…_lv``), and the long table has the level
and the reason on the cell's own row.

Rows are built from envelope JSON data (what a batch's results hold), so they need no model objects.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from giar_llm.core.envelope import STATUS_NAMES
from giar_llm.core.levels import DOUBTFUL, LEVEL_NAMES
from giar_llm.core.paths import flatten, labels, short_label
from giar_llm.core.schema import OTHER_SUBROWS, SECTION_KEYS, Row, Section, empty_report

Value = int | float | str | bool | None

_ENGLISH: dict[Section, tuple[str, str]] = {  # short code, English
    "二": ("t2", "Table 2, proactive disclosure"),
    "三": ("t3", "Table 3, applications"),
    "四": ("t4", "Table 4, administrative review and litigation"),
}
TABLES: dict[str, tuple[str, str, str]] = {  # head of a path -> (short code, 二/三/四, English)
    key: (_ENGLISH[section][0], section, _ENGLISH[section][1]) for section, key in SECTION_KEYS.items()
}

# Each path segment of the national format: (short code for column names, English label).
SEGMENTS: dict[str, tuple[str, str]] = {
    "results": ("", "results"),
    # 表二 rows and columns
    "regulations": ("reg", "regulations"),
    "normative_docs": ("norm", "normative documents"),
    "licensing": ("lic", "administrative licensing"),
    "other_services": ("osvc", "other administrative services"),
    "penalty": ("pen", "administrative penalties"),
    "coercion": ("coer", "administrative coercion"),
    "fees": ("fee", "administrative fees"),
    "procurement": ("proc", "government procurement"),
    "issued": ("iss", "issued this year"),
    "repealed": ("rep", "repealed this year"),
    "in_force": ("force", "in force"),
    "newly_made": ("made", "newly made"),
    "newly_published": ("pub", "newly published"),
    "total_published": ("totpub", "total published"),
    "decisions": ("dec", "decisions this year"),
    "prev_year_items": ("prev", "items the previous year"),
    "items_change": ("chg", "change in items"),
    "amount_wan_yuan": ("amt", "amount (10,000 yuan)"),
    "items": ("items", "items"),
    # 表三 rows
    "new_requests": ("new", "new requests"),
    "carried_over": ("cin", "carried over from last year"),
    "granted": ("grant", "granted"),
    "partially_granted": ("part", "partially granted"),
    "denied": ("den", "denied"),
    "state_secret": ("secret", "state secret"),
    "prohibited_by_law": ("law", "prohibited by other laws"),
    "security_stability": ("stab", "security and stability"),
    "third_party_rights": ("third", "third-party rights"),
    "internal_affairs": ("intern", "internal affairs"),
    "process_info": ("process", "process information"),
    "enforcement_file": ("enforce", "enforcement files"),
    "admin_query": ("query", "administrative queries"),
    "unable": ("unab", "unable to provide"),
    "not_held": ("nothold", "not held"),
    "needs_creation": ("create", "would need creating"),
    "unclear_after_correction": ("unclear", "unclear after correction"),
    "not_processed": ("notpr", "not processed"),
    "petition_complaint": ("petition", "petitions and complaints"),
    "duplicate": ("dup", "duplicate requests"),
    "publication": ("public", "publications requested"),
    "excessive_repeat": ("excess", "excessive repeated requests"),
    "confirm_or_reissue": ("reissue", "confirm or reissue"),
    "other": ("oth", "other"),
    "no_correction": ("nocorr", "no correction in time"),
    "fee_unpaid": ("feeun", "fee unpaid"),
    "total_processed": ("totproc", "total processed"),
    "carried_forward": ("cout", "carried forward to next year"),
    # 表三 columns
    "natural_person": ("np", "natural persons"),
    "commercial_enterprise": ("biz", "commercial enterprises"),
    "research_institution": ("res", "research institutions"),
    "public_interest_org": ("ngo", "public-interest organisations"),
    "legal_service_org": ("legal", "legal service organisations"),
    "other_org": ("othorg", "other organisations"),
    "total": ("tot", "total"),
    # 表四
    "review": ("rev", "administrative review"),
    "litigation_direct": ("litd", "litigation without review"),
    "litigation_after_review": ("litr", "litigation after review"),
    "upheld": ("uph", "upheld"),
    "corrected": ("corr", "corrected"),
    "other_outcome": ("othres", "other outcome"),
    "pending": ("pend", "pending"),
}

STATA_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


@dataclass(frozen=True)
class Column:
    """One column of an output table, as the codebook describes it."""

    name: str  # short, Stata-safe
    label_zh: str
    label_en: str
    type: str  # string | integer | number | boolean
    unit: str = ""
    path: str = ""  # the cell path, for a cell column

    def row(self, table: str) -> dict[str, str]:
        return {
            "table": table,
            "name": self.name,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "type": self.type,
            "unit": self.unit,
            "cell_path": self.path,
        }


# --------------------------------------------------------------------------- cells of both formats


def _merged_order(sequences: Iterable[Sequence[str]]) -> list[str]:
    """Every item of the sequences once; an item new to a later sequence goes right after its predecessor there."""
    order: list[str] = []
    for sequence in sequences:
        previous: str | None = None
        for item in sequence:
            if item not in order:
                order.insert(order.index(previous) + 1 if previous is not None else len(order), item)
            previous = item
    return order


@cache
def cell_paths() -> tuple[str, ...]:
    """Every cell path of either format (both variants of （六）), meta left out, in the form's order."""
    sequences = []
    for fmt in ("2021", "2019"):
        for merged in (False, True):
            report = empty_report(fmt)
            other = report.applications.results.other
            other.total = Row() if merged else None
            for name in OTHER_SUBROWS:
                setattr(other, name, None if merged else Row())
            sequences.append([p for p in flatten(report) if not p.startswith("meta.")])
    heads = list(TABLES)
    return tuple(sorted(_merged_order(sequences), key=lambda p: heads.index(p.split(".", 1)[0])))


def _has_path(path: str, fmt: str) -> bool:
    """Whether a report of the format can have the cell (either （六） variant)."""
    return path in _paths_of(fmt)


@cache
def _paths_of(fmt: str) -> frozenset[str]:
    out: set[str] = set()
    for merged in (False, True):
        report = empty_report(fmt)  # type: ignore[arg-type]
        other = report.applications.results.other
        other.total = Row() if merged else None
        for name in OTHER_SUBROWS:
            setattr(other, name, None if merged else Row())
        out.update(flatten(report))
    return frozenset(out)


def short_name(path: str) -> str:
    """The Stata-safe column name of a cell path, e.g. ``t3_den_third_np`` (KeyError for an unknown segment)."""
    head, _, rest = path.partition(".")
    parts = [TABLES[head][0]] + [SEGMENTS[s][0] for s in rest.split(".") if SEGMENTS[s][0]]
    return "_".join(parts)


def english_label(path: str) -> str:
    head, _, rest = path.partition(".")
    words = [SEGMENTS[s][1] for s in rest.split(".") if s != "results"]
    return f"{TABLES[head][2]}: {' / '.join(words)}"


def chinese_label(path: str, fmt: str | None = None) -> str:
    """表三 （三）不予公开·4.保护第三方合法权益·自然人 (the form's own labels, parentheticals kept short)."""
    names = labels(path, fmt)
    head = path.split(".", 1)[0]
    parts = [short_label(n) for n in names[1:]]
    if path.startswith("applications.results.") and len(parts) > 2:
        parts = parts[1:]
    return f"表{TABLES[head][1]} {'·'.join(parts)}"


def both_formats_label(path: str) -> str:
    """The Chinese label, with the 2019 wording added where the two formats name the cell differently."""
    new, old = (chinese_label(path, fmt) if _has_path(path, fmt) else None for fmt in ("2021", "2019"))
    if new and old and new != old:
        return f"{new}（2019 格式：{old.split(' ', 1)[1]}）"
    return new or old or path


def unit_of(path: str) -> str:
    last = path.rpartition(".")[2]
    if last == "amount_wan_yuan":
        return "万元"
    if "items" in last:
        return "项"
    return "件"


def value_type(path: str) -> str:
    return "number" if path.endswith("amount_wan_yuan") else "integer"


# --------------------------------------------------------------------------- the two tables' columns

CELL_COLUMNS: tuple[Column, ...] = (
    Column("report_id", "报告编号", "report id (hash of file path and content)", "string"),
    Column("source_file", "源文件", "source file", "string"),
    Column("sha256", "文件 SHA-256", "SHA-256 of the source file", "string"),
    Column("agency", "机关", "agency", "string"),
    Column("year", "年度", "report year", "integer"),
    Column("format", "表格格式", "national form (2019 or 2021)", "string"),
    Column("status", "报告状态", "report status (verified/source_inconsistent/unverified/failed)", "string"),
    Column("table", "表", "table (二/三/四)", "string"),
    Column("row_label", "行", "row label (Chinese)", "string"),
    Column("column_label", "列", "column label (Chinese)", "string"),
    Column("cell_path", "单元格路径", "cell path", "string"),
    Column("value", "数值", "value", "number"),
    Column("unit", "单位", "unit", "string"),
    Column("level", "证据等级", "evidence level (read/derived/chosen/unknown/reviewed)", "string"),
    Column("level_zh", "证据等级（中文）", "evidence level in Chinese", "string"),
    Column("doubtful", "存疑", "doubtful: level chosen or unknown", "boolean"),
    Column("unsure_reason", "存疑原因", "why the cell is doubtful", "string"),
    Column("candidates", "候选值", "candidate values, best first, separated by |", "string"),
    Column("quote", "原文", "the source line the value was read from", "string"),
    Column("page", "页码", "1-based page of a PDF source the value was read from (a cell of a drawn table)", "integer"),
    Column("line", "行号", "line of the decoded source the value was read from", "integer"),
)

CELL_HEAD = tuple(c.name for c in CELL_COLUMNS[:7])  # the same on every row of a report
CELL_OWN = tuple(c.name for c in CELL_COLUMNS[7:])  # each cell's own

REPORT_FIXED: tuple[Column, ...] = (
    Column("report_id", "报告编号", "report id (hash of file path and content)", "string"),
    Column("source_file", "源文件", "source file", "string"),
    Column("sha256", "文件 SHA-256", "SHA-256 of the source file", "string"),
    Column("status", "报告状态", "report status (verified/source_inconsistent/unverified/failed)", "string"),
    Column("status_zh", "报告状态（中文）", "report status in Chinese", "string"),
    Column("agency", "机关", "agency", "string"),
    Column("year", "年度", "report year", "integer"),
    Column("format", "表格格式", "national form (2019 or 2021): which cell columns apply", "string"),
    Column("title", "标题", "report title", "string"),
    Column("n_cells", "单元格数", "cells in the report", "integer"),
    Column("n_doubtful", "存疑单元格数", "doubtful cells (chosen or unknown)", "integer"),
    Column("n_derived", "推算单元格数", "derived cells", "integer"),
    Column("n_violations", "严格检查未通过数", "strict checks failing", "integer"),
    Column("n_warnings", "警告数", "warnings", "integer"),
    Column(
        "duplicate_of", "重复于", "report id of an earlier report with the same content or agency and year", "string"
    ),
    Column("error", "错误", "why no report could be produced", "string"),
)


@cache
def report_cell_columns() -> tuple[Column, ...]:
    """Each cell's value column followed by its level column, for every cell of either format."""
    out: list[Column] = []
    for path in cell_paths():
        name, zh, en = short_name(path), both_formats_label(path), english_label(path)
        out.append(Column(name, zh, en, value_type(path), unit_of(path), path))
        out.append(Column(f"{name}_lv", f"{zh}·证据等级", f"{en} (evidence level)", "string", "", path))
    return tuple(out)


def report_columns(extra: Sequence[Column] = ()) -> tuple[Column, ...]:
    return (*REPORT_FIXED, *extra, *report_cell_columns())


def cell_columns(extra: Sequence[Column] = ()) -> tuple[Column, ...]:
    return (*CELL_COLUMNS, *extra)


def codebook(extra: Sequence[Column] = ()) -> list[dict[str, str]]:
    """One row per column of cells.csv and reports.csv (the user's manifest columns included)."""
    rows = [c.row("cells") for c in cell_columns(extra)]
    rows += [c.row("reports") for c in report_columns(extra)]
    return rows


def stata_name(text: str, taken: Iterable[str] = (), fallback: str = "manifest") -> str:
    """A Stata-safe name for a column the user brought (a manifest header), unique among ``taken``;
    ``fallback`` when the header has no Latin letters or digits (its own words stay in the labels)."""
    base = re.sub(r"[^a-z0-9_]+", "_", text.strip().lower()).strip("_")
    if not base:
        base = fallback
    elif not base[0].isalpha():
        base = f"m_{base}"
    base = base[:32]
    used = set(taken)
    name, n = base, 1
    while name in used:
        n += 1
        suffix = f"_{n}"
        name = base[: 32 - len(suffix)] + suffix
    return name


# --------------------------------------------------------------------------- rows


def report_id(source: str, sha256: str) -> str:
    """Stable across reruns, distinct for each input of a batch."""
    return hashlib.sha256(f"{source}\0{sha256}".encode()).hexdigest()[:16]


def _report_fields(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    report = data.get("report") if isinstance(data.get("report"), dict) else {}
    source = data.get("source") if isinstance(data.get("source"), dict) else {}
    meta = (report or {}).get("meta") or {}
    return report or {}, source or {}, meta


def _cell_values(report: Mapping[str, Any]) -> dict[str, Value]:
    out: dict[str, Value] = {}
    _walk_json(report, "", out)
    return {p: v for p, v in out.items() if p != "format" and not p.startswith("meta.")}


def _walk_json(data: Mapping[str, Any], prefix: str, out: dict[str, Value]) -> None:
    for key, value in data.items():
        if isinstance(value, dict):
            _walk_json(value, f"{prefix}{key}.", out)
        else:
            out[f"{prefix}{key}"] = value


_NEWLINE = re.compile("\n")


@dataclass(frozen=True)
class Place:
    """Where a cell's value stands in the source: its line (1-based), the line's text, the page."""

    line: int | None = None
    quote: str | None = None
    page: int | None = None


def places(text: str, evidence: Mapping[str, Sequence[int]], width: int = 200) -> dict[str, Place]:
    """Each evidence span's line and quoted line of ``text`` (the decoded source the spans point into)."""
    starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]

    out: dict[str, Place] = {}
    lines: dict[int, Place] = {}  # many cells stand on one line
    for path, span in evidence.items():
        if not span or span[0] > len(text):
            continue
        index = bisect_right(starts, span[0]) - 1
        place = lines.get(index)
        if place is None:
            end = starts[index + 1] - 1 if index + 1 < len(starts) else len(text)
            quote = " ".join(text[starts[index] : end].split())
            place = lines[index] = Place(line=index + 1, quote=quote[:width])
        out[path] = place
    return out


def _number(value: Value) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def cell_rows(
    data: Mapping[str, Any], where: Mapping[str, Place] | None = None, extra: Mapping[str, Value] | None = None
) -> list[dict[str, Value]]:
    """The long rows of one envelope: one per cell of its report (none for a failed one)."""
    common, rows = cell_values(data, where)
    head = dict(zip(CELL_HEAD, common, strict=True))
    return [{**head, **dict(zip(CELL_OWN, row, strict=True)), **(extra or {})} for row in rows]


def cell_values(
    data: Mapping[str, Any], where: Mapping[str, Place] | None = None
) -> tuple[tuple[Value, ...], list[tuple[Value, ...]]]:
    """The long rows of one envelope as values: those every row of the report shares (``CELL_HEAD``), and
    each row's own (``CELL_OWN``), one tuple per cell of its report (none for a failed one)."""
    return _cell_rows(data, where, None)


def _cell_rows(
    data: Mapping[str, Any], where: Mapping[str, Place] | None, values: dict[str, Value] | None
) -> tuple[tuple[Value, ...], list[tuple[Value, ...]]]:
    report, source, meta = _report_fields(data)
    fmt = str(report.get("format") or "")
    common: tuple[Value, ...] = (
        report_id(str(source.get("path") or ""), str(source.get("sha256") or "")),
        source.get("path"),
        source.get("sha256"),
        meta.get("agency"),
        meta.get("year") if isinstance(meta.get("year"), int) else None,
        fmt or None,
        data.get("status"),
    )
    if not report:
        return common, []
    levels: Mapping[str, str] = data.get("levels") or {}
    unsure: Mapping[str, str] = data.get("unsure") or {}
    candidates: Mapping[str, Sequence[Any]] = data.get("candidates") or {}
    locations: Mapping[str, Mapping[str, Any]] = data.get("locations") or {}
    where = where or {}
    rows: list[tuple[Value, ...]] = []
    no_place = Place()
    for path, value in (values if values is not None else _cell_values(report)).items():
        fixed = _cell_fixed(path, fmt)
        if fixed is None:
            continue
        level = levels.get(path) or ("unknown" if value is None else "read")
        place = where.get(path, no_place)
        table, row_label, column_label, unit = fixed
        rows.append(
            (
                table,
                row_label,
                column_label,
                path,
                _number(value),
                unit,
                level,
                LEVEL_NAMES.get(level, level),
                level in DOUBTFUL,
                (unsure.get(path) or _covering_reason(path, unsure)) if unsure else None,
                "|".join(str(c) for c in candidates[path]) if path in candidates else None,
                place.quote,
                place.page if place.page is not None else _page(locations.get(path)),
                place.line,
            )
        )
    return common, rows


def _page(location: Mapping[str, Any] | None) -> int | None:
    """The page of a cell read from a PDF's drawn table (the envelope's ``locations``)."""
    page = location.get("page") if location else None
    return page if isinstance(page, int) and not isinstance(page, bool) else None


@cache
def _cell_fixed(path: str, fmt: str) -> tuple[str, str, str, str] | None:
    """What a cell's row says whatever the report: its table, Chinese row and column labels in the format, unit."""
    head = path.split(".", 1)[0]
    if head not in TABLES:
        return None
    names = labels(path, fmt or None)
    return TABLES[head][1], "·".join(short_label(n) for n in names[1:-1]), names[-1], unit_of(path)


def _covering_reason(path: str, unsure: Mapping[str, str]) -> str | None:
    head = path
    while "." in head:
        head = head.rpartition(".")[0]
        if head in unsure:
            return unsure[head]
    return None


def report_row(
    data: Mapping[str, Any], extra: Mapping[str, Value] | None = None, duplicate_of: str | None = None
) -> dict[str, Value]:
    """The wide row of one envelope: fixed columns, the user's, then every cell's value and level."""
    return _report_row(data, None, extra, duplicate_of)


def package_values(
    data: Mapping[str, Any], where: Mapping[str, Place] | None = None
) -> tuple[tuple[Value, ...], list[tuple[Value, ...]], dict[str, Value]]:
    """Both tables' rows of one envelope at once (``cell_values`` and ``report_row``), its cells walked once."""
    values = _cell_values(_report_fields(data)[0])
    common, rows = _cell_rows(data, where, values)
    return common, rows, _report_row(data, values)


def _report_row(
    data: Mapping[str, Any],
    values: dict[str, Value] | None,
    extra: Mapping[str, Value] | None = None,
    duplicate_of: str | None = None,
) -> dict[str, Value]:
    report, source, meta = _report_fields(data)
    fmt = str(report.get("format") or "") or None
    status = str(data.get("status") or "")
    levels: Mapping[str, str] = data.get("levels") or {}
    if values is None:
        values = _cell_values(report) if report else {}
    row: dict[str, Value] = {
        "report_id": report_id(str(source.get("path") or ""), str(source.get("sha256") or "")),
        "source_file": source.get("path"),
        "sha256": source.get("sha256"),
        "status": status or None,
        "status_zh": STATUS_NAMES.get(status),
        "agency": meta.get("agency"),
        "year": meta.get("year") if isinstance(meta.get("year"), int) else None,
        "format": fmt,
        "title": meta.get("title"),
        "n_cells": len(values),
        "n_doubtful": sum(1 for p in values if levels.get(p) in DOUBTFUL),
        "n_derived": sum(1 for p in values if levels.get(p) == "derived"),
        "n_violations": len(data.get("violations") or []),
        "n_warnings": len(data.get("warnings") or []),
        "duplicate_of": duplicate_of,
        "error": data.get("error"),
        **(extra or {}),
    }
    for column in report_cell_columns():
        if column.name.endswith("_lv"):
            if column.path in values:
                value = values[column.path]
                row[column.name] = levels.get(column.path) or ("unknown" if value is None else "read")
            else:
                row[column.name] = None
        else:
            row[column.name] = _number(values.get(column.path))
    return row
