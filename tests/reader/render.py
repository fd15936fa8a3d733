"""Render a report's tables as text in the layouts reports arrive in, from the national format's labels.

Used to test the reader on layouts beyond the files we have: every gold report, printed as tab rows,
markdown, space rows, one cell per line, or flattened into one paragraph.
"""

from __future__ import annotations

from collections.abc import Callable

from giar_llm.core.paths import flatten, labels
from giar_llm.core.schema import COLUMNS, Report2019, Report2021

Cell = int | float | str | None
Layout = Callable[[str, list[Cell]], str]

PROACTIVE_2021 = [
    (
        "第二十条第（一）项",
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["regulations", "normative_docs"],
    ),
    ("第二十条第（五）项", ["信息内容", "本年处理决定数量"], ["licensing"]),
    ("第二十条第（六）项", ["信息内容", "本年处理决定数量"], ["penalty", "coercion"]),
    ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"], ["fees"]),
]
PROACTIVE_2019 = [
    (
        "第二十条第（一）项",
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["regulations", "normative_docs"],
    ),
    (
        "第二十条第（五）项",
        ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
        ["licensing", "other_services"],
    ),
    ("第二十条第（六）项", ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], ["penalty", "coercion"]),
    ("第二十条第（八）项", ["信息内容", "上一年项目数量", "本年增/减"], ["fees"]),
    ("第二十条第（九）项", ["信息内容", "采购项目数量", "采购总金额"], ["procurement"]),
]
LABEL_2019 = {"normative_docs": "规范性文件", "other_services": "其他对外管理服务事项", "procurement": "政府集中采购"}


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def tabs(label: str, cells: list[Cell]) -> str:
    return "\t".join([label, *(_text(c) for c in cells)])


def markdown(label: str, cells: list[Cell]) -> str:
    return "| " + " | ".join([label, *(_text(c) for c in cells)]) + " |"


def spaces(label: str, cells: list[Cell]) -> str:
    return " ".join([label, *(_text(c) for c in cells if c is not None)])


def lines(label: str, cells: list[Cell]) -> str:
    return "\n".join([f"\t{label}", *(f"\t{_text(c)}" for c in cells)]) + "\n"


def spaced(label: str, cells: list[Cell]) -> str:
    """Word table pasted as text: a paragraph per cell, an empty line after each, an empty cell a bare line."""
    out = [label, ""]
    for cell in cells:
        out += [_text(cell), ""] if cell is not None else [""]
    return "\n".join(out)


def flattened(label: str, cells: list[Cell]) -> str:
    return label + "".join(_text(c) for c in cells)


LAYOUTS: dict[str, Layout] = {
    "tabs": tabs,
    "markdown": markdown,
    "spaces": spaces,
    "lines": lines,
    "spaced": spaced,
    "flattened": flattened,
}


def render(report: Report2019 | Report2021, layout: str) -> str:
    row = LAYOUTS[layout]
    cells = flatten(report)
    fmt = report.format
    out = [report.meta.title or "政府信息公开工作年度报告", "一、总体情况", "本年度依法做好政府信息公开工作。"]
    out.append("二、主动公开政府信息情况")
    for heading, header, rows in PROACTIVE_2019 if fmt == "2019" else PROACTIVE_2021:
        out += [heading, row(header[0], list(header[1:]))]
        for name in rows:
            label = LABEL_2019.get(
                name, "行政规范性文件" if name == "normative_docs" else labels(f"proactive.{name}")[-1]
            )
            fields = [p for p in cells if p.startswith(f"proactive.{name}.")]
            out.append(row(label, [cells[p] for p in fields]))
    out += [
        "三、收到和处理政府信息公开申请情况",
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    ]
    out.append(row("申请人情况", ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]))
    printed_groups: set[str] = set()
    rows = list(dict.fromkeys(p.rsplit(".", 1)[0] for p in cells if p.startswith("applications.")))
    for path in rows:
        chain = labels(path, fmt)[1:]
        for group in chain[:-1]:
            if group not in printed_groups and "合并" not in group:
                printed_groups.add(group)
                out.append(group)
        label = chain[-1].replace("（合并为一行）", "")
        if label == chain[-2] if len(chain) > 1 else False:
            out.pop()  # the merged （六）其他处理 row carries its own label
        out.append(row(label, [cells[f"{path}.{c}"] for c in COLUMNS]))
    out += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议 行政诉讼", "结果维持 结果纠正 其他结果 尚未审结 总计"]
    review = [cells[p] for p in cells if p.startswith("review_litigation.")]
    out.append(row("", review).lstrip("\t| ") if layout != "lines" else row("", review))
    out += ["五、存在的主要问题及改进情况", "无。", "六、其他需要报告的事项", "无。"]
    joiner = "" if layout == "flattened" else "\n"
    return joiner.join(out) + "\n"
