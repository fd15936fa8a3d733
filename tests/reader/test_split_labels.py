"""Classes the layout fuzzer found, each rebuilt from a small report written here: a label split around its
numbers, a numbering printed apart from its label, a page marker run into flattened cells, 表四 with its labels
between the numbers, a grid row whose numbers stand on the row below its label, 表三's header heading a fragment
of 表二. Every cell is read right or named unsure; where the source's own structure settles it, read right."""

from __future__ import annotations

from collections.abc import Callable

from giar_llm.core.document import Document
from giar_llm.core.paths import flatten
from giar_llm.core.schema import COLUMNS
from giar_llm.inputs import load_bytes
from giar_llm.reader import read

Cells = list[int | None]
Row = tuple[str, Cells]

T3_ROWS: list[Row] = [
    ("一、本年新收政府信息公开申请数量", [5, 1, 0, 0, 0, 0, 6]),
    ("二、上年结转政府信息公开申请数量", [0, 0, 0, 0, 0, 0, 0]),
    ("三、本年度办理结果", []),
    ("（一）予以公开", [3, 1, 0, 0, 0, 0, 4]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [1, 0, 0, 0, 0, 0, 1]),
    ("（三）不予公开", []),
    ("1.属于国家秘密", [0, 0, 0, 0, 0, 0, 0]),
    ("2.其他法律行政法规禁止公开", [0, 0, 0, 0, 0, 0, 0]),
    ("3.危及“三安全一稳定”", [0, 0, 0, 0, 0, 0, 0]),
    ("4.保护第三方合法权益", [0, 0, 0, 0, 0, 0, 0]),
    ("5.属于三类内部事务信息", [0, 0, 0, 0, 0, 0, 0]),
    ("6.属于四类过程性信息", [0, 0, 0, 0, 0, 0, 0]),
    ("7.属于行政执法案卷", [0, 0, 0, 0, 0, 0, 0]),
    ("8.属于行政查询事项", [0, 0, 0, 0, 0, 0, 0]),
    ("（四）无法提供", []),
    ("1.本机关不掌握相关政府信息", [1, 0, 0, 0, 0, 0, 1]),
    ("2.没有现成信息需要另行制作", [0, 0, 0, 0, 0, 0, 0]),
    ("3.补正后申请内容仍不明确", [0, 0, 0, 0, 0, 0, 0]),
    ("（五）不予处理", []),
    ("1.信访举报投诉类申请", [0, 0, 0, 0, 0, 0, 0]),
    ("2.重复申请", [0, 0, 0, 0, 0, 0, 0]),
    ("3.要求提供公开出版物", [0, 0, 0, 0, 0, 0, 0]),
    ("4.无正当理由大量反复申请", [0, 0, 0, 0, 0, 0, 0]),
    ("5.要求行政机关确认或重新出具已获取信息", [0, 0, 0, 0, 0, 0, 0]),
    ("（六）其他处理", []),
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", [0, 0, 0, 0, 0, 0, 0]),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", [0, 0, 0, 0, 0, 0, 0]),
    ("3.其他", [0, 0, 0, 0, 0, 0, 0]),
    ("（七）总计", [5, 1, 0, 0, 0, 0, 6]),
    ("四、结转下年度继续办理", [0, 0, 0, 0, 0, 0, 0]),
]
T4_NATIONAL = ["行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"]
RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
REVIEW: list[Cells] = [[1, 0, 0, 0, 1], [0, 1, 0, 0, 1], [0, 0, 0, 0, 0]]  # 复议 / 直接起诉 / 复议后起诉
HEAD = "某局2022年政府信息公开工作年度报告\n一、总体情况\n本年度依法做好政府信息公开工作。\n"
T2 = (
    "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容 本年制发件数 本年废止件数 现行有效件数\n"
    "规章 0 0 0\n行政规范性文件 2 0 12\n第二十条第（五）项\n信息内容 本年处理决定数量\n行政许可 3\n"
    "第二十条第（六）项\n信息内容 本年处理决定数量\n行政处罚 0\n行政强制 0\n"
    "第二十条第（八）项\n信息内容 本年收费金额（单位：万元）\n行政事业性收费 0\n"
)
T3_HEAD = (
    "三、收到和处理政府信息公开申请情况\n申请人情况 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计\n"
)
TAIL = "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n"


