"""A grid row's labels, left of whichever column its values start at, stand at the start of the row's label line
(``View.row_labels``), which the header readers search once for a table's row keys before matching any label."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.inputs import load_input
from giar_llm.reader.grids import _label, views
from giar_llm.reader.normalize import normalize

REPORTS = Path(__file__).parents[2] / "evals" / "reports"
GRIDDED = sorted(p for p in REPORTS.iterdir() if p.suffix in (".html", ".docx", ".pdf", ".md"))


@pytest.mark.parametrize("path", GRIDDED, ids=lambda p: p.name)
def test_every_label_of_a_row_is_a_prefix_of_its_label_line(path: Path) -> None:
    document = load_input(path).document
    grids = views(document.grids, normalize(document.text))
    assert grids
    for grid in grids:
        lines, every = grid.row_labels()
        assert every.split("\n") == lines
        for r in range(grid.rows):
            for first in range(grid.cols + 1):
                label, whole = _label(grid, r, first)
                assert lines[r].startswith(whole)
                assert label in whole
