"""One document: read -> (model fills what the reader couldn't) -> check -> verdict -> envelope.

Backends: ``rules`` reads deterministically only; ``llm`` asks the model for every table (the reader's
certain cells are used to flag disagreements); ``auto`` reads first and asks the model only for the
tables the reader left unread or unverified, with the reader's cells as a hint.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from giar_llm.core.checker import check
from giar_llm.core.document import Document
from giar_llm.core.envelope import Envelope, RunInfo, Source
from giar_llm.core.findings import HeuristicWarning
from giar_llm.core.levels import assign_levels
from giar_llm.core.paths import describe_cell, flatten
from giar_llm.core.schema import Report2019, Report2021, empty_report
from giar_llm.core.verdict import involved_cells, judge, status_of
from giar_llm.inputs import LoadedInput, load_input
from giar_llm.llm.cache import ResponseCache
from giar_llm.llm.client import ModelClient
from giar_llm.llm.extraction import Extractor, SectionResult, extract_section, merge, set_cell
from giar_llm.llm.providers import resolve
from giar_llm.llm.sections import SECTION_KEYS, guess_format, other_is_merged
from giar_llm.prompts import prompt_version
from giar_llm.reader import read
from giar_llm.reader.reading import Reading
from giar_llm.settings import Settings


def extract_file(path: Path | str, settings: Settings, extractor: Extractor | None = None) -> Envelope:
    """Read and check one file. Raises InputError when the file can't be read at all."""
    return extract_loaded(load_input(path), settings, extractor)


def build_client(settings: Settings) -> ModelClient:
    if settings.model is None:
        raise ValueError("build_client needs settings.model")
    endpoint = resolve(settings.model, settings.base_url)
    cache = ResponseCache(settings.cache_dir / "responses") if settings.use_cache else None
    return ModelClient(endpoint, settings, prompt_version(), cache)


def extract_loaded(loaded: LoadedInput, settings: Settings, extractor: Extractor | None = None) -> Envelope:
    started = time.perf_counter()
    reading = read(loaded.document)
    if settings.backend == "rules":
        envelope = envelope_from_reading(loaded.source, loaded.document, reading, RunInfo(backend="rules"))
        envelope.run.seconds = round(time.perf_counter() - started, 6)
        return envelope
    first = envelope_from_reading(loaded.source, loaded.document, reading, RunInfo(backend=settings.backend))
    sections = _sections_to_ask(settings, reading, first)
    run = RunInfo(backend=settings.backend, model=settings.model, prompt_version=prompt_version())
    if not sections:
        first.run = run
        first.run.seconds = round(time.perf_counter() - started, 6)
        return first
    client = extractor if extractor is not None else build_client(settings)
    envelope = _with_model(loaded, settings, reading, sections, client, run)
    if isinstance(client, ModelClient):
        accounting = client.accounting.to_run(settings.backend, settings.model, prompt_version())
        accounting.rounds = envelope.run.rounds
        envelope.run = accounting
    envelope.run.seconds = round(time.perf_counter() - started, 6)
    return envelope


def _sections_to_ask(settings: Settings, reading: Reading, first: Envelope) -> list[str]:
    if settings.backend == "llm" or reading.report is None:
        return list(SECTION_KEYS)
    suspect = set(first.unsure)
    for violation in first.violations:
        if violation.verdict != "source":
            suspect.update(involved_cells(violation))
    return [s for s, key in SECTION_KEYS.items() if any(p.startswith(key) for p in suspect)]


def _with_model(
    loaded: LoadedInput,
    settings: Settings,
    reading: Reading,
    sections: list[str],
    client: Extractor,
    run: RunInfo,
) -> Envelope:
    document = loaded.document
    fmt = reading.report.format if reading.report is not None else guess_format(document.text)
    base: Report2019 | Report2021 = (
        reading.report.model_copy(deep=True) if reading.report is not None else empty_report(fmt)  # type: ignore[arg-type]
    )
    merged_other = (
        base.applications.results.other.is_merged() if reading.report else other_is_merged(document.text, fmt)
    )
    prefer_reader = settings.backend == "auto"
    results: list[SectionResult] = []
    for section in sections:
        hint = None
        if prefer_reader and reading.report is not None:
            key = SECTION_KEYS[section] + "."
            hint = {
                p.removeprefix(key): v
                for p, v in reading_values(reading).items()
                if p.startswith(key) and p in reading.evidence and p not in reading.unsure
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
            )
        )
    run.rounds = sum(r.rounds for r in results)
    errors = [f"表{r.section}: {r.error}" for r in results if r.error]
    if reading.report is None and all(r.error and not r.values for r in results):
        return Envelope(source=loaded.source, status="failed", error="; ".join(errors) or reading.error, run=run)
    model_reading = merge(
        base,
        results,
        {p: s for p, s in reading.evidence.items()},
        dict(reading.unsure) if reading.report is not None else {"report": reading.error or "no table read"},
        prefer_reader,
        describe_cell,
    )
    model_reading.unsure.pop("report", None)
    if reading.report is not None:
        _arbitrate(
            reading,
            model_reading.report,
            model_reading.evidence,
            model_reading.unsure,
            sections,
            model_reading.warnings,
        )
    warnings = list(reading.warnings) + model_reading.warnings
    warnings += [HeuristicWarning(check="model_failed", message=e) for e in errors]
    combined = Reading(
        report=model_reading.report,
        evidence=model_reading.evidence,
        unsure=model_reading.unsure,
        warnings=warnings,
        sections=reading.sections,
    )
    return envelope_from_reading(loaded.source, document, combined, run)


