"""Text normalisation that keeps every offset: the normalised text has the length of the original.

NFKC is applied per character where it yields one character (full-width digits and brackets, Kangxi
radicals, ideographic space); the CJK Radicals Supplement look-alikes that NFKC leaves are mapped by an
explicit table; odd spaces become spaces; stray markup (``[image: ]``, ``[bookmark: …]``, ``&nbsp;``)
and page markers (``- 3 -``, ``— 4 —``, ``第 3 页``, alone on a line or in a table row of their own; 第 3 页 anywhere) are
blanked with spaces. Because nothing changes
length, an offset into the normalised text is the same offset into the original: evidence spans need
no further mapping.
"""

from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement characters that PDF extraction emits for common simplified characters and
# that NFKC leaves alone.
RADICALS: dict[str, str] = {
    "⺁": "厂", "⺅": "亻", "⺇": "几", "⺈": "𠂊", "⺊": "卜", "⺗": "心", "⺛": "旡",
    "⺟": "母", "⺠": "民", "⺡": "氵", "⺢": "水", "⺣": "灬", "⺩": "王", "⺮": "竹", "⺳": "冖",
    "⺼": "月", "⺾": "艹", "⻀": "艹", "⻁": "虎", "⻂": "衤", "⻄": "西", "⻅": "见",
    "⻆": "角", "⻈": "讠", "⻉": "贝", "⻊": "足", "⻋": "车", "⻌": "辶", "⻏": "阝", "⻐": "钅",
    "⻓": "长", "⻔": "门", "⻖": "阝", "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风",
    "⻜": "飞", "⻝": "食", "⻠": "饣", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼", "⻦": "鸟",
    "⻧": "卤", "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻬": "齐", "⻮": "齿", "⻰": "龙", "⻳": "龟",
}  # fmt: skip

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

_MARKUP = re.compile(
    r"\[(?:image|bookmark|footnote|endnote|comment)\b[^\]\n]*\]|&nbsp;|&#160;|&ensp;|&emsp;|</?o:p>",
    re.IGNORECASE,
)
_MARKER = r"[ \t|]*(?:[-—–－]{1,2}[ \t]*\d{1,3}[ \t]*[-—–－]{1,2}|第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*[,，/]?[ \t]*共[ \t]*\d{1,3}[ \t]*页)?)[ \t|]*"
_MARKER_LINE = re.compile(_MARKER)  # a line that is a page marker, matched over the whole line
_MARKER_CHARS = "-—–－页"  # a character every page marker holds

_PAGE_NUMBER = re.compile(r"第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*[,，/]?[ \t]*共[ \t]*\d{1,3}[ \t]*页)?")  # 第 7 页 anywhere


