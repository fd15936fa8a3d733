"""Cells read from a PDF's drawn tables keep their page and box: in the envelope's ``locations`` and in the
analyst tables' ``page`` column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pdfplumber

from giar_llm.core.paths import flatten
from giar_llm.datapackage import PackageWriter
from giar_llm.inputs import load_input
from giar_llm.pipeline import extract_loaded
from giar_llm.settings import Settings

from .conftest import REPORTS

PDF = REPORTS / "hongze-2024.pdf"
RULES = Settings.from_env(backend="rules")


def test_every_table3_cell_of_a_pdf_has_the_page_and_box_it_was_read_from() -> None:
    envelope = extract_loaded(load_input(PDF), RULES)
    assert envelope.report is not None
    values = flatten(envelope.report)
    table3 = [p for p, v in values.items() if p.startswith("applications.") and v is not None]
    assert table3 and all(p in envelope.locations for p in table3)
    pages = {envelope.locations[p].page for p in table3}
    assert pages == {3, 4}  # 表三 continues across a page break: each cell keeps its own page
    with pdfplumber.open(PDF) as pdf:
        for path in table3:
            where = envelope.locations[path]
            page = pdf.pages[where.page - 1]
            x0, top, x1, bottom = where.box
            assert 0 <= x0 < x1 <= page.width and 0 <= top < bottom <= page.height
            inside = page.within_bbox(where.box).extract_text().split()
            assert inside == [str(values[path])], path  # the box holds the cell's number and nothing else


def test_a_text_source_has_no_locations() -> None:
    envelope = extract_loaded(load_input(REPORTS / "000_27f8f84a704e59bd.txt"), RULES)
    assert envelope.status == "verified" and envelope.locations == {}


def test_the_cells_table_carries_the_page_of_each_pdf_cell(tmp_path: Path) -> None:
    folder = tmp_path / "package"
    with PackageWriter(folder) as writer:
        writer.add(extract_loaded(load_input(PDF), RULES).to_json())
    for cells in (
        pd.read_parquet(folder / "cells.parquet"),
        pd.read_csv(folder / "cells.csv", encoding="utf-8-sig"),
    ):
        table3 = cells[(cells["table"] == "三") & cells["value"].notna()]
        assert len(table3) > 100 and table3["page"].notna().all()
        assert set(table3["page"].astype(int)) == {3, 4}
