"""The cheaper ways of locating a row's label give what the plain definitions give: walked back from a key instead
of a regex over the reversed line (heading_start), spaces dropped without a regex, and split_label_start's early
exits, checked against the definitions over random texts made of the format's label pieces and numbers."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from giar_llm.core.locator import heading_start, pattern
from giar_llm.reader import tables
from giar_llm.reader.layout import (
    OTHER_MERGED,
    OTHER_SPLIT,
    PROACTIVE_2019,
    PROACTIVE_2021,
    TABLE3_HEAD,
    TABLE3_TAIL,
    RowSpec,
)
from giar_llm.reader.tables import (
    _CELLS_ONLY,
    _NUMBERING_THEN_NUMBERS,
    _NUMBERING_THEN_TEXT,
    REVIEW_CASES,
    REVIEW_RESULTS,
    SPLIT_LABEL_LINES,
    Located,
    _glued_numbering,
    _in_header,
    _in_text_order,
    _is_layout_space,
    _last_text,
    _numbering_apart,
    _numbering_piece,
    _numbering_word,
    _printed_at_least,
    _row_key,
    _word_span,
    label_start,
    stop_before,
    without_layout_space,
    wrapped_label_start,
)

SPECS: tuple[RowSpec, ...] = (
    *TABLE3_HEAD,
    *OTHER_SPLIT,
    OTHER_MERGED,
    *TABLE3_TAIL,
    *PROACTIVE_2019,
    *PROACTIVE_2021,
)
_LAYOUT_SPACE = re.compile(r"[\s|]")

# --- heading_start walked back ---------------------------------------------------------------------------------

STOP_CHARACTERS = "0123456789 \t|/-—－–\n²①١０〇一二、.(（)）申请总计章\u3000\u2028"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=STOP_CHARACTERS, max_size=60), st.integers(0, 60))
def test_the_walk_back_stops_where_heading_start_does(text: str, at: int) -> None:
    at = min(at, len(text))
    assert stop_before(text, at) == heading_start(text, at)


def test_a_line_longer_than_the_walk_is_left_to_heading_start() -> None:
    for line in ("申请" * 20, "7" + "申" * 40, "\n" + "申" * 40, "申" * 40 + "\n" + "请" * 5):
        for at in range(len(line) + 1):
            assert stop_before(line, at) == heading_start(line, at)


def test_no_digit_among_the_cjk_characters_the_walk_does_not_ask() -> None:
    assert [hex(c) for c in range(tables._CJK_FIRST, tables._CJK_END) if chr(c).isdigit()] == []


# --- layout space dropped without a regex ------------------------------------------------------------------------


def test_layout_space_is_what_str_split_splits_at_and_pipes() -> None:
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    assert without_layout_space(every) == _LAYOUT_SPACE.sub("", every)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x85\xa0\u3000\u2028|申0a", max_size=20))
def test_without_layout_space_is_the_substitution(part: str) -> None:
    assert without_layout_space(part) == _LAYOUT_SPACE.sub("", part)


# --- split_label_start: the plain definition ----------------------------------------------------------------------


def _split_label_start(text: str, start: int, key_start: int, prefix: str, keys: tuple[str, ...] = ()) -> int:
    """split_label_start as defined before its early exits: every value computed up front, then the lines above."""
    line_start = text.rfind("\n", 0, start) + 1
    rest = _LAYOUT_SPACE.sub("", text[start:key_start])
    if line_start == 0 or text[line_start:start].strip(" \t|") or (prefix and rest.startswith(prefix)):
        return start
    key = pattern(keys).match(text, key_start) if keys else None
    if not prefix and key is None:
        return start
    through_key = _LAYOUT_SPACE.sub("", text[start : key.end()]) if key is not None else rest
    digits = prefix.rstrip(".、")
    end = line_start - 1
    for step in range(SPLIT_LABEL_LINES):
        previous = text.rfind("\n", 0, end) + 1
        if digits.isdigit() and step == 0 and rest[:1] in (".", "、"):
            match = _NUMBERING_THEN_NUMBERS.fullmatch(text[previous:end])
            if match is not None and match.group(1) == digits:
                return previous + match.start(1)
        if previous != end and not _CELLS_ONLY.fullmatch(text, previous, end):
            line = text[previous:end]
            if digits.isdigit():
                match = _NUMBERING_THEN_TEXT.match(line)
                found = match is not None and match.group(1) == digits
                return previous + match.start(1) if match is not None and found else start
            last = _last_text(line)
            if last is None:
                return start
            run_start, first_part = last
            if prefix and (first_part + rest).startswith(prefix):
                return previous + run_start
            if prefix and (glued := _glued_numbering(run_start, first_part, prefix, rest)) is not None:
                return previous + glued
            spanning = pattern(keys).search(first_part + through_key) if keys else None
            if spanning is not None and spanning.start() < len(first_part) < spanning.end():
                return previous + run_start
            if not (prefix and _numbering_piece(line[:run_start], first_part, prefix, rest)):
                return start
            rest = first_part + rest
        if previous == 0:
            return start
        end = previous - 1
    return start


def _label_start(text: str, key_start: int, prefix: str, keys: tuple[str, ...] = ()) -> int:
    """label_start as defined before: heading_start, the numbering's dot sliced out, the plain split_label_start."""
    pos = heading_start(text, key_start)
    digits = prefix.rstrip(".、")
    if not digits.isdigit():
        return _split_label_start(text, pos, key_start, prefix, keys) if keys else pos
    dotted = text[pos:key_start].lstrip(" ")[:1] in (".", "、")
    if dotted and text[pos - len(digits) : pos] == digits:
        return pos - len(digits)
    wrapped = wrapped_label_start(text, pos, prefix)
    if wrapped != pos or not keys:
        return wrapped
    return _split_label_start(text, pos, key_start, prefix, keys)