class _Fold(dict[int, str]):
    """A ``str.translate`` table computed on first use of each character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in RADICALS:
            out = RADICALS[ch]
        elif ch in _SPACES or ch in _INVISIBLE:
            out = " "
        elif ch == "\r":
            out = "\n"
        else:
            folded = unicodedata.normalize("NFKC", ch)
            out = folded if len(folded) == 1 else ch
            if out in RADICALS:
                out = RADICALS[out]
        if len(out) != 1:
            out = ch
        self[code] = out
        return out


_FOLD = _Fold()


# Characters that may fold: not ASCII (but \r) nor a CJK Unified Ideograph (their own NFKC, no radical look-alike).
# Of those, the ones reports print most often: full-width brackets, punctuation and digits, which fold (replaced
# first, each where present, without being found one by one), and the enumeration comma, full stop, quotes and
# dash, which fold to themselves (skipped). The rest is found by _RARE_FOLD (by may_fold when compiled).
_FREQUENT = "（），：；０１２３４５６７８９－"
_UNCHANGED = "、。“”—"
_RARE_FOLD = re.compile(rf"[^\x00-\x0c\x0e-\x7f\u4e00-\u9fff{_FREQUENT}{_UNCHANGED}]")

_COMPILED = not __file__.endswith(".py")  # this module runs as mypyc's C extension (see reader.compiled)


def fold(text: str) -> str:
    """Characters only: NFKC where length-preserving, radical look-alikes, odd spaces. Same length.

    Each distinct character that folds is replaced throughout at once (a report has a few dozen distinct
    characters outside ASCII and the ideographs), which is several times faster than a per-character table."""
    text = text.replace("\r\n", " \n")
    if not _COMPILED:  # (compiled, may_fold finds these too, in its one pass: no search for each)
        for ch in _FREQUENT:
            if ch in text:
                text = text.replace(ch, _FOLD[ord(ch)])
    for ch in may_fold(text) if _COMPILED else set(_RARE_FOLD.findall(text)):
        out = _FOLD[ord(ch)]
        if out != ch:
            text = text.replace(ch, out)
    return text


def may_fold(text: str) -> set[str]:
    """The distinct characters of ``text`` that may fold: those _RARE_FOLD matches (and _FREQUENT's), less ranges that
    fold to themselves: ASCII but ``\\r``, U+3300-A69B (the ideographs, Extension A, Yi), CJK punctuation 、。《》【】
    (U+3001-3035), dashes and quotes (U+2012-2023), box drawing and shapes (U+24EB-2C7B). A test checks the ranges
    against every code point's fold.

    Compiled, a loop over the code points (``ord(text[i])`` reads the string's buffer) costs a third of the regex's
    character class tried at each character; interpreted, ten times more: ``fold`` calls it only when compiled."""
    found: set[str] = set()
    wide = [False] * 0x100  # the full-width forms (U+FF00-FFFF) seen: most that fold, and often; each added once
    for i in range(len(text)):
        code = ord(text[i])
        if code < 0x80:
            if code == 13:
                found.add("\r")
        elif code >= 0xFF00:
            if code <= 0xFFFF and not wide[code - 0xFF00]:
                wide[code - 0xFF00] = True
                found.add(text[i])
            elif code > 0xFFFF:
                found.add(text[i])
        elif not (
            0x3300 <= code <= 0xA69B or 0x3001 <= code <= 0x3035 or 0x2012 <= code <= 0x2023 or 0x24EB <= code <= 0x2C7B
        ):
            found.add(text[i])
    return found


def _blank(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def normalize(text: str) -> str:
    """The reader's view of a document: folded characters, markup and page markers blanked. Same length."""
    out = fold(text)
    out = _blank_markup(out)
    out = _blank_page_markers(out)
    return _PAGE_NUMBER.sub(_blank, out) if "页" in out else out


def _next(text: str, ahead: dict[str, int], start: int) -> int:
    """The first place at or after ``start`` where one of ``ahead``'s characters stands, -1 when none does. ``ahead``
    holds each character's next place (-1: no more), found again by ``str.find`` only once ``start`` has passed it."""
    first = -1
    for ch, at in ahead.items():
        if 0 <= at < start:
            at = ahead[ch] = text.find(ch, start)
        if at >= 0 and (first < 0 or at < first):
            first = at
    return first


_MARKUP_CHARS = "[&<"  # what every piece of markup starts with


def _blank_markup(text: str) -> str:
    """``text`` with each piece of markup (``_MARKUP``) blanked, as ``_MARKUP.sub`` would: tried only where one of the
    characters a piece starts with stands, each found by ``str.find`` (a text holds few, and a regex would try its
    first character class at every character)."""
    pieces: list[str] = []
    last = 0
    ahead = {ch: text.find(ch) for ch in _MARKUP_CHARS}
    found = _next(text, ahead, 0)
    while found >= 0:
        match = _MARKUP.match(text, found)
        end = found + 1
        if match is not None:
            pieces += (text[last:found], " " * (match.end() - found))
            last = end = match.end()
        found = _next(text, ahead, end)
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def _blank_page_markers(text: str) -> str:
    """``text`` with each line that is a page marker (``_MARKER`` over the whole line) blanked. Only a line with one of the
    characters every marker holds (a dash, or 页) is tried. Where each of them stands next is found by ``str.find``
    (which runs over a text several times faster than a regex's character class is tried at each character),
    again from a line's end for those that stood on it."""
    pieces: list[str] = []
    last = 0
    ahead = {ch: text.find(ch) for ch in _MARKER_CHARS}
    found = _next(text, ahead, 0)
    while found >= 0:
        start = text.rfind("\n", 0, found) + 1
        end = text.find("\n", found + 1)
        end = len(text) if end < 0 else end
        if _MARKER_LINE.fullmatch(text, start, end):
            pieces += (text[last:start], " " * (end - start))
            last = end
        found = _next(text, ahead, end)
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def compact(text: str) -> str:
    """Text with every whitespace character removed (for fingerprints, not for offsets)."""
    return "".join(text.split())  # str.split's whitespace is the pattern \s's
