"""HTML inputs: decode (BOM, UTF-8, declared charset, detection), find the report body, derive tab-separated text.

Every ``<tr>`` becomes one line, cells separated by a tab, with colspan and rowspan expanded into
empty cells so that columns line up. ``origin`` maps each derived character to its offset in the
decoded HTML string; selectolax gives no source positions, so text nodes are aligned to the source
by searching for them, in document order, in the source's visible text (markup blanked out,
entities decoded).
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from giar_llm.core.document import Document, Grid, make_grid
from giar_llm.core.limits import DEFAULT_LIMITS, Limits, nested_deeper
from giar_llm.core.locator import names_table3, prints_a_table
from giar_llm.errors import InputError
from giar_llm.inputs.grids import merge_continued
from giar_llm.inputs.text import collapse, decode, decode_as
from giar_llm.reader.normalize import fold

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

_DROP = frozenset({"script", "style", "nav", "header", "footer", "noscript", "template", "head", "title", "select"})
_BLOCK = frozenset(
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table",
        "section", "article", "main", "aside", "blockquote", "pre", "center", "form", "address", "figure",
        "figcaption", "hr", "caption", "thead", "tbody", "tfoot", "td", "th", "body", "html",
    }
)  # fmt: skip
_CELL = frozenset({"td", "th"})
_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})
_MAX_COLSPAN = 100
_MAX_ROWSPAN = 1000

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_MARKUP = re.compile(
    r"""<!--.*?(?:-->|\Z)"""
    r"""|<(script|style|textarea)\b(?:"[^"]*"|'[^']*'|[^'">])*>.*?(?:</\1\s*>|\Z)"""
    r"""|<[A-Za-z/!?](?:"[^"]*"|'[^']*'|[^'">])*>""",
    re.IGNORECASE | re.DOTALL,
)
_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9A-Fa-f]+;?|[A-Za-z][A-Za-z0-9]*;?)")
_HIDDEN = "\0"
_PROBE = 8  # visible characters searched for to locate a text node in the source

Chars = list[tuple[str, int]]  # a derived character and its source offset (-1: synthetic)
LineSpan = tuple[int, int, int]  # a line's index and a span within it
GridRow = list[tuple[str, LineSpan | None, int, int]]  # a table row's cells: text, place, rowspan, colspan


def declared_charset(data: bytes) -> str | None:
    """The charset named by a ``<meta charset>`` or ``http-equiv`` tag near the top of the file."""
    match = _META_CHARSET.search(data[:16384])
    return match.group(1).decode("ascii", "replace") if match else None


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode HTML bytes: BOM, valid non-ASCII UTF-8, the declared charset if it fits the bytes, detection.

    Valid UTF-8 wins over a declared legacy charset: pages are often re-saved as UTF-8 with their old
    ``charset=gb2312`` meta left in place, and GB18030 would decode such bytes, wrongly, without error.
    """
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return decode(data)
    declared = declared_charset(data)
    if declared and not declared.lower().replace("_", "-").startswith("utf-16"):
        decoded = decode_as(data, declared)
        if decoded is not None:
            return decoded
    return decode(data)


_JS_ESCAPED = re.compile(r"""<\\/[A-Za-z]|=\\"|\\[nrt]\s*<|>\s*\\[nrt]""")
_JS_ESCAPE = re.compile(r"""\\(u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|.)""", re.DOTALL)
_JS_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v"}


def js_escaped_html(text: str) -> tuple[str, list[int]] | None:
    """HTML written as a quoted JavaScript/JSON string (``<td class=\\"x\\">``, ``<\\/td>``, ``\\n``): the
    unescaped text and, for each of its characters, its offset in ``text``; None when ``text`` is not that."""
    lower = text.lower()
    if "<table" not in lower or "<td" not in lower or not _JS_ESCAPED.search(text):
        return None
    chars: list[str] = []
    offsets: list[int] = []
    pos = 0
    for match in _JS_ESCAPE.finditer(text):
        chars.extend(text[pos : match.start()])
        offsets.extend(range(pos, match.start()))
        code = match.group(1)
        value = chr(int(code[1:], 16)) if len(code) > 1 else _JS_SIMPLE.get(code, code)
        chars.append(value)
        offsets.append(match.start())
        pos = match.end()
    chars.extend(text[pos:])
    offsets.extend(range(pos, len(text)))
    unescaped = "".join(chars)
    return (unescaped, offsets) if looks_like_html(unescaped) else None