def _failures_by_table(report: Report2019 | Report2021) -> Counter[str]:
    """How many strict checks fail in each table (keyed like SECTION_KEYS' values)."""
    counts: Counter[str] = Counter()
    for violation in check(report).violations:
        counts.update({cell.split(".", 1)[0] for cell in involved_cells(violation)})
    return counts


def _keep_to_digit_runs(
    reading: Reading,
    merged: Report2019 | Report2021,
    evidence: dict[str, tuple[int, int]],
    unsure: dict[str, str],
) -> None:
    """A row of run-together digits holds one split of them: a model answer whose numbers don't spell the
    same digits in order (a whole run copied into a cell, a digit dropped) is not a reading of it."""
    cells = flatten(merged)
    for row, (fields, runs) in reading.fused.items():
        values = [cells.get(f"{row}.{name}") for name in fields]
        if all(v is None for v in values):
            continue
        spelled = "".join(str(v) for v in values if isinstance(v, int))
        if None not in values and spelled == "".join(runs):
            continue
        for name in fields:
            path = f"{row}.{name}"
            set_cell(merged, path, None)
            evidence.pop(path, None)
            unsure[path] = f"模型的读数 {values} 不是该行连写数字 {''.join(runs)} 的一种拆分；" + reading.unsure.get(
                path, ""
            )


def _arbitrate(
    reading: Reading,
    merged: Report2019 | Report2021,
    evidence: dict[str, tuple[int, int]],
    unsure: dict[str, str],
    sections: list[str],
    warnings: list[HeuristicWarning],
) -> None:
    """Where the reader was unsure, the model's numbers must earn their place by the table's arithmetic.

    A table whose model-filled version fails more strict checks than the reader's keeps the reader's
    cells. Cells the reader was unsure of and the model filled stay unsure unless the table's strict
    checks all pass with them; 表二 has no arithmetic, so its model-filled cells always stay unsure.
    """
    assert reading.report is not None
    _keep_to_digit_runs(reading, merged, evidence, unsure)
    before, after = _failures_by_table(reading.report), _failures_by_table(merged)
    reader_values = flatten(reading.report)
    read_rows = {p.rsplit(".", 1)[0] for p in reading.evidence}
    for section in sections:
        key = SECTION_KEYS[section]
        filled = [p for p in reading.unsure if p.startswith(key + ".")]
        if not filled:
            continue
        if after[key] > before[key]:
            setattr(merged, key, getattr(reading.report, key).model_copy(deep=True))
            for path in [p for p in evidence if p.startswith(key + ".")]:
                evidence.pop(path)
            evidence.update({p: s for p, s in reading.evidence.items() if p.startswith(key + ".")})
            for path in [p for p in unsure if p.startswith(key + ".")]:
                unsure.pop(path)
            unsure.update({p: r for p, r in reading.unsure.items() if p.startswith(key + ".")})
            warnings.append(
                HeuristicWarning(
                    check="model_not_used",
                    cells=[],
                    message=f"表{section}：模型的读数比读取器的读数有更多勾稽关系不成立，保留读取器的读数",
                )
            )
            continue
        if section != "二" and after[key] == 0:
            continue  # the table's arithmetic confirms the model's cells
        merged_values = flatten(merged)
        reason = "模型填写，表二没有勾稽关系可以核对" if section == "二" else "模型填写，但本表仍有勾稽关系不成立"
        for path in filled:
            row_read = path.rsplit(".", 1)[0] in read_rows  # a blank the reader saw, not a row it never found
            if reader_values.get(path) == merged_values.get(path) and row_read:
                continue  # two independent readings agree
            unsure.setdefault(path, reason)


def reading_values(reading: Reading) -> dict[str, object]:
    return dict(flatten(reading.report)) if reading.report is not None else {}


def envelope_from_reading(source: Source, document: Document, reading: Reading, run: RunInfo) -> Envelope:
    """The envelope for a reading: checks, verdicts and status, evidence mapped into the source."""
    if reading.report is None:
        return Envelope(source=source, status="failed", error=reading.error or "no table found", run=run)
    result = check(reading.report)
    result.warnings = reading.warnings + result.warnings
    judge(result, reading.unsure)
    return Envelope(
        source=source,
        status=status_of(result, reading.unsure),
        report=reading.report,
        violations=result.violations,
        warnings=result.warnings,
        evidence={path: document.source_span(*span) for path, span in reading.evidence.items()},
        levels=assign_levels(flatten(reading.report), reading.unsure),
        unsure=dict(reading.unsure),
        run=run,
    )


def failed_envelope(path: Path | str, error: str, sha256: str = "", run: RunInfo | None = None) -> Envelope:
    """The envelope for an input that produced no report (batch keeps going past it)."""
    return Envelope(
        source=Source(path=str(path), sha256=sha256),
        status="failed",
        error=error,
        run=run or RunInfo(),
    )