def _t4_spaces() -> str:
    flat = [str(v) for row in REVIEW for v in row]
    return (
        "四、政府信息公开行政复议、行政诉讼情况\n" + " ".join(T4_NATIONAL + RESULTS * 3) + "\n" + " ".join(flat) + "\n"
    )


def report(row: Callable[[str, Cells], str], t4: str | None = None, t2: str = T2, t3: list[Row] = T3_ROWS) -> str:
    body = "".join(row(label, cells) if cells else f"{label}\n" for label, cells in t3)
    return HEAD + t2 + T3_HEAD + body + (t4 if t4 is not None else _t4_spaces()) + TAIL


def spaces(label: str, cells: Cells) -> str:
    return " ".join([label, *(str(c) for c in cells if c is not None)]) + "\n"


def one_a_line(label: str, cells: Cells) -> str:
    return "\n".join([label, "", *(f"{c}\n" if c is not None else "" for c in cells)]) + "\n"


def split_at(cut: dict[str, int], row: Callable[[str, Cells], str]) -> Callable[[str, Cells], str]:
    """Labels in ``cut`` printed in two parts around their numbers: the first part with the numbers, the rest on
    the line after them."""

    def printed(label: str, cells: Cells) -> str:
        if label not in cut:
            return row(label, cells)
        return row(label[: cut[label]], cells) + label[cut[label] :] + "\n"

    return printed


def truth(blank: dict[str, list[int]] | None = None) -> dict[str, int | None]:
    """The cells of the report above, by path, read back from the tab layout (which the reader reads exactly)."""
    reading = read(Document(report(lambda label, cells: "\t".join([label, *map(str, cells)]) + "\n")))
    assert reading.report is not None and not reading.unsure
    cells = {p: v for p, v in flatten(reading.report).items() if not p.startswith("meta.")}
    return cells


TRUTH = truth()


def _wrong(text: str, expected: dict[str, int | None] = TRUTH) -> tuple[list[str], list[str]]:
    """(silent wrong cells, all wrong cells) of a reading of ``text``."""
    reading = read(Document(text))
    assert reading.report is not None
    got = flatten(reading.report)
    wrong = [p for p, v in expected.items() if got.get(p) != v]
    return [p for p in wrong if p not in reading.unsure], wrong


def test_label_split_around_its_numbers_one_cell_a_line_reads_exactly() -> None:
    """（七） / the numbers / 总计 and 四、结 / the numbers / 转下年度继续办理: the label starts at its numbering."""
    cut = {"（七）总计": 3, "四、结转下年度继续办理": 3, "（一）予以公开": 2}
    silent, wrong = _wrong(report(split_at(cut, one_a_line)))
    assert silent == [] and wrong == []


def test_label_split_around_its_numbers_in_space_rows_reads_exactly() -> None:
    cut = {
        "（七）总计": 3,
        "四、结转下年度继续办理": 3,
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请": 2,
    }
    silent, wrong = _wrong(report(split_at(cut, spaces)))
    assert silent == [] and wrong == []


def test_numbering_alone_before_its_numbers_reads_exactly() -> None:
    """1 0 0 0 0 0 1 / .本机关不掌握…: the label starts with its dot, so the line's first number is its numbering."""
    silent, wrong = _wrong(report(split_at({"1.本机关不掌握相关政府信息": 1}, spaces)))
    assert silent == [] and wrong == []


def test_label_without_numbers_makes_the_row_before_it_unsure() -> None:
    """A label found with no numbers after it printed them elsewhere: the row before may hold them. Here a
    label without its numbering is split around its numbers (危 0 0 0 0 / 及“三安全一稳定”) after a row with
    blank cells, so the row before reads exactly as many numbers as it has cells."""

    def printed(label: str, cells: Cells) -> str:
        if label.startswith("2.其他法律"):
            return spaces(label, cells[:3])
        if label.startswith("3.危及"):
            return spaces("危", cells[:4]) + "及“三安全一稳定”\n"
        return spaces(label, cells)

    blank = [f"applications.results.denied.prohibited_by_law.{c}" for c in COLUMNS[3:]]
    blank += [f"applications.results.denied.security_stability.{c}" for c in COLUMNS[4:]]
    silent, wrong = _wrong(report(printed), {**TRUTH, **dict.fromkeys(blank)})
    assert silent == [] and wrong


