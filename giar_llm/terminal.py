"""Rendering for the terminal: violations, warnings and reports as people read them (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from giar_llm.core.findings import CheckResult

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
