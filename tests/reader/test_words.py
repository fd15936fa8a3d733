"""A region's space-separated words, found by ``str.split``, are the words the pattern ``\\S+`` finds, on their lines."""

from __future__ import annotations

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from giar_llm.reader.cells import atoms

CHARACTERS = "0123456789 \n\u3000\x1c\x85-—/无年申请,.+①١第x"
_WORD = re.compile(r"\S+")


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=CHARACTERS, max_size=40))
def test_each_atom_stands_in_a_word_on_its_line(region: str) -> None:
    assume("---" not in region)  # (a line of dashes may be a table's rule line: no words read there)
    found = atoms(region)
    words = [(m.start(), m.end(), region.count("\n", 0, m.start())) for m in _WORD.finditer(region)]
    lines = {line for _, _, line in words}
    for atom in found:  # every atom inside one word, with that word's line (a region's first line is 0)
        word = [w for w in words if w[0] <= atom.start and atom.end <= w[1]]
        assert len(word) == 1, (atom, words)
        assert atom.line == word[0][2] if atom.line in lines else False, (atom, words)
    covered = {w for w in words for atom in found if w[0] <= atom.start and atom.end <= w[1]}
    assert covered == set(words)  # and every word read
