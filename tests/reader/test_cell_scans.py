"""The cell scans that find their first candidate character with str.find give what their regexes give alone."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from giar_llm.reader import cells
from giar_llm.reader.cells import blank_notes, inline_page_marker

NOTES = "(（)）含个12 \n无-"
MARKERS = "-—–－ \t|\n0123456789第页a"


def _sub(region: str) -> str:
    """The definition: every note the pattern finds, blanked by ``re.sub``."""
    if "(" not in region:
        return region
    return cells._CJK_PARENS.sub(lambda m: " " * (m.end() - m.start()), region)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=NOTES, max_size=60))
def test_blank_notes_blanks_what_the_pattern_finds(region: str) -> None:
    assert blank_notes(region) == _sub(region)


def test_blank_notes_examples() -> None:
    assert blank_notes("3 (含12个) 4") == "3 " + " " * 6 + " 4"
    assert blank_notes("3 （含12个）(12) 4") == "3 " + " " * 6 + "(12) 4"  # a full-width note, once a ( stands
    assert blank_notes("3 （含12个） 4") == "3 （含12个） 4"  # (normalised text holds no full-width bracket)


def _searched(text: str, start: int, end: int) -> str | None:
    """The definition: the marker pattern searched from the region's start, without looking for a dash first."""
    stop = min(len(text), end + cells._MARKER_TAIL)
    match = cells._INLINE_MARKER.search(text, start, stop)
    while match is not None:
        if match.start(1) >= end:
            break
        before = text[match.start() - 1] if match.start() > 0 else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if not (before.isspace() or before == "|") or not (after.isspace() or after == "|"):
            return match.group()
        match = cells._INLINE_MARKER.search(text, match.end(), stop)
    return None


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=MARKERS, max_size=50), st.integers(0, 50), st.integers(0, 50))
def test_the_inline_page_marker_is_the_patterns_first_match(text: str, a: int, b: int) -> None:
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    assert inline_page_marker(text, start, end) == _searched(text, start, end)


def test_the_dashes_looked_for_are_the_markers_first_class() -> None:
    assert cells._INLINE_MARKER.pattern.startswith(f"[{''.join(cells._DASHES)}]")
    assert re.fullmatch(r"\[[^\]]+\]", cells._CJK_PARENS.pattern[: cells._CJK_PARENS.pattern.index("]") + 1])
    assert cells._CJK_PARENS.pattern.startswith(f"[{''.join(cells._OPENING_PARENS)}]")
    assert inline_page_marker("12 3 - 4 -5 6", 0, 13) == "- 4 -"