def _pieces() -> list[str]:
    """Every key and numbering of the specs, whole and cut in two, with numbers and layout between them."""
    out: set[str] = {"0", "12", "3 0", "1", "2.", "3、", "-", "—", "其他", "申请", "事项", "第二十条", "．"}
    for spec in SPECS:
        for word in (*spec.keys, spec.prefix):
            out.add(word)
            out.update(word[:cut] for cut in range(1, len(word)))
            out.update(word[cut:] for cut in range(1, len(word)))
    out.discard("")
    return sorted(out)


PIECES = _pieces()
LAYOUT = [" ", "\t", "|", "\n", "\n", "\n\n", " 0 0 0\n", "\u3000", " | "]
texts = st.lists(st.sampled_from(PIECES) | st.sampled_from(LAYOUT), max_size=24).map("".join)


NUMBERS = ["", " 0", " 0 0 0", "\t1\t2", " 12 3", "|0|0|", " -", " 1.5"]
LEADS = ["", " ", "\t", "|", " | ", "\u3000", "3", "0 "]


@st.composite
def labels(draw: st.DrawFn) -> tuple[str, RowSpec]:
    """A row's label as tables print it, whole or split around its numbers: lines above (numbers, or text ending
    with a piece of the numbering or of a key), then the label's line (its layout, its numbering's digits or dot,
    its key's rest, numbers). Its spec is returned with it."""
    spec = draw(st.sampled_from(SPECS))
    label = draw(st.sampled_from([spec.prefix + key for key in spec.keys]))
    ends = [len(label) - len(key) for key in spec.keys if label.endswith(key)]  # 其他 / 对外管理服务: a key's rest
    cut = draw(st.sampled_from([0, len(spec.prefix), *ends, *ends, *range(len(label))]))
    digits = spec.prefix.rstrip(".、")
    dot = draw(st.sampled_from([".", "、", " .", "．", " 、"]))
    lines = []
    for _ in range(draw(st.integers(0, 3))):
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(NUMBERS)))
            continue
        head = draw(st.sampled_from(["", "", "申请", "0 0 ", "规章 0 0 0 ", "其他"]))
        piece = (
            draw(st.sampled_from([label[:cut], label[:cut] + dot, digits, digits + dot]))
            if draw(st.booleans())
            else draw(st.sampled_from(PIECES))
        )
        lines.append(head + piece + draw(st.sampled_from(NUMBERS)))
    numbering = draw(st.sampled_from(["", "", dot, digits, digits + dot, digits + " " + dot]))
    own = draw(st.sampled_from(LEADS)) + numbering + label[cut:]
    return "\n".join([*lines, own + draw(st.sampled_from(NUMBERS))]) + "\n", spec


