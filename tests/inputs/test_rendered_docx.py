"""Every gold report as a Word file (real tables, a merged cell per row group) reads back exactly."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from giar_llm.core.paths import flatten, labels
from giar_llm.core.schema import COLUMNS, Report2019, Report2021
from giar_llm.files import load_gold
from giar_llm.inputs import load_bytes
from giar_llm.pipeline import extract_loaded
from giar_llm.settings import Settings

from ..conftest import GOLD
from ..reader.render import PROACTIVE_2019, PROACTIVE_2021, _text

GOLDS = sorted(GOLD.glob("*.json"))


def _table(document: docx.document.Document, rows: list[list[str]], width: int) -> docx.table.Table:
    table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    return table


def word_file(report: Report2019 | Report2021) -> bytes:
    cells = flatten(report)
    fmt = report.format
    document = docx.Document()
    for line in (
        report.meta.title or "",
        "一、总体情况",
        "本年度依法做好政府信息公开工作。",
        "二、主动公开政府信息情况",
    ):
        document.add_paragraph(line)
    rows: list[list[str]] = []
    for heading, header, names in PROACTIVE_2019 if fmt == "2019" else PROACTIVE_2021:
        rows += [[heading], list(header)]
        for name in names:
            values = [_text(cells[p]) for p in cells if p.startswith(f"proactive.{name}.")]
            rows.append([labels(f"proactive.{name}", fmt)[-1], *values])
    _table(document, rows, 4)
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    body: list[list[str]] = [
        ["申请人情况", "", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    ]
    spans: list[tuple[int, int]] = []
    paths = list(dict.fromkeys(p.rsplit(".", 1)[0] for p in cells if p.startswith("applications.")))
    current, first = "", 0
    for path in paths:
        chain = [c.replace("（合并为一行）", "") for c in labels(path, fmt)[1:]]
        group = chain[1] if len(chain) == 3 and chain[1] != chain[2] else ""
        if group != current:
            if current:
                spans.append((first, len(body) - 1))
            current, first = group, len(body)
        body.append(
            [group if group and len(body) == first else "", chain[-1], *(_text(cells[f"{path}.{c}"]) for c in COLUMNS)]
        )
    if current:
        spans.append((first, len(body) - 1))
    table = _table(document, body, 9)
    for top, bottom in spans:
        if bottom > top:
            table.cell(top, 0).merge(table.cell(bottom, 0))
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    review = [_text(cells[p]) for p in cells if p.startswith("review_litigation.")]
    _table(document, [["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3, review], 15)
    document.add_paragraph("五、存在的主要问题及改进情况")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_word_file_reads_back_exactly(gold_path: Path) -> None:
    gold = load_gold(gold_path).report
    envelope = extract_loaded(load_bytes(word_file(gold), f"{gold_path.stem}.docx"), Settings.from_env(backend="rules"))
    assert envelope.report is not None, envelope.error
    got, expected = flatten(envelope.report), flatten(gold)
    assert {p: got.get(p) for p in expected if got.get(p) != expected[p]} == {}
    assert not envelope.unsure
