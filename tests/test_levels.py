from giar_llm.core.levels import assign_levels, doubtful


def test_levels_from_unsure_rows_and_cells() -> None:
    cells = {
        "meta.year": 2024,
        "applications.new_requests.total": 5,
        "applications.new_requests.natural_person": None,
        "review_litigation.review.total": None,
        "review_litigation.review.upheld": 3,
        "proactive.fees.amount_wan_yuan": 1.5,
    }
    unsure = {"review_litigation.review", "applications.new_requests.natural_person"}
    levels = assign_levels(cells, unsure, derived=["proactive.fees.amount_wan_yuan"])
    assert "meta.year" not in levels
    assert levels == {
        "applications.new_requests.total": "read",
        "applications.new_requests.natural_person": "unknown",
        "review_litigation.review.total": "unknown",
        "review_litigation.review.upheld": "chosen",
        "proactive.fees.amount_wan_yuan": "derived",
    }
    assert sorted(doubtful(levels)) == [
        "applications.new_requests.natural_person",
        "review_litigation.review.total",
        "review_litigation.review.upheld",
    ]
