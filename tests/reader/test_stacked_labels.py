"""Labels printed before their numbers (a PDF's text layer extracted column by column, a page at a time): the
numbers after a stack of labels belong to any of them, so the row that reads them is not trusted."""

from __future__ import annotations

from giar_llm.core.document import Document
from giar_llm.reader import read

TABLE2 = [
    "二、主动公开政府信息情况",
    "第二十条第（一）项",
    "信息内容",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "规章",
    "规范性文件",
    "0",
    "0",
    "0",
    "第二十条第（五）项",
    "信息内容",
    "本年处理决定数量",
    "行政许可",
    "5",
]


def test_a_proactive_row_after_a_label_without_numbers_is_unsure() -> None:
    """表二 has no sums: 规章 with no number, then three numbers after 规范性文件 may be either row's."""
    reading = read(
        Document(
            "\n".join(
                [*TABLE2, "三、收到和处理政府信息公开申请情况", "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1"]
            )
        )
    )
    assert reading.report is not None
    assert "proactive.normative_docs.issued" in reading.unsure
    assert "proactive.regulations.issued" in reading.unsure


def test_the_row_after_two_labels_without_numbers_is_unsure() -> None:
    """（一）予以公开 and （六）其他处理 stacked before （七）总计, then one column block: 7 numbers that the last
    label would read as its own row."""
    rows = [
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3",
        "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0",
        "（一）予以公开",
        "（六）其他处理",
        "（七）总计",
        "3\n0\n0\n0\n0\n0\n3",
        "四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0",
    ]
    reading = read(Document("\n".join(rows)))
    assert reading.report is not None
    assert "applications.results.total_processed.natural_person" in reading.unsure
    reason = reading.unsure["applications.results.total_processed.total"]
    assert "本行之前连续" in reason or "这些数字未必属于本行" in reason  # stacked labels, or a column one a line


def test_a_row_after_an_unsure_row_is_doubted_when_its_sum_fails() -> None:
    """The row before read too few numbers (unsure); the next row's seven numbers fail its row total: it may
    hold numbers of the row above, so the failure is not blamed on the source."""
    rows = [
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3",
        "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0",
        "（一）予以公开\t3\t0\t0\t0\t0\t0\t3",
        "（七）总计 3 0 0 3",
        "四、结转下年度继续办理\t1\t0\t0\t0\t0\t2\t1",
    ]
    reading = read(Document("\n".join(rows)))
    assert reading.report is not None
    assert "applications.results.total_processed.total" in reading.unsure
    assert "applications.carried_forward.total" in reading.unsure


def test_a_column_header_between_a_proactive_label_and_its_numbers_makes_the_row_unsure() -> None:
    """政府集中采购 / 采购项目数量 / 3 / 0 / 采购总金额: each column's header, then its numbers (a page's column
    holds another row's number too); read in order, the two numbers would fill the row's two cells."""
    rows = [
        "二、主动公开政府信息情况",
        "第二十条第（九）项",
        "信息内容",
        "政府集中采购",
        "采购项目数量",
        "3",
        "0",
        "采购总金额",
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1",
    ]
    reading = read(Document("\n".join(rows)))
    assert reading.report is not None
    assert "采购项目数量" in reading.unsure["proactive.procurement.items"]
