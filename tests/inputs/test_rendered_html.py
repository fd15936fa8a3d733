"""Every gold report printed as a Word-style HTML page (group labels in rowspan cells, labels split across
spans, blank cells as &nbsp;, a GBK charset) reads back exactly through the input layer and the reader."""

from __future__ import annotations

import html
from pathlib import Path

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


def _cell(value: object, rowspan: int = 1, colspan: int = 1) -> str:
    text = _text(value) if not isinstance(value, str) else value  # type: ignore[arg-type]
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    if not text:
        return f"<td{attrs}><p>&nbsp;<o:p></o:p></p></td>"
    half = len(text) // 2  # Word splits runs of one label across spans
    return f"<td{attrs}><p><span>{html.escape(text[:half])}</span><span>{html.escape(text[half:])}</span></p></td>"


def word_page(report: Report2019 | Report2021) -> str:
    cells = flatten(report)
    fmt = report.format
    out = [f"<h1>{report.meta.title}</h1>", "<p>一、总体情况</p><p>本年度依法做好政府信息公开工作。</p>"]
    out.append("<p>二、主动公开政府信息情况</p><table>")
    for heading, header, rows in PROACTIVE_2019 if fmt == "2019" else PROACTIVE_2021:
        out.append(f"<tr>{_cell(heading, colspan=len(header))}</tr>")
        out.append("<tr>" + "".join(_cell(h) for h in header) + "</tr>")
        for name in rows:
            label = labels(f"proactive.{name}", fmt)[-1]
            values = [cells[p] for p in cells if p.startswith(f"proactive.{name}.")]
            out.append("<tr>" + _cell(label) + "".join(_cell(v) for v in values) + "</tr>")
    out.append("</table><p>三、收到和处理政府信息公开申请情况</p><table>")
    out.append(
        "<tr>"
        + _cell("申请人情况", colspan=3)
        + "".join(_cell(c) for c in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"))
        + "</tr>"
    )
    rows = list(dict.fromkeys(p.rsplit(".", 1)[0] for p in cells if p.startswith("applications.")))
    groups: dict[str, int] = {}
    for path in rows:
        chain = labels(path, fmt)[1:]
        if len(chain) == 3 and "合并" not in chain[-1]:
            groups[chain[1]] = groups.get(chain[1], 0) + 1
    seen: set[str] = set()
    for path in rows:
        chain = [c.replace("（合并为一行）", "") for c in labels(path, fmt)[1:]]
        values = "".join(_cell(cells[f"{path}.{c}"]) for c in COLUMNS)
        if len(chain) == 3 and chain[1] != chain[2]:
            group = "" if chain[1] in seen else _cell(chain[1], rowspan=groups[chain[1]])
            seen.add(chain[1])
            out.append(f"<tr>{group}{_cell(chain[2])}{values}</tr>")
        else:
            out.append(f"<tr>{_cell(chain[-1], colspan=2)}{values}</tr>")
    out.append("</table><p>四、政府信息公开行政复议、行政诉讼情况</p><table>")
    out.append("<tr>" + _cell("行政复议", colspan=5) + _cell("行政诉讼", colspan=10) + "</tr>")
    out.append(
        "<tr>" + "".join(_cell(c) for c in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3) + "</tr>"
    )
    out.append("<tr>" + "".join(_cell(cells[p]) for p in cells if p.startswith("review_litigation.")) + "</tr>")
    out.append("</table><p>五、存在的主要问题及改进情况</p><p>无。</p>")
    head = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"></head><body><div>'
    return head + "\n".join(out) + "</div></body></html>"


@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_word_html_page_reads_back_exactly(gold_path: Path) -> None:
    gold = load_gold(gold_path).report
    loaded = load_bytes(word_page(gold).encode("gb18030"), f"{gold_path.stem}.html")
    assert loaded.source.encoding == "gb18030" and loaded.source.kind == "html"
    envelope = extract_loaded(loaded, Settings.from_env(backend="rules"))
    assert envelope.report is not None, envelope.error
    got, expected = flatten(envelope.report), flatten(gold)
    assert {p: got.get(p) for p in expected if got.get(p) != expected[p]} == {}
    assert not envelope.unsure
