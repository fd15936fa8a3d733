"""A second look at the results whose run-together digits stayed ambiguous, with the same agency's
neighbouring years in the batch as evidence (``core.neighbours``): such a result is extracted again with
the reports for the year before and after, and rewritten when that changes it. The neighbours are the
first pass's results, so the order of the inputs never matters."""

from __future__ import annotations

from pathlib import Path

from giar_llm.batch.execute import record
from giar_llm.batch.plan import Task, read_json
from giar_llm.core.envelope import Envelope
from giar_llm.core.neighbours import Neighbours
from giar_llm.llm.extraction import Extractor
from giar_llm.pipeline import extract_file
from giar_llm.settings import Settings

__all__ = ["revisit_with_neighbours"]


def _envelope(task: Task) -> Envelope | None:
    try:
        return Envelope.model_validate(read_json(Path(task.result)))
    except (ValueError, OSError):
        return None


def revisit_with_neighbours(
    tasks: list[Task], settings: Settings, extractor: Extractor | None, recomputed: set[int]
) -> int:
    """Re-extract the results with candidates that have a neighbouring year; returns how many changed."""
    envelopes = {task.index: _envelope(task) for task in tasks}
    by_year: dict[tuple[str, int], Envelope] = {}
    for envelope in envelopes.values():
        meta = envelope.report.meta if envelope is not None and envelope.report is not None else None
        if meta is not None and meta.agency is not None and meta.year is not None:
            by_year.setdefault((meta.agency, meta.year), envelope)  # type: ignore[arg-type]
    changed = 0
    for task in tasks:
        envelope = envelopes[task.index]
        if envelope is None or envelope.report is None or not envelope.candidates:
            continue
        agency, year = envelope.report.meta.agency, envelope.report.meta.year
        if agency is None or year is None:
            continue
        before, after = by_year.get((agency, year - 1)), by_year.get((agency, year + 1))
        if before is None and after is None:
            continue
        neighbours = Neighbours(
            before.report if before is not None else None, after.report if after is not None else None
        )
        try:
            again = extract_file(task.path, settings, extractor, neighbours)
        except Exception:  # isolation: the first result stands
            continue
        if again.report != envelope.report or again.levels != envelope.levels or again.unsure != envelope.unsure:
            again.run = envelope.run
            record(task, again, retry=False)
            recomputed.add(task.index)
            changed += 1
    return changed
