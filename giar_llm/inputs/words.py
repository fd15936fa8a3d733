"""Tables printed without ruling lines, read from where their words stand on the page.

A PDF page that prints a table's phrases but draws no ruled table still places every number under its column; its
text layer does not (a blank cell leaves no mark). Here the page's words (text and box) are grouped into printed
lines by their height on the page, and each table is found by its header: a run of lines without a number, right
above the table's first line of numbers, that names one of the national format's columns (``core.headers``) in a
cell that is not its leftmost. The header's words are stacked into cells (a cell's text wrapped over lines stands
in one column, one line under the other); the cells with no other header cell below them are the columns, and the
ones that name a column, or have a number under them, hold values. A number belongs to the column whose extent
(its header cell's, widened by a quarter of the gap to each neighbour) holds the number's middle; a number in no
column's extent, or in two, stands between columns, and its cell says so (never a number: the reader leaves the
row unsure).

Numbers printed right-aligned (or left-aligned) under narrow centred headers stick out of their header's extent;
their own places still form the columns. The numbers right of every row label of the table are grouped by a shared
edge (right, left or centre: each group's edges within ``_ALIGNED`` of each other, apart from the next group's).
When the groups are exactly as many as the columns, side by side, and the headers stand centred over the columns
those edges bound (right-aligned: each header's middle between its group's right edge and the one before, all at one
offset from the middle of the two; left-aligned: likewise with the left edges; centred: each header's middle at one
offset from its group's; a lone column, when its numbers reach into its extent), with no number in another column's
extent, each number belongs to its group's column (one alignment or more, all placing each number alike). Otherwise
(a column without a number, a number out of line, headers not over the columns the numbers bound) the extents
decide, as above, but widened only where a table on the page (or the pages before it) forms its columns by centred
numbers: else a number's middle must stand within its header cell itself, since an edge-aligned number's middle may
stand in the widened extent of the header beside its own (a number left-aligned in a cell spanning two columns, the
one before it blank).

Rows come from the row labels left of the columns: a label that starts with a row's numbering (一、 （二） 3.)
starts a row, the lines under it without a numbering continue it (a wrapped label), and a line of numbers belongs
to the label whose lines it stands between. A line of numbers beside no label is a row without a label; one beside
two labels, or a label with two lines of numbers beside it, leaves its cells unsure. A label in a column left of
the row labels, beside several of them (表三's result groups, merged down their rows), is a group's, not a row's.
A number too wide for its cell wraps over lines, each piece on a line of its own: two lines holding numbers in one
column, a wrapped cell's line apart or closer (but a line beside a label under one whose label starts with a row's
numbering), may be one number's pieces, and every row beside them is unsure (``WRAPPED_ROW``: the text layer prints
the same pieces, so its reading settles nothing).

The table is handed on as the grid a ruled table makes (one label column, then the value columns, the header's
rows on top, a blank cell where no number stands), so the grid reader, its header names and the reconciling with
the text reading apply as they do to a ruled table. A table that runs to the page's end continues on the next page
when that page's first lines of numbers stand under the same columns before any header of its own.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from giar_llm.core.document import WRAPPED_ROW, Box, Grid, GridCell
from giar_llm.core.headers import ALL_HEADERS, APPLICANT_HEADERS, REVIEW_GROUPS, ROW_NUMBERING, ZERO_MARKS, Keys
from giar_llm.reader.normalize import fold

_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")
_MARKER = re.compile(r"[-—–－]{1,2}\d{1,3}[-—–－]{1,2}|第\d{1,3}页(?:[,，/]?共\d{1,3}页)?")  # a page marker line
BETWEEN = "{number}（位于两列之间）"
"""A number whose middle stands in no column's extent, or in two: not a number to the reader."""
AMBIGUOUS = "（数字行与行标签的对应不确定）"
"""A row whose numbers stand beside two labels, or whose label has two lines of numbers beside it."""
_ALIGNED = 2.0  # points: a wrapped cell's lines start (or are centred) within this of each other


