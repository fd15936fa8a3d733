"""Each normalisation rule, and that offsets survive it (the normalised text has the source's length)."""

from __future__ import annotations

import importlib
import random
import re
import sys
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giar_llm.reader.normalize import _MARKER, _MARKUP, _blank_markup, _blank_page_markers, normalize

_PAGE_MARKER = re.compile(rf"(?m)^{_MARKER}$")  # every line that is a page marker, by one pattern: the oracle


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("⼀、总体情况", "一、总体情况"),  # Kangxi radicals (NFKC)
        ("⺠⻓⻔⻅", "民长门见"),  # CJK Radicals Supplement look-alikes NFKC leaves
        ("１２３，（一）", "123,(一)"),  # full-width digits and punctuation
        ("a\u00a0b\u3000c\u2002d", "a b c d"),  # non-breaking, ideographic and other odd spaces
        ("a\u200bb\ufeffc", "a b c"),  # invisible characters become spaces, never disappear
        ("x[image: ]y", "x         y"),  # stray markup blanked
        ("[bookmark: _GoBack]z", " " * 19 + "z"),
        ("1&nbsp;2", "1      2"),
        ("a\n- 3 -\nb", "a\n     \nb"),  # page markers
        ("a\n— 4 —\nb", "a\n     \nb"),
        ("a\n第 2 页 共 5 页\nb", "a\n           \nb"),
        ("a\r\nb", "a \nb"),
    ],
)
def test_rule(source: str, expected: str) -> None:
    assert normalize(source) == expected


def test_length_is_preserved_so_offsets_point_into_the_source() -> None:
    source = "⼀、本年新收 ９ ０\u00a0[image: x]\r\n- 3 -\n⻔"
    assert len(normalize(source)) == len(source)


def test_numbers_inside_text_are_not_page_markers() -> None:
    assert normalize("共 3 件 - 2 -") == "共 3 件 - 2 -"


def test_folding_whole_text_matches_folding_each_character() -> None:
    """The fold replaces each distinct character throughout: that equals a per-character fold only if folding
    is idempotent and every character that folds is one the fold looks at."""
    module = importlib.import_module("giar_llm.reader.normalize")  # the package's ``normalize`` is the function
    table = module._Fold()
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        out = table[code]
        if out != chr(code):
            assert chr(code) in module._FREQUENT or module._RARE_FOLD.match(chr(code)), hex(code)
            assert table[ord(out)] == out, hex(code)
        elif not module._RARE_FOLD.match(chr(code)):  # not looked at: a character that folds to itself
            assert chr(code) in module._UNCHANGED or code < 0x80 or 0x4E00 <= code <= 0x9FFF, hex(code)
    sample = "".join(chr(c) for c in range(0x2E80, 0x3100)) + "１２\r\n\r ⻔⺠（），：；０９－、。“”—"
    assert module.fold(sample) == sample.replace("\r\n", " \n").translate(table)


def test_the_compiled_scan_leaves_out_only_characters_that_fold_to_themselves() -> None:
    """may_fold (the compiled fold's search) finds what _RARE_FOLD matches but for some characters that fold to
    themselves (its skipped ranges): over every code point."""
    module = importlib.import_module("giar_llm.reader.normalize")
    every = "".join(chr(code) for code in range(sys.maxunicode + 1))
    found = module.may_fold(every)
    matched = set(module._RARE_FOLD.findall(every))
    table = module._Fold()
    assert found - set(module._FREQUENT) <= matched  # (those are replaced before)
    assert [hex(ord(ch)) for ch in sorted(matched - found) if table[ord(ch)] != ch] == []
    assert len(matched - found) > 10000  # skipped: CJK punctuation, Extension A, Yi, box drawing, ...


# the edges of may_fold's skipped ranges, characters that fold or not, line ends
_FOLD_CHARACTERS = "\r\n\x7f\x80\xa0\u2011\u2012\u2023\u2024\u24ea\u24eb\u2c7b\u2c7c\u2f00⼀⺠⻔"
_FOLD_CHARACTERS += "\u3000\u3001\u3035\u3036\u32ff\u3300\ua69b\ua69c１２（），：；－！％ａ、。“”—《》数据ax 0"
_FOLD_CHARACTERS += "\ufeff\u200b\U0001d400\U0002f800\ud800"


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(_FOLD_CHARACTERS), st.characters()), max_size=40))
def test_fold_compiled_or_not_folds_each_character(text: str) -> None:
    """The fold finds the characters to replace by may_fold when compiled, by _RARE_FOLD when not: either way each
    character comes out as the per-character table folds it."""
    module = importlib.import_module("giar_llm.reader.normalize")
    expected = text.replace("\r\n", " \n").translate(module._Fold())
    compiled = module._COMPILED
    try:
        for path in (True, False):
            module._COMPILED = path
            assert module.fold(text) == expected
    finally:
        module._COMPILED = compiled


_MARKER_PIECES = [
    "- 3 -",
    "—12—",
    "－7－",
    "--4--",
    "第 3 页",
    "第3页，共5页",
    "第 12 页 / 共 30 页",
    "页",
    "第",
    " ",
    "\t",
]
_MARKER_PIECES += ["|", "\n", "\n", "x", "-", "—", "1234", "5", "共", ","]
_MARKUP_PIECES = ["[image: x]", "[IMAGE:]", "[bookmark: a", "]", "[", "[imagex]", "[footnote 1]", "[comment", "&nbsp;"]
_MARKUP_PIECES += ["&NBSP;", "&#160;", "&ensp;", "&emsp;", "</o:p>", "<o:p>", "<O:P>", "&", "<", "数据", "x", "\n", " "]


@pytest.mark.parametrize(
    ("blank", "pattern", "pieces"),
    [
        (_blank_page_markers, _PAGE_MARKER, _MARKER_PIECES),  # only lines with a dash or 页 are tried
        (_blank_markup, _MARKUP, _MARKUP_PIECES),  # markup only where [, & or < stands
    ],
    ids=["page markers", "markup"],
)
def test_blanked_where_they_may_stand_as_the_whole_text_pattern_blanks_them(
    blank: Callable[[str], str], pattern: re.Pattern[str], pieces: list[str]
) -> None:
    """Each blanking tries only where its pieces may start: the same text comes out as the pattern's sub over the
    whole text makes it."""
    choose = random.Random(16)
    blanked = 0
    for _ in range(20000):
        text = "".join(choose.choice(pieces) for _ in range(choose.randint(0, 12)))
        expected = pattern.sub(lambda m: " " * len(m.group()), text)
        assert blank(text) == expected, text
        blanked += expected != text
    assert blanked > 1000
