"""Gold reports printed as Word/CMS HTML pages in the layouts that shift values when read as text.

- blank cells written as ``&nbsp;``, ``<p>&nbsp;</p>``, ``<o:p></o:p>`` or an empty ``<td>``;
- the 总计 column blank for the sub-rows of 办理结果 (only （七）总计 carries a total);
- the legal-person columns blank instead of 0;
- 表四 in the national layout, transposed (groups as rows), by result (results as rows), or as two
  stacked header bands (行政复议, then 行政诉讼).

``expected`` is the gold report with the same cells blanked: a blank cell reads as null in its own column.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from giar_llm.core.paths import flatten, labels
from giar_llm.core.schema import APPLICANT_COLUMNS, COLUMNS, Report2019, Report2021

from ..reader.render import PROACTIVE_2019, PROACTIVE_2021, _text

BLANKS = {
    "nbsp": "<td{a}>&nbsp;</td>",
    "p": "<td{a}><p>&nbsp;</p></td>",
    "op": "<td{a}><p><o:p></o:p></p></td>",
    "empty": "<td{a}></td>",
}
GROUPS = ("review", "litigation_direct", "litigation_after_review")
GROUP_LABELS = {"review": "行政复议", "litigation_direct": "未经复议直接起诉", "litigation_after_review": "复议后起诉"}
OUTCOMES = ("upheld", "corrected", "other_outcome", "pending", "total")
OUTCOME_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


@dataclass(frozen=True)
class Page:
    blank: str = "nbsp"
    subrow_total_blank: bool = False
    legal_blank: bool = False
    review: str = "national"  # national | transposed | by_outcome | by_outcome_short | stacked


def blanked(report: Report2019 | Report2021, page: Page) -> dict[str, object]:
    """The gold cells with the page's blanks applied."""
    cells: dict[str, object] = dict(flatten(report))
    for path in list(cells):
        if not path.startswith("applications.results."):
            if page.legal_blank and path.startswith("applications.") and _legal(path) and cells[path] == 0:
                cells[path] = None
            continue
        row = path.rsplit(".", 1)[0]
        if page.subrow_total_blank and path.endswith(".total") and _subrow(row):
            cells[path] = None
        if page.legal_blank and _legal(path) and cells[path] == 0:
            cells[path] = None
    return cells


def _legal(path: str) -> bool:
    return path.rsplit(".", 1)[1] in APPLICANT_COLUMNS[1:]


def _subrow(row: str) -> bool:
    parts = row.split(".")
    return len(parts) == 4 and parts[2] in ("denied", "unable", "not_processed", "other") and parts[3] != "total"


def _cell(page: Page, value: object, rowspan: int = 1, colspan: int = 1) -> str:
    text = value if isinstance(value, str) else _text(value)  # type: ignore[arg-type]
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    if not text:
        return BLANKS[page.blank].format(a=attrs)
    return f'<td{attrs} style="width:40pt"><p class=MsoNormal><span>{html.escape(text)}</span></p></td>'


def _review(page: Page, cells: dict[str, object]) -> list[str]:
    value = {(g, o): cells[f"review_litigation.{g}.{o}"] for g in GROUPS for o in OUTCOMES}
    c = lambda v, rs=1, cs=1: _cell(page, v, rs, cs)  # noqa: E731
    if page.review == "national":
        return [
            "<tr>" + c("行政复议", 2, 5) + c("行政诉讼", 1, 10) + "</tr>",
            "<tr>" + c("未经复议直接起诉", 1, 5) + c("复议后起诉", 1, 5) + "</tr>",
            "<tr>" + "".join(c(o) for o in OUTCOME_LABELS * 3) + "</tr>",
            "<tr>" + "".join(c(value[g, o]) for g in GROUPS for o in OUTCOMES) + "</tr>",
        ]
    if page.review == "transposed":
        rows = ["<tr>" + c("", 1, 2) + "".join(c(o) for o in OUTCOME_LABELS) + "</tr>"]
        rows.append("<tr>" + c("行政复议", 1, 2) + "".join(c(value["review", o]) for o in OUTCOMES) + "</tr>")
        rows.append(
            "<tr>"
            + c("行政诉讼", 2)
            + c("未经复议直接起诉")
            + "".join(c(value["litigation_direct", o]) for o in OUTCOMES)
            + "</tr>"
        )
        rows.append(
            "<tr>" + c("复议后起诉") + "".join(c(value["litigation_after_review", o]) for o in OUTCOMES) + "</tr>"
        )
        return rows
    if page.review == "by_outcome_short":  # the header row lacks the corner cell over the row labels
        rows = ["<tr>" + "".join(c(GROUP_LABELS[g]) for g in GROUPS) + "</tr>"]
        for o, label in zip(OUTCOMES, OUTCOME_LABELS, strict=True):
            rows.append("<tr>" + c(label) + "".join(c(value[g, o]) for g in GROUPS) + "</tr>")
        return rows
    if page.review == "by_outcome":
        rows = ["<tr>" + c("项目", 2) + c("行政复议", 2) + c("行政诉讼", 1, 2) + "</tr>"]
        rows.append("<tr>" + c("未经复议直接起诉") + c("复议后起诉") + "</tr>")
        for o, label in zip(OUTCOMES, OUTCOME_LABELS, strict=True):
            rows.append("<tr>" + c(label) + "".join(c(value[g, o]) for g in GROUPS) + "</tr>")
        return rows
    assert page.review == "stacked"
    return [
        "<tr>" + c("行政复议", 1, 10) + "</tr>",
        "<tr>" + "".join(c(o) for o in OUTCOME_LABELS) + c("", 1, 5) + "</tr>",
        "<tr>" + "".join(c(value["review", o]) for o in OUTCOMES) + c("", 1, 5) + "</tr>",
        "<tr>" + c("行政诉讼", 1, 10) + "</tr>",
        "<tr>" + c("未经复议直接起诉", 1, 5) + c("复议后起诉", 1, 5) + "</tr>",
        "<tr>" + "".join(c(o) for o in OUTCOME_LABELS * 2) + "</tr>",
        "<tr>" + "".join(c(value[g, o]) for g in GROUPS[1:] for o in OUTCOMES) + "</tr>",
    ]


