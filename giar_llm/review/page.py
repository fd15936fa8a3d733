"""One result's review page: the tables in the national layout, each cell with its level, and the source text.

Evidence spans are offsets into the decoded source (spec section 4). A text or markdown file is shown as
it is; an HTML page or Word file is shown as the text the input layer derived from it (one table row a
line), with each span mapped back through the document's ``origin``; a PDF is shown as its text layer.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from giar_llm.core.envelope import Envelope
from giar_llm.core.levels import DOUBTFUL, LEVEL_NAMES
from giar_llm.core.paths import describe_cell, flatten, labels, short_label
from giar_llm.core.verdict import involved_cells
from giar_llm.inputs import LoadedInput
from giar_llm.review.pdf_pages import PageImage
from giar_llm.review.template import fill

STATUS_NAMES = {
    "verified": "已核实",
    "source_inconsistent": "原文不一致",
    "unverified": "待核实",
    "failed": "未能读取",
}
VERDICT_NAMES = {"source": "原文如此", "extraction": "抽取存疑"}
CHECK_NAMES = {
    "row_total": "行合计",
    "balance": "勾稽关系（收结平衡）",
    "results_total": "办理结果合计",
    "review_total": "复议诉讼合计",
    "non_negative": "非负",
}
# The national format's header of 表三 (applicant columns under 法人或其他组织) and of 表四.
APPLICANT_GROUP = "法人或其他组织"
APPLICANT_HEAD = "申请人情况"
LITIGATION_HEAD = "行政诉讼"


@dataclass(frozen=True)
class SourceView:
    """The text shown beside the tables and each cell's span in it."""

    text: str = ""
    kind: str = "text"
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    note: str | None = None  # why there is no text or no span
    pages: dict[int, PageImage] = field(default_factory=dict)  # a PDF's pages holding located cells


def source_view(
    envelope: Envelope, loaded: LoadedInput | None, pages: dict[int, PageImage] | None = None
) -> SourceView:
    """The source as the page shows it; spans mapped from the decoded source into the shown text; ``pages``:
    a PDF's rendered pages, on which each located cell's box is drawn."""
    if loaded is None:
        return SourceView(note=f"原文文件不可用：{envelope.source.path}")
    document = loaded.document
    note = None
    if envelope.source.sha256 and loaded.source.sha256 != envelope.source.sha256:
        return SourceView(
            text=document.text,
            kind=document.kind,
            note="原文件已变化（sha256 与结果不符）：不标出证据位置",
        )
    if document.origin is None:
        spans = {p: (a, b) for p, (a, b) in envelope.evidence.items() if 0 <= a < b <= len(document.text)}
    else:
        spans = {
            p: _trimmed(document.text, span) for p, span in _shown_spans(envelope.evidence, document.origin).items()
        }
    if document.kind == "pdf":
        note = "PDF：显示其文字层"
    return SourceView(text=document.text, kind=document.kind, spans=spans, note=note, pages=pages or {})


def _shown_spans(evidence: dict[str, tuple[int, int]], origin: Sequence[int]) -> dict[str, tuple[int, int]]:
    """Source spans as spans of the derived text: the derived characters whose origin falls inside."""
    order = sorted(range(len(origin)), key=lambda i: origin[i])
    keys = [origin[i] for i in order]
    spans: dict[str, tuple[int, int]] = {}
    for path, (start, end) in evidence.items():
        lo, hi = bisect.bisect_left(keys, start), bisect.bisect_left(keys, end)
        inside = [order[k] for k in range(lo, hi) if keys[k] >= 0]
        if inside:
            spans[path] = (min(inside), max(inside) + 1)
    return spans


