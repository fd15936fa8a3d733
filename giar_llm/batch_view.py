"""The batch in the terminal (rich): a progress bar with counts by status and an ETA, and the final summary."""

from __future__ import annotations

from collections import Counter
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from giar_llm.batch import BatchItem, BatchSummary
from giar_llm.core.envelope import STATUSES

STATUS_STYLES = {
    "verified": "green",
    "source_inconsistent": "yellow",
    "unverified": "yellow",
    "failed": "red",
}
STATUS_LABELS = {
    "verified": "已核验",
    "source_inconsistent": "原文不平",
    "unverified": "未核验",
    "failed": "失败",
}

__all__ = ["BatchProgress", "print_batch_summary"]


class BatchProgress:
    """``with BatchProgress(console, total) as progress: run_batch(..., on_result=progress.advance)``."""

    def __init__(self, console: Console, total: int) -> None:
        self.console = console
        self.total = total
        self.counts: Counter[str] = Counter()
        self.skipped = 0
        self.progress = Progress(
            TextColumn("[bold]批处理"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
            TextColumn("剩余"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.task: TaskID | None = None

    def __enter__(self) -> BatchProgress:
        self.progress.start()
        self.task = self.progress.add_task("batch", total=self.total, counts=self._counts())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.progress.stop()

    def advance(self, item: BatchItem) -> None:
        self.counts[item.status] += 1
        self.skipped += item.skipped
        if self.task is not None:
            self.progress.update(self.task, advance=1, counts=self._counts())

    def _counts(self) -> str:
        parts = [f"[{STATUS_STYLES[s]}]{STATUS_LABELS[s]} {self.counts[s]}[/]" for s in STATUSES if self.counts.get(s)]
        if self.skipped:
            parts.append(f"[dim]续用 {self.skipped}[/]")
        return " · ".join(parts)


def print_batch_summary(console: Console, summary: BatchSummary) -> None:
    """Statuses, violations by check, model calls, tokens, cache hits and time, as one table each."""
    statuses = Table(title=f"批处理结果（{summary.total} 个文件）", show_header=True, header_style="bold")
    statuses.add_column("状态")
    statuses.add_column("文件数", justify="right")
    for status in STATUSES:
        count = summary.statuses.get(status, 0)
        style = STATUS_STYLES[status] if count else "dim"
        statuses.add_row(f"[{style}]{status}（{STATUS_LABELS[status]}）[/]", str(count))
    statuses.add_row("其中续用上次结果", str(summary.skipped), style="dim")
    console.print(statuses)

    if summary.violations:
        checks = Table(title="未通过的严格检查", show_header=True, header_style="bold")
        checks.add_column("检查")
        checks.add_column("处数", justify="right")
        for check, count in sorted(summary.violations.items(), key=lambda kv: (-kv[1], kv[0])):
            checks.add_row(check, str(count))
        console.print(checks)

    run = Table(title="本次运行", show_header=False)
    run.add_column("项")
    run.add_column("值", justify="right")
    run.add_row("重新处理", str(summary.recomputed))
    run.add_row("模型调用", str(summary.cost.calls))
    run.add_row("缓存命中", str(summary.cost.cache_hits))
    run.add_row("tokens（提示 / 生成）", f"{summary.cost.tokens.prompt} / {summary.cost.tokens.completion}")
    run.add_row("警告（含跨年度）", f"{summary.warnings}（{summary.cross_year_warnings}）")
    run.add_row("用时", f"{summary.seconds:.1f} 秒")
    console.print(run)
    console.print(f"输出目录：{summary.outdir}")