@dataclass(frozen=True)
class Word:
    """A word as pdfplumber extracts it: its text and box (PDF points from the page's top-left)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)

    @property
    def box(self) -> Box:
        return (self.x0, self.top, self.x1, self.bottom)


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", fold(text)).strip()


def is_value(word: Word) -> bool:
    """A number or a zero mark (/, -, —, 无)."""
    plain = _plain(word.text)
    return bool(_NUMBER.fullmatch(plain)) or plain in ZERO_MARKS


@dataclass
class _Words:
    """Words that stand together (a printed line, a wrapped cell), with the box around them."""

    words: list[Word]

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)


class _Line(_Words):
    """A printed line: words whose middles stand at one height."""

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return min(w.height for w in self.words)

    @property
    def values(self) -> list[Word]:
        return [w for w in self.words if is_value(w)]


def lines(words: Sequence[Word]) -> list[_Line]:
    """The printed lines: words whose middles stand within a third of a word's height of the line's first word."""
    out: list[_Line] = []
    for word in sorted(words, key=lambda w: (w.middle, w.x0)):
        if out and abs(word.middle - out[-1].words[0].middle) <= 0.35 * min(word.height, out[-1].words[0].height):
            out[-1].words.append(word)
        else:
            out.append(_Line([word]))
    for line in out:
        line.words.sort(key=lambda w: w.x0)
    marker = [i for i, line in enumerate(out) if _MARKER.fullmatch("".join(_plain(w.text) for w in line.words))]
    return [line for i, line in enumerate(out) if i not in marker]


class _Stack(_Words):
    """Words wrapped in one cell: each line's word under the one before, aligned."""

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def text(self) -> str:
        return "".join(w.text for w in self.words)


def _under(upper: Word, lower: Word, gap: float) -> bool:
    """Whether ``lower`` continues ``upper``'s cell on the next line: close below it and aligned with it."""
    close = 0 <= lower.top - upper.bottom <= gap
    aligned = abs(lower.x0 - upper.x0) <= _ALIGNED or abs(lower.center - upper.center) <= _ALIGNED
    return close and aligned


def _stacks(run: Sequence[_Line]) -> list[_Stack]:
    """A header's words stacked into cells: a word under a cell's last word, close below it and aligned with it,
    continues that cell (a header's cells may stand half a line apart: a merged cell's text is centred)."""
    out: list[_Stack] = []
    for line in run:
        for word in line.words:
            above = [s for s in out if _under(s.words[-1], word, 0.6 * word.height)]
            if above:
                above[-1].words.append(word)
            else:
                out.append(_Stack([word]))
    return out


def _overlap(a0: float, a1: float, b0: float, b1: float) -> bool:
    return min(a1, b1) - max(a0, b0) > 0


def _name(text: str, keys: Sequence[Keys] = ALL_HEADERS) -> str | None:
    """The column a header cell's text names (the first phrase of a key set in it), unless it is a row label."""
    compact = "".join(_plain(text).split())
    if not compact or ROW_NUMBERING.match(compact):
        return None
    for key_set in keys:
        for phrase, name in key_set:
            if phrase in compact:
                return name
    return None


@dataclass
class _Column:
    x0: float
    x1: float
    text: str  # its header cell's text
    low: float = 0.0  # its extent: a number's middle between low and high stands under it
    high: float = 0.0

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Columns:
    """A table's value columns (left to right) and the header cells naming the groups over them."""

    columns: list[_Column]
    groups: list[tuple[str, int, int]] = field(default_factory=list)  # text, first column, number of columns
    corner: str = ""
    top: float = 0.0  # the header's first line starts here
    bottom: float = 0.0  # the header's last line ends here: the table's rows stand below

    @property
    def start(self) -> float:
        """Where the value columns start: the row labels stand left of this."""
        return self.columns[0].low


def _extents(columns: list[_Column]) -> None:
    """Each column's extent: its header cell widened by a quarter of the gap to each neighbour (at the ends, by a
    quarter of the narrowest gap, or of the column's width when it is alone)."""
    gaps = [max(b.x0 - a.x1, 0.0) for a, b in itertools.pairwise(columns)]
    outer = min(gaps) if gaps else columns[0].x1 - columns[0].x0
    for index, column in enumerate(columns):
        left = gaps[index - 1] if index > 0 else outer
        right = gaps[index] if index < len(gaps) else outer
        column.low, column.high = column.x0 - left / 4, column.x1 + right / 4


