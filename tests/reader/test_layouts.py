"""One test per layout family: the reader's cells equal the gold exactly, or the reader says it is unsure.

Every wrong cell must be named in ``unsure`` (no silent errors), and the text layouts the reader can read
completely must be read completely.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.core.checker import check
from giar_llm.core.document import Document
from giar_llm.core.paths import flatten
from giar_llm.core.schema import report_to_json
from giar_llm.files import load_gold
from giar_llm.reader import read

from ..conftest import GOLD, REPORTS

# layout family -> report; True where the reader must read every cell exactly
FAMILIES = {
    "one cell per line, tab-indented": ("000_27f8f84a704e59bd.txt", True),
    "a cell per line, an empty line per blank cell; source does not add up": ("001_804bc5c71be8d781.txt", True),
    "space-separated rows, wrapped labels, Kangxi radicals": ("002_466e71db95901446.txt", True),
    "tab rows with an extra empty column, 社会组织": ("003_d9cb11323f1ad30e.txt", True),
    "one cell per line, 半年制发件数, wrapped title": ("004_70dcda0e25489c34.txt", True),
    "pypdf text: one char per line group labels, page markers": ("hongze-2024.pypdf.txt", True),
    "pdftotext -layout: column-aligned": ("hongze-2024.pdftotext-layout.txt", True),
    "flattened web page: cells run together": ("pingtan-2020.txt", False),
    "markdown fragments: labels lost, out of order": ("shanghai-office-2025.md", False),
}


def _read(name: str) -> tuple[dict[str, object], dict[str, object], dict[str, str]]:
    path = REPORTS / name
    gold = load_gold(GOLD / f"{name.split('.', 1)[0]}.json")
    reading = read(Document(path.read_text(encoding="utf-8")))
    assert reading.report is not None, reading.error
    return dict(flatten(gold.report)), dict(flatten(reading.report)), reading.unsure


@pytest.mark.parametrize("family", FAMILIES, ids=list(FAMILIES))
def test_layout_family(family: str) -> None:
    name, complete = FAMILIES[family]
    gold, got, unsure = _read(name)
    wrong = {p for p in gold if gold[p] != got.get(p) or type(gold[p]) is not type(got.get(p))}
    assert not (wrong - set(unsure)), f"silent errors: {sorted(wrong - set(unsure))[:5]}"
    if complete:
        assert not wrong and not unsure


@pytest.mark.parametrize("name", ["001_804bc5c71be8d781.txt", "pingtan-2020.txt"])
def test_source_inconsistencies_are_found(name: str) -> None:
    gold = load_gold(GOLD / f"{name.split('.', 1)[0]}.json")
    reading = read(Document((REPORTS / name).read_text(encoding="utf-8")))
    assert reading.report is not None
    found = sorted(v.key for v in check(reading.report).violations)
    assert found == sorted(v.key for v in gold.expected_violations)


def test_format_comes_from_the_tables_not_the_year(tmp_path: Path) -> None:
    text = (REPORTS / "001_804bc5c71be8d781.txt").read_text(encoding="utf-8").replace("2020", "2023")
    reading = read(Document(text))
    assert reading.report is not None and reading.report.format == "2019"


def test_no_table_is_an_error_not_a_report() -> None:
    reading = read(Document("一、总体情况\n本年度无特别事项。\n"))
    assert reading.report is None and reading.error


def test_evidence_points_at_the_number_in_the_source() -> None:
    text = (REPORTS / "002_466e71db95901446.txt").read_text(encoding="utf-8")
    reading = read(Document(text))
    start, end = reading.evidence["applications.new_requests.total"]
    assert text[start:end] == "9"
    line = text[text.rfind("\n", 0, start) + 1 : text.find("\n", end)]
    assert "本年新收" in line


def test_dash_and_none_marks_read_as_zero_with_a_warning() -> None:
    rows = "\n".join(
        [
            "三、收到和处理政府信息公开申请情况",
            "一、本年新收政府信息公开申请数量\t1\t/\t-\t—\t无\t0\t1",
            "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0",
        ]
    )
    reading = read(Document(rows))
    assert reading.report is not None
    assert reading.report.applications.new_requests.commercial_enterprise == 0
    assert any(w.check == "zero_mark" for w in reading.warnings)


def test_blank_delimited_cells_are_null_not_zero() -> None:
    rows = "一、本年新收政府信息公开申请数量\t3\t\t\t\t\t\t3\n二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n"
    reading = read(Document("三、收到和处理政府信息公开申请情况\n" + rows))
    assert reading.report is not None
    row = reading.report.applications.new_requests
    assert (row.natural_person, row.commercial_enterprise, row.total) == (3, None, 3)
    assert "applications.new_requests.commercial_enterprise" not in reading.unsure


def test_numbers_printed_before_their_labels_make_the_table_unsure() -> None:
    rows = [
        "三、收到和处理政府信息公开申请情况",
        "3\t0\t0\t0\t0\t0\t3",
        "一、本年新收政府信息公开申请数量",
        "0\t0\t0\t0\t0\t0\t0",
        "二、上年结转政府信息公开申请数量",
    ]
    reading = read(Document("\n".join(rows)))
    assert reading.report is not None
    assert "applications.new_requests.total" in reading.unsure
    assert "applications.carried_over.total" in reading.unsure


def test_a_table_without_format_fingerprints_and_a_single_other_row_is_2019() -> None:
    rows = [
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1",
        "（六）其他处理\t0\t0\t0\t0\t0\t0\t0",
        "（七）总计\t1\t0\t0\t0\t0\t0\t1",
    ]
    reading = read(Document("\n".join(rows)))
    assert reading.report is not None and reading.report.format == "2019"
    assert reading.report.applications.results.other.is_merged()


def test_narrative_numbers_that_differ_from_the_table_are_warnings_with_the_sentence() -> None:
    text = "\n".join(
        [
            "一、总体情况",
            "全年共收到政府信息公开申请12件，均已按时答复。",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "一、本年新收政府信息公开申请数量\t9\t0\t0\t0\t0\t0\t9",
        ]
    )
    reading = read(Document(text))
    warning = next(w for w in reading.warnings if w.check == "narrative_new_requests")
    assert "12" in warning.message and "9" in warning.message
    assert warning.evidence and "共收到政府信息公开申请12件" in warning.evidence
    assert warning.span is not None and text[warning.span[0] : warning.span[1]].endswith("12件")


def test_rows_whose_labels_were_lost_go_to_the_next_rows_without_numbers() -> None:
    from .render import render

    gold = load_gold(GOLD / "000_27f8f84a704e59bd.json").report
    text = render(gold, "markdown")
    confirm = "5.要求行政机关确认或重新出具已获取信息"
    no_correction = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    # the two labels float above the table fragment; their number rows lost the label cell
    text = text.replace(f"| {confirm} |", "|").replace(f"| {no_correction} |", "|")
    text = text.replace("（五）不予处理\n", f"（五）不予处理\n{confirm}\n{no_correction}\n")
    text = text.replace("（六）其他处理\n", "")
    reading = read(Document(text))
    assert reading.report is not None
    assert flatten(reading.report) == flatten(gold)
    assert not reading.unsure


@pytest.mark.parametrize("name", [n for n, _ in FAMILIES.values()])
def test_every_evidence_span_holds_its_number(name: str) -> None:
    from giar_llm.core.paths import flatten
    from giar_llm.reader.normalize import normalize

    text = (REPORTS / name).read_text(encoding="utf-8")
    reading = read(Document(text))
    assert reading.report is not None and reading.evidence
    cells = flatten(reading.report)
    folded = normalize(text)
    for path, (start, end) in reading.evidence.items():
        value, quoted = cells[path], folded[start:end].replace(",", "")
        if path.startswith("meta") or value is None or quoted in ("/", "-", "—", "－", "无"):
            continue
        assert float(quoted.rstrip("元")) == pytest.approx(float(value)) or path.endswith("amount_wan_yuan"), (
            path,
            quoted,
            value,
        )


@pytest.mark.parametrize(
    ("header", "cell", "expected"),
    [
        ("采购总金额（元）", "73802895.90", 7380.28959),
        ("采购总金额（万元）", "7380.29", 7380.29),
        ("采购总金额", "5.5万元", 5.5),
    ],
)
def test_procurement_amount_is_in_wan_yuan(header: str, cell: str, expected: float) -> None:
    from .render import render

    gold = load_gold(GOLD / "001_804bc5c71be8d781.json").report
    text = (
        render(gold, "tabs").replace("采购总金额", header).replace("政府集中采购\t0\t0", f"政府集中采购\t395\t{cell}")
    )
    reading = read(Document(text))
    assert reading.report is not None
    assert reading.report.proactive.procurement.amount_wan_yuan == pytest.approx(expected)  # type: ignore[union-attr]


@pytest.mark.parametrize("gap", ["- 11 -\n\n", "\n\n"])
def test_empty_lines_after_a_row_of_consecutive_values_are_not_its_blank_cells(gap: str) -> None:
    """PDF text one cell a line (blank cells leave no line): a page break after a row with blank cells leaves
    empty lines (and a footer) that would make up the row's width; they are spacing, not cells."""
    rows = [
        "三、收到和处理政府信息公开申请情况",
        "（三）不予公开",
        "3.危及“三安全一稳定”",
        "0\n0\n0\n0\n0",
        gap + "4.保护第三方合法权益",
        "1\n0\n0\n0\n0\n0\n1",
    ]
    reading = read(Document("\n".join(rows)))
    assert reading.report is not None
    for field in ("natural_person", "other_org", "total"):
        assert f"applications.results.denied.security_stability.{field}" in reading.unsure


