"""A file that holds more than one report: a second title line, or a second set of tables.

The reader reads the first report's tables. When the file goes on with another report (two reports
pasted into one file, a page that lists two agencies' reports) or prints its tables twice, the numbers
read may not be the ones the user wants: the reading carries a ``two_reports`` warning, and a result with
it is never ``verified`` (``core.verdict``).
"""

from __future__ import annotations

from giar_llm.core.findings import HeuristicWarning
from giar_llm.core.locator import table3_starts
from giar_llm.reader.meta import _TITLE


def _titles(text: str) -> list[tuple[int, str]]:
    """Lines that are a report title (year + 信息公开 ... 报告), as (offset, title without spaces).

    Only lines with a 报 can hold a title's 报告: they are found by searching for it, not by walking every line."""
    found: list[tuple[int, str]] = []
    pos = text.find("报")
    while pos >= 0:
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        # (a title's 报告 and 公开 stand on its line, spaces or not: a line without 告 or 开 is not looked at)
        if text.find("告", start, end) >= 0 and text.find("开", start, end) >= 0:
            compact = "".join(text[start:end].split())
            if len(compact) <= 80 and (match := _TITLE.match(compact)) is not None and match.group("label") is None:
                found.append((start, match.group(0)))
        pos = text.find("报", end)
    return found


def second_report_warnings(text: str) -> list[HeuristicWarning]:
    """A ``two_reports`` warning when the text holds a second set of 表三 or a second, different title."""
    tables = table3_starts(text)
    if len(tables) > 1:
        return [
            HeuristicWarning(
                check="two_reports",
                message=f"原文有 {len(tables)} 套表三（第二套从第 {tables[1]} 个字符起）：只读取了第一套，"
                "文件可能包含两份报告或重复的表格，请拆分后再读",
                span=(tables[1], tables[1] + 4),
            )
        ]
    titles = _titles(text)
    distinct = list(dict.fromkeys(title for _, title in titles))
    if len(distinct) > 1 and tables and any(offset > tables[0] for offset, _ in titles):
        later = next(offset for offset, title in titles if title != distinct[0])
        return [
            HeuristicWarning(
                check="two_reports",
                message=f"原文有两个不同的报告标题（“{distinct[0]}”与“{distinct[1]}”）：只读取了第一份报告的表格",
                span=(later, later + len(distinct[1])),
            )
        ]
    return []
