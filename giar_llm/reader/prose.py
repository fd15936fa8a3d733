"""Quantities the report's own prose states in words (「本年制发规范性文件3件」, 「共收到政府信息公开申请
二十一件」, 「行政复议2件」), Arabic or Chinese numerals, for the same cells the tables hold.

A statement counts only when the prose names the quantity once, or every time with the same number.
"""

from __future__ import annotations

import re

# the words between a quantity's name and its number: never a sentence break, a number, or 信息/类 (规章类信息
# 16 条 counts items of information, not 规章)
_GAP = r"[^。；;\n\d零〇一二两三四五六七八九十百千万信类]{0,12}?"
_NUMERAL = r"(\d+|[零〇一二两三四五六七八九十百千万]+)\s*(?:件|起)"
# Every pattern starts with a literal character in each alternative (an optional word or a lookbehind written
# after the first character), so that the regex engine skips ahead to those characters instead of trying the
# pattern at every position of the text.
_ISSUED = "(?:本年(?:制发|制定|出台|印发)|制发|制定|出台|印发)"  # (?:本年)?(?:制发|…), its branches in the same order

# (cell path, format or "" for both, a phrase every match holds, how many characters at most a match starts before it,
# pattern): a text without the phrase is not searched (``in`` finds a phrase several times faster than a pattern's first
# characters are searched for), and a pattern is tried only that many characters before each of the phrase's places.
_STATEMENTS: tuple[tuple[str, str, str, int, re.Pattern[str]], ...] = (
    (
        "applications.new_requests.total",
        "",
        "政府信息公开申请",
        len("共收到各类"),
        re.compile(rf"(?:新收|共收到|收到)(?:各类)?政府信息公开申请{_GAP}{_NUMERAL}"),
    ),
    (
        "review_litigation.review.total",
        "",
        "行政复议",
        len("政府信息公开"),
        re.compile(rf"政府信息公开行政复议{_GAP}{_NUMERAL}|行(?<![、和及与]行)政复议(?:案件)?(?:共)?{_NUMERAL}"),
    ),
    (
        "proactive.normative_docs.issued",
        "2021",
        "规范性文件",
        len("本年制发") + 12,
        re.compile(rf"{_ISSUED}{_GAP}规范性文件{_GAP}{_NUMERAL}"),
    ),
    ("proactive.normative_docs.repealed", "2021", "废止", 0, re.compile(rf"废止{_GAP}规范性文件{_GAP}{_NUMERAL}")),
    (
        "proactive.normative_docs.in_force",
        "2021",
        "现行有效",
        0,
        re.compile(rf"现行有效{_GAP}规范性文件{_GAP}{_NUMERAL}"),
    ),
    (
        "proactive.regulations.issued",
        "2021",
        "规章",
        len("本年制发") + 12,
        re.compile(rf"{_ISSUED}{_GAP}规章{_GAP}{_NUMERAL}"),
    ),
)

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int | None:
    """二十一 → 21, 一百零五 → 105, 两千 → 2000, 十 → 10, 三 → 3; Arabic digits as they are; else None."""
    if text.isdigit():
        return int(text)
    total, section, digit = 0, 0, None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        elif char == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def matches(regex: re.Pattern[str], text: str, phrase: str, before: int) -> list[re.Match[str]]:
    """``list(regex.finditer(text))`` for a pattern whose every match holds ``phrase`` at most ``before`` characters
    after its start: the pattern is tried only there, each of the phrase's places found by ``str.find`` (a search
    would try the pattern's first characters, a class, at every character of the text)."""
    found: list[re.Match[str]] = []
    free = 0  # where the next match may start: after the last one, and after the places already tried
    at = text.find(phrase)
    while at >= 0:
        start = max(free, at - before)
        while start <= at:
            match = regex.match(text, start)
            if match is None:
                start += 1
            else:
                found.append(match)
                start = match.end()
        free = start
        at = text.find(phrase, at + 1)
    return found


def prose_statements(text: str, fmt: str) -> dict[str, tuple[int, str]]:
    """Cell path -> (the number the prose states, the words), for quantities stated unambiguously."""
    out: dict[str, tuple[int, str]] = {}
    for path, only, phrase, before, regex in _STATEMENTS:
        if (only and only != fmt) or phrase not in text:
            continue
        found = {
            (chinese_number(next(g for g in m.groups() if g)), m.group(0)) for m in matches(regex, text, phrase, before)
        }
        values = {v for v, _ in found if v is not None}
        if len(values) == 1:
            value = values.pop()
            out[path] = (value, min(q for v, q in found if v == value))
    return out
