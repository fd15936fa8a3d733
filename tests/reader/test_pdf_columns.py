"""PDF tables drawn column by column: the text layer comes out in drawing order (every row label, then each
column's header and its numbers, a blank cell leaving no line). Rebuilt from the gold files through the
fuzzer's PDF renderer. A column whose header has no number under it is blank; a column shorter than the rows
can't be placed and is unsure; numbers under a column header are never read as the row whose label stands
before them; 表四 transposed, its labels printed once before all its numbers, is read in the one order whose row
totals hold, or unsure."""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.core.checker import check
from giar_llm.core.document import Document
from giar_llm.core.paths import flatten
from giar_llm.files import load_gold
from giar_llm.reader import read
from giar_llm.reader.tables import (
    COLUMNS_READ_IN_PART,
    COLUMNS_READ_PAGES,
    PROACTIVE_COLUMNS_READ,
    REVIEW_ORDER_DERIVED,
)

from ..conftest import GOLD
from ..fuzz.generate import (
    Case,
    Cell,
    Glyphs,
    _applications,
    _blank,
    _data_rows,
    _pdf_file,
    _proactive,
    _review,
    _review_headers,
)
from ..fuzz.generate import _with_blanks as with_blanks
from ..fuzz.invariant import judge, run

GOLDS = sorted(GOLD.glob("*.json"))


@pytest.fixture(autouse=True)
def _text_layer_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the text layer of tables drawn column by column, as a PDF whose words' places lay out no
    table leaves it; the words' places, which lay these tables out as grids, are tested in test_pdf_unruled.py."""
    monkeypatch.setattr("giar_llm.inputs.pdf._word_grids", lambda pages: [])


LEGAL = ("commercial_enterprise", "research_institution", "public_interest_org", "legal_service_org", "other_org")


def _case(
    gold_path: Path,
    *,
    blank_legal: bool = False,
    blank_natural: tuple[int, ...] = (),
    blanks: tuple[tuple[int, int], ...] = (),
    blank_proactive: tuple[str, ...] = (),
    drop_labels: tuple[str, ...] = (),
    orientation: str = "flat",
    review_header: str = "",
    markers: dict[str, int] | None = None,
) -> Case:
    """The gold report as a PDF whose tables are drawn column by column (``blank_natural``: 表三 rows whose
    自然人 cell is printed blank; ``blanks``: 表三 cells (row, column) printed blank; ``blank_proactive``: 表二 cells printed blank; ``drop_labels``: 表三 labels not printed; ``markers``: table name -> the row a page break with a page marker comes
    before)."""
    gold = load_gold(gold_path).report
    cells = dict(flatten(gold))
    truth: dict[str, Cell] = {p: v for p, v in cells.items() if not p.startswith("meta.")}
    tables = [_proactive(gold, cells), _applications(gold, cells), _review(cells, orientation)]
    for number, row in enumerate(_data_rows(tables[1])):
        for index in range(1, 6) if blank_legal else ():
            if row.cells[index] == 0:
                _blank(row, index, truth)
        if number in blank_natural:
            _blank(row, 0, truth)
        for column in (c for r, c in blanks if r == number):
            _blank(row, column, truth)
        if row.label in drop_labels:
            row.label = ""
    for row in _data_rows(tables[0]):
        for index, path in enumerate(row.paths):
            if path in blank_proactive:
                _blank(row, index, truth)
    if review_header:
        _review_headers(tables[2], review_header, tables[1])
    for table in tables:
        if markers and table.name in markers:
            table.markers[markers[table.name]] = "- 3 -"
    data = _pdf_file(gold, tables, "columns", Glyphs(None))
    mutations = ("blank_legal",) if blank_legal else ()
    report = with_blanks(gold, truth)
    return Case(gold_path.stem, "pdf", "columns", mutations, data, f"{gold_path.stem}.pdf", truth, report)


@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_blank_legal_columns_drawn_by_columns_leave_no_cell_silent(gold_path: Path) -> None:
    case = _case(gold_path, blank_legal=True)
    envelope = run(case)
    outcome = judge(case, envelope)
    assert outcome.ok, outcome.describe(case, envelope)


