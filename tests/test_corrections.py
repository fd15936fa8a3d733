"""Corrections: applied to a real result, re-checked; reviewed cells, the status, stale corrections."""

from __future__ import annotations

import pytest

from giar_llm.core.corrections import Correction, ViolationRef, apply_corrections, for_source, parse_corrections
from giar_llm.core.envelope import Envelope
from giar_llm.core.paths import flatten
from giar_llm.files import load_gold
from giar_llm.pipeline import extract_file
from giar_llm.settings import Settings

from .conftest import GOLD, REPORTS

RULES = Settings.from_env(backend="rules")


def doubtful_fixed_from_gold(envelope: Envelope, stem: str, reviewer: str = "张三") -> list[Correction]:
    gold = flatten(load_gold(GOLD / f"{stem}.json").report)
    got = flatten(envelope.report) if envelope.report is not None else {}
    return [
        Correction(
            sha256=envelope.source.sha256,
            source=envelope.source.path,
            cell=path,
            old=got[path],  # type: ignore[arg-type]
            new=gold[path],  # type: ignore[arg-type]
            reviewer=reviewer,
            time="2026-12-01T10:00:00Z",
        )
        for path, level in envelope.levels.items()
        if level in ("chosen", "unknown")
    ]


def test_reviewing_every_doubtful_cell_of_a_report_verifies_it() -> None:
    envelope = extract_file(REPORTS / "shanghai-office-2025.md", RULES)
    assert envelope.status == "unverified"
    corrections = doubtful_fixed_from_gold(envelope, "shanghai-office-2025")
    applied = apply_corrections(envelope, corrections)
    result = applied.envelope
    assert applied.applied == len(corrections) and not applied.rejected
    assert result.status == "verified" and result.reviewed
    assert flatten(result.report) == flatten(load_gold(GOLD / "shanghai-office-2025.json").report)  # type: ignore[arg-type]
    assert {p for p, level in result.levels.items() if level == "reviewed"} == {c.cell for c in corrections}
    assert result.unsure == {} and result.candidates == {}
    assert all(mark.reviewer == "张三" for mark in result.reviews.values())
    assert envelope.status == "unverified"  # the input envelope is left as it was


def test_part_of_the_doubtful_cells_reviewed_stays_unverified() -> None:
    envelope = extract_file(REPORTS / "shanghai-office-2025.md", RULES)
    corrections = doubtful_fixed_from_gold(envelope, "shanghai-office-2025")[:-1]
    result = apply_corrections(envelope, corrections).envelope
    assert result.status == "unverified" and not result.reviewed
    assert len(result.unsure) == 1


def test_confirming_violations_in_the_source_makes_the_report_source_inconsistent() -> None:
    envelope = extract_file(REPORTS / "pingtan-2020.txt", RULES)
    assert envelope.status == "unverified" and envelope.violations
    corrections = doubtful_fixed_from_gold(envelope, "pingtan-2020")
    only_cells = apply_corrections(envelope, corrections).envelope
    assert only_cells.status == "source_inconsistent"  # every doubtful cell reviewed; the checks read as printed
    confirm = [
        Correction(
            sha256=envelope.source.sha256,
            violation=ViolationRef(check=v.check, cell=v.cell, row=v.row),
            reason="原文如此",
            reviewer="李四",
        )
        for v in envelope.violations
    ]
    result = apply_corrections(envelope, corrections + confirm).envelope
    assert result.status == "source_inconsistent" and result.reviewed
    assert all(v.verdict == "source" for v in result.violations)
    involved = {c for v in envelope.violations for c in v.cells}
    assert involved and all(result.levels[c] == "reviewed" for c in involved)
    assert {result.reviews[c].reviewer for c in involved} <= {"李四", "张三"}


def test_a_correction_made_on_another_version_of_the_source_is_reported_not_applied() -> None:
    envelope = extract_file(REPORTS / "shanghai-office-2025.md", RULES)
    fixed = doubtful_fixed_from_gold(envelope, "shanghai-office-2025")
    stale = [c.model_copy(update={"sha256": "0" * 64}) for c in fixed]
    matching, other = for_source(stale, envelope.source.sha256, envelope.source.path)
    assert matching == [] and other == stale
    applied = apply_corrections(envelope, stale)
    assert applied.applied == 0 and len(applied.rejected) == len(stale)
    assert applied.envelope.report == envelope.report
    assert applied.envelope.status == "unverified"
    assert any(w.check == "correction_not_applied" and "sha256" in w.message for w in applied.envelope.warnings)


def test_a_correction_of_a_cell_the_report_does_not_have_is_rejected() -> None:
    envelope = extract_file(REPORTS / "000_27f8f84a704e59bd.txt", RULES)
    bad = Correction(sha256=envelope.source.sha256, cell="applications.nowhere.total", new=3)
    applied = apply_corrections(envelope, [bad])
    assert applied.applied == 0 and applied.rejected and applied.envelope.status == "verified"


def test_a_wrong_value_typed_by_a_reviewer_is_caught_by_the_checks() -> None:
    envelope = extract_file(REPORTS / "000_27f8f84a704e59bd.txt", RULES)
    path = "applications.new_requests.natural_person"
    value = flatten(envelope.report)[path]  # type: ignore[arg-type]
    assert isinstance(value, int)
    wrong = Correction(sha256=envelope.source.sha256, cell=path, old=value, new=value + 1, reviewer="王五")
    result = apply_corrections(envelope, [wrong]).envelope
    assert result.levels[path] == "reviewed"
    assert result.violations and all(v.verdict == "extraction" for v in result.violations)
    assert result.status == "unverified" and not result.reviewed  # the arithmetic disagrees with the reviewer


def test_corrections_file_parsing() -> None:
    data = {"version": 1, "corrections": [{"sha256": "ab", "cell": "review_litigation.review.total", "new": 1}]}
    assert parse_corrections(data)[0].new == 1
    assert parse_corrections(data["corrections"])[0].cell == "review_litigation.review.total"
    with pytest.raises(ValueError, match="not a corrections file"):
        parse_corrections({"corrections": [{"cell": "x"}]})
