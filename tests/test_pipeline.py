"""One document through the pipeline: rules alone, and auto with a fake model filling what the reader left."""

from __future__ import annotations

from typing import Any

import pytest

from giar_llm.core.paths import flatten
from giar_llm.files import load_gold
from giar_llm.inputs import LoadedInput, load_bytes, load_input
from giar_llm.pipeline import extract_file, extract_loaded
from giar_llm.settings import Settings

from .conftest import GOLD, REPORTS
from .llm.fake import FakeExtractor
from .reader.render import render

RULES = Settings.from_env(backend="rules")
AUTO = Settings.from_env(backend="auto", model="local/test", use_cache=False)


def test_rules_reads_a_clean_report_verified_with_evidence() -> None:
    envelope = extract_file(REPORTS / "000_27f8f84a704e59bd.txt", RULES)
    assert envelope.status == "verified"
    assert envelope.run.backend == "rules" and envelope.run.calls == 0
    text = (REPORTS / "000_27f8f84a704e59bd.txt").read_text(encoding="utf-8")
    start, end = envelope.evidence["applications.new_requests.total"]
    assert text[start:end] == "1"


def test_auto_makes_no_call_when_the_reader_verified_everything() -> None:
    fake = FakeExtractor()  # raises if called
    envelope = extract_file(REPORTS / "002_466e71db95901446.txt", AUTO, extractor=fake)
    assert envelope.status == "verified" and fake.conversations == []


def seed_001_as_space_rows() -> LoadedInput:
    """Seed 001 (its table 三 doesn't add up in the source) printed as space rows: its blank cells vanish,
    so the reader can only place the numbers by order and stays unsure of table 三."""
    gold = load_gold(GOLD / "001_804bc5c71be8d781.json")
    return load_bytes(render(gold.report, "spaces").encode("utf-8"), "001-space-rows.txt")


def test_the_reader_alone_finds_seed_001_inconsistent_in_its_source() -> None:
    envelope = extract_file(REPORTS / "001_804bc5c71be8d781.txt", AUTO, extractor=FakeExtractor())
    assert envelope.status == "source_inconsistent" and envelope.run.calls == 0


def test_auto_asks_only_for_the_unsure_table_and_its_cells_stay_chosen() -> None:
    """The model reads the space rows right, but blank cells that were never separated can't place its
    numbers by position, and the table doesn't add up: its cells are chosen, the failures not the source's."""
    gold = load_gold(GOLD / "001_804bc5c71be8d781.json")
    table3: dict[str, Any] = gold.report.applications.model_dump(mode="json")
    fake = FakeExtractor(table3, table3, table3)
    assert extract_loaded(seed_001_as_space_rows(), RULES).status == "unverified"
    envelope = extract_loaded(seed_001_as_space_rows(), AUTO, extractor=fake)
    asked = {m["content"][:40] for conversation in fake.conversations for m in conversation if m["role"] == "user"}
    assert asked and all("三" in a or "申请" in a for a in asked)
    assert envelope.status == "unverified"
    assert sorted(v.key for v in envelope.violations) == sorted(v.key for v in gold.expected_violations)
    assert all(v.verdict == "extraction" for v in envelope.violations)
    got = dict(flatten(envelope.report)) if envelope.report else {}
    assert {p: v for p, v in flatten(gold.report).items() if p.startswith("applications")} == {
        p: v for p, v in got.items() if p.startswith("applications")
    }
    assert envelope.levels["applications.results.granted.total"] == "chosen"
    assert set(envelope.unsure) == {p for p, level in envelope.levels.items() if level in ("chosen", "unknown")}


def test_a_text_without_tables_fails_with_a_reason() -> None:
    envelope = extract_loaded(load_bytes("一、总体情况\n无。\n".encode(), "empty-report.txt"), RULES)
    assert envelope.status == "failed" and envelope.error and "table" in envelope.error


@pytest.mark.parametrize("name", ["shuyang-fgj-2023.html", "hongze-2024.pdf", "000_27f8f84a704e59bd.docx"])
def test_real_inputs_read_like_their_gold(name: str) -> None:
    gold = load_gold(GOLD / f"{name.split('.', 1)[0]}.json")
    envelope = extract_loaded(load_input(REPORTS / name), RULES)
    assert envelope.status == "verified" and envelope.report is not None
    assert flatten(envelope.report) == flatten(gold.report)
    assert envelope.evidence