def test_a_table_drawn_by_columns_with_blank_legal_columns_reads_every_cell() -> None:
    """hongze-2024's 表三 on one page: 自然人 and 总计 print a number in every row, the legal-person columns
    none (their headers stand one after another), and （六）其他处理 is one row, its label printed in the group
    labels' column before the sub-rows of （三）–（五）."""
    case = _case(GOLD / "hongze-2024.json", blank_legal=True)
    envelope = run(case)
    got = flatten(envelope.report)
    table3 = [p for p in case.truth if p.startswith("applications.")]
    assert {p: got.get(p) for p in table3} == {p: case.truth[p] for p in table3}
    assert {envelope.levels[p] for p in table3} == {"derived"}


def test_a_short_column_is_unsure_and_a_column_without_numbers_blank() -> None:
    """003 has only zeros: with three 自然人 cells and its legal-person columns blank, 自然人 holds fewer numbers
    than rows (no placement can be told from another; its first seven were once read as the （七）总计 row)."""
    case = _case(GOLD / "003_d9cb11323f1ad30e.json", blank_legal=True, blank_natural=(2, 9, 16))
    envelope = run(case)
    outcome = judge(case, envelope)
    assert outcome.ok, outcome.describe(case, envelope)
    total = "applications.results.total_processed"
    assert all(envelope.levels[f"{total}.{c}"] == "derived" for c in LEGAL)
    assert all(flatten(envelope.report)[f"{total}.{c}"] is None for c in LEGAL)
    assert envelope.levels[f"{total}.total"] == "derived"  # 总计 prints a number in every row
    assert envelope.levels[f"{total}.natural_person"] == "unknown"
    assert "自然人列的数字个数与行数" in envelope.unsure[f"{total}.natural_person"]
    reading = read(Document(_text(case)))
    assert reading.derived[f"{total}.commercial_enterprise"] == COLUMNS_READ_IN_PART


def _text(case: Case) -> str:
    from giar_llm.inputs import load_bytes

    return load_bytes(case.data, case.name).document.text


@pytest.mark.parametrize("blank_totals", [5, 12])
@pytest.mark.parametrize("at", [20, 24])
def test_the_total_columns_header_on_the_page_before_is_not_the_total_row(at: int, blank_totals: int) -> None:
    """表三 over two pages, each drawn column by column, （七）总计 on the second: the first page's bare 总计 (after
    the 其他 column's numbers) is the 总计 column's header. Read as the （七）总计 row, its numbers (a multiple of
    seven when some of its cells are blank) were taken for that row and the next, read where a cell is blank."""
    total_blanks = tuple((row, 6) for row in range(0, 2 * blank_totals, 2))
    case = _case(GOLD / "003_d9cb11323f1ad30e.json", blanks=((23, 2), *total_blanks), markers={"三": at})
    envelope = run(case)
    outcome = judge(case, envelope)
    assert outcome.ok, outcome.describe(case, envelope)


@pytest.mark.parametrize("at", [3, 9, 20])
def test_a_page_break_inside_a_table_drawn_by_columns_leaves_its_numbers_unsure_not_in_the_next_rows(at: int) -> None:
    """Each page is drawn column by column: the rows of the second page print their labels, then their numbers
    one a line after the page's last label. Those numbers are a column's, not rows whose labels were lost."""
    case = _case(GOLD / "003_d9cb11323f1ad30e.json", blank_legal=True, markers={"三": at})
    envelope = run(case)
    outcome = judge(case, envelope)
    assert outcome.ok, outcome.describe(case, envelope)


def test_review_transposed_with_its_header_on_the_page_before_is_read_in_the_order_its_sums_confirm() -> None:
    case = _case(GOLD / "hongze-2024.json", orientation="rows", markers={"四": 1})
    text = _text(case)
    review = text[text.index("四、政府信息公开行政复议") :]
    assert review.index("结果维持") < review.index("复议后起诉") < review.index("\n1\n")  # labels, then the numbers
    envelope = run(case)
    got = flatten(envelope.report)
    paths = [p for p in case.truth if p.startswith("review_litigation.")]
    assert {p: got[p] for p in paths} == {p: case.truth[p] for p in paths}
    assert all(envelope.levels[p] == "derived" for p in paths)
    assert read(Document(text)).derived[paths[0]] == REVIEW_ORDER_DERIVED


