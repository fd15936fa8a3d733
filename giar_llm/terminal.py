"""Rendering for the terminal: reports and checks as people read them (rich), readable at 80 columns.

A doubtful number never travels alone: every cell that is not simply read where it stands carries a
mark next to its number (``?`` chosen or unknown, ``*`` derived, ``#`` reviewed), and the marked cells are
named in Chinese below the tables with the reason. The ✓ headline is only for a verified report. Text
that comes from a report (titles, labels, reasons, file names) is never read as rich markup.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from giar_llm.core.envelope import STATUS_NAMES, Envelope
from giar_llm.core.findings import CheckResult
from giar_llm.core.levels import DOUBTFUL, LEVEL_NAMES, covering
from giar_llm.core.paths import describe_cell, describe_row, flatten, labels, short_label
from giar_llm.core.schema import COLUMNS, REVIEW_PARTS

VERDICT_LABELS = {"source": "原文如此", "extraction": "抽取存疑", None: ""}
MARKS = {"chosen": "?", "unknown": "?", "derived": "*", "reviewed": "#"}
MARK_STYLES = {"chosen": "bold yellow", "unknown": "bold yellow", "derived": "cyan", "reviewed": "green"}
STATUS_STYLES = {
    "verified": "green",
    "source_inconsistent": "yellow",
    "unverified": "yellow",
    "failed": "red",
}
# column heads on two lines so table 三 leaves its row labels room at 80 columns
SHORT_COLUMNS = {
    "natural_person": "自然\n人",
    "commercial_enterprise": "商业\n企业",
    "research_institution": "科研\n机构",
    "public_interest_org": "公益\n组织",
    "legal_service_org": "法律\n服务",
    "other_org": "其他",
    "total": "总计",
}


def _say(console: Console, renderable: Text | Table) -> None:
    """Printed wrapped at the console's width (the CLI's consoles otherwise leave long lines to the terminal)."""
    console.print(renderable, soft_wrap=False)


def _plain(text: object) -> Text:
    return Text(str(text))


def print_check(
    console: Console, name: str, result: CheckResult, envelope: Envelope | None = None, empty: bool = False
) -> None:
    """The checks' outcome; ✓ only when every strict check passes, the report has numbers, and an
    envelope (when there is one) is verified."""
    doubtful = [p for p, level in (envelope.levels if envelope else {}).items() if level in DOUBTFUL]
    if empty:
        _say(console, Text.assemble(("✗ ", "red"), f"{name}: 报告中没有任何数字，无从核对"))
    elif not result.passed:
        _say(console, Text.assemble(("✗ ", "red"), f"{name}: {len(result.violations)} 处严格检查未通过"))
    elif envelope is not None and envelope.status != "verified":
        state = STATUS_NAMES.get(envelope.status, envelope.status)
        _say(
            console,
            Text.assemble(
                ("! ", "yellow"),
                f"{name}: 严格检查通过，但结果{state}（{len(doubtful)} 个单元格存疑），不能当作已核实",
            ),
        )
    else:
        _say(console, Text.assemble(("✓ ", "green"), f"{name}: 全部严格检查通过"))
    if result.violations:
        table = Table(show_header=True, header_style="bold", box=box.SIMPLE_HEAD)
        table.add_column("检查", no_wrap=True)
        table.add_column("说明", overflow="fold")
        table.add_column("判定", no_wrap=True)
        for v in result.violations:
            table.add_row(_plain(v.check), _plain(v.message), _plain(VERDICT_LABELS.get(v.verdict, "")))
        _say(console, table)
    for w in result.warnings:
        _say(
            console,
            Text.assemble(("! ", "yellow"), f"{w.check}: {w.message}", f"  〔{w.evidence}〕" if w.evidence else ""),
        )


def print_envelope(console: Console, envelope: Envelope) -> None:
    """One result: status headline, meta, the three tables with marked cells, the marks named, findings."""
    style = STATUS_STYLES.get(envelope.status, "white")
    state = STATUS_NAMES.get(envelope.status, envelope.status)
    mark = "✓ " if envelope.status == "verified" else "✗ " if envelope.status == "failed" else "! "
    _say(console, Text.assemble((envelope.source.path, "bold"), "  ", (f"{mark}{state}", style)))
    if envelope.error:
        _say(console, Text(envelope.error, style="red"))
    report = envelope.report
    if report is None:
        return
    meta = report.meta
    _say(
        console,
        Text(f"{meta.title or ''}  机关：{meta.agency or '—'}  年度：{meta.year or '—'}  格式：{report.format}"),
    )
    flat = flatten(report)
    levels = envelope.levels
    for table in (_proactive_table(flat, levels), _applications_table(flat, levels), _review_table(flat, levels)):
        _say(console, table)
    print_marked(console, envelope, flat)
    print_check(console, "检查", CheckResult(violations=envelope.violations, warnings=envelope.warnings), envelope)


def print_marked(console: Console, envelope: Envelope, flat: Mapping[str, object]) -> None:
    """The legend of the marks used, then every marked cell by its Chinese name, value and reason."""
    marked = [(p, level) for p, level in envelope.levels.items() if level in MARKS]
    if not marked:
        return
    by_mark: dict[str, list[str]] = {}
    for level in dict.fromkeys(level for _, level in marked):
        by_mark.setdefault(MARKS[level], []).append(LEVEL_NAMES[level])
    legend = "  ".join(f"{mark} {'/'.join(names)}" for mark, names in by_mark.items())
    warning = "（标 ? 的单元格存疑，不可直接使用）" if "?" in by_mark else ""
    _say(console, Text(f"标记：{legend}{warning}"))
    for path, level in sorted(
        marked, key=lambda pl: (pl[1] not in DOUBTFUL, list(flat).index(pl[0]) if pl[0] in flat else 0)
    ):
        value = flat.get(path)
        shown = "空" if value is None else str(value)
        reason = envelope.unsure.get(path) or (
            envelope.unsure[key] if (key := covering(path, envelope.unsure)) is not None else ""
        )
        candidates = envelope.candidates.get(path)
        line = Text.assemble(
            (f"{MARKS[level]} ", MARK_STYLES[level]),
            f"{describe_cell(path)}：{shown}（{LEVEL_NAMES[level]}）",
            f"\n  {reason}" if reason else "",
            f"\n  候选：{_candidates(candidates)}" if candidates else "",
        )
        _say(console, line)


def _candidates(values: list[int | float], shown: int = 8) -> str:
    text = " / ".join(str(v) for v in values[:shown])
    return f"{text} …（共 {len(values)} 个）" if len(values) > shown else text


def _cell(path: str, flat: Mapping[str, object], levels: Mapping[str, str]) -> Text:
    value = flat.get(path)
    level = levels.get(path, "read")
    text = "" if value is None else str(value)
    if level in MARKS:
        return Text(f"{text}{MARKS[level]}", style=MARK_STYLES[level])
    return Text(text)


def _table(title: str) -> Table:
    return Table(
        title=title, title_justify="left", show_header=True, header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False
    )


def _proactive_table(flat: Mapping[str, object], levels: Mapping[str, str]) -> Table:
    table = _table("表二 主动公开政府信息情况")
    table.add_column("信息内容", overflow="fold", ratio=1)
    table.add_column("数值", justify="right", no_wrap=True)
    for path in flat:
        if path.startswith("proactive."):
            table.add_row(_plain(describe_cell(path).removeprefix("表二 ")), _cell(path, flat, levels))
    return table


def _applications_table(flat: Mapping[str, object], levels: Mapping[str, str]) -> Table:
    table = _table("表三 收到和处理政府信息公开申请情况")
    table.add_column("", overflow="fold", ratio=1, min_width=8)
    for column in COLUMNS:
        table.add_column(SHORT_COLUMNS[column], justify="right", no_wrap=True)
    rows = dict.fromkeys(p.rpartition(".")[0] for p in flat if p.startswith("applications."))
    group = ""
    for row in rows:
        names = [short_label(n) for n in labels(row)]
        grouped = row.startswith("applications.results.") and row.count(".") == 3 and not row.endswith(".total")
        if grouped and names[-2] != group:  # (三)…(六): the group's name once, above its rows
            group = names[-2]
            table.add_row(Text(group, style="bold"), *([""] * len(COLUMNS)))
        elif not grouped:
            group = ""
        table.add_row(_plain(names[-1]), *(_cell(f"{row}.{c}", flat, levels) for c in COLUMNS))
    return table


def _review_table(flat: Mapping[str, object], levels: Mapping[str, str]) -> Table:
    table = _table("表四 行政复议、行政诉讼情况")
    table.add_column("", overflow="fold", ratio=1, min_width=8)
    parts = (*REVIEW_PARTS, "total")
    for part in parts:
        table.add_column(labels(f"review_litigation.review.{part}")[-1], justify="right", no_wrap=True)
    for name in ("review", "litigation_direct", "litigation_after_review"):
        path = f"review_litigation.{name}"
        table.add_row(_plain(labels(path)[-1]), *(_cell(f"{path}.{p}", flat, levels) for p in parts))
    return table


def matched_rows(envelope: Envelope, text: str) -> list[str]:
    """For -v: each row whose cells were read, and the source line(s) they stand on."""
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    rows: dict[str, set[int]] = {}
    for path, (start, _) in envelope.evidence.items():
        if start <= len(text):
            rows.setdefault(path.rpartition(".")[0], set()).add(bisect_right(starts, start))
    out = []
    for row, lines in rows.items():
        where = "、".join(str(n) for n in sorted(lines)[:4]) + ("…" if len(lines) > 4 else "")
        name = f"表二 {short_label(labels(row)[-1])}" if row.startswith("proactive.") else describe_row(row)
        out.append(f"匹配 {name}：第 {where} 行")
    return out
