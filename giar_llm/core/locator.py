"""Where the report's tables stand in a text: one locator for the reader, the model path and the inputs.

The national format prints its tables under numbered headings (二、主动公开政府信息情况, 三、收到和处理政府信息
公开申请情况, 四、政府信息公开行政复议、行政诉讼情况), followed by 五、存在的主要问题…. Reports vary the wording
(四、行政复议和行政诉讼情况) or leave a heading out; a table's own header then stands for it (表二's
第二十条第（一）项, 表三's 申请人情况, 表四's 行政复议). :func:`locate` finds each table in order, each after the one
before it, so that a narrative naming a section earlier does not start its table: 表三 after 表二, 表四 after
表三's last row. Every phrase matches with any whitespace (or table pipes) between its characters, so headings
wrapped over lines or split by a PDF still match. Offsets are the text's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final

from giar_llm.core.schema import Section

HEADINGS: dict[Section, tuple[str, ...]] = {
    "二": ("主动公开政府信息情况",),
    "三": ("收到和处理政府信息公开申请",),
    "四": ("政府信息公开行政复议", "行政复议、行政诉讼", "行政复议"),
}
"""Each table's heading in the national wording first (a phrase of :func:`~giar_llm.core.schema.section_title`),
then the variants reports print; earlier phrases win where several match at one place."""

HEADERS: dict[Section, tuple[str, ...]] = {
    "二": ("第二十条第",),
    "三": ("申请人情况",),
}
"""A table's own header, which stands for its heading: 表二's first block is headed 第二十条第（一）项 in both
formats (taken first, and only with 规章 close after it: a narrative may cite the article), 表三's 申请人情况 (taken
when its heading is missing)."""

TABLE_HEADS: dict[Section, tuple[str, ...]] = {
    "二": ("信息内容", "第二十条第"),
    "三": ("申请人情况", "商业企业", "科研机构"),
}
"""Phrases of a table's own header, which a narrative naming the section does not print."""

CLOSING: tuple[str, ...] = ("存在的主要问题", "五、存在", "主要问题及改进")
"""The heading after the tables (五、存在的主要问题及改进情况)."""

TABLE3_FIRST_ROWS: tuple[str, ...] = ("本年新收", "上年结转", "予以公开")
"""表三's first rows (一、本年新收…, 二、上年结转…, （一）予以公开), which open every printed 表三."""

TABLE3_LAST_ROW: tuple[str, ...] = ("结转下年度", "下年度继续办理")
"""表三's last row (四、结转下年度继续办理): 表四 is looked for after it (its 行政复议 may be named earlier)."""

TABLE_MARKERS: tuple[str, ...] = (
    "信息内容",
    "处理决定数量",
    "本年制发件数",
    "申请人情况",
    "本年新收",
    "予以公开",
    "行政复议",
    "结果维持",
    "部分公开",
    "不予公开",
    "无法提供",
    "不予处理",
    "其他处理",
    "结转下年度",
)
"""Phrases that the report's own tables print (表二's, 表三's and 表四's headers and first rows, and the group
rows of 表三's results: a page of a table broken over pages may print none of its header or first rows)."""

_RULES_WINDOW = 400  # 规章 follows 表二's 第二十条第（一）项 header within this many characters
_TABLE3_WINDOW = 3000  # 表三's first rows are within this many characters of its first label


@cache
def pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    """A regex matching any of the phrases with any whitespace (or table pipes) between characters."""
    alternatives = ["[\\s|]*".join(re.escape(ch) for ch in key) for key in keys]
    return re.compile("|".join(alternatives))


@dataclass(frozen=True)
class Place:
    """One table's place: from ``start`` (its heading's line, numbering included) to ``end`` (where the next
    heading's line starts); ``heading`` is the heading (or header) phrase as found, None when it was not."""

    start: int
    end: int
    heading: tuple[int, int] | None = None

    @property
    def opens(self) -> int:
        """Where the table's own reading starts: its heading phrase, else ``start``."""
        return self.heading[0] if self.heading is not None else self.start


# str.isdigit's digits that \d does not match (not decimal: ² ① ⑴ ⒈ ❶ …); a test checks the class against
# str.isdigit over every code point.
_OTHER_DIGITS = (
    "\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c"
    "\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792\U00010a40-\U00010a43"
    "\U00010e60-\U00010e68\U00011052-\U0001105a\U0001f100-\U0001f10a"
)
STOPS = re.compile(f"[\\d{_OTHER_DIGITS}\t|/\\-—－–]")
"""What a heading or label stops at, back over its line: a digit (any ``str.isdigit``) or a cell separator."""
_STOP_WINDOW = 64  # characters looked back over at a time
_NEAR: Final = 16  # characters looked back over one by one first (Final: compiled, a constant, not a look-up)


def is_stop(code: int) -> bool:
    """Whether the character ``code`` is one of STOPS, mostly without making the character (the ideographs and CJK
    punctuation, U+2800-9FFF, hold no digit and no separator; a test checks every code point against STOPS)."""
    if code < 0x80:
        return 48 <= code <= 57 or code == 9 or code == 124 or code == 47 or code == 45
    if 0x2800 <= code <= 0x9FFF:
        return False
    return code == 0x2014 or code == 0xFF0D or code == 0x2013 or chr(code).isdigit()


