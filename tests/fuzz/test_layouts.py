"""The layout fuzzer: random layouts of every gold report through the real pipeline never give a silent cell.

Each example is a gold report printed through an input kind (text layouts, markdown, HTML, DOCX, PDF) with a random
combination of mutations (see ``generate.MUTATIONS``). The invariant: every cell is right or doubtful (level
chosen/unknown, named in ``unsure``); no wrong ``verified``; no wrong ``source_inconsistent``. Examples are
derandomized, so a run is the same on every machine; ``benchmarks/fuzz_layouts.py`` runs thousands.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .generate import KINDS, Case, draw_case
from .invariant import judge, run

T = TypeVar("T")


class HypothesisChooser:
    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def boolean(self) -> bool:
        return self.data.draw(st.booleans())

    def integer(self, low: int, high: int) -> int:
        return self.data.draw(st.integers(low, high))

    def choice(self, options: Sequence[T]) -> T:
        return self.data.draw(st.sampled_from(options))


FUZZ = settings(
    max_examples=120,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: benchmarks/fuzz_layouts.py --replay
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _check(case: Case) -> None:
    envelope = run(case)
    outcome = judge(case, envelope)
    assert outcome.ok, outcome.describe(case, envelope)


@FUZZ
@given(st.data())
def test_every_cell_is_right_or_doubtful(data: st.DataObject) -> None:
    _check(draw_case(HypothesisChooser(data)))


@pytest.mark.parametrize("kind", KINDS)
@settings(FUZZ, max_examples=15)
@given(data=st.data())
def test_each_kind_unmutated_reads_back(kind: str, data: st.DataObject) -> None:
    """With no mutation every input kind reads back exactly: the generator prints what the reader knows."""
    case = draw_case(HypothesisChooser(data), kinds=(kind,), allowed=())
    envelope = run(case)
    outcome = judge(case, envelope)
    assert outcome.ok, outcome.describe(case, envelope)
    if case.layout not in ("spaces", "flattened", "columns", "unruled"):  # the layouts that keep every blank cell
        assert not outcome.wrong and not envelope.unsure, outcome.describe(case, envelope)
