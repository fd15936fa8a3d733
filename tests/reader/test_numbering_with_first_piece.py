"""Numbered labels of 表三 wrapped after their numbering and first character, their numbers after that first
piece (3.其 / the numbers / 他), rebuilt from every gold report through the real pipeline, the zeros of the
middle columns printed blank, with the labels of （六）'s first two sub-rows lost or not: 3.其他's key is then found nowhere, so its first piece stands in the
region of the row above (or of （六）其他处理 read as one row). A numbering glued to a label's text (3.其) is
printed with its label in the national form and is no count: never read as a cell, every cell is right or named
unsure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from giar_llm.files import load_gold
from giar_llm.reader.cells import atoms

from ..conftest import GOLD
from ..fuzz.generate import Case, gold_case, gold_tables
from ..fuzz.invariant import judged

GOLDS = sorted(GOLD.glob("*.json"))
NUMBERED = re.compile(r"(\d+[.、].)(.+)")


@pytest.mark.parametrize("word", ["3.其", "3、其", "12．属于"])
def test_a_numbering_glued_to_label_text_is_no_number(word: str) -> None:
    assert [a.text for a in atoms(f"0 1 {word} 0") if a.kind == "num"] == ["0", "1", "0"]
    assert [a.text for a in atoms(f"0\t1\t{word}\t0") if a.kind == "num"] == ["0", "1", "0"]


@pytest.mark.parametrize("text", ["12.5万元", "0000003.补正"])
def test_a_number_before_a_point_stays_a_number(text: str) -> None:
    assert atoms(text)[0].kind == "num"


def _case(gold_path: Path, layout: str, lost: bool) -> Case:
    gold = load_gold(gold_path).report
    _, truth, tables = gold_tables(gold)
    for row in tables[1].rows:
        if row.kind != "data":
            continue
        for index in range(1, 6):  # blank_legal: the middle columns' zeros printed blank
            if row.cells[index] == 0 and (path := row.paths[index]) is not None:
                row.cells[index] = truth[path] = None
        if lost and (row.paths[0] or "").rsplit(".", 1)[0].endswith((".other.no_correction", ".other.fee_unpaid")):
            row.label = ""
        elif numbered := NUMBERED.fullmatch(row.label):
            row.label, row.wrap_after = "\n".join(numbered.groups()), False
    return gold_case(gold, gold_path.stem, layout, tables, truth, ("blank_legal", "wrap_labels", "drop_labels"))


@pytest.mark.parametrize("lost", [False, True])
@pytest.mark.parametrize("layout", ["lines", "spaced", "tabs", "spaces", "flattened"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_numbering_glued_to_its_first_piece_is_never_a_cell(gold_path: Path, layout: str, lost: bool) -> None:
    judged(_case(gold_path, layout, lost))
