"""Rendering an eval run (and a comparison of two runs) for the terminal, with rich."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from giar_llm.core.envelope import STATUS_NAMES
from giar_llm.core.levels import LEVEL_NAMES
from giar_llm.core.scoring import Comparison, ReportScore
from giar_llm.evaluate import EvalRun

STATUS_STYLES = {
    "verified": "green",
    "source_inconsistent": "yellow",
    "unverified": "yellow",
    "failed": "red",
}
HEADLINE = ("strict_accuracy", "lenient_accuracy", "nonzero_accuracy", "violation_precision", "violation_recall")


def _v(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return escape(str(value))


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _pct_style(value: float) -> str:
    return "green" if value >= 0.999 else "yellow" if value >= 0.9 else "red"


def _styled_pct(value: float) -> str:
    return f"[{_pct_style(value)}]{_pct(value)}[/]"


def print_eval(console: Console, run: EvalRun, show_wrong: int = 10) -> None:
    """The per-report table, then the totals (silent errors prominent), then the first wrong cells."""
    meta = run.meta
    console.print(
        f"[bold]评测[/] {escape(run.name)}  backend={meta.backend}"
        + (f"  model={escape(meta.model)}" if meta.model else "")
        + f"  prompt={meta.prompt_version or '—'}  schema={meta.schema_version}  v{meta.package_version}"
    )
    console.print(_report_table(run.scores))
    for note in run.skipped:
        console.print(f"[yellow]跳过[/] {escape(note)}")
    _print_totals(console, run)
    if show_wrong:
        _print_wrong(console, run.scores, show_wrong)
    if run.path is not None:
        console.print(f"[dim]结果已写入 {escape(str(run.path))}[/]")


def _report_table(scores: list[ReportScore]) -> Table:
    table = Table(show_header=True, header_style="bold")
    table.add_column("报告")
    table.add_column("状态")
    table.add_column("严格", justify="right")
    table.add_column("宽松", justify="right")
    table.add_column("非零", justify="right")
    table.add_column("错格", justify="right")
    table.add_column("调用", justify="right")
    table.add_column("tokens", justify="right")
    table.add_column("秒", justify="right")
    for s in scores:
        style = STATUS_STYLES.get(s.status, "white")
        status = f"[{style}]{STATUS_NAMES.get(s.status, s.status)}[/]"
        if s.silent_error:
            status += " [bold red]静默错误[/]"
        table.add_row(
            escape(s.report or s.gold),
            status,
            _styled_pct(s.counts.strict_accuracy),
            _styled_pct(s.counts.lenient_accuracy),
            _styled_pct(s.counts.nonzero_accuracy),
            str(len(s.wrong)) if s.wrong else "[green]0[/]",
            str(s.cost.calls),
            str(s.cost.tokens.total),
            f"{s.cost.seconds:.2f}",
        )
    return table


def _print_totals(console: Console, run: EvalRun) -> None:
    s = run.summary
    console.print(
        f"[bold]合计[/] {s.reports} 份报告, {s.counts.cells} 格:  "
        f"严格 {_styled_pct(s.strict_accuracy)}  宽松 {_styled_pct(s.lenient_accuracy)}  "
        f"非零 {_styled_pct(s.nonzero_accuracy)} ({s.counts.nonzero_right}/{s.counts.nonzero})  "
        f"全对 {s.exact}/{s.reports}"
    )
    sections = "  ".join(
        f"{name} {_styled_pct(c.strict_accuracy)}/{_pct(c.nonzero_accuracy)}"
        for name, c in s.sections.items()
        if c.cells
    )
    console.print(f"分表 (严格/非零): {sections}")
    console.print(
        "状态: "
        + "  ".join(f"[{STATUS_STYLES.get(k, 'white')}]{STATUS_NAMES.get(k, k)}[/] {v}" for k, v in s.statuses.items())
    )
    if s.silent_errors:
        names = ", ".join(escape(n) for n in s.silent_error_reports)
        console.print(f"[bold white on red] 静默错误 {s.silent_errors} [/] 报告为 verified 但有错格: {names}")
    else:
        console.print("[green]静默错误 0[/]")
    if s.levels:
        console.print(
            "证据等级 (格数/准确率): "
            + "  ".join(f"{LEVEL_NAMES.get(k, k)} {c.cells}/{_pct(c.accuracy)}" for k, c in s.levels.items())
        )
    if s.trusted_wrong:
        cells = ", ".join(escape(c) for c in s.trusted_wrong_cells[:10])
        console.print(f"[bold white on red] 可信等级错格 {s.trusted_wrong} [/] 标为原文读取/推算唯一却错: {cells}")
    v = s.violations
    console.print(f"违规检出: 精确率 {_pct(v.precision)} 召回率 {_pct(v.recall)}  (tp {v.tp}, fp {v.fp}, fn {v.fn})")
    for item in v.missed:
        console.print(f"  [red]漏报[/] {escape(item)}")
    for item in v.unexpected:
        console.print(f"  [yellow]多报[/] {escape(item)}")
    c = s.cost
    console.print(
        f"调用 {c.calls} (缓存命中 {c.cache_hits})  tokens {c.tokens.prompt}+{c.tokens.completion}  {c.seconds:.2f} 秒"
    )


def _print_wrong(console: Console, scores: list[ReportScore], limit: int) -> None:
    for s in scores:
        if not s.wrong:
            continue
        console.print(
            f"[bold]{escape(s.report or s.gold)}[/] 错格 {len(s.wrong)}"
            + (f"  〔{escape(s.error)}〕" if s.error else "")
        )
        for w in s.wrong[:limit]:
            mark = "[yellow]≈[/]" if w.lenient_right else "[red]✗[/]"
            console.print(f"  {mark} {escape(w.line())}  [dim]{escape(w.label)}[/]")
        if len(s.wrong) > limit:
            console.print(f"  [dim]… 另有 {len(s.wrong) - limit} 格[/]")


def print_comparison(console: Console, comparison: Comparison, old_name: str = "", new_name: str = "") -> None:
    """Headline metric deltas and, per report, the cells fixed and broken since the older run."""
    console.print(f"[bold]对比[/] {escape(old_name)} → {escape(new_name)}")
    for key in (
        *HEADLINE,
        "silent_errors",
        "exact",
        "cost.calls",
        "cost.tokens.prompt",
        "cost.tokens.completion",
        "cost.seconds",
    ):
        d = comparison.metrics.get(key)
        if d is None:
            continue
        if key in HEADLINE:
            better = d.delta > 0
            text = f"{_pct(d.old)} → {_pct(d.new)} ({d.delta * 100:+.1f} 点)"
        else:
            better = d.delta < 0 if key != "exact" else d.delta > 0
            text = f"{d.old:g} → {d.new:g} ({d.delta:+g})"
        style = "dim" if d.delta == 0 else "green" if better else "red"
        console.print(f"  {key}: [{style}]{text}[/]")
    console.print(f"修复 [green]{comparison.fixed}[/] 格, 改坏 [red]{comparison.broken}[/] 格")
    for change in comparison.reports:
        if not change.changed:
            continue
        status = "" if change.old_status == change.new_status else f"  {change.old_status} → {change.new_status}"
        console.print(f"[bold]{escape(change.report)}[/]{status}")
        for c in change.fixed:
            console.print(f"  [green]✓[/] {escape(c.path)}: {_v(c.old)} → {_v(c.new)}  [dim]{escape(c.label)}[/]")
        for c in change.broken:
            console.print(f"  [red]✗[/] {escape(c.path)}: {_v(c.old)} → {_v(c.new)}  [dim]{escape(c.label)}[/]")
        for c in change.still_wrong_changed:
            console.print(
                f"  [yellow]~[/] {escape(c.path)}: {_v(c.old)} → {_v(c.new)} (应为 {_v(c.expected)})  [dim]{escape(c.label)}[/]"
            )
    for name in comparison.only_new:
        console.print(f"  [dim]新增报告 {escape(name)}[/]")
    for name in comparison.only_old:
        console.print(f"  [dim]不再评测 {escape(name)}[/]")


def print_threshold_failures(console: Console, failures: list[str]) -> None:
    if not failures:
        console.print("[green]✓ 全部阈值达标[/]")
        return
    console.print(f"[bold red]✗ {len(failures)} 项阈值未达标[/]")
    for line in failures:
        console.print(f"  [red]{escape(line)}[/]")
