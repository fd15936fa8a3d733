"""The table locator: each table's place by the national headings and the variants reports print."""

from __future__ import annotations

import random
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giar_llm.core.document import Document
from giar_llm.core.locator import (
    CLOSING,
    HEADINGS,
    STOPS,
    TABLE3_LAST_ROW,
    Place,
    earliest,
    heading_start,
    is_stop,
    locate,
    names_table3,
    pattern,
    prints_a_table,
    table3_starts,
)
from giar_llm.core.schema import Section, detect_format, section_title
from giar_llm.inputs import load_bytes, load_input
from giar_llm.llm.sections import section_text
from giar_llm.reader import read
from giar_llm.reader.normalize import normalize

from .conftest import REPORTS

TABLE2 = "第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t3\n"
TABLE3 = (
    "申请人情况\n自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
    "一、本年新收政府信息公开申请数量\t5\t0\t0\t0\t0\t0\t5\n"
    "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n"
    "（一）予以公开\t5\t0\t0\t0\t0\t0\t5\n"
    "四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0\n"
)
TABLE4 = (
    "行政复议\t行政诉讼\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n"
)
NARRATIVE = "一、总体情况\n本年度全年未发生行政复议案件，依申请公开工作有序开展。\n"


def national(
    two: str = "二、主动公开政府信息情况\n",
    three: str = "三、收到和处理政府信息公开申请情况\n",
    four: str = "四、政府信息公开行政复议、行政诉讼情况\n",
    five: str = "五、存在的主要问题及改进情况\n无。\n",
) -> str:
    return NARRATIVE + two + TABLE2 + three + TABLE3 + four + TABLE4 + five


def table_text(text: str, places: dict[Section, Place], section: Section) -> str:
    place = places[section]
    return text[place.start : place.end]


def test_the_headings_are_the_national_wording_first() -> None:
    for section, phrases in HEADINGS.items():
        assert phrases[0] in section_title(section)


def test_national_headings_place_each_table_from_its_heading_to_the_next() -> None:
    text = national()
    places = locate(text)
    assert list(places) == ["二", "三", "四"]
    assert table_text(text, places, "二").startswith("二、主动公开政府信息情况\n第二十条")
    assert table_text(text, places, "三").startswith("三、收到和处理政府信息公开申请情况\n申请人情况")
    assert table_text(text, places, "三").endswith("结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0\n")
    assert table_text(text, places, "四").startswith("四、政府信息公开行政复议")
    assert table_text(text, places, "四").endswith(TABLE4)
    assert places["二"].end == places["三"].start and places["三"].end == places["四"].start
    heading = places["三"].heading
    assert heading is not None and text[heading[0] : heading[1]] == HEADINGS["三"][0]
    assert places["三"].opens == heading[0]


@pytest.mark.parametrize(
    "four",
    [
        "四、行政复议和行政诉讼情况\n",
        "四、政府信息公开行政复议、行政诉讼情况\n".replace("、", "、 "),
        "四、政府信息公开行政\n复议、行政诉讼情况\n",  # wrapped over two lines
        "| 四、政府信息公开行政复议、行政诉讼情况 |\n",  # a markdown table's title row
    ],
)
def test_table4_under_a_variant_heading(four: str) -> None:
    text = national(four=four)
    places = locate(text)
    assert table_text(text, places, "四").lstrip("| ").startswith("四、") and table_text(text, places, "四").endswith(
        TABLE4
    )
    assert "结转下年度" in table_text(text, places, "三") and TABLE4 not in table_text(text, places, "三")


def test_a_narrative_naming_the_review_before_table3_ends_does_not_start_table4() -> None:
    text = national()
    places = locate(text)
    assert text.index("行政复议") < places["三"].start  # the narrative's 行政复议案件
    assert places["四"].start == text.index("四、政府信息公开")


def test_the_row_above_a_heading_on_the_same_line_stays_in_its_table() -> None:
    text = national(four="四、政府信息公开行政复议、行政诉讼情况\n").replace(
        "继续办理\t0\t0\t0\t0\t0\t0\t0\n四、政府", "继续办理\t0\t0\t0\t0\t0\t0\t0 四、政府"
    )
    places = locate(text)
    assert table_text(text, places, "三").endswith("继续办理\t0\t0\t0\t0\t0\t0\t0")
    assert table_text(text, places, "四") == " 四、政府信息公开行政复议、行政诉讼情况\n" + TABLE4


def test_without_a_table4_heading_its_header_starts_it() -> None:
    text = national(four="")
    places = locate(text)
    assert table_text(text, places, "四") == TABLE4  # 行政复议 of its header, the first after 表三's last row


def test_without_table4_table3_runs_to_the_closing_heading() -> None:
    text = national(four="").replace(TABLE4, "")
    places = locate(text)
    assert "四" not in places
    assert table_text(text, places, "三").endswith("继续办理\t0\t0\t0\t0\t0\t0\t0\n")


@pytest.mark.parametrize("five", ["五、存在的主要问题及改进情况\n", "五、主要问题及改进情况\n", "五、存在问题及改进\n"])
def test_the_closing_heading_ends_table4(five: str) -> None:
    text = national(five=five)
    assert table_text(text, locate(text), "四").endswith(TABLE4)
    assert any(phrase in five for phrase in CLOSING)


