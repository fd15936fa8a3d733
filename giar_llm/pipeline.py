"""One document: read -> ask the model -> reconcile -> check once -> envelope.

Backends: ``rules`` reads deterministically only; ``llm`` asks the model for every table (the reader's
certain cells are used to flag disagreements); ``auto`` reads first and asks the model only for the
tables the reader left unread or unverified, with the reader's cells as a hint.
"""

from __future__ import annotations

import time
from pathlib import Path

from giar_llm.core.checker import check
from giar_llm.core.constraints import Pin, Split, narrow
from giar_llm.core.document import Document
from giar_llm.core.envelope import Envelope, Location, RunInfo, Source
from giar_llm.core.findings import HeuristicWarning
from giar_llm.core.levels import REASON_TEXT, Cell, Reason
from giar_llm.core.neighbours import Neighbours, neighbour_rank
from giar_llm.core.paths import flatten
from giar_llm.core.reconcile import DigitRun, Reconciled, build_report, missing_cells, reader_cells, reconcile
from giar_llm.core.schema import (
    SECTION_KEYS,
    SECTION_OF_KEY,
    Report2019,
    Report2021,
    Section,
    detect_format,
    empty_report,
)
from giar_llm.core.verdict import involved_cells, judge, status_of
from giar_llm.inputs import LoadedInput, load_input, source_of
from giar_llm.llm.cache import ResponseCache
from giar_llm.llm.chooser import Question, ask, excerpt
from giar_llm.llm.client import ModelClient
from giar_llm.llm.extraction import Extractor, SectionResult, extract_section
from giar_llm.llm.providers import resolve
from giar_llm.prompts import prompt_version
from giar_llm.reader import read
from giar_llm.reader.normalize import normalize
from giar_llm.reader.reading import Reading
from giar_llm.reader.tables import other_merged_in
from giar_llm.settings import Settings


def extract_file(
    path: Path | str, settings: Settings, extractor: Extractor | None = None, neighbours: Neighbours | None = None
) -> Envelope:
    """Read and check one file. Raises InputError when the file can't be read at all.

    ``neighbours``: the same agency's reports for the neighbouring years, which rank the splits of
    run-together digits (see ``core.neighbours``)."""
    return extract_loaded(load_input(path, settings.limits), settings, extractor, neighbours)


def build_client(settings: Settings) -> ModelClient:
    if settings.model is None:
        raise ValueError("build_client needs settings.model")
    endpoint = resolve(settings.model, settings.base_url)
    cache = ResponseCache(settings.cache_dir / "responses") if settings.use_cache else None
    return ModelClient(endpoint, settings, prompt_version(), cache)


def extract_loaded(
    loaded: LoadedInput, settings: Settings, extractor: Extractor | None = None, neighbours: Neighbours | None = None
) -> Envelope:
    """read -> ask the model (tables it must read; rows it must choose) -> reconcile -> check once -> envelope."""
    started = time.perf_counter()
    reading = read(loaded.document)
    first = reader_result(reading, neighbours)
    rules = settings.backend == "rules"
    run = RunInfo(backend=settings.backend)
    if not rules:
        run = RunInfo(backend=settings.backend, model=settings.model, prompt_version=prompt_version())
    if first is None and rules:
        envelope = Envelope(source=loaded.source, status="failed", error=reading.error or "no table found", run=run)
        envelope.run.seconds = round(time.perf_counter() - started, 6)
        return envelope
    sections = [] if rules else list(SECTION_KEYS) if first is None else _sections_to_ask(settings, first)
    client: Extractor | None = None
    result: Reconciled | Envelope | None = first
    if sections:
        client = extractor if extractor is not None else build_client(settings)
        result = _with_model(loaded, settings, reading, first, sections, client, run, neighbours)
    if isinstance(result, Reconciled) and result.open and not rules:
        client = client or (extractor if extractor is not None else build_client(settings))
        result = _choose(client, result, reading, loaded.document)
    assert result is not None
    envelope = (
        result if isinstance(result, Envelope) else envelope_from_cells(loaded.source, loaded.document, result, run)
    )
    if isinstance(result, Reconciled):
        envelope.locations = locations_of(reading, result)
    if isinstance(client, ModelClient):
        made = RunInfo(
            backend=settings.backend,
            model=settings.model,
            prompt_version=prompt_version(),
            rounds=envelope.run.rounds,
            degraded=envelope.run.degraded,
        )
        made.add(client.accounting.cost())
        envelope.run = made
    envelope.run.seconds = round(time.perf_counter() - started, 6)
    return envelope


_ASK = frozenset({Reason.READER, Reason.CHOSEN_PLAUSIBLE})


