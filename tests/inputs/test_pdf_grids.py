"""The ruled tables of a real PDF report as grids: merged cells spanned, a table continued across a page
break merged back, and every cell of 表二, 表三 and 表四 read from the grid by its header and label."""

from __future__ import annotations

from giar_llm.core.headers import APPLICANT_HEADERS, PROACTIVE_HEADERS
from giar_llm.core.paths import flatten
from giar_llm.files import load_gold
from giar_llm.inputs import load_input
from giar_llm.reader.grids import read_review, read_rows_by_header, views
from giar_llm.reader.layout import OTHER_MERGED, PROACTIVE_2021, TABLE3_HEAD, TABLE3_TAIL
from giar_llm.reader.normalize import normalize

from ..conftest import GOLD, REPORTS


def test_hongze_pdf_tables_read_from_their_grids() -> None:
    document = load_input(REPORTS / "hongze-2024.pdf").document
    gold = flatten(load_gold(GOLD / "hongze-2024.json").report)
    table3 = [g for g in document.grids if any("申请人情况" in c.text for c in g.cells)]
    assert len(table3) == 1 and table3[0].fragments == 2 and table3[0].page == 3  # pages 3 and 4, merged back
    assert all(c.box is not None for c in table3[0].cells)
    grids = views(document.grids, normalize(document.text))
    rows = read_rows_by_header(grids, (*TABLE3_HEAD, OTHER_MERGED, *TABLE3_TAIL), APPLICANT_HEADERS)
    rows |= read_rows_by_header(grids, PROACTIVE_2021, PROACTIVE_HEADERS)
    specs = {s.path: s for s in (*TABLE3_HEAD, OTHER_MERGED, *TABLE3_TAIL, *PROACTIVE_2021)}
    assert set(rows) == set(specs)
    got = {f"{path}.{f}": row.values[i] for path, row in rows.items() for i, f in enumerate(specs[path].fields)}
    assert {p: (v, gold[p]) for p, v in got.items() if v != gold[p]} == {}
    assert all(row.unsure is None for row in rows.values())
    review = read_review(grids)
    assert review is not None and review.unsure is None
    assert review.values == [v for p, v in gold.items() if p.startswith("review_litigation.")]
