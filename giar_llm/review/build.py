"""Writing review pages: one for a result file, or one per result plus an index for a batch output folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from giar_llm.core.envelope import Envelope
from giar_llm.errors import InputError, ReportFormatError
from giar_llm.files import load_envelope, write_text_atomic
from giar_llm.inputs import LoadedInput, load_input
from giar_llm.review.index import IndexRow, index_page, index_row
from giar_llm.review.page import SourceView, report_page, source_view
from giar_llm.review.pdf_pages import pdf_pages

REVIEW_FOLDER = "review"


@dataclass(frozen=True)
class Written:
    index: Path | None
    pages: list[Path]
    missing_sources: int


def find_source(envelope: Envelope, result: Path, source: Path | None = None) -> LoadedInput | None:
    """The source file: the one given, else the envelope's path as written, else relative to the result."""
    path = source_file(envelope, result, source)
    if path is None:
        return None
    try:
        return load_input(path)
    except InputError:
        return None


def source_file(envelope: Envelope, result: Path, source: Path | None = None) -> Path | None:
    written = Path(envelope.source.path)
    tries = [source] if source is not None else [written, result.parent / written, result.parent.parent / written]
    return next((candidate for candidate in tries if candidate is not None and candidate.is_file()), None)


def view_of(envelope: Envelope, result: Path, source: Path | None = None) -> tuple[SourceView, bool]:
    """The source as the page shows it (a PDF's pages rendered for its located cells), and whether it was found."""
    loaded = find_source(envelope, result, source)
    path = source_file(envelope, result, source)
    pages = (
        pdf_pages(envelope, path) if loaded is not None and path is not None and loaded.document.kind == "pdf" else {}
    )
    return source_view(envelope, loaded, pages), loaded is not None


def review_result(result: Path, output: Path | None = None, source: Path | None = None) -> Written:
    """The review page of one result file (default: next to it, ``.html``)."""
    envelope = load_envelope(result)
    view, found = view_of(envelope, result, source)
    if source is not None and not found:
        raise InputError(f"cannot read the source file {source}")
    target = output or result.with_suffix(".html")
    write_text_atomic(target, report_page(envelope, view))
    return Written(index=None, pages=[target], missing_sources=0 if found else 1)


def review_batch(outdir: Path, output: Path | None = None) -> Written:
    """A page per result in ``outdir/results`` and an index page (default: ``outdir/review/index.html``)."""
    results = outdir / "results"
    if not results.is_dir():
        raise InputError(f"{outdir}: not a batch output folder (no results/)")
    index = output or outdir / REVIEW_FOLDER / "index.html"
    folder = index.parent
    rows: list[IndexRow] = []
    pages: list[Path] = []
    missing = 0
    for result in sorted(results.glob("*.json")):
        try:
            envelope = load_envelope(result)
        except (InputError, ReportFormatError):
            continue
        page = folder / f"{result.stem}.html"
        if envelope.report is not None:
            view, found = view_of(envelope, result)
            missing += not found
            write_text_atomic(page, report_page(envelope, view))
            pages.append(page)
            rows.append(index_row(envelope, os.path.relpath(page, folder)))
        else:
            rows.append(index_row(envelope, None))
    write_text_atomic(index, index_page(rows, f"复核 · {outdir.name or outdir}"))
    return Written(index=index, pages=pages, missing_sources=missing)


def review(target: Path, output: Path | None = None, source: Path | None = None) -> Written:
    """A result file or a batch output folder."""
    if target.is_dir():
        return review_batch(target, output)
    if not target.exists():
        raise InputError(f"no such file or folder: {target}")
    return review_result(target, output, source)
