"""Markdown converted from PDF: one table split into fragments at page breaks (page markers between them),
each fragment under a placeholder header row (| 数据1 | 数据2 | …), applicant columns holding ``-``
placeholders. The fragments are merged back into one grid, the placeholders left out, and every gold
report reads back exactly or names its unsure cells."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from giar_llm.core.levels import covering
from giar_llm.core.paths import flatten
from giar_llm.files import load_gold
from giar_llm.inputs import load_bytes
from giar_llm.pipeline import extract_loaded
from giar_llm.settings import Settings

from ..conftest import GOLD
from ..reader.render import render

GOLDS = sorted(GOLD.glob("*.json"))
HEADER = "| 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |"


def fragmented(text: str, seed: int, dash_zero: bool) -> str:
    """The 表三 rows of a markdown rendering cut into fragments at random rows, with page markers and
    placeholder headers between them."""
    rng = random.Random(seed)
    out: list[str] = []
    page = 3
    in_table3 = False
    for line in text.split("\n"):
        if line == HEADER:
            in_table3 = True
            out += [line, "|---|---|---|---|---|---|---|---|"]
            continue
        if in_table3 and line.startswith("| ") and rng.random() < 0.3:
            out += ["", f"- {page} -", "", "| 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 数据7 | 数据8 |"]
            out.append("|---|---|---|---|---|---|---|---|")
            page += 1
        if in_table3 and dash_zero and line.startswith("| "):
            cells = line.split(" | ")
            line = " | ".join(c if i < 2 or c != "0" else "-" for i, c in enumerate(cells))
        if line.startswith("四、"):
            in_table3 = False
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_fragmented_markdown_reads_exactly(gold_path: Path, seed: int) -> None:
    gold = load_gold(gold_path).report
    text = fragmented(render(gold, "markdown"), seed, dash_zero=seed == 2)
    loaded = load_bytes(text.encode("utf-8"), f"{gold_path.stem}.md")
    assert any(g.fragments > 1 for g in loaded.document.grids)
    assert not any("数据1" in c.text for g in loaded.document.grids for c in g.cells)
    envelope = extract_loaded(loaded, Settings.from_env(backend="rules"))
    assert envelope.report is not None
    got, expected = flatten(envelope.report), flatten(gold)
    silent = {
        p: (got.get(p), v)
        for p, v in expected.items()
        if not p.startswith("meta.") and got.get(p) != v and covering(p, envelope.unsure) is None
    }
    assert silent == {}
    table3 = {p: v for p, v in expected.items() if p.startswith("applications.") and got.get(p) != v}
    assert table3 == {}
