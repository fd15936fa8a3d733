"""The model as a chooser: rows left open by the constraints become one short multiple-choice question."""

from __future__ import annotations

from pathlib import Path

from giar_llm.llm.chooser import answer_model
from giar_llm.pipeline import extract_file
from giar_llm.settings import Settings

from ..test_neighbours import ROW, write_years
from .fake import FakeExtractor

AUTO = Settings.from_env(backend="auto", model="local/test", use_cache=False)


def test_the_answer_is_an_index_the_schema_bounds() -> None:
    schema = answer_model(3).model_json_schema()
    assert schema["properties"]["choice"]["minimum"] == 0 and schema["properties"]["choice"]["maximum"] == 2
    assert schema["required"] == ["choice"]


def test_auto_asks_only_a_choice_when_the_rest_is_read(tmp_path: Path) -> None:
    target = write_years(tmp_path / "in")
    fake = FakeExtractor({"choice": 1})
    envelope = extract_file(target, AUTO, extractor=fake)
    assert len(fake.conversations) == 1  # no table extraction: one question
    question = fake.conversations[0][-1]["content"]
    assert "规范性文件1234" in question.replace(" ", "") and "1: 1 | 2 | 34" in question
    assert envelope.report is not None
    docs = envelope.report.proactive.normative_docs
    assert (docs.issued, docs.repealed, docs.in_force) == (1, 2, 34)
    assert envelope.levels[f"{ROW}.in_force"] == "chosen"
    assert envelope.candidates[f"{ROW}.in_force"][0] == 34
    assert envelope.status == "unverified"