def questions(result: Reconciled, reading: Reading, document: Document) -> list[tuple[Split, Question]]:
    """The rows still open that the model is asked about, as multiple-choice questions (a row the model's
    own reading of its table, or the neighbouring years, already chose is not asked)."""
    splits = splits_of(reading)
    text = normalize(document.text)
    tables = SECTION_OF_KEY
    out: list[tuple[Split, Question]] = []
    for row, options in result.open.items():
        split = splits.get(row)
        if split is None or not all(result.cells[f"{row}.{f}"].reason in _ASK for f in split.fields):
            continue
        start, end = reading.sections.get(tables.get(row.split(".", 1)[0], ""), (0, len(text)))
        out.append((split, Question(row, split.fields, excerpt(text, split.runs, start, end), tuple(options))))
    return out


def _choose(client: Extractor, result: Reconciled, reading: Reading, document: Document) -> Reconciled:
    """Each row still open becomes one multiple-choice question; the model's pick is chosen."""
    cells = dict(result.cells)
    for split, question in questions(result, reading, document):
        index = ask(client, question)
        if index is None:
            continue
        options = question.options
        pick = options[index]
        message = (
            f"{REASON_TEXT[Reason.CHOSEN_BY_MODEL]}（连写数字 {''.join(split.runs)} 的 {len(options)} 种拆分之一）"
        )
        for column, name in enumerate(split.fields):
            ranked = tuple(dict.fromkeys([pick[column], *(o[column] for o in options)]))
            cells[f"{question.row}.{name}"] = Cell.doubt(pick[column], Reason.CHOSEN_BY_MODEL, message, None, ranked)
    return Reconciled(build_report(result.report, cells), cells, result.warnings, result.open)


def reader_result(reading: Reading, neighbours: Neighbours | None = None) -> Reconciled | None:
    """The reader's reading as cell records (None when it found no table)."""
    if reading.report is None:
        return None
    cells = reader_cells(flatten(reading.report), reading.evidence, reading.unsure, reading.derived)
    splits = splits_of(reading)
    neighbours = neighbours or Neighbours()
    narrowed = narrow(cells, splits, pins_of(reading, neighbours), neighbour_rank(splits, neighbours))
    report = build_report(reading.report, narrowed.cells)
    return Reconciled(report, narrowed.cells, list(reading.warnings), narrowed.open)


def pins_of(reading: Reading, neighbours: Neighbours) -> dict[str, Pin]:
    """The quantities the report's prose states, and the cells another form of the same report read with
    certainty, as constraints on the same cells."""
    pins = {path: Pin(value, f"正文「{quote}」") for path, (value, quote) in reading.prose.items()}
    other = f"同一报告的另一份文件（{neighbours.same_source}）读到同一单元格"
    pins.update({path: Pin(v, other, Reason.DERIVED_OTHER_FORM) for path, v in neighbours.same.items()})
    return pins


def splits_of(reading: Reading) -> dict[str, Split]:
    """The reader's rows of run-together digits with every split their own arithmetic allows."""
    out: dict[str, Split] = {}
    for row, (fields, runs) in reading.fused.items():
        options, complete = reading.splits.get(row, ([], False))
        out[row] = Split(tuple(fields), tuple(runs), tuple(options), complete)
    return out


def _sections_to_ask(settings: Settings, first: Reconciled) -> list[Section]:
    """``llm``: every table; ``auto``: the tables with a doubtful cell or a check failing on one (a row of
    run-together digits whose splits the constraints narrowed is asked as a choice instead)."""
    if settings.backend == "llm":
        return list(SECTION_KEYS)
    suspect = {p for p, cell in first.cells.items() if not cell.trusted and p.rpartition(".")[0] not in first.open}
    result = check(first.report)
    judge(result, suspect)
    for violation in result.violations:
        if violation.verdict != "source":
            suspect.update(involved_cells(violation))
    return [s for s, key in SECTION_KEYS.items() if any(p.startswith(key + ".") for p in suspect)]