def _headers(run: Sequence[_Line], below: Sequence[_Line]) -> list[Columns]:
    """The table headers in a run of lines without numbers (the lines ``below`` it start with numbers): each a
    band of lines around cells that name a column and are not the run's leftmost (row labels stand leftmost, or
    start with a row's numbering), with the cells right above them that overlap them (a group's cell over its
    columns). Several when the tables between them print no number."""
    stacks = _stacks(run)
    if not stacks:
        return []
    left = min(s.x0 for s in stacks)
    naming = sorted((s for s in stacks if s.x0 > left + _ALIGNED and _name(s.text)), key=lambda s: s.top)
    bands: list[list[_Stack]] = []
    for stack in naming:
        height = min(w.height for w in stack.words)
        if bands and stack.top <= max(s.bottom for s in bands[-1]) + 1.5 * height:
            bands[-1].append(stack)
        else:
            bands.append([stack])
    out: list[Columns] = []
    for number, band in enumerate(bands):
        top, bottom = min(s.top for s in band), max(s.bottom for s in band)
        x0, x1 = min(s.x0 for s in band), max(s.x1 for s in band)
        height = min(w.height for s in band for w in s.words)
        grown = True
        while grown:  # the cells right above the band that overlap it: its upper header rows
            above = [
                s
                for s in stacks
                if s.top < top and top - 1.5 * height <= s.bottom <= top + 0.5 and _overlap(s.x0, s.x1, x0, x1)
            ]
            grown = bool(above)
            top = min([top, *(s.top for s in above)])
        cells = [s for s in stacks if s.top >= top - 0.5 and s.bottom <= bottom + 0.5]
        columns = _header(cells, below if number == len(bands) - 1 else [], left)
        if columns is not None:
            columns.top = top
            out.append(columns)
    return out


def _header(stacks: Sequence[_Stack], below: Sequence[_Line], left: float) -> Columns | None:
    """The value columns a header's cells name (the cells with no other below them that name a column, or that
    have a number of the lines ``below`` under them): None when they are no row of column headers."""
    leaves = [
        s
        for s in stacks
        if not any(t is not s and t.top >= s.bottom - 0.5 and _overlap(s.x0, s.x1, t.x0, t.x1) for t in stacks)
    ]
    named = [s for s in leaves if _name(s.text) is not None]  # (within a header's band: a column even if leftmost)
    if not named:
        return None
    numbers = [w for line in below for w in line.values]
    chosen = [
        s for s in leaves if s in named or (any(s.x0 <= w.center <= s.x1 for w in numbers) and s.x0 > left + _ALIGNED)
    ]
    columns = [_Column(s.x0, s.x1, s.text) for s in sorted(chosen, key=lambda s: s.x0)]
    if any(_overlap(a.x0, a.x1, b.x0, b.x1) for a, b in itertools.pairwise(columns)):
        return None  # header cells side by side overlap: not one row of column headers
    _extents(columns)
    bottom = max(s.bottom for s in stacks)
    corner = "".join(s.text for s in leaves if s.x1 <= columns[0].low)
    out = Columns(columns, corner=corner, bottom=bottom)
    out.groups = _groups([s for s in stacks if s not in leaves], columns)
    return out


def _groups(uppers: Sequence[_Stack], columns: list[_Column]) -> list[tuple[str, int, int]]:
    """表四's group cells over its result columns (行政复议, 未经复议直接起诉, 复议后起诉): each over the columns
    nearer to it than to any other group's cell, kept only when it stands centred over them (a group whose
    columns lie to one side of it, its neighbour's cell lost at a page break, names none)."""
    named = sorted(
        (s for s in uppers if _name(s.text, (REVIEW_GROUPS,)) is not None and s.x0 >= columns[0].low),
        key=lambda s: s.center,
    )
    if not named:
        return []
    mine: dict[int, list[int]] = {}
    for index, column in enumerate(columns):
        nearest = min(range(len(named)), key=lambda g: abs(named[g].center - column.center))
        mine.setdefault(nearest, []).append(index)
    out: list[tuple[str, int, int]] = []
    for g, members in sorted(mine.items()):
        middle = (columns[members[0]].center + columns[members[-1]].center) / 2
        pitch = (columns[-1].center - columns[0].center) / max(len(columns) - 1, 1)
        if members == list(range(members[0], members[-1] + 1)) and abs(middle - named[g].center) <= pitch / 2:
            out.append((named[g].text, members[0], len(members)))
    return out