def test_numbering_alone_on_the_line_above_a_wrapped_label() -> None:
    """7 / .属 / 于行政执法案卷 / its numbers after a row whose 总计 is blank: the 7 is the label's numbering, not
    the 总计 of the row before."""

    def printed(label: str, cells: Cells) -> str:
        if label == "6.属于四类过程性信息":
            return spaces(label, cells[:6])
        if label == "7.属于行政执法案卷":
            return "7\n.属\n于行政执法案卷\n" + " ".join(map(str, cells)) + "\n"
        return spaces(label, cells)

    silent, wrong = _wrong(report(printed), {**TRUTH, "applications.results.denied.process_info.total": None})
    assert silent == [] and "applications.results.denied.enforcement_file.total" not in wrong


def test_page_marker_run_into_flattened_cells_is_unsure() -> None:
    """规章00－ 12 －规范性文件: the 12 may be a page number; its row is named unsure, never read as a cell."""
    t2 = T2.replace("规章 0 0 0\n", "规章00－ 12 －")
    silent, wrong = _wrong(report(spaces, t2=t2))
    assert silent == [] and wrong
    reading = read(Document(report(spaces, t2=t2)))
    assert "页码" in reading.unsure["proactive.regulations.in_force"]


def test_page_marker_between_standalone_zero_marks_is_cells() -> None:
    """规章 - 0 - (cells, each alone) is not a page marker."""
    t2 = T2.replace("规章 0 0 0\n", "规章 - 0 -\n")
    silent, wrong = _wrong(report(spaces, t2=t2))
    assert silent == [] and wrong == []


def test_review_with_labels_between_its_numbers_is_unsure() -> None:
    """表四 transposed (the three cases as columns) with its result labels split around the numbers: the
    numbers are not one row in the national order, so they are not read as one."""
    lines = ["四、政府信息公开行政复议、行政诉讼情况", "\t行政复议\t未经复议直接起诉\t复议后起诉"]
    for index, result in enumerate(RESULTS):
        cells = "\t".join(str(REVIEW[case][index]) for case in range(3))
        lines += [f"{result[:2]}\t{cells}", result[2:]]
    silent, _ = _wrong(report(spaces, t4="\n".join(lines) + "\n"))
    assert silent == []


def test_section_heading_not_a_header_row_starts_table_three() -> None:
    """A fragment of 表二 printed with 表三's header row (申请人情况 自然人 …) does not start 表三."""
    t2 = T2.replace(
        "第二十条第（五）项\n",
        "第二十条第（五）项\n申请人情况 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计\n",
    )
    silent, wrong = _wrong(report(spaces, t2=t2))
    assert silent == [] and wrong == []


def test_grid_row_with_its_numbers_on_the_row_below_its_label() -> None:
    """| 规章 | | | | then | | 0 | 0 | 0 |: the numbers are the label's when the next row of the national format
    is labelled; when that row's label is missing, they may be its, so the row is unsure."""
    table = (
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| --- | --- | --- | --- |\n"
        "| 规章 |  |  |  |\n|  | 1 | 0 | 4 |\n| 行政规范性文件 | 2 | 0 | 12 |\n"
    )
    t2 = T2.replace(
        "信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 0 0 0\n行政规范性文件 2 0 12\n", table + "\n"
    )
    expected = {**TRUTH, "proactive.regulations.issued": 1, "proactive.regulations.in_force": 4}
    text = report(spaces, t2=t2)
    document = load_bytes(text.encode("utf-8"), "report.md").document
    assert document.grids
    reading = read(document)
    assert reading.report is not None
    got = flatten(reading.report)
    assert [p for p, v in expected.items() if got.get(p) != v] == []

    dropped = t2.replace("| 行政规范性文件 | 2 | 0 | 12 |", "|  | 2 | 0 | 12 |")
    reading = read(load_bytes(report(spaces, t2=dropped).encode("utf-8"), "report.md").document)
    assert reading.report is not None
    got = flatten(reading.report)
    wrong = [p for p, v in expected.items() if got.get(p) != v]
    assert "proactive.regulations.issued" in reading.unsure
    assert [p for p in wrong if p not in reading.unsure] == []


def spaced(label: str, cells: Cells) -> str:
    """A Word table pasted as text: a paragraph per cell and an empty line after it; a blank cell a bare line."""
    out = [label, ""]
    for cell in cells:
        out += [str(cell), ""] if cell is not None else [""]
    return "\n".join(out) + "\n"