def test_without_the_table3_heading_its_header_starts_it() -> None:
    text = national(three="")
    places = locate(text)
    assert table_text(text, places, "三").startswith("申请人情况")
    assert table_text(text, places, "二").endswith("规章\t0\t0\t3\n")


def test_table2s_header_starts_it_only_with_its_rows_close_after() -> None:
    # 2019 format: 第二十条第（一）项 heads 表二; a narrative citing the article is not a table
    cited = "依照条例第二十条第（一）项的规定，本机关主动公开了各类信息。\n" + "本年度信息公开工作平稳。\n" * 40
    text = cited + national()
    places = locate(text)
    assert places["二"].start == text.index("二、主动公开")
    heading = places["二"].heading
    assert heading is not None and text[heading[0] : heading[1]] == "第二十条第"
    assert heading[0] == text.index("第二十条第（一）项\n信息内容")
    # a heading right above the header opens the table's text; the reader reads from the header
    assert places["二"].opens == heading[0]


def test_no_table2_without_its_heading_or_header() -> None:
    text = NARRATIVE + "三、收到和处理政府信息公开申请情况\n" + TABLE3
    places = locate(text)
    assert "二" not in places and "四" not in places
    assert places["三"].end == len(text)


def test_without_any_heading_table3_is_the_whole_text() -> None:
    places = locate("本年新收 5 件。")
    assert places == {"三": Place(0, len("本年新收 5 件。"))}
    assert places["三"].opens == 0


def test_every_printed_table3_is_found() -> None:
    text = national() + "\n附：\n" + national()
    starts = table3_starts(text)
    assert len(starts) == 2 and all(text.startswith("本年新收", s) for s in starts)
    assert table3_starts("本年新收申请 5 件，予以公开 3 件。") == []  # narrative: no 上年结转 after it


def test_markers_of_the_report_tables() -> None:
    assert prints_a_table("信息内容\t本年制发件数") and prints_a_table("结果\n维持")
    assert not prints_a_table("2024年政府信息公开工作年度报告")
    assert names_table3("三、收到和处理政府信息\n公开申请情况") and not names_table3("政府信息公开申请")


@pytest.mark.parametrize(
    "name",
    [
        "000_27f8f84a704e59bd.txt",
        "000_27f8f84a704e59bd.docx",
        "001_804bc5c71be8d781.txt",  # 2019 format
        "002_466e71db95901446.txt",  # Kangxi radicals in the headings
        "hongze-2024.pdftotext-layout.txt",
        "pingtan-2020.txt",  # 2019 format, flattened page
        "shanghai-office-2025.md",
        "shuyang-fgj-2023.html",
    ],
)
def test_the_tables_of_every_eval_report_in_both_formats(name: str) -> None:
    text = normalize(load_input(REPORTS / name).document.text)
    places = locate(text)
    assert list(places) == ["二", "三", "四"]
    compact = {section: "".join(table_text(text, places, section).split()) for section in places}
    assert "规章" in compact["二"] and "本年新收" not in compact["二"]
    assert "本年新收" in compact["三"] and "结转下年度" in compact["三"] and "结果维持" not in compact["三"]
    assert "维持" in compact["四"] and "尚未" in compact["四"] and "存在的主要问题" not in compact["四"]
    fmt = detect_format(text[places["二"].opens : places["三"].end])
    assert fmt == ("2019" if name.startswith(("001", "pingtan")) else "2021")


def test_the_model_path_without_the_readers_spans_asks_for_the_located_table() -> None:
    document = Document((REPORTS / "002_466e71db95901446.txt").read_text(encoding="utf-8"))
    four = section_text(document, "四", {})
    assert four.text.startswith("四、政府信息公开") and "五、" not in four.text  # ⾏政复议 written in radicals
    three = section_text(document, "三", {})
    assert three.text.startswith("三、收到和处理") and "结果维持" not in three.text
    assert section_text(Document("本年新收 5 件。"), "四", {}).text == "本年新收 5 件。"


def test_the_reader_and_the_model_path_place_table3_alike() -> None:
    document = Document((REPORTS / "000_27f8f84a704e59bd.txt").read_text(encoding="utf-8"))
    reading = read(document)
    located = section_text(document, "三", {})
    start, end = reading.sections["三"]
    assert located.start == start and located.start + len(located.text) >= end


def test_the_html_report_root_keeps_a_2019_table2() -> None:
    # 表二 of the 2019 format prints none of 表三's or 表四's phrases, nor 本年制发件数: it is still the report's
    # (the report root was the 三 block alone, and 表二 was lost)
    page = (
        "<html><body><p>相关链接</p><table><tr><td>首页</td></tr></table><div>"
        "<div><p>二、主动公开政府信息情况</p><table><tr><td>信息内容</td><td>上一年项目数量</td>"
        "<td>本年增/减</td><td>处理决定数量</td></tr><tr><td>行政许可</td><td>7</td><td>1</td><td>9</td></tr>"
        "</table></div><div><p>三、收到和处理政府信息公开申请情况</p><table><tr><td>本年新收</td><td>5</td></tr>"
        "<tr><td>予以公开</td><td>5</td></tr></table></div></div></body></html>"
    )
    text = load_bytes(page.encode("utf-8"), "report.html").document.text
    assert "处理决定数量" in text and "本年新收" in text and "首页" not in text


