"""The plain-number fast path of a row's region finds exactly the number atoms the full tokeniser finds."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from giar_llm.reader.cells import ascii_digits, atoms, blank_notes, has_digit, plain_numbers
from giar_llm.reader.rows import ROWS_IN_REGION, RowRead, numbers, resolve
from giar_llm.reader.tables import _delimited_lines

CHARACTERS = "0123456789 \t|\n-—–－/／\\无年申请(（)）,.+①١:\x1c\x85\xa0\u3000\u2028、"
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


ROW_CHARACTERS = "0123456789 \t|\n无年"
rows = st.tuples(st.text(alphabet=ROW_CHARACTERS, max_size=48), st.integers(0, 48), st.integers(1, 8))


def _read_both(text: str, start: int, width: int) -> tuple[RowRead, RowRead] | None:
    """The fast path's row and the tokeniser's, when the fast path would take the region ``text[start:]``."""
    end = len(text)
    plain = plain_numbers(text, start, end)
    if plain is None or len(plain) != width or _delimited_lines(text, plain, width):
        return None
    return numbers(text, plain), resolve(atoms(text, start, end), width, (), has_total=False, fewer=True)


@settings(max_examples=3000, deadline=None)
@given(rows)
def test_the_fast_path_reads_a_row_as_the_tokeniser_does(row: tuple[str, int, int]) -> None:
    """A region of ``width`` plain numbers is read a number a cell without the tokeniser only when the tokeniser
    reads it so too: numbers on delimited lines, one of which may hold the row's cells by itself, are left to it."""
    text, start, width = row
    both = _read_both(text, min(start, len(text)), width)
    if both is None:
        return
    fast, full = both
    assert (fast.values, fast.spans, fast.unsure, fast.zero_marks) == (
        full.values,
        full.spans,
        full.unsure,
        full.zero_marks,
    )


def test_a_delimited_line_holding_a_whole_row_leaves_the_row_to_the_tokeniser() -> None:
    # A Word table pasted as text: a cell a line (the fast path), or a line that holds the row's 7 cells by itself
    # (blanks included) while the next line holds numbers too: they may be the next row's.
    one_a_line = "\t1\n\t2\n\t3\n\t4\n\t5\n\t6\n\t7\n\t\n"
    assert _read_both(one_a_line, 0, 7) is not None
    whole_line = "\t1\t2\t\t\t\t\t\n\t3\t4\t5\t6\t7\n"
    plain = plain_numbers(whole_line, 0, len(whole_line))
    assert plain is not None and len(plain) == 7 and _delimited_lines(whole_line, plain, 7)
    assert resolve(atoms(whole_line), 7, (), has_total=False).unsure == ROWS_IN_REGION.format(width=7)


@settings(max_examples=3000, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("0123456789abc-.,年一〇²٣０𝟘\u0660\u4e00\u9fff\u3400 ")), max_size=8)
    | st.text(max_size=6)
)
def test_the_digit_checks_are_the_string_methods(word: str) -> None:
    """The code-point loops give what the string methods and the pattern \\d give."""
    assert ascii_digits(word) == (word.isdigit() and word.isascii())
    assert has_digit(word) == bool(re.search(r"\d", word))
