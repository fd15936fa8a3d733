"""The report's title, agency and year, and the narrative's numbers checked against the tables."""

from __future__ import annotations

import re
from collections.abc import Iterator

from giar_llm.core.findings import HeuristicWarning
from giar_llm.core.schema import Meta

_NAME = r"[^\d:：,，。;；《》()（）\s]{0,40}?"
_TITLE = re.compile(
    rf"^(?P<label>标题[:：])?(?P<agency>{_NAME})(?P<year>(?:19|20)\d{{2}})年度?(?P<agency2>{_NAME})"
    r"(?:政府)?(?:信息公开|政务公开)(?:工作)?(?:年度)?报告"
)
_AGENCY_LINE = re.compile(r"[\u4e00-\u9fff]{2,30}")


_YEAR = re.compile(r"\d{4}")
_CELL = re.compile(r"[^\t|]+")


def _title_lines(text: str) -> Iterator[tuple[int, str, bool]]:
    """(offset, text without whitespace, is a table cell) for each line, or each cell of a delimited line."""
    pos = 0
    while pos <= len(text):  # (line by line as asked for: the title is found in the first lines, as a rule)
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end]
        if "\t" in line or "|" in line:
            cells = [c for c in _CELL.finditer(line) if c.group().strip()]
            if len(cells) > 1:
                for cell in cells:
                    yield pos + cell.start(), "".join(cell.group().split()), True
                pos = end + 1
                continue
        yield pos, "".join(line.split()), False
        pos = end + 1


def read_meta(text: str, limit: int = 4000) -> tuple[Meta, tuple[int, int] | None]:
    """The report's own title line (a wrapped title is joined), preferred over page metadata, and its span."""
    lines = _title_lines(text[:limit])
    found: list[tuple[bool, Meta, tuple[int, int]]] = []
    previous: tuple[int, str, bool] | None = None
    current = next(lines, None)
    while current is not None:
        following = next(lines, None)
        start, line, in_table = current
        if _YEAR.search(line):
            tries = [(line, start)]
            if following is not None and not in_table:
                tries.append((line + following[1], start))
            for candidate, span_start in tries:
                match = _TITLE.match(candidate)
                if not match:
                    continue
                agency = match.group("agency") or match.group("agency2")
                title = match.group(0).removeprefix(match.group("label") or "")
                if not agency and previous is not None and _AGENCY_LINE.fullmatch(previous[1]):
                    agency, title, span_start = previous[1], previous[1] + title, previous[0]
                meta = Meta(agency=agency or None, year=int(match.group("year")), title=title)
                metadata = in_table or match.group("label") is not None
                found.append((metadata, meta, (span_start, span_start + len(title))))
                break
            if found and not found[-1][0]:
                break
        previous, current = current, following
    if not found:
        return Meta(), None
    _, meta, span = min(found, key=lambda f: f[0])
    return meta, span


# (check, pattern, the characters its matches start with or "" when it starts with a literal, cells, what it states)
_NARRATIVE = (
    (
        "narrative_new_requests",
        re.compile(r"(?:新收|共收到|收到|受理)[^。；;\n]{0,40}?申请[^。；;\n\d]{0,12}?(\d+)\s*[件条个]"),
        "新共收受",
        ("applications.new_requests.total",),
        "叙述中的收到申请数",
    ),
    (
        "narrative_review",
        re.compile(r"行政复议[^。；;\n\d]{0,12}?(\d+)\s*[件起]"),
        "",
        ("review_litigation.review.total",),
        "叙述中的行政复议数",
    ),
    (
        "narrative_litigation",
        re.compile(r"行政诉讼[^。；;\n\d]{0,12}?(\d+)\s*[件起]"),
        "",
        ("review_litigation.litigation_direct.total", "review_litigation.litigation_after_review.total"),
        "叙述中的行政诉讼数",
    ),
)


NARRATIVE_CELLS = tuple(path for _, _, _, paths, _ in _NARRATIVE for path in paths)


def first_match(regex: re.Pattern[str], text: str, starts: str) -> re.Match[str] | None:
    """``regex.search(text)`` for a pattern whose every match starts with one of the characters ``starts``: tried only
    where one stands, in order, each place found by ``str.find`` (the search would try the pattern's first characters,
    a class, at every character of the text)."""
    places: list[int] = []
    for ch in starts:
        at = text.find(ch)
        while at >= 0:
            places.append(at)
            at = text.find(ch, at + 1)
    places.sort()
    for at in places:
        match = regex.match(text, at)
        if match is not None:
            return match
    return None


def narrative_warnings(text: str, cells: dict[str, int | float | None]) -> list[HeuristicWarning]:
    """Numbers the narrative states that differ from the table. Heuristic: warn, never fail."""
    out: list[HeuristicWarning] = []
    for check, regex, starts, paths, what in _NARRATIVE:
        parts = [cells.get(p) for p in paths]
        if all(p is None for p in parts):
            continue
        table = sum(p or 0 for p in parts)
        match = first_match(regex, text, starts) if starts else regex.search(text)  # the first statement only
        if match is None:
            continue
        stated = int(match.group(1))
        if stated == table:
            continue
        sentence_start = max(text.rfind(ch, 0, match.start()) for ch in "。；\n") + 1
        sentence_end = min((i for i in (text.find(ch, match.end()) for ch in "。；\n") if i >= 0), default=len(text))
        out.append(
            HeuristicWarning(
                check=check,
                cells=list(paths),
                message=f"{what}为 {stated}，表中为 {table:g}（叙述可能另有口径，如含上年结转）",
                evidence=text[sentence_start:sentence_end].strip()[:200],
                span=(match.start(), match.end()),
            )
        )
    return out
