"""A ruled PDF whose 表三 breaks over pages, the later page printing none of the table's header or first rows
(Word repeats no header row unless told to), rebuilt from every gold report: its zeros printed blank, so the text
layer alone can't say where a row's blanks stand and only the page's ruled grid can. A page is searched for
grids when it prints one of the phrases only the report's tables print, 表三's result groups among them, and
those phrases are looked for in the folded text, so a text layer in Kangxi radicals (⾏政复议) is searched too.
Every cell of 表三 and 表四 is read where it stands and trusted (but a （六）其他处理 left wholly blank)."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.core.paths import flatten
from giar_llm.files import load_gold

from ..conftest import GOLD
from ..fuzz.generate import KANGXI, Case, Glyphs, _pdf_file, blank_zeros, gold_tables
from ..fuzz.generate import _with_blanks as with_blanks
from ..fuzz.invariant import judged

GOLDS = sorted(GOLD.glob("*.json"))


def _case(gold_path: Path, radicals: bool) -> Case:
    gold = load_gold(gold_path).report
    _, truth, tables = gold_tables(gold)
    t3, t4 = tables[1], tables[2]
    blank_zeros(t3, truth)
    at = next(i for i, row in enumerate(t3.rows) if "applications.results.partially_granted" in str(row.paths))
    t3.breaks, t3.fragment_headers = [at], {at: "none"}
    t4.breaks = []  # 表四 on a page of its own, its header with it
    glyphs = Glyphs(None)
    if radicals:  # every character with a Kangxi radical look-alike printed as that radical
        glyphs.table = {ord(simple): radical for simple, radical in KANGXI.items() if len(simple) == 1}
    data = _pdf_file(gold, tables, "ruled", glyphs)
    report = with_blanks(gold, truth)
    return Case(gold_path.stem, "pdf", "ruled", ("fragments",), data, f"{gold_path.stem}.pdf", truth, report)


@pytest.mark.parametrize("radicals", [False, True], ids=["plain", "radicals"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_page_of_table_three_without_its_header_is_read_from_its_grid(gold_path: Path, radicals: bool) -> None:
    case = _case(gold_path, radicals)
    envelope = judged(case)
    got = flatten(envelope.report)
    cells = [p for p in case.truth if p.startswith(("applications.", "review_litigation."))]
    assert {p: got[p] for p in cells} == {p: case.truth[p] for p in cells}
    # A （六）其他处理 left wholly blank shows no number after its labels: one row or three stays open.
    other = [p for p in cells if p.startswith("applications.results.other.")]
    open_structure = other if all(case.truth[p] is None for p in other) else []
    assert [p for p in cells if p in envelope.unsure and p not in open_structure] == []
