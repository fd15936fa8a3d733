"""Cells of a table region: atoms (numbers, zero marks, blanks, text) and the digit-run splitter.

A region is the text between one row label and the next. Lines with tabs or ``|`` are delimited rows:
their empty cells are blank cells. Lines without delimiters are space-separated atoms (or one cell per
line). Digits glued to text (flattened web pages) are separated from it, and a run of digits that
holds several cells is split with the table's arithmetic by :func:`split_runs`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, NamedTuple

from giar_llm.core.document import PLACEHOLDER
from giar_llm.core.headers import ZERO_MARKS

AtomKind = Literal["num", "zero", "blank", "text"]

_NUMBER: Final = re.compile(r"[-+]?\d+(?:\.\d+)?")
_PIECE: Final = re.compile(r"[-+]?\d+(?:\.\d+)?|[^\d\s]+")
_NAME: Final = rf"(?:{PLACEHOLDER.pattern})(?!\d)"  # a placeholder name (数据12), not the start of a longer number
_PIECE_NAMED: Final = re.compile(rf"{_NAME}|[-+]?\d+(?:\.\d+)?|(?:(?!{_NAME})[^\d\s])+", re.IGNORECASE)
_THOUSANDS: Final = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DELIMITER: Final = re.compile(r"[\t|]")
_WORD: Final = re.compile(r"\S\S*")  # (\S+ as a class then a repeat: searched by skipping to the class)
# A row label's numbering standing alone as a word (2. 2、 2．): no count ends in its punctuation.
_NUMBERING: Final = re.compile(r"\d{1,2}[.．、]")
# A word that starts with a row label's numbering glued to the label's text (3.其 / 他): the numbering is no count.
_NUMBERED_LABEL: Final = re.compile(r"\d{1,2}[.．、](?=[\u4e00-\u9fff])")
_RULE_LINE: Final = re.compile(r"\s*\|?\s*:?-{3,}[-|: \t]*")
_CJK_PARENS: Final = re.compile(r"[(（][^()（）\n]{0,60}?[\u4e00-\u9fff][^()（）\n]{0,60}?[)）]")


# (Its first dash written apart from the optional second: a pattern that starts with a character class, not a
# repeat, is searched by skipping to that class's characters instead of trying every position.)
_INLINE_MARKER: Final = re.compile(r"[-—–－][-—–－]?[ \t]*(\d{1,3})[ \t]*[-—–－]{1,2}")
_DASHES: Final = tuple("-—–－")  # what a marker starts with (its pattern's first class)
_MARKER_TAIL: Final = 6  # characters a marker runs on past its number: spaces and its closing dashes


def inline_page_marker(text: str, start: int, end: int) -> str | None:
    """A page marker (- 3 -, — 4 —) run into a row's cells (flattened text), not on a line of its own: its
    number reads as a cell. A dash glued to a neighbour is no zero mark of its own (0 - 3 - 0 are cells).
    A marker whose number stands in ``text[start:end]`` counts even when its closing dash lies past ``end``
    (the next row's label found starting at that dash: no label of the format starts with one)."""
    stop = min(len(text), end + _MARKER_TAIL)
    first = first_of(text, _DASHES, start, stop)  # (most rows hold no dash at all: no regex is asked)
    match = _INLINE_MARKER.search(text, first, stop) if first >= 0 else None
    while match is not None:
        if match.start(1) >= end:
            break  # the next region's marker
        before = text[match.start() - 1] if match.start() > 0 else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if not (before.isspace() or before == "|") or not (after.isspace() or after == "|"):
            return match.group()
        match = _INLINE_MARKER.search(text, match.end(), stop)
    return None


class Atom(NamedTuple):
    """A number, zero mark, blank cell or piece of text, with its span in the text (a tuple: thousands are
    made per document, and a tuple is made several times faster than a frozen dataclass)."""

    kind: AtomKind
    text: str
    start: int
    end: int
    delimited: bool = False  # from a tab- or pipe-delimited cell: never split further
    line: int = 0  # the line within its region (0: the rest of the label's line)

    @property
    def is_value(self) -> bool:
        return self.kind in ("num", "zero")

    @property
    def is_integer(self) -> bool:
        return self.kind == "num" and "." not in self.text

    def number(self) -> int | float:
        if self.kind == "zero":
            return 0
        return float(self.text) if "." in self.text else int(self.text)


_new = tuple.__new__  # an Atom without the named tuple's Python-level constructor (thousands per document)


def _standalone(text: str, start: int, end: int) -> bool:
    """A mark stands alone in the source (not the rest of a label such as （四）无 / 法提供)."""
    before = text[start - 1] if start > 0 else "\n"
    after = text[end] if end < len(text) else "\n"
    return (before.isspace() or before in "|") and (after.isspace() or after in "|")


def first_of(text: str, chars: tuple[str, ...], start: int, stop: int) -> int:
    """Where the first of ``chars`` stands in ``text[start:stop]``, -1 when none does: found by ``str.find`` (which runs
    over a text several times faster than a regex tries a character class at each place), the span narrowed to
    before each one found."""
    first = -1
    for ch in chars:
        at = text.find(ch, start, stop)
        if at >= 0:
            first = stop = at
    return first


def ascii_digits(word: str) -> bool:
    """``word.isdigit() and word.isascii()``: a plain number of ASCII digits. (A loop over the code points: compiled,
    it reads the string's buffer, where ``isascii`` is a method looked up and called.)"""
    if not word:
        return False
    for i in range(len(word)):
        code = ord(word[i])
        if code < 48 or code > 57:
            return False
    return True


def has_digit(word: str) -> bool:
    """Whether ``word`` holds a decimal digit (what ``\\d`` matches: ``str.isdecimal``'s characters), looked at a code
    point at a time: an ASCII digit is one, ASCII and the CJK ideographs hold no other, the rest is asked."""
    for i in range(len(word)):
        code = ord(word[i])
        if 48 <= code <= 57:
            return True
        if code >= 128 and not 0x4E00 <= code <= 0x9FFF and word[i].isdecimal():
            return True
    return False


_OPENING_PARENS: Final = ("(", "（")


def blank_notes(region: str) -> str:
    """``region`` with each bracketed note holding a CJK character (（含12个）) blanked: no atom is read in it.

    As ``_CJK_PARENS.sub`` blanks them when the region holds a ``(``: a note is tried only where an opening
    bracket stands."""
    if "(" not in region:
        return region
    pieces: list[str] = []
    last = 0
    size = len(region)
    at = first_of(region, _OPENING_PARENS, 0, size)
    while at >= 0:
        match = _CJK_PARENS.match(region, at)
        if match is None:
            at = first_of(region, _OPENING_PARENS, at + 1, size)
            continue
        pieces += (region[last:at], " " * (match.end() - at))
        last = match.end()
        at = first_of(region, _OPENING_PARENS, last, size)
    if not pieces:
        return region
    pieces.append(region[last:])
    return "".join(pieces)


def atoms(text: str, start: int = 0, end: int | None = None) -> list[Atom]:
    """The atoms of ``text[start:end]``; offsets are into ``text``.

    Lines with a tab or ``|`` are delimited: their cells are split at each delimiter, an empty cell is a blank
    cell; on the region's first line what precedes the first delimiter is the rest of the row label. Other
    lines are space-separated words. A cell of plain digits is a number at once; other words go through
    :func:`_word`.
    """
    end = len(text) if end is None else end
    region = blank_notes(text[start:end])
    if "\t" not in region and "|" not in region and "---" not in region:
        return _words(text, region, start)
    out: list[Atom] = []
    pos = start
    lines = region.split("\n")
    last = len(lines) - 1
    # A region that ends mid-line ends where the next row's label begins: no blank cells there.
    partial = end < len(text) and end > start and text[end - 1] != "\n"
    for index, line in enumerate(lines):
        size = len(line)
        if "\t" in line or "|" in line:
            if "---" in line and _RULE_LINE.fullmatch(line):
                pos += size + 1
                continue
            body, offset = line, pos
            if index == 0:  # the rest of the label's line: leading spaces are the label's padding
                body = line.lstrip(" ")
                offset += size - len(body)
            cells: list[tuple[str, int]]
            if body[:1] == "\t" and "|" not in body and body.count("\t") == 1:  # one cell after a tab
                cells = [(body[1:], offset + 1)]
            else:
                cut = offset
                cells = []
                for part in _DELIMITER.split(body):
                    cells.append((part, cut))
                    cut += len(part) + 1
                if body[:1] in "\t|":
                    cells = cells[1:]
                if len(cells) > 1 and body.rstrip(" \t")[-1:] == "|":  # a closing pipe; a trailing tab: a blank cell
                    cells = cells[:-1]
            keep_blank = not (partial and index == last)
            for cell, cell_start in cells:
                stripped = cell.strip()
                if not stripped:
                    if keep_blank:
                        out.append(_new(Atom, ("blank", "", cell_start, cell_start, True, index)))
                    continue
                if ascii_digits(stripped):  # the common cell: one plain number
                    w_start = cell_start + len(cell) - len(cell.lstrip())
                    out.append(_new(Atom, ("num", stripped, w_start, w_start + len(stripped), True, index)))
                    continue
                for word in _WORD.finditer(cell):
                    token, w_start = word.group(), cell_start + word.start()
                    if token not in ZERO_MARKS and not has_digit(token):  # text without a digit, as _word reads it
                        out.append(_new(Atom, ("text", token, w_start, w_start + len(token), True, index)))
                    else:
                        _word(text, token, w_start, True, index, out)
        elif line and not line.isspace() and not ("---" in line and _RULE_LINE.fullmatch(line)):
            stripped = line.strip()
            if ascii_digits(stripped):  # a number alone on its line
                w_start = pos + size - len(line.lstrip())
                out.append(_new(Atom, ("num", stripped, w_start, w_start + len(stripped), False, index)))
                pos += size + 1
                continue
            out += _words(text, line, pos, index)
        pos += size + 1
    return out


# Words longer than every zero mark are none: a word's length is asked before the set is (hashing each new word).
_MARK_LONGEST: Final = max(map(len, ZERO_MARKS))


def plain_numbers(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """The spans of the numbers of ``text[start:end]`` when every word (cells and words as :func:`atoms` cuts
    them) is a plain number or text without a digit and no word is a zero mark: then these are exactly the
    number atoms :func:`atoms` finds, and its other atoms are text and blank cells. None otherwise: a word holding
    a decimal digit that is not a plain number of ASCII digits (-5, 1,259, 2020年, 5.5, ١), or a zero mark.

    The region's words are cut by ``str.split`` (its whitespace is the pattern ``\\s``'s), ``|`` made a space
    first; each word is found again from the end of the one before it (only separators stand between)."""
    region = text[start:end]
    if "(" in region:
        region = blank_notes(region)
    if "|" in region:
        region = region.replace("|", " ")
    spans: list[tuple[int, int]] = []
    at = 0
    for word in region.split():
        at = region.find(word, at)
        size = len(word)
        if ascii_digits(word):  # (ASCII digits; another decimal digit is caught below)
            spans.append((start + at, start + at + size))
        elif (size <= _MARK_LONGEST and word in ZERO_MARKS) or has_digit(word):
            return None  # (letters hold no digit)
        at += size
    return spans


def _words(text: str, region: str, start: int, first_line: int = 0) -> list[Atom]:
    """:func:`atoms` of a region without a delimiter or a rule line: its space-separated words, found in one
    pass over the region (a line's index counted from ``first_line`` and the line breaks before its first word)."""
    out: list[Atom] = []
    index = first_line
    seen = 0  # where the line breaks have been counted up to
    at = 0
    for token in region.split():  # (str.split cuts at what \s matches: the words _WORD finds)
        at = region.find(token, at)  # (only whitespace stands before it since the word before)
        index += region.count("\n", seen, at)
        seen = at
        if ascii_digits(token):  # a plain number (the common word), as _word reads it
            out.append(_new(Atom, ("num", token, start + at, start + at + len(token), False, index)))
        elif (len(token) > _MARK_LONGEST or token not in ZERO_MARKS) and not has_digit(token):
            # text without a digit
            out.append(_new(Atom, ("text", token, start + at, start + at + len(token), False, index)))
        else:
            _word(text, token, start + at, False, index, out)
        at += len(token)
    return out


def _word(text: str, token: str, w_start: int, delimited: bool, line: int, out: list[Atom]) -> None:
    """The atoms of one space-separated word: a number, a zero mark, text, or digits glued to text."""
    w_end = w_start + len(token)
    if ascii_digits(token):
        out.append(_new(Atom, ("num", token, w_start, w_end, delimited, line)))
    elif token in ZERO_MARKS and _standalone(text, w_start, w_end):
        out.append(_new(Atom, ("zero", token, w_start, w_end, delimited, line)))
    elif "," in token and _THOUSANDS.fullmatch(token):  # 1,259 is one number
        out.append(_new(Atom, ("num", token.replace(",", ""), w_start, w_end, True, line)))
    elif not has_digit(token) or _NUMBERING.fullmatch(token):  # text; a label's numbering printed apart (2.)
        out.append(_new(Atom, ("text", token, w_start, w_end, delimited, line)))
    else:  # digits glued to text; a converter's placeholder name (数据12) is text, its digits no number
        skip = 0
        if numbering := _NUMBERED_LABEL.match(token):  # a label's numbering before its text (3.其): text
            skip = numbering.end()
            out.append(_new(Atom, ("text", token[:skip], w_start, w_start + skip, delimited, line)))
        for piece in (_PIECE_NAMED if PLACEHOLDER.search(token) else _PIECE).finditer(token, skip):
            kind = "num" if _NUMBER.fullmatch(piece.group()) else "text"
            out.append(
                _new(Atom, (kind, piece.group(), w_start + piece.start(), w_start + piece.end(), delimited, line))
            )


# --------------------------------------------------------------------------- the digit-run splitter

Sums = Sequence[tuple[int, int]]  # (first, total): values[first:total] add up to values[total]
_MOD: Final = 1000  # residues of sums are tracked modulo 1000: a number's last three digits
_MOD_DIGITS: Final = 3
_FULL: Final = (1 << _MOD) - 1
STEP_BUDGET = 200_000


@dataclass(frozen=True)
class Split:
    """The splits found, in the order of their cuts; ``complete`` when every split is listed (fewer than
    ``limit`` exist and the search finished within its step budget)."""

    solutions: list[list[int]]
    complete: bool


class _OutOfSteps(Exception):
    pass


class _Splitter:
    """Cuts of the digits (each run's digits in order) into ``n`` numbers that satisfy ``sums``.

    Dynamic programming over the digit positions: ``rest(i, p)`` is every way to make values ``i..`` from
    the digits from position ``p``, memoised. A group of cells whose last is the sum of the others is cut
    total first: for every place the total can stand, ``members`` cuts the digits before it into numbers
    adding up to it, memoised on (position, count, remainder) and pruned by necessary conditions that
    cost nothing to check: every member is at most the total (so has at most its digits), a number is
    congruent to its digit sum modulo 9 whatever the cuts, and the remainder's last three digits must be
    reachable by the digits left (a table of residues per position, as bit sets). The search is bounded by
    the number of its states; ``STEP_BUDGET`` caps it anyway, and a search that reaches it is reported
    incomplete rather than guessed.
    """

    def __init__(self, runs: Sequence[str], n: int, sums: Sums, limit: int, budget: int) -> None:
        self.digits = "".join(r.lstrip("+-") for r in runs)
        self.size = len(self.digits)
        self.n, self.limit, self.budget = n, limit, budget
        self.run_end = [0] * self.size
        self.sign = [1] * self.size
        pos = 0
        for run in runs:
            body = run.lstrip("+-")
            self.run_end[pos : pos + len(body)] = [pos + len(body)] * len(body)
            if run.startswith("-"):
                self.sign[pos] = -1
            pos += len(body)
        self.signed = -1 in self.sign  # a negative member: the magnitude and modulo-9 bounds do not hold
        self.nines = list(itertools.accumulate(map(int, self.digits), initial=0))  # digit sums of digits[:p]
        self.values: dict[tuple[int, int], int] = {}
        # How few / how many numbers the digits from p can make: at most one a digit (a lone 0 is a number);
        # at fewest, one more than the fewest after any end of a number starting at p.
        self.most = list(range(self.size, -1, -1))
        fewest = [0] * (self.size + 1)
        for p in range(self.size - 1, -1, -1):
            last = p + 1 if self.digits[p] == "0" else self.run_end[p]
            fewest[p] = 1 + min(fewest[p + 1 : last + 1])
        self.fewest = fewest
        self.total_of: list[int | None] = [None] * n  # at a group's first cell: the index of its total
        for first, total in sums:
            self.total_of[first] = total
        self.steps = 0
        self.memo_rest: dict[tuple[int, int], list[list[int]]] = {}
        self.memo_members: dict[tuple[int, int, int, int], list[list[int]]] = {}
        self.memo_residues: dict[tuple[int, int, int], list[int]] = {}

    def tick(self) -> None:
        self.steps += 1
        if self.steps > self.budget:
            raise _OutOfSteps

    def ends(self, p: int, stop: int) -> range:
        """Where a number starting at p can end: within its run, no leading zero, not after ``stop``."""
        last = min(self.run_end[p], stop)
        if self.digits[p] == "0":
            last = min(last, p + 1)
        return range(p + 1, last + 1)

    def value(self, a: int, b: int) -> int:
        v = self.values.get((a, b))
        if v is None:
            v = self.values[(a, b)] = int(self.digits[a:b]) * self.sign[a]
        return v

    def fits(self, p: int, count: int) -> bool:
        """Can the digits from p make exactly ``count`` numbers? (Every count between the fewest and the
        most can: a number of two or more digits splits off its last digit.)"""
        if p == self.size:
            return count == 0
        return self.fewest[p] <= count <= self.most[p]

    def rest(self, i: int, p: int) -> list[list[int]]:
        """Values ``i..n-1`` from the digits from ``p`` (at most ``limit`` ways)."""
        key = (i, p)
        found = self.memo_rest.get(key)
        if found is not None:
            return found
        self.tick()
        out: list[list[int]] = []
        if i == self.n:
            out = [[]] if p == self.size else []
        elif (total := self.total_of[i]) is None:
            for b in self.ends(p, self.size):
                if self.fits(b, self.n - i - 1):
                    head = self.value(p, b)
                    out += ([head, *tail] for tail in self.rest(i + 1, b)[: self.limit - len(out)])
                    if len(out) >= self.limit:
                        break
        else:
            out = self.group(i, total, p)
        self.memo_rest[key] = out
        return out

    def group(self, first: int, total: int, p: int) -> list[list[int]]:
        """A group's members, its total at [t, e), then the values after it."""
        k = total - first
        out: list[list[int]] = []
        for e in range(p + k + 1, self.size + 1):
            if not self.fits(e, self.n - total - 1):
                continue
            tails: list[list[int]] | None = None
            for t in range(e - 1, p + k - 1, -1):
                if self.run_end[t] < e or (self.digits[t] == "0" and e - t > 1):
                    continue  # digits[t:e] is not one number
                goal = self.value(t, e)
                heads = self.members(p, t, k, goal, self.size if self.signed else e - t)
                if not heads:
                    continue
                if tails is None:
                    tails = self.rest(total + 1, e)
                if not tails:
                    break
                for head in heads:
                    out += ([*head, goal, *tail] for tail in tails[: self.limit - len(out)])
                    if len(out) >= self.limit:
                        return out
        return out

    def members(self, p: int, t: int, k: int, goal: int, cap: int) -> list[list[int]]:
        """Cuts of digits[p:t] into ``k`` numbers of at most ``cap`` digits adding up to ``goal``."""
        key = (p, t, k, goal)
        found = self.memo_members.get(key)
        if found is not None:
            return found
        self.tick()
        out: list[list[int]] = []
        if k == 1:
            if self.run_end[p] >= t and (self.digits[p] != "0" or t - p == 1) and self.value(p, t) == goal:
                out = [[goal]]
        elif k <= t - p <= k * cap and (self.signed or self.possible(p, t, k, goal, cap)):
            fewer = self.residues(t, k - 1, cap)
            for b in self.ends(p, min(t - k + 1, p + cap)):
                v = self.value(p, b)
                if v > goal and not self.signed:
                    break
                if (fewer[b] >> ((goal - v) % _MOD)) & 1:
                    out += ([v, *tail] for tail in self.members(b, t, k - 1, goal - v, cap)[: self.limit - len(out)])
                    if len(out) >= self.limit:
                        break
        self.memo_members[key] = out
        return out

    def possible(self, p: int, t: int, k: int, goal: int, cap: int) -> bool:
        """Necessary for ``k`` non-negative numbers cut from digits[p:t] to add up to ``goal``."""
        if goal < 0 or (goal - (self.nines[t] - self.nines[p])) % 9:
            return False
        digits = t - p
        if digits > k * len(str(goal)) or goal >= k * 10 ** (digits - k + 1):
            return False
        return bool((self.residues(t, k, cap)[p] >> (goal % _MOD)) & 1)

    def residues(self, t: int, k: int, cap: int) -> list[int]:
        """For each start p: the sums of digits[p:t] cut into ``k`` numbers of at most ``cap`` digits,
        modulo 1000, as a bit set."""
        key = (t, k, cap)
        table = self.memo_residues.get(key)
        if table is not None:
            return table
        table = [0] * (t + 1)
        digits, run_end, sign = self.digits, self.run_end, self.sign
        if k == 1:
            for p in range(max(0, t - cap), t):
                if run_end[p] >= t and (digits[p] != "0" or t - p == 1):
                    table[p] = 1 << (int(digits[max(p, t - _MOD_DIGITS) : t]) * sign[p] % _MOD)
        else:
            fewer = self.residues(t, k - 1, cap)
            for p in range(t - k, max(0, t - k * cap) - 1, -1):
                self.tick()
                bits = 0
                for b in self.ends(p, min(t - k + 1, p + cap)):
                    if after := fewer[b]:
                        shift = int(digits[max(p, b - _MOD_DIGITS) : b]) * sign[p] % _MOD
                        bits |= ((after << shift) | (after >> (_MOD - shift))) & _FULL
                table[p] = bits
        self.memo_residues[key] = table
        return table


def split_runs(runs: Sequence[str], n: int, sums: Sums = (), limit: int = 64, budget: int | None = None) -> Split:
    """The splits of the digit runs into exactly ``n`` numbers for which every ``sums`` group adds up.

    Each run keeps its order and yields at least one number; no number has a leading zero; a leading
    '-' signs a run's first number. One solution: the split is unique; several: ambiguous (at most
    ``limit`` listed, in the order of their cuts); none: no split satisfies the arithmetic.
    """
    bodies = [r.lstrip("+-") for r in runs]
    size = sum(map(len, bodies))
    if not runs or len(runs) > n or not all(bodies) or size < n:
        return Split([], True)
    if size == n:  # one digit a number: the only cut, a split when its groups add up
        cut = _digit_cut(runs, n, sums)
        found = [cut] if cut is not None else []
        return Split(found[:limit], len(found) < limit)
    if n < sum(len(body) - len(body.lstrip("0")) + (body.lstrip("0") != "") for body in bodies):
        return Split([], True)  # fewer numbers than the digits can make (each leading zero is a number)
    splitter = _Splitter(runs, n, sums, limit, STEP_BUDGET if budget is None else budget)
    try:
        found = splitter.rest(0, 0)
    except _OutOfSteps:
        return Split([], False)
    return Split(sorted(found[:limit], key=_lengths), len(found) < limit)


def _digit_cut(runs: Sequence[str], n: int, sums: Sums) -> list[int] | None:
    """The cut of ``n`` digits into ``n`` numbers (a leading '-' signs its run's first), if every group adds up
    as :class:`_Splitter` checks them (a group starts where none is open; one start names one total)."""
    values = [int(d) * (-1 if i == 0 and run[:1] == "-" else 1) for run in runs for i, d in enumerate(run.lstrip("+-"))]
    total_of = dict(sums)
    i = 0
    while i < n:
        total = total_of.get(i)
        if total is None:
            i += 1
            continue
        if sum(values[i:total]) != values[total]:
            return None
        i = total + 1
    return values


def _lengths(values: list[int]) -> list[int]:
    """The digit lengths of a split's numbers: ordering by them lists splits in the order of their cuts."""
    return [len(str(abs(v))) for v in values]
