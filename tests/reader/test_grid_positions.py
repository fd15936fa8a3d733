"""Grids whose header does not name the national columns: rows placed by their labels in the national column
order, standing when the row's own sum holds (``core.arithmetic``), otherwise named unsure."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.core.checker import check
from giar_llm.core.levels import DOUBTFUL
from giar_llm.core.paths import Value, flatten
from giar_llm.files import load_gold
from giar_llm.inputs import load_bytes
from giar_llm.pipeline import extract_loaded
from giar_llm.settings import Settings

from ..fuzz.generate import GOLDS, Glyphs, _applications, _html_file, _markdown_file, _proactive, _review

SETTINGS = Settings(backend="rules")


def _printed(gold_path: Path, header: str, kind: str) -> tuple[bytes, str, dict[str, Value]]:
    gold = load_gold(gold_path).report
    cells = dict(flatten(gold))
    tables = [_proactive(gold, cells), _applications(gold, cells), _review(cells, "flat")]
    tables[1].fragment_headers[0] = header  # 表三 printed under a placeholder header or 表二's header
    if kind == "html":
        return _html_file(gold, tables, "nbsp", Glyphs(None)), "r.html", cells
    return _markdown_file(gold, tables, Glyphs(None)).encode("utf-8"), "r.md", cells


@pytest.mark.parametrize("header", ["placeholder", "other"])
@pytest.mark.parametrize("kind", ["html", "markdown"])
@pytest.mark.parametrize("gold_path", GOLDS[:4], ids=lambda p: p.stem)
def test_table_three_under_a_header_without_its_column_names_is_placed_by_labels(
    gold_path: Path, header: str, kind: str
) -> None:
    data, name, truth = _printed(gold_path, header, kind)
    envelope = extract_loaded(load_bytes(data, name), SETTINGS)
    assert envelope.report is not None
    got = flatten(envelope.report)
    table3 = [p for p in truth if p.startswith("applications.")]
    for path in table3:  # every cell right, or doubtful and named
        assert got.get(path) == truth[path] or (
            envelope.levels[path] in DOUBTFUL and any(path.startswith(u) for u in envelope.unsure)
        ), path
    # the rows whose own sum holds are placed, not left doubtful; a row whose sum fails in the source is unsure
    failing = {v.row for v in check(load_gold(gold_path).report).violations if v.check == "row_total"}
    doubtful = {p.rpartition(".")[0] for p in table3 if envelope.levels.get(p) in DOUBTFUL}
    assert doubtful <= failing