def looks_like_html(text: str) -> bool:
    """Whether decoded text is really an HTML document."""
    head = text.lstrip("\ufeff \t\r\n")[:64].lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    lower = text.lower()
    return "<table" in lower and "</td>" in lower


# --- aligning text nodes to the source ------------------------------------------------------------------------

_RUNS = re.compile(r"[^\0&\r]+|\0+|&|\r")


def _masked(source: str) -> str:
    """The source with markup, comments and script/style bodies replaced by NULs of the same length."""
    return _MARKUP.sub(lambda m: _HIDDEN * (m.end() - m.start()), source.replace(_HIDDEN, " "))


def _visible(source: str) -> tuple[str, list[int]]:
    """The text a parser sees (entities decoded, CRLF as LF, each tag as one NUL) and each character's offset."""
    masked = _masked(source)
    chars: list[str] = []
    offsets: list[int] = []
    pos = 0
    while pos < len(masked):
        run = _RUNS.match(masked, pos)
        if run is None:  # unreachable: the pattern matches any character
            break
        piece, pos = run.group(0), run.end()
        if piece[0] == _HIDDEN:
            chars.append(_HIDDEN)
            offsets.append(run.start())
        elif piece == "&":
            entity = _ENTITY.match(masked, run.start())
            decoded = html_lib.unescape(entity.group(0)) if entity else "&"
            chars.extend(decoded)
            offsets.extend([run.start()] * len(decoded))
            if entity:
                pos = entity.end()
        elif piece == "\r":
            if not masked.startswith("\r\n", run.start()):
                chars.append("\n")
                offsets.append(run.start())
        else:
            chars.extend(piece)
            offsets.extend(range(run.start(), pos))
    return ("".join(chars), offsets)


def _probe(value: str) -> tuple[str, int]:
    """Up to ``_PROBE`` leading non-space characters of a text node, and their index in it."""
    start = len(value) - len(value.lstrip())
    end = start
    while end < len(value) and end - start < _PROBE and not value[end].isspace():
        end += 1
    return (value[start:end], start)


def _match(visible: str, value: str, pos: int) -> tuple[list[int], int]:
    """Positions in ``visible`` of each character of ``value`` read from ``pos`` on; and the end position."""
    positions: list[int] = []
    last = max(len(visible) - 1, 0)
    i = 0
    while i < len(value):
        if pos < len(visible) and visible[pos] == value[i]:
            positions.append(pos)
            pos, i = pos + 1, i + 1
            continue
        probe, skip = _probe(value[i:])
        found = visible.find(probe, pos) if probe else -1
        if found >= 0 and _HIDDEN not in visible[pos:found]:  # resynchronise within the same text run
            positions.extend([min(pos, last)] * skip)
            i, pos = i + skip, found
            continue
        positions.append(min(pos, last))
        i += 1
    return (positions, pos)


def _align(root: LexborNode, source: str) -> dict[int, list[int]]:
    """Source offsets of every character of every text node under ``root``, by node ``mem_id``."""
    visible, offsets = _visible(source)
    if not visible:
        return {}
    last = len(visible) - 1
    aligned: dict[int, list[int]] = {}
    cursor = 0
    for node in root.traverse(include_text=True):
        if node.tag != "-text":
            continue
        parent = node.parent
        if parent is not None and parent.tag in ("script", "style", "textarea"):
            continue
        value = node.text_content or ""
        if not value:
            continue
        probe, lead = _probe(value)
        found = visible.find(probe, cursor) if probe else -1
        if probe and found < 0:
            found = visible.find(probe)  # moved by the parser (e.g. foster-parented out of a table)
        if found < 0:  # whitespace only, or not found: the next text, keeping the cursor
            aligned[node.mem_id] = [offsets[min(cursor, last)]] * len(value)
            continue
        start = found - lead if lead and visible[max(found - lead, 0) : found] == value[:lead] else found
        positions, end = _match(visible, value, start)
        aligned[node.mem_id] = [offsets[min(position, last)] for position in positions]
        cursor = max(cursor, end)
    return aligned


# --- rendering ------------------------------------------------------------------------------------------------