def _trimmed(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    while start < end - 1 and text[start].isspace():
        start += 1
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    return (start, end)


def report_page(envelope: Envelope, source: SourceView) -> str:
    return fill("report.html", _title(envelope), page_data(envelope, source), "report.js")


def _title(envelope: Envelope) -> str:
    meta = envelope.report.meta if envelope.report is not None else None
    name = (meta.title if meta is not None else None) or envelope.source.path
    return f"复核 · {name}"


def page_data(envelope: Envelope, source: SourceView) -> dict[str, Any]:
    """Everything the page script needs, as JSON data."""
    report = envelope.report
    values = flatten(report) if report is not None else {}
    fmt = report.format if report is not None else None
    near = near_spans([p for p in values if not p.startswith("meta.")], source.spans)
    cells: dict[str, dict[str, Any]] = {}
    for path, value in values.items():
        if path.startswith("meta."):
            continue
        level = envelope.levels.get(path) or ("unknown" if path in envelope.unsure else "read")
        entry: dict[str, Any] = {"v": value, "l": level, "d": describe_cell(path)}
        if path in envelope.candidates:
            entry["c"] = envelope.candidates[path]
        why = _reason(path, envelope.unsure)
        if why:
            entry["w"] = why
        if path in source.spans:
            entry["s"] = list(source.spans[path])
        elif path in near:
            entry["n"] = list(near[path])
        location = envelope.locations.get(path)
        if location is not None and location.page in source.pages:
            entry["b"] = [location.page, *location.box]
        if path in envelope.reviews:
            mark = envelope.reviews[path]
            entry["r"] = {"old": mark.old, "by": mark.reviewer, "why": mark.reason, "at": mark.time}
        cells[path] = entry
    meta = report.meta if report is not None else None
    return {
        "source": {
            "path": envelope.source.path,
            "sha256": envelope.source.sha256,
            "kind": source.kind,
            "note": source.note,
        },
        "status": envelope.status,
        "statusName": STATUS_NAMES.get(envelope.status, envelope.status),
        "reviewed": envelope.reviewed,
        "error": envelope.error,
        "format": fmt,
        "meta": {
            "agency": meta.agency if meta else None,
            "year": meta.year if meta else None,
            "title": meta.title if meta else None,
        },
        "tables": layout(list(values), fmt) if report is not None else [],
        "cells": cells,
        "violations": [
            {
                "check": v.check,
                "checkName": CHECK_NAMES.get(v.check, v.check),
                "cell": v.cell,
                "row": v.row,
                "cells": [c for p in involved_cells(v) for c in _under(p, cells)],
                "message": v.message,
                "verdict": v.verdict,
                "verdictName": VERDICT_NAMES.get(v.verdict or "", "未判定"),
            }
            for v in envelope.violations
        ],
        "warnings": [
            {"check": w.check, "message": w.message, "cells": [c for p in w.cells for c in _under(p, cells)]}
            for w in envelope.warnings
        ],
        "levelNames": LEVEL_NAMES,
        "doubtful": sorted(DOUBTFUL),
        "text": source.text,
        "pages": {str(n): {"src": p.src, "w": p.width, "h": p.height} for n, p in source.pages.items()},
    }


NEAR_LIMIT = 3000  # characters: a gap wider than this is no hint where a cell stands


def near_spans(order: list[str], spans: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """For a cell with no evidence, the stretch of source between the cells before and after it (in the
    tables' order) that have evidence: where its number should be, for the reviewer to read."""
    near: dict[str, tuple[int, int]] = {}
    previous_end: int | None = None
    waiting: list[str] = []
    for path in order:
        span = spans.get(path)
        if span is None:
            waiting.append(path)
            continue
        if waiting and previous_end is not None and 0 < span[0] - previous_end <= NEAR_LIMIT:
            near.update(dict.fromkeys(waiting, (previous_end, span[0])))
        waiting = []
        previous_end = span[1]
    return near


def _reason(path: str, unsure: dict[str, str]) -> str | None:
    head = path
    while head:
        if head in unsure:
            return unsure[head]
        head = head.rpartition(".")[0]
    return None


def _under(path: str, cells: dict[str, Any]) -> list[str]:
    if path in cells:
        return [path]
    return [c for c in cells if c.startswith(path + ".")]


# --------------------------------------------------------------------------- the national layout


def layout(paths: list[str], fmt: str | None) -> list[dict[str, Any]]:
    """The three tables as header rows and body rows of cell paths, in the report's own field order."""
    rows: dict[str, list[str]] = {}
    for path in paths:
        if not path.startswith("meta."):
            rows.setdefault(path.rpartition(".")[0], []).append(path)
    return [
        _proactive([r for r in rows if r.startswith("proactive.")], rows, fmt),
        _applications([r for r in rows if r.startswith("applications.")], rows, fmt),
        _review_litigation([r for r in rows if r.startswith("review_litigation.")], rows, fmt),
    ]


def _head(text: str, colspan: int = 1, rowspan: int = 1) -> dict[str, Any]:
    return {"t": text, "cs": colspan, "rs": rowspan}


def _column_labels(cells: list[str], fmt: str | None) -> list[str]:
    return [labels(c, fmt)[-1] for c in cells]


def _proactive(row_paths: list[str], rows: dict[str, list[str]], fmt: str | None) -> dict[str, Any]:
    """表二: consecutive rows with the same columns share one header (the format prints one block each)."""
    blocks: list[dict[str, Any]] = []
    for row in row_paths:
        columns = [c.rpartition(".")[2] for c in rows[row]]
        body = {"label": labels(row, fmt)[-1], "depth": 0, "cells": rows[row]}
        if blocks and blocks[-1]["columns"] == columns:
            blocks[-1]["rows"].append(body)
            continue
        head = [[_head("信息内容"), *(_head(t) for t in _column_labels(rows[row], fmt))]]
        blocks.append({"columns": columns, "head": head, "rows": [body]})
    return {"key": "proactive", "title": _section(row_paths, fmt), "blocks": blocks}


def _applications(row_paths: list[str], rows: dict[str, list[str]], fmt: str | None) -> dict[str, Any]:
    """表三: one row per outcome, group rows ((三) 不予公开 …) as headings, applicant columns as printed."""
    if not row_paths:
        return {"key": "applications", "title": "", "blocks": []}
    first = rows[row_paths[0]]
    names = _column_labels(first, fmt)
    head = [
        [_head("", rowspan=3), _head(APPLICANT_HEAD, colspan=len(names))],
        [_head(names[0], rowspan=2), _head(APPLICANT_GROUP, colspan=len(names) - 2), _head(names[-1], rowspan=2)],
        [_head(n) for n in names[1:-1]],
    ]
    body: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in row_paths:
        parts, chain = row.split(".")[1:], labels(row, fmt)[1:]
        if len(parts) >= 2 and parts[-1] == "total" and _single(row, row_paths):
            parts, chain = parts[:-1], chain[:-1]  # （六）其他处理 printed as one row
        for depth in range(len(parts) - 1):
            group = ".".join(parts[: depth + 1])
            if group not in seen:
                seen.add(group)
                body.append(_body_row(chain[depth], depth, []))
        body.append(_body_row(chain[-1], len(parts) - 1, rows[row]))
    return {"key": "applications", "title": _section(row_paths, fmt), "blocks": [{"head": head, "rows": body}]}


def _body_row(label: str, depth: int, cells: list[str]) -> dict[str, Any]:
    return {"label": short_label(label), "full": label, "depth": depth, "cells": cells}


def _single(row: str, row_paths: list[str]) -> bool:
    parent = row.rpartition(".")[0]
    return sum(1 for r in row_paths if r.rpartition(".")[0] == parent) == 1


def _review_litigation(row_paths: list[str], rows: dict[str, list[str]], fmt: str | None) -> dict[str, Any]:
    """表四: one line of 15 numbers under 行政复议 and 行政诉讼 (未经复议直接起诉, 复议后起诉)."""
    if not row_paths:
        return {"key": "review_litigation", "title": "", "blocks": []}
    names = [labels(r, fmt)[-1] for r in row_paths]
    first, rest = names[0], [n.partition("·")[2] or n for n in names[1:]]
    group = names[1].partition("·")[0] if len(names) > 1 and "·" in names[1] else LITIGATION_HEAD
    width = len(rows[row_paths[0]])
    columns = [_head(t) for r in row_paths for t in _column_labels(rows[r], fmt)]
    head = [
        [_head(first, colspan=width), _head(group, colspan=width * len(rest))],
        [*columns[:width], *(_head(n, colspan=width) for n in rest)],
        columns[width:],
    ]
    for cell in head[1][:width]:
        cell["rs"] = 2
    cells = [c for r in row_paths for c in rows[r]]
    return {
        "key": "review_litigation",
        "title": _section(row_paths, fmt),
        "blocks": [{"head": head, "rows": [{"label": None, "depth": 0, "cells": cells}]}],
    }


def _section(row_paths: list[str], fmt: str | None) -> str:
    return labels(row_paths[0], fmt)[0] if row_paths else ""
