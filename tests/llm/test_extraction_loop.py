"""The check-driven loop, grounding and arbitration, without HTTP."""

from __future__ import annotations

from typing import Any

from giar_llm.core.document import Document
from giar_llm.core.schema import empty_report
from giar_llm.errors import TransientModelError
from giar_llm.llm.extraction import extract_section

from .fake import FakeExtractor

# Table 四 as a tab row: 行政复议 1 0 0 1 2, then 诉讼 all zero.
SOURCE = (
    "四、政府信息公开行政复议、行政诉讼情况\n"
    "行政复议\t行政诉讼\n"
    "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
    "1\t0\t0\t1\t2\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n"
    "五、存在的主要问题及改进情况\n"
)


def outcomes(upheld: int, corrected: int, other: int, pending: int, total: int) -> dict[str, int]:
    return {"upheld": upheld, "corrected": corrected, "other_outcome": other, "pending": pending, "total": total}


def answer(review: dict[str, int]) -> dict[str, Any]:
    zero = outcomes(0, 0, 0, 0, 0)
    return {"review": review, "litigation_direct": zero, "litigation_after_review": zero}


def run(fake: FakeExtractor, text: str = SOURCE, rounds: int = 2) -> Any:
    return extract_section(fake, Document(text), empty_report("2021"), "四", {}, rounds, merged_other=False)


def test_clean_answer_needs_one_call_and_is_grounded() -> None:
    fake = FakeExtractor(answer(outcomes(1, 0, 0, 1, 2)))
    result = run(fake)
    assert len(fake.conversations) == 1
    assert result.rounds == 0 and result.unsure == {}
    assert result.values["review_litigation.review.total"] == 2
    start, end = result.evidence["review_litigation.review.total"]
    assert SOURCE[start:end] == "2"


def test_repair_prompt_names_the_cells_and_fixes_a_misread() -> None:
    fake = FakeExtractor(answer(outcomes(1, 0, 0, 0, 2)), answer(outcomes(1, 0, 0, 1, 2)))
    result = run(fake)
    assert len(fake.conversations) == 2
    repair = fake.conversations[1][-1]["content"]
    assert "表四 行政复议：总计为 2，但结果维持、结果纠正、其他结果、尚未审结之和为 1" in repair
    assert "1\t0\t0\t1\t2" in repair  # the source line is quoted
    assert result.rounds == 1 and result.unsure == {}
    assert result.first_values["review_litigation.review.pending"] == 0
    assert result.values["review_litigation.review.pending"] == 1


def test_the_repair_prompt_names_the_splits_still_possible_for_a_failing_row() -> None:
    fake = FakeExtractor(answer(outcomes(1, 0, 0, 0, 2)), answer(outcomes(1, 0, 0, 1, 2)))
    splits = {"review_litigation.review": [(1, 0, 0, 1, 2), (10, 0, 1, 2, 13)]}
    extract_section(fake, Document(SOURCE), empty_report("2021"), "四", {}, 2, False, candidates=splits)
    repair = fake.conversations[1][-1]["content"]
    assert "可能的拆分：1 | 0 | 0 | 1 | 2；10 | 0 | 1 | 2 | 13" in repair


def test_numbers_kept_through_a_repair_round_are_confirmed_in_the_source() -> None:
    text = SOURCE.replace("1\t0\t0\t1\t2", "1\t0\t0\t1\t3")
    same = answer(outcomes(1, 0, 0, 1, 3))
    result = run(FakeExtractor(same, same), text)
    assert result.rounds == 1
    assert result.unsure == {}  # grounded and stable: the report itself doesn't add up
    assert result.values["review_litigation.review.total"] == 3  # never "fixed"


def test_numbers_that_keep_changing_stay_unsure() -> None:
    text = SOURCE.replace("1\t0\t0\t1\t2", "1\t0\t0\t1\t3")
    result = run(FakeExtractor(answer(outcomes(1, 0, 0, 0, 3)), answer(outcomes(0, 0, 0, 1, 3))), text, rounds=1)
    assert "review_litigation.review.pending" in result.unsure


def test_a_number_not_in_the_source_is_an_extraction_error() -> None:
    result = run(FakeExtractor(answer(outcomes(1, 0, 0, 1, 7)), answer(outcomes(1, 0, 0, 1, 7))))
    assert result.values["review_litigation.review.total"] is None
    assert "找不到" in result.unsure["review_litigation.review.total"]


def test_without_repair_rounds_a_failing_check_is_not_confirmed() -> None:
    text = SOURCE.replace("1\t0\t0\t1\t2", "1\t0\t0\t1\t3")
    result = run(FakeExtractor(answer(outcomes(1, 0, 0, 1, 3))), text, rounds=0)
    assert "review_litigation.review.total" in result.unsure


def test_a_model_error_leaves_the_table_unread() -> None:
    result = run(FakeExtractor(TransientModelError("connection refused")))
    assert result.error is not None and "connection refused" in result.error
    assert result.values == {}