@dataclass
class _Sink:
    """Collects derived lines; ``inline`` sinks (table cells) turn line breaks into spaces."""

    aligned: dict[int, list[int]]
    inline: bool = False
    lines: list[Chars] = field(default_factory=list)
    current: Chars = field(default_factory=list)
    tables: list[list[GridRow]] = field(default_factory=list)

    def text(self, node: LexborNode) -> None:
        value = node.text_content or ""
        offsets = self.aligned.get(node.mem_id, [-1] * len(value))
        self.current.extend(zip(value, offsets, strict=False))

    def space(self) -> None:
        self.current.append((" ", -1))

    def brk(self) -> None:
        """End the current line (a space inside a cell)."""
        if self.inline:
            self.space()
            return
        line = collapse(self.current)
        if line:
            self.lines.append(line)
        self.current = []

    def row(self, cells: list[Chars]) -> list[LineSpan]:
        """A table row as one line, cells separated by tabs; returns each cell's place in it."""
        self.brk()
        line: Chars = []
        places: list[LineSpan] = []
        for index, cell in enumerate(cells):
            if index:
                line.append(("\t", -1))
            places.append((len(self.lines), len(line), len(line) + len(cell)))
            line.extend(cell)
        self.lines.append(line)
        return places

    def cell_text(self) -> Chars:
        return collapse(self.current)


def _span(node: LexborNode, name: str, limit: int) -> int:
    raw = (node.attributes.get(name) or "").strip()
    digits = re.match(r"\d+", raw)
    value = int(digits.group(0)) if digits else 1
    return min(max(value, 1), limit)


def _rows(table: LexborNode) -> list[LexborNode]:
    rows: list[LexborNode] = []
    for child in table.iter():
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in _ROW_GROUPS:
            rows.extend(row for row in child.iter() if row.tag == "tr")
    return rows


def _render_cell(cell: LexborNode, aligned: dict[int, list[int]]) -> Chars:
    sink = _Sink(aligned, inline=True)
    _walk(cell, sink)
    return sink.cell_text()


def _fill_spanned(cells: list[Chars], pending: dict[int, int]) -> None:
    """Empty cells for the columns a rowspan from an earlier row still covers."""
    while pending.get(len(cells), 0) > 0:
        pending[len(cells)] -= 1
        cells.append([])


def _render_table(table: LexborNode, sink: _Sink) -> None:
    """One line per row; colspan and rowspan become empty cells so columns line up."""
    for child in table.iter():
        if child.tag == "caption":
            sink.brk()
            _walk(child, sink)
            sink.brk()
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    grid: list[GridRow] = []
    for row in _rows(table):
        cells: list[Chars] = []
        own: list[tuple[int, int, int]] = []  # the row's own cells: index in ``cells``, rowspan, colspan
        for cell in row.iter():
            if cell.tag not in _CELL:
                continue
            _fill_spanned(cells, pending)
            colspan = _span(cell, "colspan", _MAX_COLSPAN)
            rowspan = _span(cell, "rowspan", _MAX_ROWSPAN)
            column = len(cells)
            own.append((column, rowspan, colspan))
            cells.append(_render_cell(cell, sink.aligned))
            cells.extend([] for _ in range(colspan - 1))
            if rowspan > 1:
                for covered in range(column, column + colspan):
                    pending[covered] = rowspan - 1
        while any(count > 0 and column >= len(cells) for column, count in pending.items()):
            if pending.get(len(cells), 0) > 0:
                _fill_spanned(cells, pending)
            else:
                cells.append([])
        if cells:
            places = sink.row(cells)
            grid.append(
                [
                    ("".join(ch for ch, _ in cells[i]), places[i] if cells[i] else None, rowspan, colspan)
                    for i, rowspan, colspan in own
                ]
            )
        elif own:
            grid.append([])
    if any(grid):
        sink.tables.append(grid)


def _visit(node: LexborNode, sink: _Sink) -> None:
    """Render one node: text, a line break, a data table, a block or an inline element."""
    tag = node.tag or ""
    if tag == "-text":
        sink.text(node)
    elif tag.startswith("-") or tag in _DROP:
        return
    elif tag == "br":
        sink.brk()
    elif tag == "table" and not sink.inline and len(node.css("table")) == 1:
        _render_table(node, sink)
    elif tag in _BLOCK:
        sink.brk()
        _walk(node, sink)
        sink.brk()
    else:
        _walk(node, sink)


def _walk(node: LexborNode, sink: _Sink) -> None:
    """Render the children of a node in order."""
    for child in node.iter(include_text=True):
        _visit(child, sink)


# --- the report body ------------------------------------------------------------------------------------------