SUBSECTIONS = (
    "一、总体情况\n（一）主动公开政府信息情况\n本年度制定规章2件，行政规范性文件5件。\n"
    "（二）收到和处理政府信息公开申请情况\n本年新收申请5件，予以公开5件，行政复议0件。\n"
)


def test_a_narrative_subsection_named_like_a_table_does_not_start_it() -> None:
    # 表二 without its 第二十条第（一）项 header: its heading is the one its header (信息内容) follows
    text = SUBSECTIONS + national().split("一、总体情况\n", 1)[1].replace("第二十条第（一）项\n", "")
    places = locate(text)
    assert table_text(text, places, "二").startswith("二、主动公开政府信息情况\n信息内容")
    assert table_text(text, places, "三").startswith("三、收到和处理政府信息公开申请情况\n申请人情况")
    # read as the same report printed without the subsections
    plain = national().replace("第二十条第（一）项\n", "")
    alone, with_narrative = read(Document(plain)), read(Document(text))
    assert alone.report is not None and with_narrative.report is not None
    assert with_narrative.report.proactive == alone.report.proactive
    assert with_narrative.report.proactive.regulations.model_dump() == {"issued": 0, "repealed": 0, "in_force": 3}
    assert {p: r for p, r in with_narrative.unsure.items() if p.startswith("proactive.")} == {
        p: r for p, r in alone.unsure.items() if p.startswith("proactive.")
    }


def test_without_its_header_after_any_heading_the_first_heading_starts_the_table() -> None:
    text = SUBSECTIONS + national().split("一、总体情况\n", 1)[1].replace(TABLE2, "规章\t0\t0\t3\n")
    assert table_text(text, locate(text), "二").startswith("（一）主动公开政府信息情况")


def test_stops_are_every_digit_str_isdigit_knows_and_the_cell_separators() -> None:
    """heading_start stops where a character-by-character walk testing str.isdigit would: the class holds the same
    characters, whatever this Python's Unicode tables are, and so does is_stop (the walk over the first characters
    before a phrase, which skips the ideographs and CJK punctuation without a look-up)."""
    separators = set("\t|/-—－–")
    wrong = []
    for code in range(sys.maxunicode + 1):
        stop = chr(code).isdigit() or chr(code) in separators
        if bool(STOPS.fullmatch(chr(code))) != stop or is_stop(code) != stop:
            wrong.append(hex(code))
    assert wrong == []


def test_heading_start_goes_back_over_the_line_to_its_last_digit_or_separator() -> None:
    assert heading_start("x\n3 四、行政复议", 6) == 3
    assert heading_start("x\n四、行政复议", 4) == 2
    assert heading_start("0 0|四、行政复议", 6) == 4
    assert heading_start("②四、行政复议", 3) == 1


def test_heading_start_is_the_walk_back_to_the_last_stop_over_long_lines() -> None:
    """Searched a window at a time from the phrase back: the same place as a walk back character by character, on
    lines far longer than a window, with the stop near, far or absent."""
    separators = set("\t|/-—－–")
    pieces = ["四、", "行政复议", "x", " ", "\n", "3", "②", "|", "—", "数据" * 20, "　" * 70]
    choose = random.Random(108)
    for _ in range(5000):
        text = "".join(choose.choice(pieces) for _ in range(choose.randint(0, 14)))
        at = choose.randint(0, len(text))
        walk = at
        while walk > 0 and text[walk - 1] != "\n" and not (text[walk - 1].isdigit() or text[walk - 1] in separators):
            walk -= 1
        assert heading_start(text, at) == walk, (text, at)


_PHRASE_PIECES = [
    "结转",
    "下年度",
    "继续办理",
    "结",
    "下",
    "存在的",
    "主要问题",
    "及改进",
    "五、",
    "存在",
    "行政复议",
    "、",
]
_PHRASE_PIECES += ["行政诉讼", "政府信息公开", " ", "\n", "|", "x", "数据"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_PHRASE_PIECES), max_size=16), st.integers(0, 10))
def test_the_earliest_phrase_s_own_match_is_the_alternatives_match(pieces: list[str], start: int) -> None:
    text = "".join(pieces)
    for keys in (TABLE3_LAST_ROW, CLOSING, HEADINGS["四"]):
        expected = pattern(keys).search(text, start)
        found = earliest(keys, text, start)
        assert (found.span() if found else None) == (expected.span() if expected else None), (keys, text)


def test_where_two_phrases_start_at_one_place_the_earlier_phrase_s_match_is_taken() -> None:
    text = "x行政复议、行政诉讼情况"
    assert earliest(HEADINGS["四"], text, 0).span() == pattern(HEADINGS["四"]).search(text).span() == (1, 10)
