"""The index page of a batch output folder: one line per result, sortable and filterable, linking to each
report's review page. Rows are JSON data the page script renders, so ten thousand stay quick."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from giar_llm.core.envelope import Envelope
from giar_llm.core.levels import DOUBTFUL
from giar_llm.review.page import STATUS_NAMES
from giar_llm.review.template import fill

COLUMNS = ("source", "status", "doubtful", "violations", "warnings", "agency", "year", "reviewed", "page")


@dataclass(frozen=True)
class IndexRow:
    source: str
    status: str
    doubtful: int
    violations: int
    warnings: int
    agency: str | None
    year: int | None
    page: str | None  # the review page, relative to the index
    reviewed: bool = False
    error: str | None = None


def index_row(envelope: Envelope, page: str | None) -> IndexRow:
    meta = envelope.report.meta if envelope.report is not None else None
    return IndexRow(
        source=envelope.source.path,
        status=envelope.status,
        doubtful=sum(1 for level in envelope.levels.values() if level in DOUBTFUL) or len(envelope.unsure),
        violations=len(envelope.violations),
        warnings=len(envelope.warnings),
        agency=meta.agency if meta else None,
        year=meta.year if meta else None,
        page=page,
        reviewed=envelope.reviewed,
        error=envelope.error,
    )


def index_page(rows: list[IndexRow], title: str) -> str:
    data: dict[str, Any] = {
        "title": title,
        "statusNames": STATUS_NAMES,
        "columns": list(COLUMNS),
        "rows": [[getattr(row, c) for c in COLUMNS] for row in rows],
        "errors": {i: row.error for i, row in enumerate(rows) if row.error},
    }
    return fill("index.html", title, data, "index.js")
