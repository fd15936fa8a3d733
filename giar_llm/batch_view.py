"""The batch in the terminal (rich): a progress bar with counts by status and an ETA (plain progress lines
when standard error is a file or a pipe), and the final summary, which names the failed and unverified files."""

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
from rich.text import Text

from giar_llm.batch import BatchItem, BatchSummary
from giar_llm.core.envelope import STATUS_NAMES, STATUSES

STATUS_STYLES = {
    "verified": "green",
    "source_inconsistent": "yellow",
    "unverified": "yellow",
    "failed": "red",
}
STATUS_LABELS = STATUS_NAMES
LISTED = 20  # files named in the terminal summary per list; summary.json names them all

__all__ = ["BatchProgress", "print_batch_summary"]


class BatchProgress:
    """``with BatchProgress(console, total) as progress: run_batch(..., on_result=progress.advance)``."""

    def __init__(self, console: Console, total: int) -> None:
        self.console = console
        self.total = total
        self.done = 0
        self.counts: Counter[str] = Counter()
        self.skipped = 0
        self.plain = not console.is_terminal  # a log file gets one line per file, not a bar drawn at the end
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
        if self.plain:
            return self
        self.progress.start()
        self.task = self.progress.add_task("batch", total=self.total, counts=self._counts())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self.plain:
            self.progress.stop()

    def advance(self, item: BatchItem) -> None:
        self.counts[item.status] += 1
        self.skipped += item.skipped
        self.done += 1
        if self.plain:
            how = "续用" if item.skipped else f"{item.seconds:.2f} 秒"
            reason = f"：{item.error}" if item.error else ""
            line = (
                f"[{self.done}/{self.total}] {item.path} {STATUS_NAMES.get(item.status, item.status)}（{how}）{reason}"
            )
            self.console.print(Text(line), soft_wrap=True)
        elif self.task is not None:
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
        statuses.add_row(Text(f"{STATUS_LABELS[status]}（{status}）", style=style), str(count))
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
    for title, files in (
        ("失败的文件", summary.failed_files),
        ("未核实的文件（有存疑单元格）", summary.unverified_files),
    ):
        _name_files(console, title, files)
    if summary.not_reports:
        _name_files(console, "不是报告的文件（按扩展名跳过）", summary.not_reports)
    for duplicate in summary.duplicates[:LISTED]:
        kind = "内容相同" if duplicate["kind"] == "sha256" else "机关与年度相同"
        console.print(Text(f"! 疑似重复：{duplicate['source']}（{kind}，与报告 {duplicate['duplicate_of']}）"))
    if len(summary.duplicates) > LISTED:
        console.print(Text(f"! ……另有 {len(summary.duplicates) - LISTED} 份疑似重复的报告，见 summary.json"))
    console.print(
        Text(
            f"数据：cells.csv（{summary.cells} 个单元格，其中存疑 {summary.doubtful_cells}）、reports.csv、codebook.csv"
        )
    )
    console.print(Text(f"输出目录：{summary.outdir}"))


def _name_files(console: Console, title: str, files: list[str]) -> None:
    if not files:
        return
    console.print(Text(f"{title}（{len(files)}）：", style="bold"))
    for path in files[:LISTED]:
        console.print(Text(f"  {path}"))
    if len(files) > LISTED:
        console.print(Text(f"  ……另有 {len(files) - LISTED} 个，见 summary.json"))