_TITLE = re.compile(r"\s*[^\s。，,]{0,40}(?:19|20)\d{2}\s*年度?[^。，,\n]{0,30}?信息公开[^。，,\n]{0,6}报告\s*")


def _title_node(body: LexborNode) -> LexborNode | None:
    """The element whose whole text is the report's title line, if the page has one."""
    for node in body.css("h1, h2, h3, h4, p, div, td, span, strong, font, b"):
        text = node.text()
        if len(text) < 80 and _TITLE.fullmatch(text):
            return node
    return None


def _contains(ancestor: LexborNode, node: LexborNode) -> bool:
    current: LexborNode | None = node
    while current is not None:
        if current.mem_id == ancestor.mem_id:
            return True
        current = current.parent
    return False


def _report_root(tree: LexborHTMLParser) -> LexborNode:
    """The smallest element holding the report phrase and every table of the report; else ``<body>``."""
    body = tree.body or tree.root
    if body is None:
        raise InputError("not an HTML document (no body)")
    tables = [
        table for table in body.css("table") if len(table.css("table")) == 1 and prints_a_table(fold(table.text()))
    ]
    if not tables or not names_table3(body.text()):
        return body
    wanted = {table.mem_id for table in tables}
    title = _title_node(body)
    node: LexborNode | None = tables[0]
    while node is not None and node.mem_id != body.mem_id:
        text = node.text()
        if (
            names_table3(text)
            and wanted <= {t.mem_id for t in node.css("table")}
            and (title is None or _contains(node, title))
        ):
            return node
        node = node.parent
    return body


def _fill_synthetic(offsets: list[int]) -> list[int]:
    """Give synthetic characters the offset of the nearest preceding (else following) real one."""
    previous = -1
    for index, offset in enumerate(offsets):
        if offset < 0:
            offsets[index] = previous
        else:
            previous = offset
    following = 0
    for index in range(len(offsets) - 1, -1, -1):
        if offsets[index] < 0:
            offsets[index] = following
        else:
            following = offsets[index]
    return offsets


def _check_depth(root: LexborNode, limit: int) -> None:
    """Refuse elements nested deeper than ``limit`` (rendering walks the tree recursively)."""
    if nested_deeper(root, lambda node: node.iter(), limit):
        raise InputError(f"HTML elements are nested deeper than {limit} levels (GIAR_MAX_DEPTH)")


def html_document(source: str, through: Sequence[int] | None = None, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Derive the report text of a decoded HTML string, with ``origin`` offsets into it (or, given
    ``through``, the offsets of the source's characters in an outer text, into that)."""
    from selectolax.lexbor import LexborHTMLParser  # imported by the first HTML input, not by every command

    tree = LexborHTMLParser(source)
    root = tree.root
    if root is None:
        raise InputError("not an HTML document")
    _check_depth(root, limits.depth)
    aligned = _align(root, source)
    sink = _Sink(aligned)
    _visit(_report_root(tree), sink)
    sink.brk()
    chars: Chars = []
    for index, line in enumerate(sink.lines):
        if index:
            chars.append(("\n", -1))
        chars.extend(line)
    if not any(not char.isspace() for char, _ in chars):
        raise InputError("HTML document has no text")
    text = "".join(char for char, _ in chars)
    origin = _fill_synthetic([offset for _, offset in chars])
    if through is not None:
        origin = [through[offset] if 0 <= offset < len(through) else offset for offset in origin]
    return Document(
        text=text,
        kind="html",
        origin=origin,
        grids=_grids(sink.tables, [len(line) for line in sink.lines]),
    )


def _grids(tables: list[list[GridRow]], lengths: list[int]) -> tuple[Grid, ...]:
    """The rendered tables as grids, each cell's place turned into a span of the derived text."""
    starts: list[int] = []
    pos = 0
    for length in lengths:
        starts.append(pos)
        pos += length + 1
    out: list[Grid] = []
    for table in tables:
        rows = [
            [
                (text, (starts[p[0]] + p[1], starts[p[0]] + p[2]) if p else None, rowspan, colspan)
                for text, p, rowspan, colspan in row
            ]
            for row in table
        ]
        out.append(make_grid(rows))
    return merge_continued(out)


def load_html(data: bytes, limits: Limits = DEFAULT_LIMITS) -> tuple[Document, str]:
    """Decode and derive an HTML file; returns the document and the encoding used."""
    source, encoding = decode_html(data)
    return (html_document(source, limits=limits), encoding)
