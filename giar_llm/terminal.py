"""Rendering for the terminal: violations, warnings and reports as people read them (rich)."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console
from rich.table import Table

from giar_llm.core.envelope import Envelope
from giar_llm.core.findings import CheckResult
from giar_llm.core.paths import describe_cell, flatten, labels, short_label
from giar_llm.core.schema import COLUMNS

VERDICT_LABELS = {"source": "原文如此", "extraction": "抽取存疑", None: ""}


def print_check(console: Console, name: str, result: CheckResult) -> None:
    if result.passed:
        console.print(f"[green]✓[/] {name}: 全部严格检查通过")
    else:
        console.print(f"[red]✗[/] {name}: {len(result.violations)} 处严格检查未通过")
        table = Table(show_header=True, header_style="bold")
        table.add_column("检查")
        table.add_column("说明")
        table.add_column("判定")
        for v in result.violations:
            table.add_row(v.check, v.message, VERDICT_LABELS.get(v.verdict, ""))
        console.print(table)
    for w in result.warnings:
        console.print(f"[yellow]![/] {w.check}: {w.message}" + (f"  〔{w.evidence}〕" if w.evidence else ""))


STATUS_STYLES = {
    "verified": "green",
    "source_inconsistent": "yellow",
    "unverified": "yellow",
    "failed": "red",
}


def print_envelope(console: Console, envelope: Envelope) -> None:
    """A readable view of one result: status, meta, the three tables, then findings."""
    style = STATUS_STYLES.get(envelope.status, "white")
    console.print(f"[bold]{envelope.source.path}[/]  [{style}]{envelope.status}[/]")
    if envelope.error:
        console.print(f"[red]{envelope.error}[/]", markup=True)
    report = envelope.report
    if report is None:
        return
    meta = report.meta
    console.print(
        f"{meta.title or ''}  机构: {meta.agency or '—'}  年度: {meta.year or '—'}  表格格式: {report.format}"
    )
    flat = flatten(report)
    console.print(_proactive_table(flat))
    console.print(_applications_table(flat))
    console.print(_review_table(flat))
    print_check(console, "检查", CheckResult(violations=envelope.violations, warnings=envelope.warnings))
    for path, reason in envelope.unsure.items():
        console.print(f"[yellow]?[/] {path}: {reason}", markup=True)


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _proactive_table(flat: Mapping[str, object]) -> Table:
    table = Table(title="表二 主动公开政府信息情况", show_header=True, header_style="bold")
    table.add_column("信息内容")
    table.add_column("数值")
    for path, value in flat.items():
        if path.startswith("proactive."):
            table.add_row(describe_cell(path).removeprefix("表二 "), _cell(value))
    return table


def _applications_table(flat: Mapping[str, object]) -> Table:
    table = Table(title="表三 收到和处理政府信息公开申请情况", show_header=True, header_style="bold")
    table.add_column("")
    for column in COLUMNS:
        table.add_column(labels(f"applications.new_requests.{column}")[-1], justify="right")
    rows = dict.fromkeys(p.rpartition(".")[0] for p in flat if p.startswith("applications."))
    for row in rows:
        name = short_label(labels(row)[-1])
        table.add_row(name, *(_cell(flat.get(f"{row}.{c}")) for c in COLUMNS))
    return table


def _review_table(flat: Mapping[str, object]) -> Table:
    table = Table(title="表四 行政复议、行政诉讼情况", show_header=True, header_style="bold")
    table.add_column("")
    parts = ("upheld", "corrected", "other_outcome", "pending", "total")
    for part in parts:
        table.add_column(labels(f"review_litigation.review.{part}")[-1], justify="right")
    for name in ("review", "litigation_direct", "litigation_after_review"):
        path = f"review_litigation.{name}"
        table.add_row(labels(path)[-1], *(_cell(flat.get(f"{path}.{p}")) for p in parts))
    return table
