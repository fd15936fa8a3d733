"""A second look at the results whose run-together digits stayed ambiguous, with the rest of the batch as
evidence (``core.neighbours``): the same agency's reports for the year before and after (they rank the
splits), and another form of the same report (same agency, year and format, agreeing on every cell both
read with certainty: its certain cells pin the splits). Such a result is extracted again with that
evidence and rewritten when that changes it. The evidence is the first pass's results, so the order of
the inputs never matters."""

from __future__ import annotations

import hashlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from giar_llm.batch import processes
from giar_llm.batch.execute import Outcome, copy_outcome, in_processes, record
from giar_llm.batch.plan import Task
from giar_llm.batch.store import Record, Store
from giar_llm.core.envelope import Envelope
from giar_llm.core.levels import Level, Number
from giar_llm.core.neighbours import TRUSTED, Neighbours, same_report_cells
from giar_llm.core.paths import Value, flatten
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


def _other_form(name: str, forms: list[str], first: _Envelopes) -> tuple[dict[str, Number], str]:
    """The certain cells of another form of the same report in the batch, and its file name. A form that trusts
    no cell this one doubts (a copy, or a file read the same way) has nothing new to say, nor has one read
    like a form already tried."""
    envelope, mine = first[name], first.reading(name)
    assert envelope is not None and envelope.report is not None and mine is not None
    tried: list[tuple[dict[str, Level], dict[str, Value]]] = []
    for form in forms:
        other, theirs = first[form], first.reading(form)
        if other is None or other.report is None or theirs is None or other.report.format != envelope.report.format:
            continue
        if theirs[2] <= mine[2] or (theirs[0], theirs[1]) in tried:
            continue
        tried.append((theirs[0], theirs[1]))
        cells = same_report_cells(mine[:2], theirs[:2])
        if cells:
            return cells, Path(other.source.path).name
    return {}, ""


def _first(names: list[str] | None) -> str | None:
    return names[0] if names else None


def revisit_with_neighbours(
    tasks: list[Task],
    settings: Settings,
    extractor: Extractor | None,
    store: Store,
    recomputed: set[int],
    jobs: int = 1,
) -> int:
    """Re-extract the results with candidates that have a neighbouring year or another form in the batch;
    returns how many changed. Only the rows that list candidates and their neighbours are read from the store.
    A run that recomputed nothing, over the same rows that the last second look ended with, skips it: it
    was done (a run killed before its second look ended does it again)."""
    key = _rows_key(tasks, store)
    if not recomputed and store.get_meta(_DONE) == key:
        return 0
    changed = _revisit(tasks, settings, extractor, store, recomputed, jobs)
    store.set_meta(_DONE, _rows_key(tasks, store) if changed else key)
    return changed


_DONE = "neighbours"  # the store's meta key: the rows the last second look ended with


def _rows_key(tasks: list[Task], store: Store) -> str:
    rows = store.stored()
    digest = hashlib.sha256()
    for task in tasks:
        row = rows.get(task.name)
        digest.update(f"{task.name}\t{row.stamp if row else 0}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def _revisit(
    tasks: list[Task], settings: Settings, extractor: Extractor | None, store: Store, recomputed: set[int], jobs: int
) -> int:
    years = store.years()
    sha = {task.name: task.sha256 for task in tasks}
    by_year: dict[tuple[str, int], list[str]] = {}
    for task in tasks:  # in input order: the first input of an agency's year stands for it as a neighbour
        if task.name in years:
            by_year.setdefault(years[task.name], []).append(task.name)
    open_rows = {name for name, _, _ in store.with_candidates()}
    firsts = {group: _distinct(names, sha) for group, names in by_year.items()}
    work: list[tuple[Task, str | None, str | None, list[str]]] = []
    for task in tasks:
        if task.name in open_rows and task.name in years:
            agency, year = years[task.name]
            previous = _first(by_year.get((agency, year - 1)))
            following = _first(by_year.get((agency, year + 1)))
            own = task.sha256  # a copy has nothing new to say
            forms = [n for n in firsts[(agency, year)] if n != task.name and not (own and sha.get(n) == own)]
            if previous is not None or following is not None or forms:
                work.append((task, previous, following, forms))
    first = _Envelopes(store)  # the first pass's: the rewrites are put when the second look is over
    looks: list[_Look] = []  # the first input of each content (copies have the same evidence), and any unhashed
    keys: set[tuple[str, str, str]] = set()
    for task, previous, following, forms in work:
        key = (task.sha256, task.config, task.corrections_key)
        if not task.sha256 or key not in keys:
            keys.add(key)
            look = _prepare(task, previous, following, forms, first)
            if look is not None:
                looks.append(look)
    again = dict(zip([look.task.index for look in looks], _look_all(looks, settings, extractor, jobs), strict=True))
    rewritten: list[Record] = []
    changed = 0
    done: dict[tuple[str, str, str], Outcome | None] = {}  # by content: its first input's new outcome, or none
    for task, previous, following, forms in work:
        key = (task.sha256, task.config, task.corrections_key)
        if task.sha256 and key in done:
            again_of_first = done[key]
            if again_of_first is None:
                continue  # the second look changed nothing for this content
            copied = copy_outcome(task, again_of_first)
            if copied is not None:
                rewritten.append(copied.record)
                recomputed.add(task.index)
                changed += 1
                continue
            look = _prepare(task, previous, following, forms, first)  # that result names its file: read this one
            outcome = _again(look, settings, extractor) if look is not None else None
        else:
            outcome = again.get(task.index)
        if task.sha256 and key not in done:
            done[key] = outcome
        if outcome is not None:
            rewritten.append(outcome.record)
            recomputed.add(task.index)
            changed += 1
    store.put(rewritten)
    return changed