def _with_model(
    loaded: LoadedInput,
    settings: Settings,
    reading: Reading,
    first: Reconciled | None,
    sections: list[Section],
    client: Extractor,
    run: RunInfo,
    neighbours: Neighbours | None,
) -> Reconciled | Envelope:
    """Ask the model for ``sections``, then reconcile its cells with the reader's (a failed envelope when
    nothing at all could be read)."""
    document = loaded.document
    fmt = first.report.format if first is not None else detect_format(document.text)
    base: Report2019 | Report2021 = first.report.model_copy(deep=True) if first is not None else empty_report(fmt)
    merged_other = base.applications.results.other.is_merged() if first else other_merged_in(document.text, fmt)
    prefer_reader = settings.backend == "auto"
    results: list[SectionResult] = []
    for section in sections:
        hint = None
        if prefer_reader and first is not None:
            key = SECTION_KEYS[section] + "."
            hint = {
                p.removeprefix(key): c.value
                for p, c in first.cells.items()
                if p.startswith(key) and c.trusted and c.span is not None
            }
        results.append(
            extract_section(
                client,
                document,
                base.model_copy(deep=True),
                section,
                reading.sections,
                settings.max_rounds,
                merged_other,
                hint=hint or None,
                candidates=first.open if first is not None else None,
            )
        )
    run.rounds = sum(r.rounds for r in results)
    errors = [f"表{r.section}: {r.error}" for r in results if r.error]
    run.degraded = bool(errors)  # redone by the next batch run; never verified (core.verdict.DOUBT_WARNINGS)
    if first is None and all(r.error and not r.values for r in results):
        return Envelope(source=loaded.source, status="failed", error="; ".join(errors) or reading.error, run=run)
    reader = first.cells if first is not None else missing_cells(flatten(base), reading.error or "未读到报告的表格")
    model = {path: cell for r in results for path, cell in r.model_cells().items()}
    runs = {row: DigitRun(tuple(fields), tuple(digits)) for row, (fields, digits) in reading.fused.items()}
    reconciled = reconcile(base, reader, model, runs, prefer_reader)
    splits = splits_of(reading)
    neighbours = neighbours or Neighbours()
    narrowed = narrow(reconciled.cells, splits, pins_of(reading, neighbours), neighbour_rank(splits, neighbours))
    reconciled.cells, reconciled.open = narrowed.cells, narrowed.open
    reconciled.report = build_report(base, reconciled.cells)
    reconciled.warnings = list(reading.warnings) + reconciled.warnings
    reconciled.warnings += [HeuristicWarning(check="model_failed", message=e) for e in errors]
    if errors:
        reconciled.warnings.append(
            HeuristicWarning(
                check="degraded",
                message="模型调用失败，本结果未经模型完整核对，不标为 verified；下次批量运行会重做",
            )
        )
    return reconciled


def envelope_from_cells(source: Source, document: Document, reading: Reconciled, run: RunInfo) -> Envelope:
    """The envelope for reconciled cells: the checks once, verdicts and status, levels, candidates, evidence."""
    result = check(reading.report)
    result.warnings = reading.warnings + result.warnings
    unsure = {path: cell.message for path, cell in reading.cells.items() if not cell.trusted}
    judge(result, unsure)
    return Envelope(
        source=source,
        status=status_of(result, unsure),
        report=reading.report,
        violations=result.violations,
        warnings=result.warnings,
        evidence={path: document.source_span(*c.span) for path, c in reading.cells.items() if c.span is not None},
        levels={path: cell.level for path, cell in reading.cells.items()},
        candidates={path: list(c.candidates) for path, c in reading.cells.items() if _shows_candidates(c)},
        unsure=unsure,
        run=run,
    )


def locations_of(reading: Reading, result: Reconciled) -> dict[str, Location]:
    """The page and box of every cell whose value is the one the reader read from a PDF's drawn table (a
    cell the model or a constraint set to another value is not where that box is)."""
    if not reading.locations or reading.report is None:
        return {}
    read = flatten(reading.report)
    out: dict[str, Location] = {}
    for path, (page, box) in reading.locations.items():
        cell = result.cells.get(path)
        if cell is not None and cell.value is not None and cell.value == read.get(path):
            out[path] = Location(page=page, box=tuple(round(v, 2) for v in box))
    return out


def _shows_candidates(cell: Cell) -> bool:
    if cell.trusted or not cell.candidates:
        return False
    return not (len(cell.candidates) == 1 and cell.candidates[0] == cell.value)


def envelope_from_reading(source: Source, document: Document, reading: Reading, run: RunInfo) -> Envelope:
    """The envelope for the reader's reading alone."""
    first = reader_result(reading)
    if first is None:
        return Envelope(source=source, status="failed", error=reading.error or "no table found", run=run)
    envelope = envelope_from_cells(source, document, first, run)
    envelope.locations = locations_of(reading, first)
    return envelope


def failed_envelope(path: Path | str, error: str, sha256: str = "", run: RunInfo | None = None) -> Envelope:
    """The envelope for an input that produced no report (batch keeps going past it)."""
    return Envelope(
        source=source_of(path, sha256),
        status="failed",
        error=error,
        run=run or RunInfo(),
    )