_EDGES = ("x1", "x0", "center")  # the numbers of a column printed right-aligned, left-aligned, centred


def _numbers(body: Sequence[_Line]) -> list[Word]:
    """A table's values right of its row labels (of every word of its lines that is no value: a row's numbering
    printed alone on its line, ``3`` / ``.补正后申请``, stands among the labels, not the numbers)."""
    edge = max((w.x1 for line in body for w in line.words if not is_value(w)), default=float("-inf"))
    return [w for line in body for w in line.values if w.x0 >= edge]


def _aligned_by(numbers: Sequence[Word], edge: str) -> list[list[Word]] | None:
    """The numbers in groups sharing an edge, left to right: None when a group's edges spread wider than
    ``_ALIGNED`` (numbers out of line, not aligned on that edge)."""
    ordered = sorted(numbers, key=lambda w: float(getattr(w, edge)))
    groups: list[list[Word]] = []
    for word in ordered:
        if groups and float(getattr(word, edge)) - float(getattr(groups[-1][-1], edge)) <= _ALIGNED:
            groups[-1].append(word)
        else:
            groups.append([word])
    if any(float(getattr(g[-1], edge)) - float(getattr(g[0], edge)) > _ALIGNED for g in groups):
        return None
    return groups


def _matched(groups: Sequence[Sequence[Word]], columns: Sequence[_Column], edge: str) -> dict[Word, int] | None:
    """Each number's column, the i-th group's numbers under the i-th header, when the groups stand side by side
    and the headers are centred over the columns the groups' shared edges bound: each header's middle between its
    group's edge and the edge before it (right-aligned numbers; left-aligned: the edge after it; centred: between
    the midpoints to the neighbouring groups), all at one offset from the middle of their bounds (within
    ``_ALIGNED``; at least two compared), and no number in another column's extent; a lone column (nothing to
    compare) only when its numbers reach into its extent (a header cell that names no column and has no number's
    middle under it is no column: the numbers under it may be its). Else None."""
    spans = [(min(w.x0 for w in group), max(w.x1 for w in group)) for group in groups]
    if any(a[1] >= b[0] for a, b in itertools.pairwise(spans)):
        return None  # groups overlapping: not columns side by side
    if len(columns) == 1 and not _overlap(*spans[0], columns[0].low, columns[0].high):
        return None
    marks = [sum(float(getattr(w, edge)) for w in group) / len(group) for group in groups]
    inf = float("inf")
    if edge == "x1":  # a column ends at its numbers' right edge, starts after the edge before it
        bounds = list(zip([-inf, *marks[:-1]], marks, strict=True))
    elif edge == "x0":  # a column starts at its numbers' left edge, ends before the edge after it
        bounds = list(zip(marks, [*marks[1:], inf], strict=True))
    else:
        middles = [(a + b) / 2 for a, b in itertools.pairwise(marks)]
        bounds = list(zip([-inf, *middles], [*middles, inf], strict=True))
    centres = [c.center for c in columns]
    if not all(low < centre < high for centre, (low, high) in zip(centres, bounds, strict=True)):
        return None
    if edge == "center":
        offsets = [centre - mark for centre, mark in zip(centres, marks, strict=True)]
    else:
        bounded = [(c, low, high) for c, (low, high) in zip(centres, bounds, strict=True) if -inf < low and high < inf]
        offsets = [c - (low + high) / 2 for c, low, high in bounded]
    if len(columns) > 1 and (len(offsets) < 2 or max(offsets) - min(offsets) > _ALIGNED):
        return None
    out: dict[Word, int] = {}
    for index, group in enumerate(groups):
        for word in group:
            if any(c.low <= word.center <= c.high for i, c in enumerate(columns) if i != index):
                return None
            out[word] = index
    return out


@dataclass(frozen=True)
class _Placing:
    """How a table's numbers are placed under its columns: by the columns they form (``aligned``), else by the
    columns' extents, or by the header cells' own boxes (``boxed``) unless the tables so far print their numbers
    centred (an edge-aligned number's middle may stand in the extent of the header beside its own)."""

    aligned: Mapping[Word, int] = field(default_factory=dict)
    boxed: bool = False