@settings(max_examples=4000, deadline=None)
@given(labels(), st.integers(0, 30))
def test_a_label_as_tables_print_it_starts_where_the_plain_definition_says(
    label: tuple[str, RowSpec], pick: int
) -> None:
    text, spec = label
    _assert_label_start_at_a_key(text, spec, pick)


@settings(max_examples=2000, deadline=None)
@given(texts, st.sampled_from(SPECS), st.integers(0, 30))
def test_label_start_is_the_plain_definition(text: str, spec: RowSpec, pick: int) -> None:
    """Where each match of a row's key in a random text makes its label start, by the code and by the plain
    definition (both from every match: a label found anywhere, as locate finds them)."""
    _assert_label_start_at_a_key(text, spec, pick)


def _assert_label_start_at_a_key(text: str, spec: RowSpec, pick: int) -> None:
    """The label of the ``pick``-th match of the row's key (if the text holds one) starts where the plain definition
    says."""
    matches = list(spec.key_pattern.finditer(text))
    if not matches:
        return
    key_start = matches[pick % len(matches)].start()
    assert label_start(text, key_start, spec.prefix, spec.keys) == _label_start(text, key_start, spec.prefix, spec.keys)


@settings(max_examples=1500, deadline=None)
@given(texts, st.sampled_from(SPECS), st.integers(0, 30), st.integers(0, 8))
def test_split_label_start_is_the_plain_definition_from_any_start(
    text: str, spec: RowSpec, pick: int, back: int
) -> None:
    """From any start on the key's line before it (not only where heading_start stops)."""
    matches = list(spec.key_pattern.finditer(text))
    if not matches:
        return
    key_start = matches[pick % len(matches)].start()
    start = max(text.rfind("\n", 0, key_start) + 1, key_start - back)
    for keys in (spec.keys, ()):
        assert tables.split_label_start(text, start, key_start, spec.prefix, keys) == _split_label_start(
            text, start, key_start, spec.prefix, keys
        )


def test_a_key_begun_above_a_label_without_numbering_moves_its_start_up() -> None:
    """The early exit for labels without numbering keeps the one way up they have (a key phrase split around the
    numbers): 其他 / 0 0 0 / 对外管理服务."""
    spec = PROACTIVE_2019[3]
    text = "规章 0 0 0\n其他\n0 0 0\n对外管理服务\n"
    key_start = text.index("对外")
    assert label_start(text, key_start, spec.prefix, spec.keys) == text.index("其他")
    assert _label_start(text, key_start, spec.prefix, spec.keys) == text.index("其他")


# --- the passes after the rows are read ----------------------------------------------------------------------------


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=8))
def test_labels_in_text_order_are_the_stable_sort(starts: list[int]) -> None:
    found = [Located(SPECS[0], _EMPTY.match(""), start) for start in starts]
    assert [id(loc) for loc in _in_text_order(found)] == [id(loc) for loc in sorted(found, key=lambda loc: loc.start)]


_EMPTY = re.compile("")
NUMBERING_CHARACTERS = "0123 \t.．、\n申|"


