"""Cells of a table region: atoms (numbers, zero marks, blanks, text) and the digit-run splitter.

A region is the text between one row label and the next. Lines with tabs or ``|`` are delimited rows:
their empty cells are blank cells. Lines without delimiters are space-separated atoms (or one cell per
line). Digits glued to text (flattened web pages) are separated from it, and a run of digits that
holds several cells is split with the table's arithmetic by :func:`split_runs`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

AtomKind = Literal["num", "zero", "blank", "text"]

ZERO_MARKS = frozenset({"/", "／", "-", "－", "—", "–", "——", "--", "无", "\\"})
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_PIECE = re.compile(r"[-+]?\d+(?:\.\d+)?|[^\d\s]+")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DELIMITER = re.compile(r"[\t|]")
_WORD = re.compile(r"\S+")
_RULE_LINE = re.compile(r"\s*\|?\s*:?-{3,}[-|: \t]*")
_CJK_PARENS = re.compile(r"[(（][^()（）\n]{0,60}?[\u4e00-\u9fff][^()（）\n]{0,60}?[)）]")


@dataclass(frozen=True)
class Atom:
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


def _cells(line: str, offset: int, first: bool) -> Iterator[tuple[str, int, bool]]:
    """(cell text, start offset, delimited) for a line; delimited cells keep their blanks.

    On a region's first line, what precedes the first delimiter is the rest of the row label.
    """
    if "\t" not in line and "|" not in line:
        yield line, offset, False
        return
    if first:
        lead = len(line) - len(line.lstrip(" "))
        line, offset = line[lead:], offset + lead
    parts: list[tuple[str, int]] = []
    pos = 0
    for match in _DELIMITER.finditer(line):
        parts.append((line[pos : match.start()], offset + pos))
        pos = match.end()
    parts.append((line[pos:], offset + pos))
    if parts and line[:1] in "\t|":
        parts = parts[1:]
    if len(parts) > 1 and line.rstrip(" ")[-1:] in ("\t", "|"):
        parts = parts[:-1]
    for text, start in parts:
        yield text, start, True


def _standalone(text: str, start: int, end: int) -> bool:
    """A mark stands alone in the source (not the rest of a label such as （四）无 / 法提供)."""
    before = text[start - 1] if start > 0 else "\n"
    after = text[end] if end < len(text) else "\n"
    return (before.isspace() or before in "|") and (after.isspace() or after in "|")


def atoms(text: str, start: int = 0, end: int | None = None) -> list[Atom]:
    """The atoms of ``text[start:end]``; offsets are into ``text``."""
    end = len(text) if end is None else end
    region = text[start:end]
    if "(" in region:
        region = _CJK_PARENS.sub(lambda m: " " * (m.end() - m.start()), region)
    out: list[Atom] = []
    pos = start
    lines = region.split("\n")
    # A region that ends mid-line ends where the next row's label begins: no blank cells there.
    partial = end < len(text) and end > start and text[end - 1] != "\n"
    for index, line in enumerate(lines):
        delimited_line = "\t" in line or "|" in line
        if (not delimited_line and (not line or line.isspace())) or ("---" in line and _RULE_LINE.fullmatch(line)):
            pos += len(line) + 1  # an empty line holds no cell (a tab-only line is a blank cell: kept)
            continue
        cells = _cells(line, pos, index == 0) if delimited_line else ((line, pos, False),)
        for cell, cell_start, delimited in cells:
            stripped = cell.strip()
            if not stripped:
                if delimited and not (partial and index == len(lines) - 1):
                    out.append(Atom("blank", "", cell_start, cell_start, True, index))
                continue
            for word in _WORD.finditer(cell):
                w_start = cell_start + word.start()
                token = word.group()
                if token in ZERO_MARKS and _standalone(text, w_start, w_start + len(token)):
                    out.append(Atom("zero", token, w_start, w_start + len(token), delimited, index))
                    continue
                if "," in token and _THOUSANDS.fullmatch(token):  # 1,259 is one number
                    out.append(Atom("num", token.replace(",", ""), w_start, w_start + len(token), True, index))
                    continue
                if token.isascii() and token.isdigit():
                    out.append(Atom("num", token, w_start, w_start + len(token), delimited, index))
                    continue
                for piece in _PIECE.finditer(token):
                    kind: AtomKind = "num" if _NUMBER.fullmatch(piece.group()) else "text"
                    span = (w_start + piece.start(), w_start + piece.end())
                    out.append(Atom(kind, piece.group(), span[0], span[1], delimited, index))
        pos += len(line) + 1
    return out


def _parts(run: str, k: int) -> Iterator[list[int]]:
    """Every way to cut a digit run into ``k`` numbers without leading zeros (a leading '-' signs the first)."""
    sign = -1 if run.startswith("-") else 1
    digits = run.lstrip("+-")

    def cut(rest: str, k: int, first: bool) -> Iterator[list[int]]:
        if k == 1:
            if rest and (rest == "0" or not rest.startswith("0")):
                yield [int(rest) * (sign if first else 1)]
            return
        for i in range(1, len(rest) - k + 2):
            head = rest[:i]
            if head != "0" and head.startswith("0"):
                break
            value = int(head) * (sign if first else 1)
            for tail in cut(rest[i:], k - 1, False):
                yield [value, *tail]

    yield from cut(digits, k, True)


def split_runs(runs: Sequence[str], n: int, accept: Callable[[list[int]], bool], limit: int = 64) -> list[list[int]]:
    """Every split of the digit runs into exactly ``n`` numbers that ``accept`` takes (at most ``limit``).

    Each run keeps its order and yields at least one number. One solution: the split is unique; several:
    ambiguous; none: no split satisfies the arithmetic.
    """
    lengths = [len(r.lstrip("+-")) for r in runs]
    if not runs or sum(lengths) < n or len(runs) > n:
        return []
    solutions: list[list[int]] = []

    def assign(i: int, left: int, acc: list[int]) -> None:
        if len(solutions) >= limit:
            return
        if i == len(runs):
            if left == 0 and accept(acc):
                solutions.append(acc)
            return
        remaining = len(runs) - i - 1
        for k in range(1, min(lengths[i], left - remaining) + 1):
            for parts in _parts(runs[i], k):
                assign(i + 1, left - k, acc + parts)

    assign(0, n, [])
    return solutions