def heading_start(text: str, phrase_start: int) -> int:
    """Back from a heading's phrase over the rest of its line (its numbering 四、), stopping at a digit or a
    cell separator: the row before the heading may end on the same line.

    The few characters before the phrase are looked at one by one (most stops are within them: no slice, reversal
    and regex call), the rest of a long line a window at a time."""
    near = max(0, phrase_start - _NEAR)
    end = phrase_start
    while end > near:
        code = ord(text[end - 1])
        if code == 10 or is_stop(code):
            return end
        end -= 1
    line_start = text.rfind("\n", 0, end) + 1
    while end > line_start:  # the line's last stop: searched in the reversed line, a window at a time from the phrase
        start = max(line_start, end - _STOP_WINDOW)
        stop = STOPS.search(text[start:end][::-1])
        if stop is not None:
            return end - stop.start()
        end = start
    return line_start


def locate(text: str) -> dict[Section, Place]:
    """Each table's place in ``text``, in the format's order. 表三 is always placed (at the start of the text
    when neither its heading nor 表二 is found); 表二 and 表四 only when their heading (or header) is found."""
    n = len(text)
    places: dict[Section, Place] = {}
    t2 = _table2_heading(text)
    from_t2 = t2.start() if t2 is not None else 0
    t3 = _opening(text, "三", from_t2) or pattern(HEADERS["三"]).search(text, from_t2)
    t3_at = t3.start() if t3 is not None else from_t2
    t3_start = heading_start(text, t3_at) if t3 is not None else from_t2
    last_row = earliest(TABLE3_LAST_ROW, text, t3_at)
    t4 = pattern(HEADINGS["四"]).search(text, last_row.end() if last_row is not None else t3_at)
    closing = earliest(CLOSING, text, t4.end() if t4 is not None else t3_at)
    end = heading_start(text, closing.start()) if closing is not None else n
    if t2 is not None:
        places["二"] = Place(heading_start(text, _heading_above(text, t2.start())), t3_start, t2.span())
    if t4 is not None:
        places["四"] = Place(heading_start(text, t4.start()), end, t4.span())
    places["三"] = Place(t3_start, places["四"].start if t4 is not None else end, t3.span() if t3 else None)
    return {section: places[section] for section in ("二", "三", "四") if section in places}


def earliest(keys: tuple[str, ...], text: str, start: int) -> re.Match[str] | None:
    """``pattern(keys).search(text, start)`` as each phrase's own search: the earliest match, the earlier phrase's where
    two start at one place. (A phrase's pattern starts with its first character, which the regex engine skips to;
    the phrases' alternatives start with a class of first characters, tried at every character.)"""
    first: re.Match[str] | None = None
    for key in keys:
        match = pattern((key,)).search(text, start)
        if match is not None and (first is None or match.start() < first.start()):
            first = match
    return first


def _table2_heading(text: str) -> re.Match[str] | None:
    """表二's header 第二十条第（一）项 with 规章 close after it, else its heading."""
    rules = pattern(("规章",))
    for match in pattern(HEADERS["二"]).finditer(text):
        if rules.search(text, match.start(), match.start() + _RULES_WINDOW):
            return match
    return _opening(text, "二", 0)


def _opening(text: str, section: Section, start: int) -> re.Match[str] | None:
    """The first heading of ``section`` from ``start`` that its table's header follows before the heading comes
    again: a narrative subsection named like the table (（一）主动公开政府信息情况 under 一、总体情况) is passed
    over. The first heading when none is followed by the header."""
    matches = list(pattern(HEADINGS[section]).finditer(text, start))
    head = pattern(TABLE_HEADS[section])
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        if head.search(text, match.end(), end):
            return match
    return matches[0] if matches else None


def _heading_above(text: str, header_start: int) -> int:
    """Where 表二's heading stands right above its header (only blanks between), else the header."""
    end = header_start
    while end > 0 and text[end - 1] in " \t\r\n|":
        end -= 1
    near = list(pattern(HEADINGS["二"]).finditer(text, max(0, end - 4 * len(HEADINGS["二"][0])), end))
    return near[-1].start() if near and near[-1].end() == end else header_start


def table3_starts(text: str) -> list[int]:
    """Where each printed 表三 begins: 本年新收 followed, close by, by 上年结转 and 予以公开."""
    new, carried, granted = (pattern((key,)) for key in TABLE3_FIRST_ROWS)
    starts: list[int] = []
    pos = 0
    while (first := new.search(text, pos)) is not None:
        window_end = first.end() + _TABLE3_WINDOW
        second = carried.search(text, first.end(), window_end)
        third = granted.search(text, second.end(), window_end) if second else None
        if second is None or third is None:
            pos = first.end()
            continue
        starts.append(first.start())
        pos = third.end()
    return starts


_SPACE = re.compile(r"\s+")


def prints_a_table(text: str) -> bool:
    """Whether ``text`` (a page, an HTML table) holds one of the phrases only the report's tables print."""
    flat = _SPACE.sub("", text)
    return any(marker in flat for marker in TABLE_MARKERS)


def names_table3(text: str) -> bool:
    """Whether ``text`` holds 表三's heading (a report, not a page that only links to one)."""
    return pattern(HEADINGS["三"]).search(text) is not None