def _aligned(body: Sequence[_Line], columns: Columns) -> tuple[dict[Word, int], frozenset[str]]:
    """The column of each number of a table's body by the columns its numbers form (see the module's docstring):
    empty when they form none, or not unambiguously. And the edges (``_EDGES``) they form the columns by."""
    numbers = _numbers(body)
    found: dict[str, dict[Word, int]] = {}
    for edge in _EDGES:
        groups = _aligned_by(numbers, edge)
        if groups is None or len(groups) != len(columns.columns):
            continue
        matched = _matched(groups, columns.columns, edge)
        if matched is not None:
            found[edge] = matched
    placed = list(found.values())
    if not numbers or not placed or any(other != placed[0] for other in placed[1:]):
        return {}, frozenset(found)
    return placed[0], frozenset(found)


def _placed(
    line: _Line, columns: Columns, placing: _Placing
) -> tuple[dict[int, list[Word]], dict[int, list[Word]], list[Word]]:
    """A line's words: the values under each column (by ``placing``), the values standing between columns (by the
    nearest column) and the words left of the columns (its labels). A word that is no value right of the labels'
    edge is returned among the labels too (the caller tells prose)."""
    under: dict[int, list[Word]] = {}
    between: dict[int, list[Word]] = {}
    labels: list[Word] = []
    for word in line.words:
        if word in placing.aligned:
            under.setdefault(placing.aligned[word], []).append(word)
            continue
        if word.x1 <= columns.start or (word.center < columns.start and not is_value(word)):
            labels.append(word)
            continue
        if not is_value(word):
            labels.append(word)
            continue
        if placing.boxed:
            holding = [i for i, c in enumerate(columns.columns) if c.x0 <= word.center <= c.x1]
        else:
            holding = [i for i, c in enumerate(columns.columns) if c.low <= word.center <= c.high]
        if len(holding) == 1:
            under.setdefault(holding[0], []).append(word)
        else:
            nearest = min(range(len(columns.columns)), key=lambda i: abs(columns.columns[i].center - word.center))
            between.setdefault(nearest, []).append(word)
    return under, between, labels


def _crosses(word: Word, columns: Columns) -> bool:
    """Whether a word that is no value reaches into the columns: prose or a heading, not a row label."""
    return word.x1 > columns.start


@dataclass
class _Row:
    label: list[Word] = field(default_factory=list)
    numbers: list[_Line] = field(default_factory=list)
    label_lines: list[_Line] = field(default_factory=list)
    ambiguous: bool = False
    wrapped: bool = False  # beside a number that may be wrapped over lines (``_wrapped``)

    @property
    def top(self) -> float:
        return min([w.top for w in self.label] + [line.top for line in self.numbers])

    @property
    def bottom(self) -> float:
        return max([w.bottom for w in self.label] + [line.bottom for line in self.numbers])


# a numbering broken by a wrap before its end: （ / 二）部分公开, （一 / ）予以公开, 3 / .补正后申请 (a numeral alone is
# no numbering: 5.属于 / 三 / 类内部事务信息)
_NUMBERING_ALONE = re.compile(r"[(（][一二三四五六七八九十]*|\d{1,2}")


def _numbered(words: Sequence[Word]) -> bool:
    """Whether a label line starts with a row's numbering, or is only the start of one (its line broke inside it)."""
    text = "".join("".join(_plain(w.text).split()) for w in words)
    return bool(ROW_NUMBERING.match(text) or _NUMBERING_ALONE.fullmatch(text))


