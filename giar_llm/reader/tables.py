"""Locating the tables and reading their rows, anchored on the national format's row labels."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Final

from giar_llm.core.arithmetic import (
    OUTCOME_ROWS,
    RESULTS,
    column_equations,
    holds,
    row_sums,
    row_values,
    table_equations,
)
from giar_llm.core.headers import PROACTIVE_HEADERS
from giar_llm.core.locator import heading_start, pattern
from giar_llm.core.schema import COLUMNS, FormatName, other_is_merged
from giar_llm.reader.cells import Atom, atoms, blank_notes, first_of, inline_page_marker, plain_numbers
from giar_llm.reader.layout import (
    COLUMN_HEADERS,
    OTHER_GROUP,
    OTHER_MERGED,
    OTHER_SPLIT,
    PROACTIVE_2019,
    PROACTIVE_2021,
    TABLE3_HEAD,
    TABLE3_TAIL,
    RowSpec,
)
from giar_llm.reader.normalize import compact
from giar_llm.reader.rows import RowRead, direct, numbers, placed, resolve, row_atoms

Span = tuple[int, int]


@dataclass(init=False, slots=True)
class Key:
    """Where a row's key phrase was found: its match's span, kept as two numbers (asked for many times a row, where
    a regex match answers each ``start()`` or ``end()`` through a method call of its own)."""

    first: int
    stop: int

    def __init__(self, start: int, end: int) -> None:
        self.first, self.stop = start, end

    def start(self) -> int:
        return self.first

    def end(self) -> int:
        return self.stop

    def span(self) -> tuple[int, int]:
        return self.first, self.stop


class Located:
    spec: RowSpec
    key: Key | None
    start: int  # where the label starts (numbering included)

    def __init__(self, spec: RowSpec, key: re.Match[str] | None, start: int = 0) -> None:
        # Written out rather than generated: a dataclass's generated __init__ runs as Python, for every row.
        self.spec, self.key, self.start = spec, (Key(key.start(), key.end()) if key is not None else None), start


@dataclass(init=False, slots=True)
class TableRead:
    rows: dict[str, RowRead]
    specs: dict[str, RowSpec]
    span: Span | None
    merged_other: bool
    unsure: dict[str, str]  # groups of rows whose structure is unknown

    def __init__(self, span: Span | None = None) -> None:
        # Written out rather than generated (as Located): no default factories to call.
        self.rows, self.specs, self.span, self.merged_other, self.unsure = {}, {}, span, False, {}


def find(text: str, keys: tuple[str, ...], start: int, end: int) -> re.Match[str] | None:
    return pattern(keys).search(text, start, end)


def label_start(text: str, key_start: int, prefix: str, keys: tuple[str, ...] = ()) -> int:
    """Back from a key phrase over the rest of its label on the same line, and over its numbering. A row's
    label (``keys`` given) may also be split around its numbers; a section heading (四、 of 表四) is not, as the
    row above it (四、结转下年度…) may share its numbering."""
    pos = stop_before(text, key_start)
    digits = prefix.rstrip(".、")
    if not digits.isdigit():
        return split_label_start(text, pos, key_start, prefix, keys) if keys else pos
    first = pos  # the label's first character after spaces: a dot or 、 (its numbering's) makes it dotted
    while first < key_start and text[first] == " ":
        first += 1
    dotted = first < key_start and text[first] in (".", "、")
    if dotted and text[pos - len(digits) : pos] == digits:  # 1.属于 / 1 . 属于: the numbering is the label's
        return pos - len(digits)
    wrapped = wrapped_label_start(text, pos, prefix)
    if wrapped != pos or not keys:
        return wrapped
    return split_label_start(text, pos, key_start, prefix, keys)


# Module constants the hot paths read are Final: compiled, each is a C static instead of a lookup in the module's
# dict at every use.
_STOP_WALK: Final = 16  # characters walked back from a key before heading_start takes over
# CJK symbols and punctuation, kana and the unified ideographs: no str.isdigit digit among them (a test checks), so
# a label's characters there are no stop without asking (str.isdigit would make each a string object first).
_CJK_FIRST: Final = 0x3000
_CJK_END: Final = 0xA000


def stop_before(text: str, at: int) -> int:
    """:func:`~giar_llm.core.locator.heading_start`: back from ``at`` over its line to the last digit (any
    ``str.isdigit``) or cell separator (\t | / - — － –), or to the line's start. Walked back a character at a time
    over the few characters a label's numbering holds before its key (heading_start cuts its line, reverses it and
    searches it with a regex, which costs more than such a walk); past ``_STOP_WALK`` characters heading_start goes
    on from where the walk stopped."""
    floor = max(0, at - _STOP_WALK)
    while at > floor:
        code = ord(text[at - 1])
        if code < 128:
            if 48 <= code <= 57 or code in (9, 124, 47, 45, 10):  # 0-9 \t | / -, or the line's start (\n)
                return at
        elif code in (0x2014, 0xFF0D, 0x2013) or (not _CJK_FIRST <= code < _CJK_END and text[at - 1].isdigit()):
            return at  # — － –, or another script's digit
        at -= 1
    return heading_start(text, at) if at else 0


_NUMBERED_LINE: Final = re.compile(r"[ \t|]*(\d+)[ \t]*[.、]")
_DIGIT: Final = re.compile(r"\d")
_NUMBER_ALONE: Final = re.compile(r"[ \t|]*(\d+)[ \t|]*")
_LABEL_TEXT: Final = re.compile(r"[^\d\n]*")
NUMBERING = re.compile(r"\d+[ \t]*[.、]?")


def _numbering_at_end(line: str, digits: str) -> int | None:
    """Where the numbering ``digits`` stands in ``line`` when the line ends with it, its dot and label text
    without a digit (…1000012. or …3000003.要): its digits may be glued to numbers before it."""
    dot = max(line.rfind("."), line.rfind("、"))
    if dot < 0 or _DIGIT.search(line, dot + 1):
        return None
    head = line[:dot].rstrip(" \t")
    return len(head) - len(digits) if head.endswith(digits) else None


def wrapped_label_start(text: str, start: int, prefix: str) -> int:
    """Where a numbered label starts when it was wrapped over lines: its numbering (8.属于行, its numbers
    possibly after it, or 8 alone before a line .属于) on one of the two lines above, with only label text
    between, or ending such a line with the label's first piece or none, after the row above's numbers
    (…申请1000012. / 重复申请, …3000003.要 / 求提供公开出版 / 物: a numbering is printed with its label, so the
    dotted number before the label's text is this label's, its digits never the row above's, even glued to them). Without it, a line of label text above that starts with the numbering's dot (.要 / 求提供公开出版物:
    the numbering printed apart, far above or lost) is where the label starts."""
    digits = prefix.rstrip(".、")
    line_start = text.rfind("\n", 0, start) + 1
    if not digits.isdigit() or line_start == 0 or text[line_start:start].strip(" \t|"):
        return start
    end = line_start - 1
    top = start  # the first line of the label seen so far
    dotted = start  # the label's first part after a numbering printed apart (.要), if one is seen
    for _ in range(2):
        previous = text.rfind("\n", 0, end) + 1
        line = text[previous:end]
        numbered = _NUMBERED_LINE.match(line)
        if numbered is not None and numbered.group(1) == digits:
            return previous + numbered.start(1)
        ending = _numbering_at_end(line, digits)
        if ending is not None:  # …1000012. / 重复申请, …3000003.要 / 求提供…: glued to the row above's numbers
            return previous + ending
        alone = _NUMBER_ALONE.fullmatch(line)
        if alone is not None and alone.group(1) == digits and text[top : top + 8].lstrip(" \t|")[:1] in (".", "、"):
            return previous + alone.start(1)
        if not _LABEL_TEXT.fullmatch(line) or not line.strip():
            return dotted
        body = line.lstrip(" \t|")
        if body[:1] in (".", "、") and not text.startswith(digits, start):  # (3.其他 has its numbering)
            dotted = previous + len(line) - len(body)
        if previous == 0:
            return dotted
        end, top = previous - 1, previous
    return dotted


_VALUE: Final = re.compile(r"[-+]?\d+(?:\.\d+)?|[/／\\\-－—–]{1,2}")
_NUMBERS_AFTER = r"(?=(?:[\s|]*[-+]?\d+(?:\.\d+)?)*[\s|]*$)"
# A line's last run of text (only digits and separators after it), matched on the reversed line: its digits and
# separators from the end, then the run (a sign or point glued to the digits after it is a run of its own).
_LAST_TEXT_REVERSED: Final = re.compile(r"[\d\s|]*([^\d\s|]+)")


def _last_text(line: str) -> tuple[int, str] | None:
    """Where a line's last run of text starts, and the run; None when the line holds only digits and separators.
    Matched once on the reversed line (a search from the line's start would try each run before the last, each
    time looking ahead to the line's end)."""
    found = _LAST_TEXT_REVERSED.match(line[::-1])
    if found is None:
        return None
    start = len(line) - found.end()
    return start, line[start : len(line) - found.start(1)]


_NUMBERING_THEN_TEXT: Final = re.compile(r"[ \t|]*(\d+)[ \t]*[.、][^\d\n]*" + _NUMBERS_AFTER)
_NUMBERING_THEN_NUMBERS: Final = re.compile(r"[ \t|]*(\d+)(?:[ \t|]+[-+]?\d+(?:\.\d+)?)+[ \t|]*")
SPLIT_LABEL_LINES: Final = 40  # lines of numbers looked over between a label's first part and its rest


# A line of numbers and zero marks only (or empty): every word (a run between separators) a number or a mark. The
# separators' repeats are possessive (what follows them starts with no separator): a line that is not cells fails
# without giving its separators back one at a time.
_CELLS_ONLY: Final = re.compile(r"[\s|]*+(?:(?:[-+]?\d+(?:\.\d+)?|[/／\\\-－—–]{1,2})(?![^\s|])[\s|]*+)*")


def split_label_start(text: str, start: int, key_start: int, prefix: str, keys: tuple[str, ...] = ()) -> int:
    """Where a label starts when it was split around its numbers (（七） / the numbers / 总计; 四、结 0 0 0 /
    转下年度继续办理; 2. / one number a line / 申请人逾期…; 1 0 0 0 / .本机关不掌握…): the label found at
    ``start`` lacks its numbering, and the first line above it that is not numbers only ends with the
    numbering (and the label's first part), possibly followed by numbers; or, for a label without numbering
    (其他 0 0 / 对外管理服务事项), with the first part of a key phrase the rest completes. Then the label starts
    there and the numbers between are its row's; otherwise ``start``."""
    line_start = start  # back over the label's line before it: nothing but spaces and pipes, or the label stays
    while line_start and ord(text[line_start - 1]) in (32, 9, 124):  # " \t|"
        line_start -= 1
    if not line_start or text[line_start - 1] != "\n":
        return start  # (walked, not cut out and stripped: most labels start their line, or follow their numbers)
    rest = without_layout_space(text[start:key_start])
    if prefix and rest.startswith(prefix):
        return start
    if not prefix and not _may_span(keys, rest[:1] or text[key_start : key_start + 1]):
        return start  # (a label without numbering only moves up to a key phrase begun above it: see _may_span)
    key = pattern(keys).match(text, key_start) if keys else None
    if not prefix and key is None:
        return start
    through_key = without_layout_space(text[start : key.end()]) if key is not None else rest
    digits = prefix.rstrip(".、")
    end = line_start - 1
    for step in range(SPLIT_LABEL_LINES):
        previous = text.rfind("\n", 0, end) + 1
        if digits.isdigit() and step == 0 and rest[:1] in (".", "、"):  # 1 0 0 0 0 / .本机关不掌握…
            match = _NUMBERING_THEN_NUMBERS.fullmatch(text[previous:end])
            if match is not None and match.group(1) == digits:
                return previous + match.start(1)
        # (A line of cells is not cut out of the text; an empty line is one, without asking.)
        if previous != end and not _CELLS_ONLY.fullmatch(text, previous, end):
            line = text[previous:end]
            if digits.isdigit():
                match = _NUMBERING_THEN_TEXT.match(line)
                found = match is not None and match.group(1) == digits
                return previous + match.start(1) if match is not None and found else start
            last = _last_text(line)
            if last is None:
                return start
            run_start, first_part = last  # (a run holds no space)
            if prefix and (first_part + rest).startswith(prefix):
                return previous + run_start
            if prefix and (glued := _glued_numbering(run_start, first_part, prefix, rest)) is not None:
                return previous + glued
            spanning = pattern(keys).search(first_part + through_key) if keys else None
            if spanning is not None and spanning.start() < len(first_part) < spanning.end():
                return previous + run_start  # a key phrase begun before the numbers, ended after them
            if not (prefix and _numbering_piece(line[:run_start], first_part, prefix, rest)):
                return start
            rest = first_part + rest  # a middle piece of the numbering (一 of （ / 一 / ）予以公开): on up
        if previous == 0:
            return start
        end = previous - 1
    return start


def without_layout_space(part: str) -> str:
    """``part`` without its layout space: ``_LAYOUT_SPACE.sub("", part)``, without a regex (str.split splits at the
    characters ``\\s`` matches, ``str.isspace``'s)."""
    if not part:
        return part
    return "".join(part.split()).replace("|", "")


def _may_span(keys: tuple[str, ...], lead: str) -> bool:
    """Whether a key phrase may begin on a line above a label without numbering and end in it: some key holds the
    label's first character (``lead``: its text's first, else its key's) after its own first. When none does,
    split_label_start returns the label's start whatever the lines above hold: its other ways up need a
    numbering."""
    for key in keys:  # noqa: SIM110 - a loop, not any() over a generator: called for many labels
        if key.find(lead, 1) >= 0:
            return True
    return False


def _numbering_piece(before: str, piece: str, prefix: str, rest: str) -> bool:
    """A line's only text ``piece`` (``before`` it only separators) is a middle piece of the numbering ``prefix``
    (the national format's numbering of the row, （一）): a piece of it that the label's pieces below (``rest``)
    complete, its first piece still above (（ / 一 / ）予以公开, a label wrapped inside its numbering)."""
    if before.strip(" \t|"):
        return False
    for at in range(1, len(prefix) - len(piece) + 1):
        if prefix.startswith(piece, at) and (piece + rest).startswith(prefix[at:]):
            return True
    return False


_GLUED_PART: Final = 8  # characters of a label's first part after its numbering, before its numbers


def _glued_numbering(run_start: int, run: str, prefix: str, rest: str) -> int | None:
    """Where in a line a label's numbering (or its first part: （一 of （一 / ）予以公开) ends the line's last run of
    text (``run``, starting at ``run_start``) glued to the text before it (flattened text: the row above's label, or
    a heading, runs into it): the offset of the run's last piece that, with ``rest`` after it, begins with the
    numbering; None without one."""
    at = len(run)
    while (at := run.rfind(prefix[0], 0, at)) > 0:
        piece = run[at:]
        if len(piece) <= len(prefix) + _GLUED_PART and (_LAYOUT_SPACE.sub("", piece) + rest).startswith(prefix):
            return run_start + at
    return None


def locate(
    text: str, specs: tuple[RowSpec, ...], start: int, end: int, floor: int | None = None
) -> tuple[list[Located], int]:
    """Each row's key found in order after the previous one; returns the rows and the cursor after them.

    A key not found after the previous row is looked for earlier in the table (from ``floor``), outside
    the labels already found: tables broken into fragments print some labels out of order.
    """
    out: list[Located] = []
    cursor = start
    for spec in specs:
        match = _row_key(text, spec, cursor, end)
        if match is None:
            match = _earlier(text, spec, start if floor is None else floor, cursor, out)
            if match is not None:
                out.append(Located(spec, match, label_start(text, match.start(), spec.prefix, spec.keys)))
            else:
                out.append(Located(spec, None))
            continue
        out.append(Located(spec, match, label_start(text, match.start(), spec.prefix, spec.keys)))
        cursor = match.end()
    return out, cursor


def _earlier(text: str, spec: RowSpec, floor: int, cursor: int, taken: list[Located]) -> re.Match[str] | None:
    used = [(loc.key.start(), loc.key.end()) for loc in taken if loc.key is not None]
    for match in spec.key_pattern.finditer(text, floor, cursor):
        if not any(a < match.end() and match.start() < b for a, b in used) and not _in_header(text, match):
            return match
    return None


def _row_key(text: str, spec: RowSpec, start: int, end: int) -> re.Match[str] | None:
    """The first match of a row's key that is not a column header."""
    key = spec.key_pattern
    if len(spec.first_chars) > 1:  # (keys of several first characters: the regex tries a class at every place)
        start = first_of(text, spec.first_chars, start, end)  # (a key's match starts with its first character)
        if start < 0:
            return None  # no key's first character: no match
    match = key.search(text, start, end)
    if "总" not in spec.first_chars:
        return match  # (only a match of a key starting with 总 may be a column's header: see _in_header)
    while match is not None and _in_header(text, match):
        match = key.search(text, match.end(), end)
    return match


_LAYOUT_SPACE: Final = re.compile(r"[\s|]")


def _in_header(text: str, match: re.Match[str]) -> bool:
    """A bare 总计 printed after the applicant columns' names (on its line, or on the lines before it when the
    header prints one cell a line, with no number between) is the 总计 column's header; so is one printed after
    the 其他 column's header and that after an applicant column's, with only numbers between (a table drawn
    column by column: each column's header, then its numbers)."""
    if text[match.start()] != "总" or _LAYOUT_SPACE.sub("", match.group()) != "总计":
        return False  # (a match starts with its key's first character)
    window = text[max(0, match.start() - 120) : match.start()]
    digit = max((window.rfind(d) for d in "0123456789"), default=-1)
    before = _LAYOUT_SPACE.sub("", window[digit + 1 :])[-40:]
    return any(word in before for word in COLUMN_HEADERS) or _after_column_headers(text, match.start())


_COLUMN_TEXT: Final = re.compile(r"[^\d\s|]+")
_COLUMN_LOOKBACK: Final = 1200  # characters: two columns of a long table drawn one number a line


def _after_column_headers(text: str, at: int) -> bool:
    """The words before ``at``, the numbers between them passed over, end with an applicant column's header
    and 其他 (the 其他 column's header; a row's 3.其他 has its numbering before it)."""
    window = text[max(0, at - _COLUMN_LOOKBACK) : at]
    words = "".join(m.group() for m in _COLUMN_TEXT.finditer(window) if not _VALUE.fullmatch(m.group()))
    return words.endswith("其他") and any(words[: -len("其他")].endswith(word) for word in COLUMN_HEADERS)


def read_rows(
    text: str,
    located: list[Located],
    end: int,
    table: TableRead,
) -> None:
    """Read every located row from its key to the next located label."""
    found = sorted((loc for loc in located if loc.key is not None), key=lambda loc: loc.start)
    ends = {id(loc): (found[i + 1].start if i + 1 < len(found) else end) for i, loc in enumerate(found)}
    for loc in located:
        spec = loc.spec
        table.specs[spec.path] = spec
        if loc.key is None:
            table.rows[spec.path] = RowRead.missing(spec.width, "未找到该行的标签")
            continue
        region_start = loc.key.end()
        label_lines: tuple[int, int] | None = None  # lines of the label's text between its numbers and its key
        if loc.start < (key_line := text.rfind("\n", 0, loc.key.start()) + 1):  # a label wrapped over lines
            numbering = NUMBERING.match(text, loc.start)
            first = numbering.end() if numbering else loc.start
            first_end = max(first, text.find("\n", first))
            first_line = atoms(text, first, first_end)
            between = atoms(text, first_end, key_line)
            # Numbers on its first line, or digits between it and the key's line (a label split around its
            # numbers); else the lines up to the key are the label's (无 of 无正当理由 alone on a line). With
            # numbers on its first line only, the lines between are the label's too (4. 1 0 0 / 无 / 正当理由…):
            # a zero mark there is the label's text, not one more cell.
            if any(a.is_value for a in first_line) or any(a.kind == "num" for a in between):
                region_start = first
                if all(a.kind != "num" for a in between) and any(a.kind == "zero" for a in between):
                    label_lines = (first_end, key_line)
        region_end = max(region_start, ends[id(loc)])
        plain = plain_numbers(text, region_start, region_end) if label_lines is None else None
        if plain is not None and len(plain) == spec.width and not _delimited_lines(text, plain, spec.width):
            # the common row: a plain number a cell, as resolve reads it
            row = table.rows[spec.path] = numbers(text, plain)
        else:
            region = atoms(text, region_start, region_end)
            if label_lines is not None:
                region = [a for a in region if not label_lines[0] <= a.start < label_lines[1]]
            has_total = spec.fields[-1] == "total"
            sums = row_sums(spec.path, spec.fields)
            lines = text.count("\n", region_start, region_end) + (0 if text[region_end - 1 : region_end] == "\n" else 1)
            row = table.rows[spec.path] = resolve(region, spec.width, sums, has_total, lines=lines, fewer=True)
        if row.unsure is None and (marker := inline_page_marker(text, region_start, region_end)) is not None:
            row.unsure = MARKER_DOUBT.format(marker=marker.strip())


def _delimited_lines(text: str, plain: list[Span], width: int) -> bool:
    """The numbers stand on several lines, each delimited (tabs or pipes), and one of them may hold the row's
    ``width`` cells by itself, blank cells included: then the other lines' numbers may be another row's, which
    resolve judges (``ROWS_IN_REGION``). A line's cells are counted from its whole line (at least the region's
    part of it): its delimiters plus one, and its numbers (a cell may hold several)."""
    first, last = plain[0][0], plain[-1][1]
    if text.find("\n", first, last) < 0:
        return False
    full = False
    index = 0
    while index < len(plain):
        start = text.rfind("\n", 0, plain[index][0]) + 1
        stop = text.find("\n", plain[index][1])
        stop = len(text) if stop < 0 else stop
        count = 0
        while index < len(plain) and plain[index][0] < stop:
            count += 1
            index += 1
        if full or stop - start + 1 < width:  # (a line's numbers and delimiters take a character each at least)
            delimited = text.find("\t", start, stop) >= 0 or text.find("|", start, stop) >= 0
        else:
            delimiters = text.count("\t", start, stop) + text.count("|", start, stop)
            delimited, full = delimiters > 0, count + delimiters + 1 >= width
        if not delimited:
            return False  # a number from an undelimited line: no line is read as a whole row
    return full


def _in_text_order(found: list[Located]) -> list[Located]:
    """The labels found (their keys found, in the format's order) in text order: by where each starts, ties in the
    format's order, as a stable sort gives them. ``found`` itself when it is in text order already, as most tables
    print their labels (looked at in one pass, sorted only when not: a sort by a key calls it for every label)."""
    for index in range(1, len(found)):
        if found[index].start < found[index - 1].start:
            return sorted(found, key=lambda loc: loc.start)
    return found


def _found(located: list[Located]) -> list[Located]:
    """The located rows whose key was found, in the format's order."""
    return [loc for loc in located if loc.key is not None]


def flag_rows_before_lost_labels(text: str, located: list[Located], table: TableRead) -> None:
    """A row without numbers prints them somewhere else: after the row before it when its label was not found,
    or before its own label when the label was found (a label split around its numbers: （七） / the numbers /
    总计). Either way the region of the row before it may hold them, so that row's cells are unsure too."""
    previous: str | None = None
    found = _found(located)
    in_text = _in_text_order(found)
    # Each found label's place in text order: its place among the found when they are in text order already.
    order = None if in_text is found else {id(loc): i for i, loc in enumerate(in_text)}
    seen = 0  # found labels passed, in the format's order
    for loc in located:
        row = table.rows[loc.spec.path]
        before_path = previous
        above: Located | None = None
        orphan = False
        if loc.key is not None:
            index = seen if order is None else order[id(loc)]
            seen += 1
            above = in_text[index - 1] if index else None
            before_path = above.spec.path if above is not None else None
            # A label found without its numbering (.属于… with the 7 printed apart): the number may be read as a
            # cell. Or its numbering printed in the row above's region (3. / 0 / 要求提供公开 / 出版物): whatever
            # that row read after it, numbers or blank cells, may be this row's.
            at = loc.start
            orphan = at < len(text) and (text[at] == "." or text[at] == "、")
        apart = above is not None and _numbering_apart(text, above, loc)
        if (row.unsure in NO_NUMBERS or orphan or apart) and before_path is not None:
            before = table.rows[before_path]
            if before.unsure is None and (apart or any(v is not None for v in before.values)):
                lost = "未找到" if loc.key is None else "之后没有数字" if row.unsure in NO_NUMBERS else "编号与标签分开"
                lost = "编号与标签分开" if orphan else lost
                before.unsure = f"下一行（{loc.spec.keys[0]}）的标签{lost}，它的数字可能读入了本行"
        if loc.key is not None:
            previous = loc.spec.path


@cache
def _numbering_word(digits: str) -> re.Pattern[str]:
    """A numbering word of these digits (3. 12、): not after a digit or a point, then its punctuation, not before a
    digit. The pattern starts with the first digit as a literal, its lookbehind written after it (the character
    before the digit), so that the regex engine skips to that digit instead of trying every position of a region.
    (A match of any one or two digits so placed, as a word of its own, can't hold these digits inside it: they
    would follow a digit.)"""
    first = re.escape(digits[0])
    return re.compile(rf"{first}(?<![\d.．]{first}){re.escape(digits[1:])}[ \t]*[.．、](?!\d)")


def _numbering_apart(text: str, above: Located, loc: Located) -> bool:
    """A numbered row's numbering (3.) printed apart from its label, in the region of the row above it (a label
    found where its numbering is is never there)."""
    digits = loc.spec.prefix.rstrip(".、")
    if not digits.isdigit() or above.key is None:
        return False
    start, end = above.key.end(), loc.start
    if text.find(".", start, end) < 0 and text.find("、", start, end) < 0 and text.find("．", start, end) < 0:
        return False  # (no numbering's punctuation between: no numbering word, without asking the regex)
    return _numbering_word(digits).search(text, start, end) is not None


def read_table2(text: str, start: int, end: int, fmt: str) -> TableRead:
    table = TableRead(span=(start, end))
    located, _ = locate(text, PROACTIVE_2019 if fmt == "2019" else PROACTIVE_2021, start, end)
    read_rows(text, located, end, table)
    if read_proactive_by_columns(text, located, end, table):
        return table
    flag_rows_before_lost_labels(text, located, table)
    flag_headers_before_numbers(text, located, table)
    flag_headers_after_rows(text, located, end, table)
    flag_numbers_after_headings(text, located, table)
    first = -1
    for loc in located:
        if loc.key is not None and (first < 0 or loc.start < first):
            first = loc.start
    if first >= 0:
        flag_numbers_before_labels(text, start, first, table)
    return table


_SECTION: Final = re.compile(r"第[ \t\n]*二[ \t\n]*十[ \t\n]*条")
HEADING_BETWEEN = (
    "本行的数字之间或之前印有表二的下一项标题（第二十条…）：其后的数字属于后面的行（标签缺失），本行的数字不确定"
)


def flag_numbers_after_headings(text: str, located: list[Located], table: TableRead) -> None:
    """A 表二 row that read a number printed after the next section's heading (第二十条第（八）项 …): a row never
    runs past the heading of the section after it, so that number is a later row's (its label lost, or wrapped
    around its numbers), and which numbers are this row's is unknown."""
    for loc in located:
        row = table.rows[loc.spec.path]
        if loc.key is None or row.unsure is not None:
            continue
        last = -1  # where its last number ends (a loop, not max over a generator: this runs for every row)
        for span in row.spans:
            if span is not None and span[1] > last:
                last = span[1]
        if last >= 0 and _SECTION.search(text, loc.key.end(), last) is not None:
            row.unsure = HEADING_BETWEEN


HEADER_AFTER_ROWS = (
    "表二的最后一个标签之后、本行所在小表之内还印有本行的列标题（{word}）：表头本应在各行之上，文本可能逐列提取"
    "（先列出各行标签，再逐列列出列标题和数字），本行标签之后的数字未必属于本行"
)


def flag_headers_after_rows(text: str, located: list[Located], end: int, table: TableRead) -> None:
    """A column header of a 表二 row's own section printed after every row label and section heading of the table
    (行政事业性收费 / 0 / 本年收费金额, then 表三): a section's headers stand above its rows, so the text runs by
    columns (a PDF's text layer drawn column by column: the labels, then each column's header and numbers), and
    the numbers after the row's label are a column's, not the row's: the row is unsure. A header repeated over a
    fragment has a label or heading after it, and one standing after a later section's heading is that section's
    (or another table's header printed there)."""
    found = [loc.key.end() for loc in located if loc.key is not None]
    if not found:
        return
    last = max([*found, *(m.end() for m in _SECTION.finditer(text, max(found), end))])
    headers: dict[str, re.Match[str]] = {}
    for match in _PROACTIVE_HEADER.finditer(text, last, end):
        headers.setdefault(_PROACTIVE_FIELDS[_LAYOUT_SPACE.sub("", match.group())], match)
    if not headers:
        return  # (no header after the rows: no row to flag)
    for loc in located:
        row = table.rows[loc.spec.path]
        if loc.key is None or row.unsure is not None:
            continue
        header = next((headers[f] for f in loc.spec.fields if f in headers), None)
        if header is not None and _SECTION.search(text, loc.key.end(), header.start()) is None:
            row.unsure = HEADER_AFTER_ROWS.format(word=_LAYOUT_SPACE.sub("", header.group()))


PROACTIVE_COLUMNS_READ = (
    "逐列提取的文本：全部行标签之后，各小表的列标题依次印出，与国家格式的列序一致；该列标题下的数字个数等于该小表的行数，"
    "按行序归位"
)
PROACTIVE_COLUMN_BLANK = "逐列提取的文本：该列标题下没有数字，整列空白"
PROACTIVE_COLUMN_SHORT = "逐列提取的文本：列标题“{header}”下有 {count} 个数字，而该小表有 {rows} 行：空白单元格没有留下位置，数字无法确定归属的行"
_PROACTIVE_FIELDS: Final = dict(PROACTIVE_HEADERS)
_PROACTIVE_HEADER: Final = pattern(tuple(_PROACTIVE_FIELDS))


def read_proactive_by_columns(text: str, located: list[Located], end: int, table: TableRead) -> bool:
    """表二 drawn column by column (a PDF's text layer): every row label first, in blocks under their headings
    (第二十条第（X）项), no number among them; then each column from top to bottom: for each block that has the
    column, the column's header (本年新制作数量, 上一年项目数量…) and the block's numbers, one per row. Recognised
    only when the headers after the last label name, in order, exactly the columns the blocks' rows have
    (each block's first column, then each block's second…). A header with one number per row of its block
    places them in the national row order (derived); with none, the block's cells in that column are blank;
    with another count, those cells are unsure. Returns whether the table was read so."""
    found = _in_text_order(_found(located))
    if len(found) < 2 or len(found) != len(located):
        return False
    first, last = found[0], found[-1]
    assert last.key is not None
    headers = list(_PROACTIVE_HEADER.finditer(text, last.key.end(), end))
    if not headers:
        return False  # no column header after the labels (a table drawn by rows)
    headings = [m.start() for m in _SECTION.finditer(text, first.start, last.start)]  # 第二十条第（X）项
    blocks: list[list[Located]] = []
    for loc in located:
        index = sum(h < loc.start for h in headings)
        if index < len(blocks) - 1 or index > len(blocks):
            return False  # the labels out of the national order
        if index == len(blocks):
            blocks.append([])
        blocks[-1].append(loc)
    columns = max(len(block[0].spec.fields) for block in blocks)
    expected = [(block, c) for c in range(columns) for block in blocks if len(block[0].spec.fields) > c]
    wanted = [block[0].spec.fields[c] for block, c in expected]
    if _named(headers) != wanted:
        headers = _repeats_dropped(text, headers)  # a block's header row printed twice (a fragment's own)
        if _named(headers) != wanted:
            return False
    # (Looked at last: the tests above are cheaper than tokenising every label, and fail on a table drawn by rows.)
    if any(a.is_value for a in atoms(text, first.start, last.key.end())):
        return False  # numbers among the labels: not all labels first
    reads = {id(loc): RowRead([None] * loc.spec.width, [None] * loc.spec.width) for loc in located}
    ends = [m.start() for m in headers[1:]] + [end]
    for (block, column), header, stop in zip(expected, headers, ends, strict=True):
        numbers = [a for a in atoms(text, header.end(), stop) if a.is_value]
        for row, loc in enumerate(block):
            read = reads[id(loc)]
            if not numbers:
                read.derived_columns[column] = PROACTIVE_COLUMN_BLANK
            elif len(numbers) == len(block):
                cell = direct([numbers[row]])
                read.values[column], read.spans[column] = cell.values[0], cell.spans[0]
                read.zero_marks += [column] if cell.zero_marks else []
                read.derived_columns[column] = PROACTIVE_COLUMNS_READ
            else:
                why = PROACTIVE_COLUMN_SHORT.format(header=header.group(), count=len(numbers), rows=len(block))
                read.unsure_columns[column] = why
    for loc in located:
        table.rows[loc.spec.path] = reads[id(loc)]
    return True


def _named(headers: list[re.Match[str]]) -> list[str]:
    return [_PROACTIVE_FIELDS[_LAYOUT_SPACE.sub("", m.group())] for m in headers]


def _repeats_dropped(text: str, headers: list[re.Match[str]]) -> list[re.Match[str]]:
    """The headers without each one followed by the same header with no number between (a repeated header)."""
    names = _named(headers)
    return [
        header
        for i, header in enumerate(headers)
        if i + 1 == len(headers)
        or names[i] != names[i + 1]
        or any(a.is_value for a in atoms(text, header.end(), headers[i + 1].start()))
    ]


HEADER_BETWEEN = (
    "本行标签与数字之间印有列标题（{word}）：文本可能逐列提取（列标题、该列的数字依次排列），数字所在的列不确定"
)


PROACTIVE_HEADER_WORDS = tuple(word for word, _ in PROACTIVE_HEADERS)


def flag_headers_before_numbers(
    text: str,
    located: list[Located],
    table: TableRead,
    words: tuple[str, ...] = PROACTIVE_HEADER_WORDS,
    stacked: bool = False,
) -> None:
    """A row with a column's header between its label and its numbers (政府集中采购 / 采购项目数量 / 0; 3.其他 /
    自然人 / 0 0 0): the text runs column by column (each column's header, then its numbers), so the numbers
    are a column's, and neither their row nor their column is known. ``stacked``: only when the label printed
    just before this one has no number (the labels of several rows stand before the columns; a row printed
    alone before its columns holds them all)."""
    found = _in_text_order(_found(located))
    for index, loc in enumerate(found):
        row = table.rows[loc.spec.path]
        if loc.key is None or row.unsure is not None:
            continue
        if stacked and (index == 0 or table.rows[found[index - 1].spec.path].unsure != NO_NUMBERS[0]):
            continue
        first = None  # where its first number stands (loops, not generators: this runs for every row)
        for span in row.spans:
            if span is not None and (first is None or span[0] < first):
                first = span[0]
        if first is None:
            continue
        between = compact(text[loc.key.end() : first])
        word = None
        for header in words:
            if header in between:
                word = header
                break
        if word is not None:
            row.unsure = HEADER_BETWEEN.format(word=word)
        elif stacked and _one_a_line(text, row):
            row.unsure = COLUMN_AFTER_STACKED


COLUMN_AFTER_STACKED = (
    "本行标签紧跟在一个没有数字的标签之后，其后的数字每行一个：文本可能逐列提取（先列出各行标签，再逐列列出数字），"
    "这些数字未必属于本行"
)


def _one_a_line(text: str, row: RowRead) -> bool:
    """The row's numbers stand one a line (a column's, as a PDF's text drawn column by column prints them)."""
    spans = sorted(span for span in row.spans if span is not None)
    return len(spans) > 1 and all("\n" in text[a[1] : b[0]] for a, b in itertools.pairwise(spans))


def read_table3(text: str, start: int, end: int, fmt: FormatName) -> TableRead:
    table = TableRead()
    head, cursor = locate(text, TABLE3_HEAD, start, end)
    floor = -1  # rows stand below the header (loops, not max and min over lists: a call each)
    after = -1
    for loc in head:
        if loc.key is not None:
            key_start, key_end = loc.key.span()
            floor = key_start if floor < 0 else min(floor, key_start)
            after = max(after, key_end)
    cursor = after if after >= 0 else cursor
    floor = floor if floor >= 0 else start
    total_key = _row_key(text, TABLE3_TAIL[0], cursor, end)  # not the 总计 column of a repeated header row
    group = find(text, OTHER_GROUP, cursor, total_key.start() if total_key else end)
    if group is None:  # printed before the sub-rows of （三）–（五）: the group labels' column came first
        group = find(text, OTHER_GROUP, floor, end)
    split_start = group.end() if group else cursor
    split_end = total_key.start() if total_key else end
    sub_rows = _sub_rows_printed(text, split_start, split_end)
    if not sub_rows and group is not None and _sub_rows_printed(text, split_end, end):
        # The sub-rows' labels printed after （七）总计: the group column's labels first ((六), (七), 四、 in one
        # column), then the sub-rows' (a page drawn column by column). Printed, they make （六） three rows.
        sub_rows, split_end = True, end
    if not other_is_merged(fmt, sub_rows, group is not None):
        other, cursor = locate(text, OTHER_SPLIT, split_start, split_end, floor=floor)
    elif group is not None:
        other = [Located(OTHER_MERGED, group, label_start(text, group.start(), OTHER_MERGED.prefix, OTHER_GROUP))]
        cursor = group.end()
        table.merged_other = True
    else:
        other = [Located(OTHER_MERGED, None)]
        table.merged_other = True
    tail, cursor = locate(text, TABLE3_TAIL, cursor, end, floor=floor)
    located = head + other + tail
    read_rows(text, located, end, table)
    by_columns = read_by_columns(text, located, end, table)
    first = -1
    for loc in located:
        if loc.key is not None and (first < 0 or loc.start < first):
            first = loc.start
    if first >= 0:
        table.span = (first, end)
        if not by_columns:
            flag_numbers_before_labels(text, start, first, table)
    _place_unlabelled_rows(table, located)
    if not by_columns:
        flag_headers_before_numbers(text, located, table, COLUMN_HEADERS, stacked=True)
    _resolve_across_rows(table)
    flag_rows_before_lost_labels(text, located, table)
    if fmt == "2021":
        _other_structure(table, located)
    return table


OTHER = "applications.results.other"
_OTHER_ROW: Final = f"{OTHER}."  # the paths of its rows start so


def _sub_rows_printed(text: str, start: int, end: int) -> bool:
    for spec in OTHER_SPLIT:  # noqa: SIM110 - a loop over the specs' own patterns (find looks each one up)
        if spec.key_pattern.search(text, start, end) is not None:
            return True
    return False


def other_merged_in(text: str, fmt: FormatName) -> bool:
    """Whether a text's （六）其他处理 is one row, by the labels it prints anywhere (when no table was read)."""
    return other_is_merged(
        fmt, _sub_rows_printed(text, 0, len(text)), find(text, OTHER_GROUP, 0, len(text)) is not None
    )


def _other_structure(table: TableRead, located: list[Located]) -> None:
    """In the 2021 format （六）其他处理 is one row or three: when its labels are lost (no sub-row label, or a
    single row holding more numbers than one row has), which of the two the table prints is unknown. (Rows
    placed by the table's columns hold numbers whether their labels were found or not: the labels tell.) A
    single row unsure only of where its blank cells stand keeps its own doubt: its label was found."""
    rows = [table.rows[spec.path] for spec in (OTHER_MERGED, *OTHER_SPLIT) if spec.path in table.rows]
    if table.merged_other:  # one row: lost when it has no numbers of its own or more than one row holds
        lost = rows[0].unsure in NO_NUMBERS or bool(rows[0].surplus)
    else:
        lost = all(row.unsure in NO_NUMBERS for row in rows)
    others = [loc for loc in located if loc.spec.path.startswith(_OTHER_ROW)]
    lost = lost or (bool(others) and all(loc.key is None for loc in others))
    if lost:
        table.unsure[OTHER] = "（六）其他处理的标签缺失：无法判断其为合并一行还是分三行"


NO_NUMBERS: Final = ("该行未读到数字", "未找到该行的标签")


def _place_unlabelled_rows(table: TableRead, located: list[Located]) -> None:
    """Whole rows of numbers after a row's own (their labels lost in conversion) belong to the rows that
    follow it in the national format's order and have no numbers of their own, if exactly that many follow.
    When a following row's label is printed (before the row holding the numbers, or after them in a stack of
    labels with no number of its own) and the numbers stand one a line, they are no rows that lost their labels:
    the labels were printed apart from the numbers, column by column (a PDF's text layer, a page at a time), so
    the numbers are a column's, not rows', and nothing is placed.

    The placement stands only when every row total, column balance and results total then holds;
    otherwise the rows keep the placement and are named unsure."""
    paths = list(table.rows)
    starts: dict[str, int] | None = None  # where each found label starts, once a row has whole rows to place
    for index, path in enumerate(paths):
        row = table.rows[path]
        width = len(row.values)
        if not row.surplus or len(row.surplus) % width:
            continue
        if starts is None:
            starts = {loc.spec.path: loc.start for loc in located if loc.key is not None}
        count = len(row.surplus) // width
        following = list(itertools.takewhile(lambda p: table.rows[p].unsure in NO_NUMBERS, paths[index + 1 :]))
        if len(following) != count:  # more rows without numbers than rows of numbers: which is which is unknown
            continue
        holder = starts.get(path)
        one_a_line = len({atom.line for atom in row.surplus}) == len(row.surplus)
        if one_a_line and holder is not None and any(target in starts for target in following):
            continue
        placed = [path, *following]
        for offset, target in enumerate(following):
            table.rows[target] = direct(row.surplus[offset * width : (offset + 1) * width])
        row.surplus = []
        row.unsure = None
        values = row_values({p: r.values for p, r in table.rows.items()})
        sums = table_equations(_outcomes(values), review=False)
        rows_hold = holds((e for e in sums if e.kind == "row_total" and e.rows[0] in placed), values)
        if not (rows_hold and _columns_hold(values)):
            for target in placed:
                table.rows[target].unsure = "数字行没有标签，按国家格式的行序归入，勾稽关系未能确认"


COLUMNS_READ = "逐列提取的文本：每列的数字个数等于行数，按国家格式的行序归位，每行合计与各列勾稽关系均成立"
COLUMNS_READ_PAGES = (
    "逐页逐列提取的文本：每页每列的数字个数等于该页的行数，按国家格式的行序归位，每行合计与各列勾稽关系均成立"
)
COLUMNS_READ_IN_PART = (
    "逐列提取的文本：本列的数字个数等于行数（或列标题下没有数字：整列空白），按国家格式的行序归位，本列的勾稽关系成立"
)
COLUMNS_UNPLACED = "逐列提取的文本（先列出全部行标签，再逐列列出数字）：{why}，数字无法确定归属的行"
COLUMN_NAMES = (*COLUMN_HEADERS, "其他", "总计")  # 表三's columns as their headers print them, in order


def _blocks(text: str, start: int, end: int) -> list[list[Atom]]:
    """The numbers after ``start``, in blocks that empty lines separate."""
    blocks: list[list[Atom]] = [[]]
    for atom in atoms(text, start, end):
        if atom.is_value:
            if blocks[-1] and text.count("\n", blocks[-1][-1].end, atom.start) > 1:
                blocks.append([])
            blocks[-1].append(atom)
    return [block for block in blocks if block]


def _headed_blocks(text: str, start: int, end: int) -> list[list[Atom]] | None:
    """The numbers after ``start`` under 表三's column headers, when every header is printed there in order with
    no number before the first (a PDF's text layer drawn column by column: each column's header, then its
    numbers): one block per column, empty for a column whose cells are all blank. None otherwise."""
    cursor = start
    bounds: list[tuple[int, int]] = []
    for name in COLUMN_NAMES:
        match = find(text, (name,), cursor, end)
        if match is None:
            return None
        bounds.append((match.start(), match.end()))
        cursor = match.end()
    if any(a.is_value for a in atoms(text, start, bounds[0][0])):
        return None
    ends = [b[0] for b in bounds[1:]] + [end]
    return [[a for a in atoms(text, b[1], e) if a.is_value] for b, e in zip(bounds, ends, strict=True)]


def _numbers(row: RowRead) -> int:
    count = len(row.surplus)
    for value in row.values:  # (counted in a loop: list.count is a method call)
        if value is not None:
            count += 1
    return count


@dataclass
class _Page:
    """One block of a table drawn column by column: its rows (in the national order) and its numbers' columns."""

    rows: list[Located]
    blocks: list[list[Atom]]
    headed: bool  # each column under its header (a header with no number under it: a blank column)
    why: str = ""  # why its columns can't be placed, if they can't
    settled: list[bool] = field(default_factory=list)


def _pages(found: list[Located], table: TableRead) -> list[list[Located]]:
    """The located labels (in text order) in blocks, each closed by the label holding more than one number (the
    numbers after it: a page's columns when each page is drawn column by column, its labels first)."""
    pages: list[list[Located]] = [[]]
    for loc in found:
        pages[-1].append(loc)
        if _numbers(table.rows[loc.spec.path]) > 1:
            pages.append([])
    return [page for page in pages if page]


def _each_page_one_label(found: list[Located], table: TableRead) -> bool:
    """Whether :func:`_pages` puts each label (in text order) on a page of its own: every label but the last holds
    more than one number (a table drawn by rows, as most are), looked at without making the pages."""
    return all(_more_than_one_number(table.rows[found[index].spec.path]) for index in range(len(found) - 1))


def _more_than_one_number(row: RowRead) -> bool:
    """``_numbers(row) > 1``, counted up to two."""
    count = len(row.surplus)
    for value in row.values:
        if count > 1:
            break
        if value is not None:
            count += 1
    return count > 1


def _page(text: str, rows: list[Located], last: Located, end: int, width: int) -> _Page:
    """A block's numbers after its last label (``last``), up to ``end``, in columns."""
    assert last.key is not None
    headed = _headed_blocks(text, last.key.end(), end) if width == len(COLUMN_NAMES) else None
    blocks = headed if headed is not None else _blocks(text, last.key.end(), end)
    count = sum(len(block) for block in blocks)
    if headed is None and len(blocks) == 1 and count == len(rows) * width:  # no empty lines between the columns
        blocks = [blocks[0][i : i + len(rows)] for i in range(0, count, len(rows))]
    page = _Page(rows, blocks, headed is not None)
    page.why = f"读到 {len(blocks)} 组数字（共 {width} 列）" if len(blocks) != width else ""
    page.settled = [not page.why and (len(b) == len(rows) or (page.headed and not b)) for b in blocks]
    page.settled = page.settled if len(blocks) == width else [False] * width
    short = [COLUMN_NAMES[i] for i, ok in enumerate(page.settled) if not ok] if not page.why else []
    if short:
        page.why = f"{'、'.join(short)}列的数字个数与行数（{len(rows)}）不符：空白单元格没有留下位置"
    return page


def _by_pages(text: str, located: list[Located], end: int, table: TableRead) -> list[_Page] | None:
    """The table's blocks when it is drawn column by column: one block (no row but the last printed holds more
    than one number, and at least two columns' worth of numbers or the column headers after it), or one block
    a page, each page's labels first, then its numbers one a line, the pages' rows following each other in the
    national order. None when the table is not printed so."""
    found = _in_text_order(_found(located))
    width = located[0].spec.width
    if len(found) < 2 or _each_page_one_label(found, table):
        return None  # (as the pages below would say: no page of two labels or more, and more than one page)
    labelled = _pages(found, table)
    if len(labelled) == 1:
        page = _page(text, located, found[-1], end, width)
        count = sum(len(block) for block in page.blocks)
        return [page] if count >= 2 * width or page.headed else None
    if not labelled or all(len(page) < 2 for page in labelled):
        return None  # (no page of two labels or more: none of the pages below would have rows to place)
    order = {id(loc): index for index, loc in enumerate(located)}
    ranges: list[tuple[int, int]] = []  # each page's first and last row in the national order
    for labels in labelled:
        places = [order[id(loc)] for loc in labels]
        ranges.append((min(places), max(places)))
    if any(a[1] >= b[0] for a, b in itertools.pairwise(ranges)) or ranges[0][0] != 0:
        return None  # the pages' rows out of the national order
    if ranges[-1][1] != len(located) - 1 or any(a[1] + 1 != b[0] for a, b in itertools.pairwise(ranges)):
        return None  # a row whose label was not found between two pages: on which of them is unknown
    pages: list[_Page] = []
    for number, (rows, (low, high)) in enumerate(zip(labelled, ranges, strict=True)):
        last = rows[-1]
        assert last.key is not None
        page_end = labelled[number + 1][0].start if number + 1 < len(labelled) else end
        numbers = [a for a in atoms(text, last.key.end(), page_end) if a.is_value]
        if len({a.line for a in numbers}) != len(numbers):
            return None  # numbers side by side: a row's, not a column's
        pages.append(_page(text, located[low : high + 1], last, page_end, width))
    if not any(len(page.rows) > 1 and sum(map(len, page.blocks)) >= 2 * width for page in pages):
        return None
    for number, page in enumerate(pages):
        page.why = page.why and f"第 {number + 1} 页（共 {len(pages)} 页）：{page.why}"
    return pages


def read_by_columns(text: str, located: list[Located], end: int, table: TableRead) -> bool:
    """PDF text extracted column by column: every row label first, then each column's numbers one per line,
    the columns in blocks (an empty line apart, or each under its header); over several pages, each page so.
    Recognised when no row but the last printed holds more than one number and the numbers after it are at
    least two columns' worth or stand under the column headers; or page by page (see :func:`_by_pages`). A
    column printing one number per row fills the rows in the national order; a column whose header has no
    number under it is blank; a shorter column can't be placed (blank cells leave no mark). The placement
    stands (derived) only when the arithmetic holds: every row total, column balance and results total when
    every column of every page is placed, else each placed column's own balance and results total (a column
    placed on every page); the rest is unsure. Returns whether the table was printed this way."""
    pages = _by_pages(text, located, end, table)
    if pages is None:
        return False
    width = located[0].spec.width
    settled = [all(page.settled[column] for page in pages) for column in range(width)]
    why = "；".join(page.why for page in pages if page.why)
    read: dict[str, RowRead] = {}
    if any(settled):
        for page in pages:
            for r, loc in enumerate(page.rows):
                cells = [
                    block[r] if ok and block else _BLANK_CELL for block, ok in zip(page.blocks, settled, strict=False)
                ]
                read[loc.spec.path] = direct(cells)
    values = row_values({path: row.values for path, row in read.items()})
    outcomes = _outcomes(values)
    if read and all(settled):
        if not holds(table_equations(outcomes, review=False), values):  # row totals and column sums
            why = "按行数归位后，每行合计或各列勾稽关系不成立"
            settled = [False] * width
    elif read:
        for column, name in enumerate(COLUMNS):
            own = [e for e in column_equations(outcomes) if all(c.endswith(f".{name}") for c in e.cells)]
            if settled[column] and not holds(own, values):
                settled[column] = False
                why += f"；{COLUMN_NAMES[column]}列按行数归位后勾稽关系不成立"
    derived = (COLUMNS_READ if len(pages) == 1 else COLUMNS_READ_PAGES) if all(settled) else COLUMNS_READ_IN_PART
    for loc in located:
        path = loc.spec.path
        if not any(settled):
            table.rows[path] = RowRead.missing(width, COLUMNS_UNPLACED.format(why=why))
            continue
        row = table.rows[path] = read[path]
        row.derived = derived
        for column, name in enumerate(loc.spec.fields):
            if not settled[column]:
                row.values[column] = None
                row.spans[column] = None
                table.unsure[f"{path}.{name}"] = COLUMNS_UNPLACED.format(why=why)
    return True


_BLANK_CELL = Atom("blank", "", 0, 0)
_new_atom = tuple.__new__  # an Atom without the named tuple's Python-level constructor
_VALUE_KINDS: Final = (
    "num",
    "zero",
)  # an atom's is_value, tested without a call where a table's every atom is looked at


_ANY_DIGIT: Final = re.compile(r"\d")
_MAY_HOLD_VALUE: Final = re.compile(r"[\d/／\-－—–无\\]")  # a digit or a character of a zero mark


def flag_numbers_before_labels(text: str, start: int, first_label: int, table: TableRead) -> None:
    """Numbers between a table's heading and its first row label: the layout prints values before labels
    (a PDF with vertically centred labels), so every row may hold its neighbour's numbers."""
    if not _ANY_DIGIT.search(text, start, first_label):
        return  # no digit: no number
    stray = [a for a in atoms(text, start, first_label) if a.kind == "num"]
    if len(stray) < 2:
        return
    reason = f"表头与第一行标签之间有 {len(stray)} 个数字：数字可能印在行标签之前，行与数字的对应不确定"
    for row in table.rows.values():
        row.unsure = row.unsure or reason


def _resolve_across_rows(table: TableRead, limit: int = 20000) -> None:
    """Rows whose digit runs split several ways: keep the combination the column checks accept, if unique."""
    ambiguous = [path for path, row in table.rows.items() if len(row.candidates) > 1]
    if not ambiguous or not all(table.rows[p].complete for p in ambiguous):
        return  # a unique fit among incomplete lists would prove nothing
    sizes = [len(table.rows[p].candidates) for p in ambiguous]
    total = 1
    for size in sizes:
        total *= size
    if total > limit:
        return
    values = row_values({p: row.values for p, row in table.rows.items()})
    keys = [[f"{p}.{c}" for c in COLUMNS] for p in ambiguous]
    fits: list[tuple[list[int], ...]] = []
    for combo in itertools.product(*(table.rows[p].candidates for p in ambiguous)):
        for row_keys, chosen in zip(keys, combo, strict=True):
            values.update(zip(row_keys, chosen, strict=False))
        if _columns_hold(values):
            fits.append(combo)
            if len(fits) > 1:
                return
    if len(fits) == 1:
        for path, chosen in zip(ambiguous, fits[0], strict=True):
            row = table.rows[path]
            row.values = list(chosen)
            row.unsure = None
            row.split = True


def _outcomes(values: dict[str, int | float | None]) -> tuple[str, ...]:
    """The outcome rows a table's cells (by path) hold."""
    return tuple(o for o in OUTCOME_ROWS if f"{RESULTS}.{o}.total" in values)


def _columns_hold(values: dict[str, int | float | None]) -> bool:
    """Every column's balance and results total is evaluated and holds (the cells by path)."""
    return holds(column_equations(_outcomes(values)), values)


REVIEW_RESULTS: Final[tuple[tuple[str, ...], ...]] = (
    ("结果维持",),
    ("结果纠正",),
    ("其他结果",),
    ("尚未审结",),
    ("总计",),
)
REVIEW_CASES: Final[tuple[tuple[str, ...], ...]] = (("行政复议",), ("直接起诉",), ("复议后起诉",))


def _word_span(text: str, word: str, start: int, end: int) -> Span | None:
    """Where ``pattern((word,)).search(text, start, end)`` matches (the word, without layout space of its own, with
    any between its characters), without the regex: at each place of its first character, in order, the word matched a character
    at a time (a run of layout space is taken whole: the character after it is a word's, never a space)."""
    first = word[0]
    at = text.find(first, start, end)
    while at >= 0:
        stop = at + len(word)
        if stop <= end and text[at:stop] == word:
            return at, stop  # (printed whole, as most are)
        stop = _word_end(text, word, at, end)
        if stop >= 0:
            return at, stop
        at = text.find(first, at + 1, end)
    return None


def _word_end(text: str, word: str, at: int, end: int) -> int:
    """Where the word matched at ``at`` (its first character there) ends, layout space allowed between its
    characters, within ``end``; -1 when it does not match there."""
    index = at + 1
    for place in range(1, len(word)):
        code = ord(word[place])
        while index < end and ord(text[index]) != code and _is_layout_space(text, index):
            index += 1
        if index >= end or ord(text[index]) != code:
            return -1
        index += 1
    return index


def _is_layout_space(text: str, index: int) -> bool:
    """Whether ``text[index]`` is layout space (``_LAYOUT_SPACE``: whitespace or a pipe)."""
    code = ord(text[index])
    if code < 128:
        return code == 32 or code == 124 or 9 <= code <= 13 or 28 <= code <= 31
    return not _CJK_FIRST < code < _CJK_END and text[index].isspace()  # (U+3000 is a space)


def _printed_at_least(header: str, word: str, times: int) -> bool:
    """Whether ``pattern((word,))`` matches ``header`` ``times`` times or more (findall), counted without the
    regex when the word is printed whole that often: for a word of distinct characters, as 表四's results are,
    each whole print is a match of its own (two matches can't share a character: each starts with the word's
    first character, which it holds once)."""
    return header.count(word) >= times or len(pattern((word,)).findall(header)) >= times


def read_table4(text: str, spec: RowSpec, start: int, end: int) -> RowRead:
    """表四 as printed: the five results as column headers over one row of 15 numbers; three rows of five
    (行政复议 / 未经复议直接起诉 / 复议后起诉 as row labels); or transposed, the five results as row labels
    with the three cases as columns. Rows are told apart by their labels: numbers between two of them."""
    results, cases = len(REVIEW_RESULTS), len(REVIEW_CASES)
    if (labels := _labelled_rows(text, start, end, REVIEW_RESULTS)) is not None:
        return _read_labelled(text, end, labels, REVIEW_RESULTS, cases, lambda row, col: col * results + row, spec)
    if (labels := _labelled_rows(text, start, end, REVIEW_CASES)) is not None:
        return _read_labelled(text, end, labels, REVIEW_CASES, results, lambda row, col: row * results + col, spec)
    plain = plain_numbers(text, start, end)
    if plain is not None and len(plain) == spec.width:  # the common table: its numbers plain, one a cell
        if _may_be_header_block(text, start, plain[0][0], plain[-1][1]):  # (else no atoms are made for it)
            numbers = [_new_atom(Atom, ("num", text[a:b], a, b, False, 0)) for a, b in plain]  # as atoms() finds
            if (block := _read_header_block(text, spec, start, numbers)) is not None:
                return block
        return _read_flat_plain(text, spec, start, end, plain)
    region = atoms(text, start, end)  # tokenised once for both readings below
    if (block := _read_header_block(text, spec, start, [a for a in region if a.kind in _VALUE_KINDS])) is not None:
        return block
    return read_flat(text, spec, start, end, region)


REVIEW_ORDER_DERIVED = "表四的数字全部印在标签之后，且表头不是国家格式（每种结果印三次）：数字按列还是按行排列，只有这一种排列使每行合计成立"
REVIEW_ORDER_UNKNOWN = (
    "表四的数字全部印在标签之后，且表头不是国家格式（每种结果印三次）：数字按列还是按行排列无法确定（{why}）"
)


REVIEW_ORDER_PAGES = "数字跨页印出，每页的数字可能各成一块按列排列"
# A page break among the numbers: a form feed, or a line the normaliser blanked (a page marker such as 第 9 页).
_PAGE_BREAK: Final = re.compile(r"\f|^[ \t]+\n", re.MULTILINE)


def _may_be_header_block(text: str, start: int, first: int, last: int) -> bool:
    """Whether 表四's numbers, from ``first`` to ``last``, may be a block under a header that is not the national
    form's: not under the national header, and not on one line."""
    header = text[start:first]
    if all(_printed_at_least(header, key[0], len(REVIEW_CASES)) for key in REVIEW_RESULTS[:-1]):
        return False  # the national form: the numbers in its order
    return text.find("\n", first, last) >= 0  # (else one printed row of fifteen: the national form's row under a
    # lost header)


def _read_header_block(text: str, spec: RowSpec, start: int, numbers: list[Atom]) -> RowRead | None:
    """表四's fifteen numbers all after its labels, under a header that is not the national one-row form's
    (which prints each result three times, once per case): a grid of three cases by five results whose labels
    were printed once each before its numbers (a PDF's text layer drawn column by column, the header on the page
    before), or under a placeholder, another table's header or none. The numbers run by case or by result,
    which the text doesn't say: the order whose every row total holds is taken (derived); when both or neither
    hold, every cell is unsure. None when the block is not this: the national header, the fifteen numbers on one
    line (the national form's one row), or not fifteen numbers. ``numbers``: the value atoms of the table."""
    if (
        len(numbers) != spec.width
        or not numbers
        or not _may_be_header_block(text, start, numbers[0].start, numbers[-1].end)
    ):
        return None
    if _PAGE_BREAK.search(text, numbers[0].end, numbers[-1].start):
        return RowRead.missing(spec.width, REVIEW_ORDER_UNKNOWN.format(why=REVIEW_ORDER_PAGES))
    results, groups = len(REVIEW_RESULTS), len(REVIEW_CASES)
    orders = {
        "by_case": list(range(spec.width)),  # the national order: each case's five results
        "by_result": [(k % groups) * results + k // groups for k in range(spec.width)],  # each result's three cases
    }
    fits: dict[str, RowRead] = {}
    sums = [e for e in table_equations((), review=True) if e.kind == "review_total"]
    for name, order in orders.items():
        read = placed(spec.width, order, numbers)
        values = {f"{spec.path}.{field}": value for field, value in zip(spec.fields, read.values, strict=True)}
        if holds(sums, values):
            fits[name] = read
    if len(fits) == 1:
        read = next(iter(fits.values()))
        read.derived = REVIEW_ORDER_DERIVED
        return read
    if len(fits) == 2 and fits["by_case"].values == fits["by_result"].values:
        return fits["by_case"]
    why = "两种排列都使每行合计成立" if fits else "两种排列都不使每行合计成立"
    return RowRead.missing(spec.width, REVIEW_ORDER_UNKNOWN.format(why=why))


def _read_labelled(
    text: str,
    end: int,
    labels: list[Span | None],
    keys: tuple[tuple[str, ...], ...],
    width: int,
    cell: Callable[[int, int], int],
    spec: RowSpec,
) -> RowRead:
    read = RowRead([None] * (len(keys) * width), [None] * (len(keys) * width))
    reasons: list[str] = []
    for index, label in enumerate(labels):
        if label is None:
            reasons.append(f"表四“{keys[index][0]}”行的标签未找到")
            continue
        row_end = next((m[0] for m in labels[index + 1 :] if m is not None), end)
        sums = row_sums(spec.path, tuple(spec.fields[cell(index, column)] for column in range(width)))
        row = resolve(atoms(text, label[1], row_end), width, sums, has_total=bool(sums), fewer=True)
        if row.unsure is None and (marker := inline_page_marker(text, label[1], row_end)) is not None:
            row.unsure = MARKER_DOUBT.format(marker=marker.strip())
        if row.unsure:
            reasons.append(f"表四“{keys[index][0]}”行：{row.unsure}")
        for column in range(width):
            read.values[cell(index, column)] = row.values[column]
            read.spans[cell(index, column)] = row.spans[column]
            if column in row.zero_marks:
                read.zero_marks.append(cell(index, column))
    if reasons:
        read.unsure = "；".join(reasons)
    return read


def _labelled_rows(text: str, start: int, end: int, keys: tuple[tuple[str, ...], ...]) -> list[Span | None] | None:
    """The labels' spans, in order, if they label rows (numbers between two of them), else None (they are
    headers)."""
    found: list[Span | None] = []
    cursor = start
    for key in keys:
        span = _word_span(text, key[0], cursor, end)  # (表四's labels are a word each)
        found.append(span)
        if span is not None:
            cursor = span[1]
    present = [m for m in found if m is not None]
    for a, b in itertools.pairwise(present):
        if _MAY_HOLD_VALUE.search(text, a[1], b[0]) and any(atom.is_value for atom in atoms(text, a[1], b[0])):
            return found
    return None


def read_flat(text: str, spec: RowSpec, start: int, end: int, region: list[Atom]) -> RowRead:
    """A table printed as one row of numbers after its headers (表四: 15 numbers); ``region``: the atoms of
    ``text[start:end]``."""
    read = resolve(region, spec.width, row_sums(spec.path, spec.fields), has_total=False)
    if read.unsure is None and (marker := inline_page_marker(text, start, end)) is not None:
        read.unsure = MARKER_DOUBT.format(marker=marker.strip())
    first = next((i for i, atom in enumerate(region) if atom.kind in _VALUE_KINDS), len(region))
    if read.unsure is None and any(a.kind == "text" and _CJK.search(a.text) for a in region[first:]):
        read.unsure = INTERLEAVED
    if read.unsure is None and _rows_with_blanks(region, spec.width):
        read.unsure = SEVERAL_ROWS
    return read


def _rows_with_blanks(region: list[Atom], width: int) -> bool:
    """The table's cells stand as several printed rows (two lines or more holding several cells each) and
    number more than its cells: 表四 printed as rows whose labels were lost leaves a blank cell where each
    row's label stood, so which blanks are cells and which are padding is unknown (one cell a line, or one
    row of cells, is not this)."""
    cells = [a for a in row_atoms(region) if a.kind != "text"]
    if len(cells) <= width:
        return False
    per_line = Counter(a.line for a in cells)
    if sum(count > 1 for count in per_line.values()) > 1:
        return True
    # One cell a line in blocks apart (rows one cell a line, an empty line or a label's line between them), with a
    # blank cell among them: a lost label's line reads as a blank cell too.
    apart = any(b.line - a.line > 1 for a, b in itertools.pairwise(cells))
    return apart and any(a.kind == "blank" for a in cells)


def _read_flat_plain(text: str, spec: RowSpec, start: int, end: int, plain: list[Span]) -> RowRead:
    """:func:`read_flat` of a region whose words are plain numbers, one a cell (``plain``: their spans), and text
    without a digit: the numbers in order, doubted as read_flat doubts them (a page marker; text after the first
    number, a CJK character outside a bracketed note, which the tokeniser blanks)."""
    read = numbers(text, plain)
    if (marker := inline_page_marker(text, start, end)) is not None:
        read.unsure = MARKER_DOUBT.format(marker=marker.strip())
    elif _CJK.search(blank_notes(text[plain[0][1] : end])):
        read.unsure = INTERLEAVED
    return read


MARKER_DOUBT = "行内夹有形如页码的“{marker}”（与数字连写，不在单独一行）：其中的数字可能是页码，也可能是单元格"
SEVERAL_ROWS = "表四的数字印成多行，单元格（含空白）多于 15 格：各行的标签可能未印出而留下空白格，哪些空白是单元格无法确定，数字可能错列"
INTERLEAVED = "表四的数字之间夹有文字（行或列的标签）：不是国家格式的一行数字，按其顺序读取未经确认"
_CJK: Final = re.compile(r"[\u4e00-\u9fff]")