@settings(max_examples=3000, deadline=None)
@given(
    st.text(alphabet=NUMBERING_CHARACTERS, max_size=24),
    st.sampled_from([spec for spec in SPECS if spec.prefix[:1].isdigit()]),
    st.integers(0, 24),
    st.integers(0, 24),
)
def test_a_numbering_apart_is_found_as_the_regex_finds_it(text: str, spec: RowSpec, a: int, b: int) -> None:
    """The numbering's punctuation looked for first: without one between the rows, no numbering word."""
    above = Located(spec, _EMPTY.match(text, min(a, len(text))))
    loc = Located(spec, _EMPTY.match(text, min(b, len(text))), min(b, len(text)))
    digits = spec.prefix.rstrip(".、")
    assert above.key is not None
    plain = _numbering_word(digits).search(text, above.key.end(), loc.start) is not None
    assert _numbering_apart(text, above, loc) == plain


# --- a row's key, 表四's words --------------------------------------------------------------------------------------


def _plain_row_key(text: str, spec: RowSpec, start: int, end: int) -> re.Match[str] | None:
    """_row_key as defined: the regex from ``start``, a column header's 总计 passed over."""
    match = spec.key_pattern.search(text, start, end)
    while match is not None and _in_header(text, match):
        match = spec.key_pattern.search(text, match.end(), end)
    return match


@settings(max_examples=3000, deadline=None)
@given(texts, st.sampled_from(SPECS), st.integers(0, 60), st.integers(0, 80))
def test_a_row_key_is_the_regex_match_from_the_first_place_one_may_start(
    text: str, spec: RowSpec, start: int, length: int
) -> None:
    start = min(start, len(text))
    end = min(start + length, len(text))
    fast, plain = _row_key(text, spec, start, end), _plain_row_key(text, spec, start, end)
    assert (fast.span() if fast else None) == (plain.span() if plain else None)


def test_every_layout_space_and_no_other_character_is_layout_space() -> None:
    wrong = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if _is_layout_space(chr(code), 0) != bool(_LAYOUT_SPACE.fullmatch(chr(code)))
    ]
    assert wrong == []


REVIEW_WORDS = [key[0] for key in (*REVIEW_RESULTS, *REVIEW_CASES)]
WORD_PIECES = sorted(
    {piece for word in REVIEW_WORDS for cut in range(1, len(word)) for piece in (word[:cut], word[cut:])}
)
WORD_CHARACTERS = sorted({ch for word in REVIEW_WORDS for ch in word} | set(" \t\n|\u30000"))


@st.composite
def gapped(draw: st.DrawFn, word: str) -> str:
    """The word with layout space drawn between its characters (none, mostly)."""
    gaps = ["", "", "", " ", "|", "\n", "\u3000", " \t"]
    return word[0] + "".join(draw(st.sampled_from(gaps)) + char for char in word[1:])


gapped_words = st.sampled_from(REVIEW_WORDS).flatmap(gapped)


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(gapped_words | st.sampled_from([*WORD_PIECES, *WORD_CHARACTERS]), max_size=12).map("".join),
    st.sampled_from(REVIEW_WORDS),
    st.integers(0, 30),
    st.integers(0, 30),
)
def test_a_word_is_found_where_the_regex_finds_it(text: str, word: str, start: int, length: int) -> None:
    start = min(start, len(text))
    end = min(start + length, len(text))
    match = pattern((word,)).search(text, start, end)
    assert _word_span(text, word, start, end) == (match.span() if match else None)


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(st.sampled_from([*REVIEW_WORDS, *(w[:2] for w in REVIEW_WORDS), " ", "|", "\n", "0 0"]), max_size=20),
    st.sampled_from(REVIEW_WORDS),
    st.integers(1, 4),
)
def test_a_word_printed_whole_that_often_is_found_that_often(pieces: list[str], word: str, times: int) -> None:
    header = "".join(pieces)
    assert _printed_at_least(header, word, times) == (len(pattern((word,)).findall(header)) >= times)