def _rows(body: Sequence[_Line], columns: Columns, placing: _Placing) -> list[_Row]:
    """The body's printed lines as table rows (see the module's docstring)."""
    labels: list[list[Word]] = [_placed(line, columns, placing)[2] for line in body]
    own = _without_groups(labels)
    wrapped = _wrapped(body, own, columns, placing)
    rows: list[_Row] = []
    current: _Row | None = None
    for line, words in zip(body, own, strict=True):
        has_numbers = _has_values(line, columns, placing)
        if not words:
            continue
        last = current.label_lines[-1] if current is not None else None
        continues = (
            current is not None
            and last is not None
            and _numbered(current.label_lines[0].words)
            and not _numbered(words)
            and line.top - last.bottom <= 0.5 * line.height  # a wrapped line, not the next row's
            and _overlap(
                min(w.x0 for w in words),
                max(w.x1 for w in words),
                current.label_lines[-1].x0,
                current.label_lines[-1].x1,
            )
            and not (has_numbers and current.numbers and not _pieces(current.numbers[-1], line, wrapped))
        )
        if continues and current is not None:
            current.label += words
            current.label_lines.append(_Line(list(words)))
            if has_numbers:
                current.numbers.append(line)
            continue
        current = _Row(list(words), [line] if has_numbers else [], [_Line(list(words))])
        rows.append(current)
    for line, words in zip(body, own, strict=True):
        if words or not _has_values(line, columns, placing):
            continue
        beside = [r for r in rows if r.label and _top(r) - 1 <= line.middle <= _bottom(r) + 1]
        if len(beside) == 1:
            beside[0].numbers.append(line)
        else:
            row = _Row([], [line], [])
            row.ambiguous = len(beside) > 1
            for other in beside:
                other.ambiguous = True
            rows.append(row)
    for row in rows:
        row.ambiguous = row.ambiguous or len(row.numbers) > 1
        lines_of = [*row.numbers, *row.label_lines]
        if any(top - 0.5 <= line.bottom and line.top <= bottom + 0.5 for top, bottom in wrapped for line in lines_of):
            row.wrapped = True  # beside a number that may be wrapped over lines: whose piece is whose is unknown
    ordered = sorted(rows, key=lambda r: r.top)
    # Label rows a wrapped cell's line apart, one of them without a numbering, are one label broken in pieces or
    # rows of their own: which piece's numbers are whose is unknown. (A numbered label without numbers, then one
    # without a numbering beside numbers further down, is the same question.)
    labelled = [row for row in ordered if row.label]
    chain: list[_Row] = []
    for row in labelled:
        if chain and not _close(chain[-1], row):
            _doubt(chain)
            chain = []
        chain.append(row)
    _doubt(chain)
    for above, below in itertools.pairwise(labelled):
        top, bottom = _numbered(above.label_lines[0].words), _numbered(below.label_lines[0].words)
        if not above.numbers and below.numbers and top and not bottom:
            above.ambiguous = below.ambiguous = True
    return ordered


def _wrapped(
    body: Sequence[_Line], own: Sequence[list[Word]], columns: Columns, placing: _Placing
) -> list[tuple[float, float]]:
    """Where a number may be wrapped over lines in its cell (too wide for it): two lines holding numbers in one
    column, a wrapped cell's line apart (or closer), but for a line beside a label under one whose label starts
    with a row's numbering (a row of its own: its numbers are its own); the span from the first's top to the
    second's bottom. Each piece may be a number of its own or part of one: the rows beside them are unsure."""
    numbered = [
        (line, words, _columns_of(line, columns, placing))
        for line, words in zip(body, own, strict=True)
        if _has_values(line, columns, placing)
    ]
    out: list[tuple[float, float]] = []
    for index, (upper, upper_label, held) in enumerate(numbered):
        for lower, lower_label, other in numbered[index + 1 :]:
            if lower.top - upper.bottom > 0.5 * min(upper.height, lower.height):
                break
            if held & other and not (upper_label and lower_label and _numbered(lower_label)):
                out.append((upper.top, lower.bottom))
    return out


def _columns_of(line: _Line, columns: Columns, placing: _Placing) -> set[int]:
    under, between, _ = _placed(line, columns, placing)
    return set(under) | set(between)


def _pieces(upper: _Line, lower: _Line, wrapped: Sequence[tuple[float, float]]) -> bool:
    """Whether two lines of numbers are within one span where a number may be wrapped (``_wrapped``)."""
    return any(top <= upper.top + 0.5 and lower.bottom <= bottom + 0.5 for top, bottom in wrapped)


def _close(above: _Row, below: _Row) -> bool:
    """Whether two label rows stand a wrapped cell's line apart and one of them has no numbering."""
    height = min(w.height for w in (*above.label, *below.label))
    apart = _top(below) - _bottom(above) <= 0.5 * height
    return apart and not (_numbered(above.label_lines[0].words) and _numbered(below.label_lines[0].words))


def _doubt(chain: list[_Row]) -> None:
    if len(chain) > 1 and any(row.numbers for row in chain):
        for row in chain:
            row.ambiguous = True