@pytest.mark.parametrize("how", ["other", "placeholder", "none"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_review_transposed_drawn_by_columns_under_a_foreign_header_is_right_or_unsure(
    gold_path: Path, how: str
) -> None:
    """表四 with its cases as rows drawn column by column under 表三's header, placeholders or no header: the
    labels, then the numbers by result. Read in the order its row totals confirm, or unsure; never the national
    order by default (a row that adds up by chance there was read)."""
    case = _case(gold_path, orientation="rows", review_header=how)
    envelope = run(case)
    outcome = judge(case, envelope)
    assert outcome.ok, outcome.describe(case, envelope)
    if gold_path.stem == "hongze-2024" and how == "none":  # labels, then numbers that add up by result only
        paths = [p for p in case.truth if p.startswith("review_litigation.")]
        assert {envelope.levels[p] for p in paths} == {"derived"}


HEADER_BLOCK = (
    "四、政府信息公开行政复议、行政诉讼情况\n结果维持\n结果纠正\n其他结果\n尚未审结\n总计\n"
    "行政复议\n未经复议直接起诉\n复议后起诉\n"
)


def _review_block(numbers: list[int]) -> str:
    return HEADER_BLOCK + "\n".join(map(str, numbers)) + "\n五、存在的主要问题及改进情况\n无。\n"


def test_review_transposed_in_a_header_block_is_unsure_when_both_orders_add_up_differently() -> None:
    # by case: 复议后起诉 结果纠正 1, 总计 1; by result: 复议后起诉 尚未审结 1, 总计 1. Both rows add up.
    reading = read(Document(_review_block([0] * 11 + [1, 0, 0, 1])))
    assert reading.report is not None
    paths = [p for p in flatten(reading.report) if p.startswith("review_litigation.")]
    assert all(p in reading.unsure for p in paths)
    assert "两种排列都使每行合计成立" in reading.unsure[paths[0]]


@pytest.mark.parametrize("marker", ["第 9 页", "- 9 -", "\f"])
def test_review_in_a_header_block_over_a_page_break_is_unsure(marker: str) -> None:
    """Fifteen numbers after 表四's labels with a page break among them: each page's numbers may be a block
    drawn column by column of its own (here 尚未审结 1 on the first page, the totals on the next), so neither the
    order by case nor by result is known, though the order by result adds up (行政复议 结果纠正 1, 总计 1)."""
    numbers = "\n".join(map(str, [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]))
    text = HEADER_BLOCK + numbers + f"\n{marker}\n\n1\n0\n0\n五、存在的主要问题及改进情况\n无。\n"
    reading = read(Document(text))
    assert reading.report is not None
    paths = [p for p in flatten(reading.report) if p.startswith("review_litigation.")]
    assert paths and all(p in reading.unsure for p in paths)
    assert not [p for p in paths if p in reading.derived]


def test_review_transposed_in_a_header_block_reads_when_both_orders_say_the_same() -> None:
    reading = read(Document(_review_block([0] * 15)))
    assert reading.report is not None
    cells = {p: v for p, v in flatten(reading.report).items() if p.startswith("review_litigation.")}
    assert set(cells.values()) == {0} and not [p for p in cells if p in reading.unsure]


def test_review_in_the_national_one_row_form_is_not_taken_for_a_header_block() -> None:
    header = "行政复议\n行政诉讼\n未经复议直接起诉\n复议后起诉\n" + "结果维持\n结果纠正\n其他结果\n尚未审结\n总计\n" * 3
    numbers = [1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 2, 2]
    text = "四、政府信息公开行政复议、行政诉讼情况\n" + header + "\n".join(map(str, numbers)) + "\n五、存在的主要问题\n"
    reading = read(Document(text))
    assert reading.report is not None
    assert [v for p, v in flatten(reading.report).items() if p.startswith("review_litigation.")] == numbers
    assert not any(p.startswith("review_litigation.") for p in reading.derived)


def test_numbers_under_column_headers_after_stacked_labels_are_not_the_last_labels_row() -> None:
    """A page of 表三 drawn column by column, the rest of the table printed row by row: the seven numbers under
    the column headers after 一、 and 二、 are two rows' cells with blanks (自然人 0 2, 商业企业 0, 科研机构 0,
    社会公益组织 0, 总计 0 2), not 二、上年结转's seven cells (0 2 0 0 0 0 2 would even add up)."""
    from .test_split_labels import T3_ROWS

    columns = "\n".join(["自然人", "0", "2", "商业企业", "0", "科研机构", "0", "社会公益组织", "0", "法律服务机构"])
    page = f"{T3_ROWS[0][0]}\n{T3_ROWS[1][0]}\n{columns}\n其他\n总计\n0\n2\n- 2 -\n"
    rest = "".join(
        f"{label}\t{chr(9).join(map(str, cells))}\n" if cells else f"{label}\n" for label, cells in T3_ROWS[2:]
    )
    text = f"三、收到和处理政府信息公开申请情况\n{page}{rest}四、政府信息公开行政复议、行政诉讼情况\n"
    reading = read(Document(text))
    assert reading.report is not None
    assert "本行标签与数字之间印有列标题（自然人）" in reading.unsure["applications.carried_over.natural_person"]
    assert "applications.new_requests.natural_person" in reading.unsure


def test_numbers_one_a_line_after_stacked_labels_are_not_the_last_labels_row() -> None:
    """The second page of 表三 drawn column by column with no header above its columns: 4. and 5. printed, then
    seven numbers one a line (two rows' cells with blanks), not 5.'s seven cells."""
    from .test_split_labels import T3_ROWS

    at = next(i for i, (label, _) in enumerate(T3_ROWS) if label.startswith("4.无正当"))
    rows = "".join(
        f"{label}\t{chr(9).join(map(str, cells))}\n" if cells else f"{label}\n" for label, cells in T3_ROWS[:at]
    )
    page = f"- 2 -\n{T3_ROWS[at][0]}\n{T3_ROWS[at + 1][0]}\n" + "\n".join(["0", "0", "1", "0", "0", "0", "1"]) + "\n"
    tail = "".join(f"{label}\t{chr(9).join(map(str, cells))}\n" for label, cells in T3_ROWS[at + 2 :] if cells)
    text = f"三、收到和处理政府信息公开申请情况\n{rows}{page}{tail}四、政府信息公开行政复议、行政诉讼情况\n"
    reading = read(Document(text))
    assert reading.report is not None
    confirm = "applications.results.not_processed.confirm_or_reissue"
    assert "这些数字未必属于本行" in reading.unsure[f"{confirm}.natural_person"]


def _table3_holds(case: Case) -> bool:
    return not any(c.startswith("applications.") for v in check(case.report).violations for c in v.cells)


@pytest.mark.parametrize("at", [8, 20])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_table_drawn_by_columns_page_by_page_is_read_when_every_page_is_complete_and_the_sums_hold(
    gold_path: Path, at: int
) -> None:
    """表三 over two pages, each page drawn column by column (its labels, then each column's numbers; the column
    headers on the first page only): each page's columns hold one number per row of that page, placed in the
    national order page by page, and derived when every row total and column balance holds; unsure when the
    source's own sums fail (no placement can then be confirmed) or a page holds blank cells (shuyang's blank
    legal-person columns: the second page prints no header to tell which columns are blank)."""
    case = _case(gold_path, markers={"三": at})
    envelope = run(case)
    outcome = judge(case, envelope)
    assert outcome.ok, outcome.describe(case, envelope)
    table3 = [p for p in case.truth if p.startswith("applications.")]
    if _table3_holds(case) and None not in {case.truth[p] for p in table3}:
        assert {flatten(envelope.report)[p] for p in table3} == {case.truth[p] for p in table3}
        assert {envelope.levels[p] for p in table3} == {"derived"}
        assert read(Document(_text(case))).derived[table3[0]] == COLUMNS_READ_PAGES
    elif not _table3_holds(case):
        assert all(p in envelope.unsure for p in table3)


@pytest.mark.parametrize("at", [5, 12, 20, 24])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_table_drawn_by_columns_page_by_page_with_blank_cells_leaves_no_cell_silent(gold_path: Path, at: int) -> None:
    """The same with the legal-person columns blank and a few 自然人 cells blank: the second page has no column
    headers, so which of its columns are blank is unknown, and the first page's short 自然人 column can't be
    placed: those columns are unsure, never filled in order."""
    case = _case(gold_path, markers={"三": at}, blank_legal=True, blank_natural=(1, 21))
    envelope = run(case)
    outcome = judge(case, envelope)
    assert outcome.ok, outcome.describe(case, envelope)


@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_proactive_drawn_by_columns_is_read_under_its_column_headers(gold_path: Path) -> None:
    """表二 drawn column by column: every row label (in blocks under 第二十条第（X）项), then each column from top
    to bottom, each block's header and its numbers. The headers name the national columns in order, each with
    one number per row of its block: every cell is read, derived."""
    case = _case(gold_path)
    envelope = run(case)
    outcome = judge(case, envelope)
    assert outcome.ok, outcome.describe(case, envelope)
    table2 = [p for p in case.truth if p.startswith("proactive.")]
    assert {p: flatten(envelope.report)[p] for p in table2} == {p: case.truth[p] for p in table2}
    assert {envelope.levels[p] for p in table2} == {"derived"}
    assert read(Document(_text(case))).derived[table2[0]] == PROACTIVE_COLUMNS_READ


@pytest.mark.parametrize(
    "blank",
    [
        ("proactive.normative_docs.issued",),  # one of a block's two cells: the column's number has no row
        ("proactive.penalty.decisions", "proactive.coercion.decisions"),  # a block's whole column: blank
        ("proactive.licensing.decisions",),  # 2021: a one-row block's only cell
    ],
)
@pytest.mark.parametrize("gold", ["hongze-2024", "003_d9cb11323f1ad30e"])
def test_proactive_drawn_by_columns_with_blank_cells_is_blank_or_unsure(gold: str, blank: tuple[str, ...]) -> None:
    """A header with no number under it: its block's cells in that column are blank; a header with fewer
    numbers than its block has rows: those cells are unsure (a blank cell leaves no line), the rest still read."""
    case = _case(GOLD / f"{gold}.json", blank_proactive=blank)
    envelope = run(case)
    outcome = judge(case, envelope)
    assert outcome.ok, outcome.describe(case, envelope)
    got = flatten(envelope.report)
    if len(blank) == 1 and blank[0].startswith("proactive.normative_docs."):
        assert "空白单元格没有留下位置" in envelope.unsure["proactive.regulations.issued"]
        assert envelope.levels["proactive.regulations.in_force"] == "derived"
    else:
        assert all(got[p] is None and envelope.levels[p] == "derived" for p in blank)
    assert envelope.levels["proactive.fees.amount_wan_yuan"] == "derived"


def test_proactive_drawn_by_columns_with_a_header_printed_twice_is_read() -> None:
    """A block's header row repeated (a fragment's own header): the same header twice with no number between."""
    from .test_split_labels import T3_ROWS

    table3 = "".join(
        f"{label}\t{chr(9).join(map(str, cells))}\n" if cells else f"{label}\n" for label, cells in T3_ROWS
    )
    text = (
        "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\n规章\n规范性文件\n第二十条第（五）项\n信息内容\n"
        "行政许可\n第二十条第（六）项\n信息内容\n行政处罚\n行政强制\n第二十条第（八）项\n信息内容\n行政事业性收费\n"
        "本年制发件数\n本年制发件数\n1\n2\n本年处理决定数量\n3\n本年处理决定数量\n4\n5\n本年收费金额（单位：万元）\n6\n"
        "本年废止件数\n7\n8\n现行有效件数\n9\n10\n三、收到和处理政府信息公开申请情况\n"
        f"{table3}四、政府信息公开行政复议、行政诉讼情况\n"
    )
    reading = read(Document(text))
    assert reading.report is not None
    got = {p: v for p, v in flatten(reading.report).items() if p.startswith("proactive.")}
    assert list(got.values()) == [1, 7, 9, 2, 8, 10, 3, 4, 5, 6.0]
    assert not [p for p in got if p in reading.unsure]


def test_a_merged_other_row_whose_label_is_lost_leaves_the_other_rows_unsure() -> None:
    """hongze-2024 prints （六）其他处理 as one row (2021 format); drawn column by column with its label lost, the
    table can't say whether it prints one row or three. The column placement filled the three sub-rows (blank
    legal-person columns derived blank) whether their labels were found or not, which hid that the labels were
    lost: the group is unsure."""
    case = _case(GOLD / "hongze-2024.json", blank_legal=True, drop_labels=("（六）其他处理",))
    envelope = run(case)
    outcome = judge(case, envelope)
    assert outcome.ok, outcome.describe(case, envelope)
    other = [p for p in envelope.levels if p.startswith("applications.results.other.")]
    assert other and all(envelope.levels[p] in ("chosen", "unknown") and p in envelope.unsure for p in other)
