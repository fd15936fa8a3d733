"""The plain-number fast path of a row's region finds exactly the number atoms the full tokeniser finds."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from giar_llm.reader.cells import atoms, blank_notes, plain_numbers

CHARACTERS = "0123456789 \t|\n-—–－/／\\无年申请(（)）,.+①١:"
regions = st.tuples(st.text(alphabet=CHARACTERS, max_size=40), st.integers(0, 40), st.integers(0, 40))


@settings(max_examples=1500, deadline=None)
@given(regions)
def test_plain_numbers_are_the_number_atoms(region: tuple[str, int, int]) -> None:
    text, a, b = region
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    plain = plain_numbers(text, start, end)
    if plain is None:
        return
    found = atoms(text, start, end)
    assert not [atom for atom in found if atom.kind == "zero"]
    assert plain == [(atom.start, atom.end) for atom in found if atom.kind == "num"]
    assert all(text[s:e].isascii() and text[s:e].isdigit() for s, e in plain)


def test_a_word_that_is_not_a_plain_number_or_a_zero_mark_sends_the_region_to_the_tokeniser() -> None:
    assert plain_numbers("申请\t5\t0 12\n", 0, 10) == [(3, 4), (5, 6), (7, 9)]
    for region in ("5 -5", "1,259", "2020年", "5.5", "0 无 3", "— 3", "0 / 0", "١٢"):
        assert plain_numbers(region, 0, len(region)) is None
    assert plain_numbers("无正当理由 3", 0, 7) == [(6, 7)]
    assert plain_numbers("(含12个) 3", 0, 8) == [(7, 8)]


_OLD_NOT_PLAIN = re.compile(
    r"[\d/／\-－—–无\\]"
    r"(?:(?<=[^\D0-9])"
    r"|(?<=[^\s|0-9][0-9])|(?<=[0-9])(?=[^\s|0-9])"
    r"|(?<=[/／\-－—–无\\])(?<![^\s|].)(?:(?<=—)—|(?<=-)-)?(?![^\s|]))"
)


def _two_passes(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """The fast path's definition in two passes: no sign of a word that is not plain, then every run of digits."""
    region = blank_notes(text[start:end])
    if _OLD_NOT_PLAIN.search(region):
        return None
    return [(start + m.start(), start + m.end()) for m in re.finditer("[0-9]+", region)]


@settings(max_examples=1500, deadline=None)
@given(regions)
def test_one_pass_finds_what_two_passes_find(region: tuple[str, int, int]) -> None:
    text, a, b = region
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    assert plain_numbers(text, start, end) == _two_passes(text, start, end)


def test_no_letter_is_a_decimal_digit() -> None:
    """A word of letters (str.isalpha: the ideographs of a label) is taken as text without asking for a digit in it:
    no code point is both, in this Python's Unicode tables."""
    assert [hex(c) for c in range(sys.maxunicode + 1) if chr(c).isalpha() and chr(c).isdecimal()] == []
