from giar_llm.core.levels import REASON_TEXT, Cell, Reason, covering, doubtful


def test_a_doubtful_cell_is_chosen_with_a_value_and_unknown_without() -> None:
    chosen = Cell.doubt(3, Reason.CHOSEN_PLAUSIBLE, candidates=[3, 30])
    assert chosen.level == "chosen" and not chosen.trusted and chosen.candidates == (3, 30)
    assert chosen.message == REASON_TEXT[Reason.CHOSEN_PLAUSIBLE]
    assert Cell.doubt(None, Reason.READER, "该行未读到数字").level == "unknown"
    assert Cell.read(None).trusted and Cell.derived(2, Reason.DERIVED_SPLIT).trusted


def test_every_reason_has_a_chinese_message() -> None:
    assert set(REASON_TEXT) == set(Reason)


def test_covering_finds_the_cell_or_its_row_and_doubtful_lists_chosen_and_unknown() -> None:
    assert covering("review_litigation.review.total", {"review_litigation.review"}) == "review_litigation.review"
    assert covering("review_litigation.review.total", {"review_litigation.litigation_direct"}) is None
    levels = {"a.x": "read", "a.y": "chosen", "a.z": "unknown", "a.w": "derived"}
    assert sorted(doubtful(levels)) == ["a.y", "a.z"]