def _distinct(names: list[str], sha: dict[str, str]) -> list[str]:
    """The forms of an agency's year worth reading: the first file of each content (made once per agency and
    year; each report then leaves out itself and its own content)."""
    seen: set[str] = set()
    out = []
    for name in names:
        digest = sha.get(name, "")
        if digest and digest in seen:
            continue
        seen.add(digest)
        out.append(name)
    return out


Reading = tuple[dict[str, Level], dict[str, Value], frozenset[str]]  # levels, values, the cells trusted


class _Envelopes:
    """The stored envelopes by name, each parsed when first asked for, and their readings flattened once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.parsed: dict[str, Envelope | None] = {}
        self.readings: dict[str, Reading | None] = {}

    def __getitem__(self, name: str) -> Envelope | None:
        if name not in self.parsed:
            self.parsed[name] = _envelope(self.store, name)
        return self.parsed[name]

    def reading(self, name: str) -> Reading | None:
        if name not in self.readings:
            envelope = self[name]
            if envelope is None or envelope.report is None:
                self.readings[name] = None
            else:
                trusted = frozenset(p for p, level in envelope.levels.items() if level in TRUSTED)
                self.readings[name] = (envelope.levels, flatten(envelope.report), trusted)
        return self.readings[name]


@dataclass(frozen=True)
class _Look:
    """A result to extract again: its input, its neighbours as evidence, and its first envelope."""

    task: Task
    neighbours: Neighbours
    envelope: Envelope


def _prepare(
    task: Task, previous: str | None, following: str | None, forms: list[str], first: _Envelopes
) -> _Look | None:
    """A result's second look, with the neighbours the first pass read; None when they have nothing to say."""
    envelope = first[task.name]
    if envelope is None or envelope.report is None:
        return None
    before = first[previous] if previous is not None else None
    after = first[following] if following is not None else None
    same, same_source = _other_form(task.name, forms, first)
    if before is None and after is None and not same:
        return None
    neighbours = Neighbours(
        before.report if before is not None else None,
        after.report if after is not None else None,
        same,
        same_source,
    )
    return _Look(task, neighbours, envelope)


def _again(look: _Look, settings: Settings, extractor: Extractor | None) -> Outcome | None:
    """One result extracted again with its neighbours as evidence: its new outcome when that changes it (its
    result file exported; the row is the caller's to commit)."""
    task, envelope = look.task, look.envelope
    try:
        again = extract_file(task.path, settings, extractor, look.neighbours)
    except Exception:  # isolation: the first result stands
        return None
    if again.report != envelope.report or again.levels != envelope.levels or again.unsure != envelope.unsure:
        again.run = envelope.run
        return Outcome(task.index, again.status, 0.0, again.error, record(task, again, retry=False))
    return None


def _look_all(looks: list[_Look], settings: Settings, extractor: Extractor | None, jobs: int) -> list[Outcome | None]:
    """``_again`` of each look, in ``jobs`` processes of the batch (the rules backend, several looks), else here;
    a look whose process failed is done here."""
    if not in_processes(settings, jobs, extractor, len(looks)):
        return [_again(look, settings, extractor) for look in looks]
    made = processes.context()
    lifeline, held = made.Pipe(duplex=False)
    try:
        with ProcessPoolExecutor(
            min(jobs, len(looks)), mp_context=made, initializer=processes.die_with_parent, initargs=(lifeline,)
        ) as pool:
            futures = [pool.submit(_again, look, settings, None) for look in looks]
            outcomes: list[Outcome | None] = []
            for look, future in zip(looks, futures, strict=True):
                try:
                    outcomes.append(future.result())
                except Exception:  # a process that died (out of memory, a crash): this look is done here
                    outcomes.append(_again(look, settings, extractor))
            return outcomes
    finally:
        lifeline.close()
        held.close()
