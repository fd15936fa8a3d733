"""A second look at the results whose run-together digits stayed ambiguous, with the same agency's
neighbouring years in the batch as evidence (``core.neighbours``): such a result is extracted again with
the reports for the year before and after, and rewritten when that changes it. The neighbours are the
first pass's results, so the order of the inputs never matters."""

from __future__ import annotations

from giar_llm.batch.execute import record
from giar_llm.batch.plan import Task
from giar_llm.batch.store import Store
from giar_llm.core.envelope import Envelope
from giar_llm.core.neighbours import Neighbours
from giar_llm.files import loads_exact
from giar_llm.llm.extraction import Extractor
from giar_llm.pipeline import extract_file
from giar_llm.settings import Settings

__all__ = ["revisit_with_neighbours"]


def _envelope(store: Store, name: str) -> Envelope | None:
    text = store.envelope(name)
    try:
        return Envelope.model_validate(loads_exact(text)) if text is not None else None
    except ValueError:
        return None


def revisit_with_neighbours(
    tasks: list[Task], settings: Settings, extractor: Extractor | None, store: Store, recomputed: set[int]
) -> int:
    """Re-extract the results with candidates that have a neighbouring year; returns how many changed.
    Only the rows that list candidates and have a neighbour are read from the store."""
    years = store.years()
    by_year: dict[tuple[str, int], str] = {}
    for task in tasks:  # the first input of an agency's year stands for it, in input order
        if task.name in years:
            by_year.setdefault(years[task.name], task.name)
    open_rows = {name for name, _, _ in store.with_candidates()}
    work: list[tuple[Task, str | None, str | None]] = []
    for task in tasks:
        if task.name in open_rows and task.name in years:
            agency, year = years[task.name]
            previous, following = by_year.get((agency, year - 1)), by_year.get((agency, year + 1))
            if previous is not None or following is not None:
                work.append((task, previous, following))
    needed = {name for task, *around in work for name in (task.name, *around) if name is not None}
    first = {name: _envelope(store, name) for name in sorted(needed)}  # the first pass's, before any rewrite
    changed = 0
    for task, previous, following in work:
        envelope = first[task.name]
        if envelope is None or envelope.report is None:
            continue
        before = first[previous] if previous is not None else None
        after = first[following] if following is not None else None
        neighbours = Neighbours(
            before.report if before is not None else None, after.report if after is not None else None
        )
        try:
            again = extract_file(task.path, settings, extractor, neighbours)
        except Exception:  # isolation: the first result stands
            continue
        if again.report != envelope.report or again.levels != envelope.levels or again.unsure != envelope.unsure:
            again.run = envelope.run
            store.put([record(task, again, retry=False)])
            recomputed.add(task.index)
            changed += 1
    return changed