def _top(row: _Row) -> float:
    return min(w.top for w in row.label)


def _bottom(row: _Row) -> float:
    return max(w.bottom for w in row.label)


def _has_values(line: _Line, columns: Columns, placing: _Placing) -> bool:
    return any(w.x1 > columns.start or w in placing.aligned for w in line.values)


def _without_groups(labels: list[list[Word]]) -> list[list[Word]]:
    """Each line's label words without a group's (a label left of the row labels: one beside it on its line, or
    on the nearest label lines above and below it)."""
    out: list[list[Word]] = []
    for index, words in enumerate(labels):
        if not words:
            out.append([])
            continue
        first = words[0]

        def deeper(other: list[Word], first: Word = first) -> bool:
            return bool(other) and all(w.x0 > first.x1 for w in other)

        above = next((labels[i] for i in range(index - 1, -1, -1) if labels[i]), [])
        below = next((labels[i] for i in range(index + 1, len(labels)) if labels[i]), [])
        if len(words) > 1 and deeper(words[1:]):
            out.append(words[1:])
        elif deeper(above) and deeper(below):
            out.append([])
        else:
            out.append(words)
    return out


def _grid(columns: Columns, rows: Sequence[_Row], page: int, header: bool, placing: _Placing) -> Grid:
    """The table as the grid a ruled table makes: a label column, the value columns, the header rows on top."""
    width = len(columns.columns) + 1
    cells: list[GridCell] = []
    r = 0
    if header and columns.groups:
        cells.append(GridCell(r, 0, columns.corner, page=page, rowspan=2))
        taken: set[int] = set()
        for text, first, span in columns.groups:
            cells.append(GridCell(r, first + 1, text, colspan=span, page=page))
            taken.update(range(first + 1, first + 1 + span))
        cells += [GridCell(r, c, "", page=page) for c in range(1, width) if c not in taken]
        r += 1
    if header:
        if not columns.groups:
            cells.append(GridCell(r, 0, columns.corner, page=page))
        cells += [GridCell(r, c + 1, column.text, page=page) for c, column in enumerate(columns.columns)]
        r += 1
    for row in rows:
        label = "".join(w.text for w in row.label)
        box: Box | None = None
        if row.label:
            box = (min(w.x0 for w in row.label), _top(row), max(w.x1 for w in row.label), _bottom(row))
        cells.append(GridCell(r, 0, label, box=box, page=page))
        texts: dict[int, str] = {}
        boxes: dict[int, Box] = {}
        for line in row.numbers:
            under, between, _ = _placed(line, columns, placing)
            for c, words in under.items():
                texts[c] = " ".join([t for t in (texts.get(c), *(w.text for w in words)) if t])
                boxes[c] = words[0].box
            for c, words in between.items():
                marked = " ".join(BETWEEN.format(number=w.text) for w in words)
                texts[c] = " ".join([t for t in (texts.get(c), marked) if t])
        if row.ambiguous:
            texts[0] = " ".join([t for t in (texts.get(0), AMBIGUOUS) if t])
        if row.wrapped:
            texts[0] = " ".join([t for t in (texts.get(0), WRAPPED_ROW) if t])
        for c in range(len(columns.columns)):
            cells.append(GridCell(r, c + 1, texts.get(c, ""), box=boxes.get(c), page=page))
        r += 1
    return Grid(cells=tuple(cells), rows=r, cols=width, page=page)


@dataclass
class Pages:
    """What one page's tables leave to the next: the columns of a table that runs to the page's end, whether
    表四's heading has been printed (a table under it is 表四, whatever header it repeats), the lines after the
    page's last line of numbers (a header's first rows printed at the foot of the page before its other rows), and
    whether the tables so far print their numbers aligned on an edge, or centred."""

    carried: Columns | None = None
    after_review_heading: bool = False
    trailing: list[_Line] = field(default_factory=list)  # the lines after the page's last line of numbers
    edged: bool = False  # a table so far forms its columns by its numbers' right or left edges only (``_aligned``)
    centred: bool = False  # a table so far forms its columns by its numbers' middles only