def html_page(report: Report2019 | Report2021, page: Page) -> str:
    cells = blanked(report, page)
    fmt = report.format
    c = lambda v, rs=1, cs=1: _cell(page, v, rs, cs)  # noqa: E731
    out = [f"<p><b>{report.meta.title}</b></p>", "<p>一、总体情况</p><p>本年度依法做好政府信息公开工作。</p>"]
    out.append("<p>二、主动公开政府信息情况</p><table border=1>")
    for heading, header, rows in PROACTIVE_2019 if fmt == "2019" else PROACTIVE_2021:
        out.append(f"<tr>{c(heading, 1, 4)}</tr>")
        span = 4 - len(header) + 1
        out.append(
            "<tr>" + "".join(c(h, 1, span if i == len(header) - 1 else 1) for i, h in enumerate(header)) + "</tr>"
        )
        for name in rows:
            label = labels(f"proactive.{name}", fmt)[-1]
            values = [cells[p] for p in cells if p.startswith(f"proactive.{name}.")]
            last = 4 - len(values)
            out.append(
                "<tr>"
                + c(label)
                + "".join(c(v, 1, last if i == len(values) - 1 else 1) for i, v in enumerate(values))
                + "</tr>"
            )
    out.append("</table><p>三、收到和处理政府信息公开申请情况</p><table border=1>")
    out.append("<tr>" + c("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3))
    out.append(c("申请人情况", 1, 7) + "</tr>")
    out.append("<tr>" + c("自然人", 2) + c("法人或其他组织", 1, 5) + c("总计", 2) + "</tr>")
    out.append(
        "<tr>" + "".join(c(h) for h in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")) + "</tr>"
    )
    rows = list(dict.fromkeys(p.rsplit(".", 1)[0] for p in cells if p.startswith("applications.")))
    groups: dict[str, int] = {}
    for path in rows:
        chain = labels(path, fmt)[1:]
        if len(chain) == 3 and "合并" not in chain[-1]:
            groups[chain[1]] = groups.get(chain[1], 0) + 1
    results = sum(1 for p in rows if p.startswith("applications.results."))
    seen: set[str] = set()
    for path in rows:
        chain = [x.replace("（合并为一行）", "") for x in labels(path, fmt)[1:]]
        values = "".join(c(cells[f"{path}.{col}"]) for col in COLUMNS)
        lead = ""
        if path.startswith("applications.results.") and "三、本年度办理结果" not in seen:
            seen.add("三、本年度办理结果")
            lead = c("三、本年度办理结果", results)
        if len(chain) == 3 and chain[1] != chain[2]:
            group = "" if chain[1] in seen else c(chain[1], groups[chain[1]])
            seen.add(chain[1])
            out.append(f"<tr>{lead}{group}{c(chain[2])}{values}</tr>")
        elif path.startswith("applications.results."):
            out.append(f"<tr>{lead}{c(chain[-1], 1, 2)}{values}</tr>")
        else:
            out.append(f"<tr>{c(chain[-1], 1, 3)}{values}</tr>")
    out.append("</table><p>四、政府信息公开行政复议、行政诉讼情况</p><table border=1>")
    out += _review(page, cells)
    out.append("</table><p>五、存在的主要问题及改进情况</p><p>无。</p>")
    head = '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta charset="utf-8"></head><body><div>'
    return head + "\n".join(out) + "</div></body></html>"