def test_header_repeated_one_cell_a_line_is_not_the_total_row() -> None:
    """申请人情况 / 自然人 / … / 总计 repeated one cell a line inside 表三 (a fragment's header): its bare 总计 is
    the column's header, not （七）总计, so the rows after it are still found."""
    header = "".join(f"{word}\n\n" for word in T3_HEAD.split("\n")[1].split(" "))

    def printed(label: str, cells: Cells) -> str:
        return (header if label.startswith("2.申请人逾期") else "") + spaced(label, cells)

    silent, wrong = _wrong(report(printed))
    assert silent == [] and wrong == []


def test_wrapped_label_does_not_count_as_a_blank_cell_one_cell_a_line() -> None:
    """A label wrapped over two lines before its cells (one a paragraph, blank cells as bare lines), a page
    marker after them: the spacing is learnt from the gaps between the cells, not from the label's second line."""
    blank = [f"applications.results.partially_granted.{c}" for c in COLUMNS[1:6]]

    def printed(label: str, cells: Cells) -> str:
        if label.startswith("（二）部分公开"):
            wrapped = "（二）部分公开（区分处理的，只计这\n一情形，不计其他情形）"
            return spaced(wrapped, [1, *[None] * 5, 1]) + "- 5 -\n\n"  # a page ends after the row
        return spaced(label, cells)

    silent, wrong = _wrong(report(printed), {**TRUTH, **dict.fromkeys(blank)})
    assert silent == [] and wrong == []


def test_label_without_numbering_split_inside_its_key_phrase() -> None:
    """其他 / its numbers / 对外管理服务事项 (a 2019 表二 row, no numbering): the key phrase begun before the numbers
    and ended after them starts the label there, so the numbers are its own, not the row's before."""
    t2 = (
        "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n"
        "规章\t0\t0\t0\n规范性文件\t1\t1\t5\n第二十条第（五）项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n"
        "行政许可\n\t2\n\t0\n\t\n\n其他\n\t\n\t3\n\t\n\n对外管理服务事项\n"
        "第二十条第（六）项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n行政处罚\t0\t0\t0\n行政强制\t0\t0\t0\n"
        "第二十条第（八）项\n信息内容\t上一年项目数量\t本年增/减\n行政事业性收费\t0\t0\n"
        "第二十条第（九）项\n信息内容\t采购项目数量\t采购总金额\n政府集中采购\t0\t0\n"
    )
    other = next(i for i, (label, _) in enumerate(T3_ROWS) if label == "（六）其他处理")
    t3 = [*T3_ROWS[:other], ("（六）其他处理", [0] * 7), *T3_ROWS[other + 4 :]]  # the 2019 format's one row
    reading = read(Document(report(spaces, t2=t2, t3=t3)))
    assert reading.report is not None and reading.report.format == "2019"
    got = flatten(reading.report)
    licensing = [got[f"proactive.licensing.{f}"] for f in ("prev_year_items", "items_change", "decisions")]
    others = [got[f"proactive.other_services.{f}"] for f in ("prev_year_items", "items_change", "decisions")]
    assert licensing == [2, 0, None] and others == [None, 3, None]
    assert not any(p.startswith(("proactive.licensing", "proactive.other_services")) for p in reading.unsure)


def test_2019_proactive_table_with_2021_other_rows_is_read_not_a_crash() -> None:
    """表二 in the 2019 columns (新制作数量 …) and 表三 with the 2021 format's three （六） rows: the format is 2019,
    whose （六） is one row, so that row is unsure (its region holds three rows' numbers), never a crash."""
    t2 = T2.replace("本年制发件数 本年废止件数 现行有效件数", "本年新制作数量 本年新公开数量 对外公开总数量")
    t2 = t2.replace("本年处理决定数量", "上一年项目数量 本年增/减 处理决定数量")
    reading = read(Document(report(spaces, t2=t2)))
    assert reading.report is not None and reading.report.format == "2019"
    assert "applications.results.other.total.total" in reading.unsure


def test_section_heading_without_numbering_is_not_a_split_label() -> None:
    """政府信息公开行政复议、行政诉讼情况 printed without its 四、, after the row 四、结转下年度继续办理 and its numbers:
    the heading does not start at that row's 四、, so the row keeps its numbers."""
    text = report(spaces).replace("四、政府信息公开行政复议", "政府信息公开行政复议")
    silent, wrong = _wrong(text)
    assert silent == [] and wrong == []