def test_a_wrapped_labels_own_characters_are_not_its_cells() -> None:
    """A label wrapped over lines, its numbering alone on the first: 无 of 无正当理由 on a line of its own is
    the label's text, not a zero mark, when the numbers follow the label's last line."""
    rows = [
        "三、收到和处理政府信息公开申请情况",
        "（五）不予处理",
        "4.",
        "无",
        "正当理由大量反复申请",
        "1\n0\n0\n0\n0\n0\n1",
        "5.要求行政机关确认或重新出具已获取信息",
        "0\n0\n0\n0\n0\n0\n0",
    ]
    reading = read(Document("\n".join(rows)))
    assert reading.report is not None
    row = reading.report.applications.results.not_processed.excessive_repeat
    assert (row.natural_person, row.commercial_enterprise, row.total) == (1, 0, 1)
    assert not any(p.startswith("applications.results.not_processed.excessive_repeat") for p in reading.unsure)


@pytest.mark.parametrize("name", [name for name, _ in FAMILIES.values()])
def test_the_reading_is_json_data_validated_once(name: str) -> None:
    """The reader's report is JSON data that the checker takes as it is; its pydantic model is validated when
    first asked for, once, and holds the same cells."""
    reading = read(Document((REPORTS / name).read_text(encoding="utf-8")))
    assert reading.data is not None
    checked = check(reading.data)
    report = reading.report
    assert report is not None and reading.report is report
    assert report_to_json(report) == reading.data
    assert check(report) == checked


def test_no_table_no_report() -> None:
    reading = read(Document("本年度未收到政府信息公开申请。"))
    assert reading.data is None and reading.report is None and reading.error