def test_auto_keeps_the_reader_when_the_model_makes_the_table_add_up_worse() -> None:
    gold = load_gold(GOLD / "001_804bc5c71be8d781.json")
    misread: dict[str, Any] = gold.report.applications.model_dump(mode="json")
    misread["results"]["granted"]["total"] = 2  # a number that is in the source, in the wrong cell
    fake = FakeExtractor(misread, misread, misread)
    envelope = extract_loaded(seed_001_as_space_rows(), AUTO, extractor=fake)
    assert envelope.report is not None
    assert envelope.report.applications.results.granted.total == 7  # the reader's reading stands
    assert any(w.check == "model_not_used" for w in envelope.warnings)
    assert envelope.status == "unverified"


def test_model_cells_in_table_two_stay_unsure_without_arithmetic_to_confirm_them() -> None:
    gold = load_gold(GOLD / "pingtan-2020.json")
    table2: dict[str, Any] = gold.report.proactive.model_dump(mode="json")
    fake = FakeExtractor(table2, table2, table2)
    envelope = extract_file(REPORTS / "pingtan-2020.txt", AUTO, extractor=fake)
    assert envelope.report is not None and envelope.report.proactive.licensing.decisions == 278
    assert "proactive.licensing.decisions" in envelope.unsure
    assert envelope.status == "unverified"


def test_a_digit_run_copied_whole_into_cells_is_not_a_reading() -> None:
    """The model's 表二 answer copies a run whole: not a split, so that row is asked again as one short
    multiple-choice question, and the pick is chosen."""
    gold = load_gold(GOLD / "pingtan-2020.json")
    table2: dict[str, Any] = gold.report.proactive.model_dump(mode="json")
    table2["licensing"] = {"prev_year_items": 396442278, "items_change": None, "decisions": 396442278}
    fake = FakeExtractor(table2, {"choice": 0})
    envelope = extract_file(REPORTS / "pingtan-2020.txt", AUTO, extractor=fake)
    assert envelope.report is not None
    question = fake.conversations[-1][-1]["content"]
    assert "行政许可" in question and "396442278" in question and "0: 396 | 442 | 278" in question
    assert len(question) < 600  # a few dozen tokens, not a table
    assert envelope.levels["proactive.licensing.decisions"] == "chosen"
    assert envelope.report.proactive.licensing.decisions == 278
    assert "由模型在候选值中选取" in envelope.unsure["proactive.licensing.decisions"]
    assert envelope.candidates["proactive.licensing.decisions"][0] == 278
    assert envelope.report.proactive.penalty.items_change == -18  # a true split of 2648-18538 is kept


def test_a_model_swapping_two_sibling_rows_the_reader_was_unsure_of_is_never_verified() -> None:
    """Every sum holds with the two rows swapped and every number stands in the source, but not at the
    cells' own positions: the swapped cells are chosen (doubtful), the report unverified."""
    gold = load_gold(GOLD / "shuyang-fgj-2023.json")
    results = gold.report.applications.results
    results.granted.natural_person, results.granted.total = 20, 20
    results.partially_granted.natural_person, results.partially_granted.total = 6, 6
    loaded = load_bytes(render(gold.report, "spaces").encode("utf-8"), "shuyang-space-rows.txt")
    first = extract_loaded(loaded, RULES)
    swapped_rows = ("applications.results.granted", "applications.results.partially_granted")
    assert all(first.levels[f"{row}.total"] in ("chosen", "unknown") for row in swapped_rows)
    table3: dict[str, Any] = gold.report.applications.model_dump(mode="json")
    table3["results"]["granted"], table3["results"]["partially_granted"] = (
        table3["results"]["partially_granted"],
        table3["results"]["granted"],
    )
    envelope = extract_loaded(loaded, AUTO, extractor=FakeExtractor(table3, table3, table3))
    assert envelope.report is not None and envelope.report.applications.results.granted.total == 6
    assert envelope.violations == []  # the swap satisfies every sum
    assert envelope.status == "unverified"
    for row in swapped_rows:
        for column in ("natural_person", "total"):
            assert envelope.levels[f"{row}.{column}"] == "chosen"
            assert f"{row}.{column}" in envelope.unsure