_REVIEW_HEADING = re.compile(r"四[、.．]\S*行政复议")  # 四、政府信息公开行政复议、行政诉讼情况 and its variants
_APPLICANT_NAMES = frozenset(name for _, name in APPLICANT_HEADERS) - {"other_org", "total"}  # 表三's own


def page_grids(words: Sequence[Word], page: int, before: Pages | None = None) -> tuple[list[Grid], Pages]:
    """The unruled tables of one page (1-based ``page``) as grids, and what they leave to the next page (``before``:
    what the page before left; a page that does not follow it passes None)."""
    state = Pages(None, before.after_review_heading) if before is not None else Pages()
    if before is not None:
        state.edged, state.centred = before.edged, before.centred
    carried = before.carried if before is not None else None
    printed = lines(words)
    if carried is None and before is not None and before.trailing and printed and not printed[0].values:
        printed = _moved_above(before.trailing, printed[0]) + printed
    starts: list[tuple[int, int, Columns]] = []  # (header's first line, body's first line, columns)
    index = 0
    while index < len(printed):
        if printed[index].values:
            index += 1
            continue
        end = index
        while end < len(printed) and not printed[end].values:
            end += 1
        for columns in _headers(printed[index:end], printed[end:]):  # (the first rows may be blank: no number)
            head = next(i for i in range(index, end) if printed[i].bottom >= columns.top + 0.5)
            first = next((i for i in range(head, end) if printed[i].top >= columns.bottom - 0.5), end)
            starts.append((head, first, columns))
        index = end
    headings = [i for i, line in enumerate(printed) if _REVIEW_HEADING.match(_compact(line))]
    grids: list[Grid] = []
    tables = ([(0, 0, carried, False)] if carried is not None else []) + [(h, f, c, True) for h, f, c in starts]
    stops = [following[1] for following in tables[1:]] + [len(printed)] * bool(tables)
    bodies = [_body(printed[first:stop], columns) for (_, first, columns, _), stop in zip(tables, stops, strict=True)]
    alignments = [_aligned(body, table[2]) for body, table in zip(bodies, tables, strict=True)]
    state.edged = state.edged or any(edges and "center" not in edges for _, edges in alignments)
    state.centred = state.centred or any(edges == {"center"} for _, edges in alignments)
    consumed = 0  # the lines up to here are a table's (a header with no row under it is not yet: see trailing)
    for number, (head, first, columns, header) in enumerate(tables):
        stop, body, (aligned, _) = stops[number], bodies[number], alignments[number]
        consumed = first + len(body) if body else head
        state.after_review_heading = state.after_review_heading or any(i < first for i in headings)
        if (
            state.after_review_heading
            and {_name(c.text, (APPLICANT_HEADERS,)) for c in columns.columns} & _APPLICANT_NAMES
        ):
            continue  # 表三's header under 表四's heading: 表四 printed under another table's header
        placing = _Placing(aligned, boxed=not aligned and (state.edged or not state.centred))
        rows = _rows(body, columns, placing)
        if any(row.numbers or row.label for row in rows):
            grids.append(_grid(columns, rows, page, header, placing))
        state.carried = columns if number + 1 == len(tables) and body and len(body) == stop - first else None
    state.after_review_heading = state.after_review_heading or bool(headings)
    numbered = [i for i, line in enumerate(printed) if line.values]
    after = max(consumed, numbered[-1] + 1 if numbered else 0)
    state.trailing = printed[after:] if state.carried is None else []
    return grids, state


def _moved_above(moved: Sequence[_Line], first: _Line) -> list[_Line]:
    """Lines from the foot of the page before, moved to stand right above this page's first line."""
    shift = first.top - first.height - max(line.bottom for line in moved)  # a row apart, not a wrapped line
    return [_Line([Word(w.text, w.x0, w.x1, w.top + shift, w.bottom + shift) for w in line.words]) for line in moved]


def _compact(line: _Line) -> str:
    return "".join("".join(_plain(w.text).split()) for w in line.words)


def _body(candidates: Sequence[_Line], columns: Columns) -> list[_Line]:
    """A table's lines up to the first that prints prose or a heading across the columns, or 表四's heading."""
    out: list[_Line] = []
    for line in candidates:
        if any(not is_value(w) and _crosses(w, columns) for w in line.words) or _REVIEW_HEADING.match(_compact(line)):
            break
        out.append(line)
    return out
