"""Labels printed before their numbers (a PDF's text layer extracted column by column, a page at a time): the
numbers after a stack of labels belong to any of them, so the row that reads them is not trusted."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.core.document import Document
from giar_llm.core.paths import flatten
from giar_llm.files import load_gold
from giar_llm.reader import read

from ..conftest import GOLD
from ..fuzz.generate import APPLICANTS, Glyphs, Table, _applications, _proactive, _review, _text, _text_file, _text_row

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


def _zero_run(gold_path: Path, length: int) -> int | None:
    """Where 表三's first run of ``length`` rows holding only zeros starts, if the gold has one."""
    gold = load_gold(gold_path).report
    cells = dict(flatten(gold))
    rows = [r for r in _applications(gold, cells).rows if r.kind == "data"]
    zero = [all(c == 0 for c in r.cells) for r in rows]
    return next((i for i in range(len(rows) - length + 1) if all(zero[i : i + length])), None)


ZERO_RUNS = [p for p in sorted(GOLD.glob("*.json")) if _zero_run(p, 10) is not None]


def _pages_by_columns(gold_path: Path) -> tuple[str, dict[str, object]]:
    """The report as tab rows, but two runs of five zero rows of 表三 drawn column by column as a PDF's text
    layer prints a page's block: the first run's labels then its columns' numbers (no header over them), the
    second run's labels then each column's header and numbers, some of its zeros blank (leaving no mark)."""
    gold = load_gold(gold_path).report
    cells = dict(flatten(gold))
    tables: list[Table] = [_proactive(gold, cells), _applications(gold, cells), _review(cells, "flat")]
    truth: dict[str, object] = {p: v for p, v in cells.items() if not p.startswith("meta.")}
    rows = [r for r in tables[1].rows if r.kind == "data"]
    start = _zero_run(gold_path, 10)
    assert start is not None
    first, second = rows[start : start + 5], rows[start + 5 : start + 10]
    for number, row in enumerate(second):  # one blank a row, in another column each time
        path = row.paths[number + 1]
        assert path is not None
        row.cells[number + 1] = truth[path] = None
    text = _text_file(gold, tables, "tabs", Glyphs(None))
    lines = text.split("\n")
    printed = [line for row in first + second for line in (*row.heads, _text_row("tabs", row))]
    at = lines.index(printed[0])
    assert lines[at : at + len(printed)] == printed  # the ten rows (and their group headings) stand together
    block: list[str] = [line for row in first for line in (*row.heads, row.label)]
    block += [_text(row.cells[c]) for c in range(7) for row in first]
    block += [line for row in second for line in (*row.heads, row.label)]
    for column, name in enumerate(APPLICANTS):
        block += [name, *(_text(row.cells[column]) for row in second if row.cells[column] is not None)]
    return "\n".join([*lines[:at], *block, *lines[at + len(printed) :]]), truth


@pytest.mark.parametrize("gold_path", ZERO_RUNS, ids=lambda p: p.stem)
def test_a_page_drawn_column_by_column_is_no_run_of_rows_that_lost_their_labels(gold_path: Path) -> None:
    """The last label of a page's stacked labels reads the whole page's numbers one a line: five rows' worth.
    The next page's labels stand after them with no number of their own, and would take those numbers in the
    national order (zeros confirm any sum) though they are another page's columns, and their own cells are
    blank. The labels were printed apart from the numbers, so nothing is placed by the count of rows."""
    text, truth = _pages_by_columns(gold_path)
    reading = read(Document(text))
    assert reading.report is not None
    got = flatten(reading.report)
    silent = [p for p in truth if p.startswith("applications.") and got[p] != truth[p] and p not in reading.unsure]
    assert not silent
