"""The giar-llm command line: each command parses, calls one library function, renders, exits.

Exit codes: 0 success, 1 the report fails a strict check (or a batch had failures), 2 bad input or usage.
Every ordinary mistake is one line on standard error (``giar-llm: …``) and exit 2, never a traceback.
Command modules (batch, eval, the model client) are imported by the command that needs them, so a
reader-only ``extract`` starts fast.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from giar_llm import __version__
from giar_llm.errors import GiarError, InputError
from giar_llm.settings import Settings

if TYPE_CHECKING:
    from giar_llm.core.envelope import Envelope
    from giar_llm.inputs import LoadedInput

ENVIRONMENT = """环境变量（选项优先）：GIAR_BACKEND、GIAR_MODEL、GIAR_BASE_URL、GIAR_CACHE_DIR、GIAR_MAX_ROUNDS、
GIAR_TIMEOUT、GIAR_MAX_TOKENS、GIAR_CONCURRENCY、GIAR_PROMPTS_DIR 见各命令的选项；GIAR_API_KEY：compatible
端点的密钥（只从环境读取，不设选项，以免出现在进程列表中；各服务商另有自己的密钥变量，如 DEEPSEEK_API_KEY）。

时限：GIAR_CONNECT_TIMEOUT 连接秒数（默认 10）；GIAR_DEADLINE 每份报告的模型总秒数（默认 600）；
GIAR_FILE_TIMEOUT 批处理中每个文件的秒数（默认 300，模型后端另加 GIAR_DEADLINE）。输入上限：GIAR_MAX_INPUT_MB 文件大小（默认 64）、
GIAR_MAX_UNPACKED_MB DOCX/PDF 解压后大小（默认 128）、GIAR_MAX_MARKUP_MB DOCX 的 XML 大小（默认 16）、
GIAR_MAX_DEPTH 嵌套层数（默认 200）、GIAR_MAX_DIGITS 连续数字位数（默认 200）。"""

app = typer.Typer(
    name="giar-llm",
    help="政府信息公开工作年度报告 → 经过核验的结构化数据。",
    epilog=ENVIRONMENT,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
log = logging.getLogger("giar_llm")


class Backend(StrEnum):
    rules = "rules"
    llm = "llm"
    auto = "auto"


class ExtractFormat(StrEnum):
    json = "json"
    table = "table"
    csv = "csv"
    cells = "cells"


class CacheAction(StrEnum):
    stats = "stats"
    clear = "clear"


BackendOption = Annotated[
    Backend | None,
    typer.Option(envvar="GIAR_BACKEND", help="rules 只用读取器；llm 模型读每张表；auto 读取器优先（有模型时默认）。"),
]
ModelOption = Annotated[str | None, typer.Option(envvar="GIAR_MODEL", help="服务商/模型，如 deepseek/deepseek-chat。")]
BaseUrlOption = Annotated[str | None, typer.Option(envvar="GIAR_BASE_URL", help="OpenAI 兼容端点的地址。")]
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="不读也不写模型应答缓存。")]
CacheDirOption = Annotated[
    Path | None,
    typer.Option(envvar="GIAR_CACHE_DIR", help="缓存文件夹（默认 ~/.cache/giar-llm）。", show_default=False),
]
MaxRoundsOption = Annotated[
    int | None, typer.Option(envvar="GIAR_MAX_ROUNDS", min=0, help="检查未通过后的复核轮数（默认 2）。")
]
TimeoutOption = Annotated[
    float | None, typer.Option(envvar="GIAR_TIMEOUT", min=0, help="单次模型应答的等待秒数（默认 180）。")
]
MaxTokensOption = Annotated[
    int | None, typer.Option(envvar="GIAR_MAX_TOKENS", min=1, help="单次应答的 token 上限（默认 4000）。")
]
PromptsDirOption = Annotated[
    Path | None,
    typer.Option(
        envvar="GIAR_PROMPTS_DIR", help="另用一个提示词文件夹（system/extract/repair.md）。", show_default=False
    ),
]
VerboseOption = Annotated[
    int, typer.Option("-v", "--verbose", count=True, help="更多过程信息（-v 匹配的行与模型请求，-vv 调试）。")
]
QuietOption = Annotated[bool, typer.Option("-q", "--quiet", help="只输出结果与错误，不显示进度。")]


CorrectionsOption = Annotated[
    Path | None,
    typer.Option(help="复核页面导出的更正文件（或其文件夹），读取后应用。", show_default=False),
]


def with_corrections(envelope: Envelope, corrections: Path | None) -> Envelope:
    """The envelope with the kept corrections for its source applied; those not applied are reported."""
    if corrections is None:
        return envelope
    from giar_llm.core.corrections import apply_for_source
    from giar_llm.files import load_corrections

    applied = apply_for_source(envelope, load_corrections(corrections))
    for line in applied.rejected:
        err.print(f"giar-llm: 更正未应用：{line}", markup=False)
    return applied.envelope


def configure_logging(verbose: int, quiet: bool) -> None:
    """The package logger on standard error through rich: warnings by default, -v info, -vv debug, -q errors."""
    from rich.logging import RichHandler

    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    handler = RichHandler(console=err, show_time=False, show_path=False, markup=False, rich_tracebacks=False)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False


def model_settings(
    backend: Backend | None,
    model: str | None,
    base_url: str | None,
    no_cache: bool,
    max_rounds: int | None,
    cache_dir: Path | None = None,
    timeout: float | None = None,
    max_tokens: int | None = None,
    **more: Any,
) -> Settings:
    """Settings from the environment and the model flags every pipeline command shares."""
    return Settings.from_env(
        backend=backend.value if backend is not None else None,
        model=model,
        base_url=base_url,
        use_cache=False if no_cache else None,
        max_rounds=max_rounds,
        cache_dir=cache_dir,
        timeout=timeout,
        max_tokens=max_tokens,
        **more,
    )


def fail(message: str, code: int = 2) -> typer.Exit:
    from giar_llm.core.redaction import redact

    err.print(f"giar-llm: {redact(message)}", markup=False)
    return typer.Exit(code)


def _nearest_existing(path: Path) -> Path:
    current = path.absolute()
    while not current.exists() and current != current.parent:
        current = current.parent
    return current


def output_file(path: Path, flag: str = "-o") -> Path:
    """An output file path, checked before any work: not a folder, and its folder writable."""
    if path.is_dir():
        raise fail(f"{flag} {path}: 是一个文件夹，这里要一个文件路径")
    parent = _nearest_existing(path.parent)
    if not parent.is_dir():
        raise fail(f"{flag} {path}: {parent} 不是文件夹")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise fail(f"{flag} {path}: 没有写入 {parent} 的权限")
    return path


def output_folder(path: Path, flag: str = "-o") -> Path:
    """An output folder path, checked before any work: not a file, and writable."""
    if path.exists() and not path.is_dir():
        raise fail(f"{flag} {path}: 是一个文件，这里要一个文件夹")
    existing = _nearest_existing(path)
    if not existing.is_dir():
        raise fail(f"{flag} {path}: {existing} 不是文件夹")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise fail(f"{flag} {path}: 没有写入 {existing} 的权限")
    return path


def use_prompts(folder: Path | None) -> None:
    """--prompts-dir: the prompt files the model path renders (and the worker processes inherit)."""
    if folder is not None:
        if not folder.is_dir():
            raise fail(f"--prompts-dir {folder}: 没有这个文件夹")
        os.environ["GIAR_PROMPTS_DIR"] = str(folder)


def _version(value: bool) -> None:
    if value:
        from giar_llm.reader import compiled

        out.print(f"giar-llm {__version__}" + (" (compiled reader)" if compiled() else ""), markup=False)
        raise typer.Exit(0)


@app.callback()
def main_options(
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号后退出。")
    ] = False,
) -> None:
    """政府信息公开工作年度报告 → 经过核验的结构化数据。"""
    configure_logging(verbose, quiet)


def _verbosity(verbose: int, quiet: bool) -> None:
    """A command's own -v/-q adds to the ones given before the command."""
    if verbose or quiet:
        current = log.getEffectiveLevel()
        level = logging.ERROR if quiet else max(logging.DEBUG, min(current, logging.WARNING) - 10 * verbose)
        log.setLevel(level)


@app.command("check")
def check_command(
    file: Annotated[Path, typer.Argument(help="报告、结果信封或金标准文件（JSON）。")],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出未通过的检查与警告。")] = False,
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """核对报告的各项合计与勾稽关系；严格检查未通过时退出码 1。"""
    from giar_llm.core.checker import check as run_checks
    from giar_llm.core.paths import flatten
    from giar_llm.files import dumps, load_report_file
    from giar_llm.terminal import print_check

    _verbosity(verbose, quiet)
    try:
        loaded = load_report_file(file)
    except GiarError as exc:
        raise fail(str(exc)) from None
    result = run_checks(loaded.report)
    empty = all(v is None for p, v in flatten(loaded.report).items() if not p.startswith("meta."))
    if as_json:
        out.print(dumps({**result.model_dump(mode="json"), "empty": empty}), markup=False)
    else:
        print_check(out, str(file), result, envelope=loaded.envelope, empty=empty)
    raise typer.Exit(0 if result.passed and not empty else 1)


def _log_matched_rows(envelope: Envelope, loaded: LoadedInput) -> None:
    """-v: which source line each row's cells were read from."""
    if not log.isEnabledFor(logging.INFO):
        return
    from giar_llm.datapackage import source_text
    from giar_llm.terminal import matched_rows

    document = loaded.document
    text = document.text if document.origin is None else source_text(envelope.source.model_dump())
    for line in matched_rows(envelope, text or ""):
        log.info(line)


@app.command("extract")
def extract_command(
    file: Annotated[str, typer.Argument(help="一份报告：.txt/.md/.html/.pdf/.docx，- 表示标准输入。")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="写入此文件（不写则输出到屏幕）。", show_default=False)
    ] = None,
    view: Annotated[
        ExtractFormat,
        typer.Option(
            "--format", help="json 结果信封；table 终端表格；cells 单元格长表 CSV；csv 报告宽表 CSV（一行）。"
        ),
    ] = ExtractFormat.json,
    backend: BackendOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    no_cache: NoCacheOption = False,
    cache_dir: CacheDirOption = None,
    max_rounds: MaxRoundsOption = None,
    timeout: TimeoutOption = None,
    max_tokens: MaxTokensOption = None,
    prompts_dir: PromptsDirOption = None,
    corrections: CorrectionsOption = None,
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """读取一份报告并核对，输出（或写入）结果。"""
    from giar_llm.files import dumps, write_json
    from giar_llm.inputs import load_bytes, load_input
    from giar_llm.inputs.names import readable
    from giar_llm.pipeline import extract_loaded, failed_envelope

    _verbosity(verbose, quiet)
    use_prompts(prompts_dir)
    if output is not None:
        output_file(output)
    try:
        settings = model_settings(backend, model, base_url, no_cache, max_rounds, cache_dir, timeout, max_tokens)
        limits = settings.limits
        if file == "-":
            loaded: LoadedInput = load_bytes(sys.stdin.buffer.read(limits.input_bytes + 1), "-", limits)
        else:
            loaded = load_input(file, limits)
        envelope = with_corrections(extract_loaded(loaded, settings), corrections)
    except InputError as exc:  # no report: an -o file still gets its failed envelope, like any other failure
        if output is not None and view == ExtractFormat.json:
            with contextlib.suppress(OSError):
                write_json(output, failed_envelope(file, str(exc)).to_json())
        raise fail(str(exc)) from None
    except GiarError as exc:
        raise fail(str(exc)) from None
    _log_matched_rows(envelope, loaded)
    if envelope.status == "failed":
        err.print(f"giar-llm: {readable(file)}: {envelope.error}", markup=False)
    try:
        if view in (ExtractFormat.csv, ExtractFormat.cells):
            # evidence points into document.text when the document is the source itself (text, PDF)
            text = loaded.document.text if loaded.document.origin is None else None
            _write_tables(envelope, text, view, output)
        elif output is not None:
            write_json(output, envelope.to_json())
    except OSError as exc:
        raise fail(f"{output}: 无法写入（{exc.strerror or exc}）") from None
    if view == ExtractFormat.table:
        from giar_llm.terminal import print_envelope

        print_envelope(out, envelope)
    elif view == ExtractFormat.json and output is None:
        out.print(dumps(envelope.to_json()), markup=False)
    raise typer.Exit(2 if envelope.status == "failed" else 0)


def _write_tables(envelope: Envelope, text: str | None, view: ExtractFormat, output: Path | None) -> None:
    from giar_llm.datapackage import write_cells_csv, write_reports_csv

    write = write_cells_csv if view == ExtractFormat.cells else write_reports_csv
    write(output, [(envelope.to_json(), text)], stream=None if output is not None else sys.stdout)


@app.command("batch")
def batch_command(
    inputs: Annotated[list[str], typer.Argument(help="文件、文件夹或通配符。")],
    outdir: Annotated[Path, typer.Option("-o", "--out", help="输出文件夹（results/、JSONL、数据表、Parquet）。")],
    include: Annotated[
        list[str] | None, typer.Option(help="只处理匹配此通配符的文件（文件名或路径，可多次给出）。")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="跳过匹配此通配符的文件（文件名或路径，可多次给出）。")
    ] = None,
    manifest: Annotated[
        Path | None,
        typer.Option(help="清单 CSV：按文件名把其中的列（网址、地区代码……）并入每张数据表。", show_default=False),
    ] = None,
    backend: BackendOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    jobs: Annotated[int | None, typer.Option(min=1, help="读取进程数（默认：全部核心）。")] = None,
    concurrency: Annotated[
        int | None, typer.Option(envvar="GIAR_CONCURRENCY", min=1, help="同时发出的模型请求数（默认 4）。")
    ] = None,
    no_cache: NoCacheOption = False,
    cache_dir: CacheDirOption = None,
    max_rounds: MaxRoundsOption = None,
    timeout: TimeoutOption = None,
    max_tokens: MaxTokensOption = None,
    prompts_dir: PromptsDirOption = None,
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
    corrections: CorrectionsOption = None,
    wait: Annotated[
        bool, typer.Option("--wait", help="输出文件夹正被另一个批处理使用时，等它结束（默认立即退出）。")
    ] = False,
    file_timeout: Annotated[
        float | None,
        typer.Option(
            envvar="GIAR_FILE_TIMEOUT",
            help="每个文件的读取秒数上限，超时的文件记为 failed，其余照常（默认 300；模型后端另加 GIAR_DEADLINE）。",
            show_default=False,
        ),
    ] = None,
) -> None:
    """对许多报告运行流程，写出结果与数据表；可续跑；有文件失败时退出码 1；OUT/corrections/ 中的更正每次都应用。"""
    from giar_llm.batch import run_batch, select_inputs
    from giar_llm.batch_view import BatchProgress, print_batch_summary
    from giar_llm.files import load_corrections

    _verbosity(verbose, quiet)
    use_prompts(prompts_dir)
    output_folder(outdir)
    if manifest is not None and not manifest.is_file():
        raise fail(f"--manifest {manifest}: 没有这个文件")
    include, exclude = include or [], exclude or []
    try:
        kept = load_corrections(corrections) if corrections is not None else []
        settings = model_settings(
            backend,
            model,
            base_url,
            no_cache,
            max_rounds,
            cache_dir,
            timeout,
            max_tokens,
            concurrency=concurrency,
            file_timeout=file_timeout,
        )
        selection = select_inputs(inputs, outdir, include, exclude)
        for path in selection.not_reports:
            log.warning("跳过 %s：扩展名不是报告（.txt .md .html .pdf .docx 等）", path)
        if not selection.files:
            raise fail("没有匹配的输入文件")
        options: dict[str, Any] = {
            "jobs": jobs,
            "include": include,
            "exclude": exclude,
            "manifest": manifest,
            "corrections": kept,
            "wait": wait,
        }
        if log.getEffectiveLevel() >= logging.ERROR:
            summary = run_batch(inputs, outdir, settings, **options)
        else:
            with BatchProgress(err, len(selection.files)) as progress:
                summary = run_batch(inputs, outdir, settings, on_result=progress.advance, **options)
    except GiarError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"{exc.filename or outdir}: 无法写入（{exc.strerror or exc}）") from None
    print_batch_summary(out, summary)
    raise typer.Exit(1 if summary.any_failed else 0)


@app.command("eval")
def eval_command(
    reports: Annotated[
        list[Path] | None, typer.Argument(help="报告或文件夹（默认 evals/reports）。", show_default=False)
    ] = None,
    backend: BackendOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    no_cache: NoCacheOption = False,
    cache_dir: CacheDirOption = None,
    max_rounds: MaxRoundsOption = None,
    timeout: TimeoutOption = None,
    max_tokens: MaxTokensOption = None,
    prompts_dir: PromptsDirOption = None,
    gold: Annotated[Path, typer.Option(help="金标准文件夹。")] = Path("evals/gold"),
    runs: Annotated[
        Path | None,
        typer.Option(help="评测记录写入的文件夹（默认：金标准文件夹旁的 runs/，即 evals/runs）。", show_default=False),
    ] = None,
    compare: Annotated[Path | None, typer.Option(help="与之比较的一次先前评测。", show_default=False)] = None,
    compare_last: Annotated[bool, typer.Option("--compare-last", help="与最近一次先前评测比较。")] = False,
    min_accuracy: Annotated[
        float | None, typer.Option(min=0, help="严格单元格准确率低于此值（0–1）时退出码 1。")
    ] = None,
    thresholds: Annotated[
        Path | None, typer.Option(help="阈值 JSON 文件（如 evals/thresholds.json）；未达到时退出码 1。")
    ] = None,
    fail_on_regression: Annotated[
        bool, typer.Option("--fail-on-regression", help="上次正确、这次错误的单元格存在时退出码 1。")
    ] = False,
    verbose: VerboseOption = 0,
    quiet: QuietOption = False,
) -> None:
    """用人工标注的金标准给流程打分；写入 evals/runs/<时间>/。"""
    from giar_llm.evaluate import (
        compare_runs,
        expand_reports,
        latest_run,
        load_run,
        load_thresholds,
        report_id,
        run_eval,
        thresholds_check,
    )
    from giar_llm.evaluate_view import print_comparison, print_eval, print_threshold_failures

    _verbosity(verbose, quiet)
    use_prompts(prompts_dir)
    try:
        files = expand_reports(reports or None)
        if not any(f.is_file() for f in files):
            where = ", ".join(str(r) for r in reports) if reports else "evals/reports"
            raise fail(f"没有找到要评测的报告（{where}）；请给出报告文件与 --gold 金标准文件夹")
        if not gold.is_dir():
            raise fail(f"--gold {gold}: 没有这个金标准文件夹")
        if not any((gold / f"{report_id(path)}.json").is_file() for path in files):
            raise fail(f"{len(files)} 份报告在 {gold} 中都没有金标准文件（按文件名第一个点之前的部分配对）")
        runs = runs if runs is not None else gold.parent / "runs"  # beside the gold files, not the current folder
        output_folder(runs, "--runs")
        settings = model_settings(backend, model, base_url, no_cache, max_rounds, cache_dir, timeout, max_tokens)
        run = run_eval(files, gold, settings, runs)
    except GiarError as exc:
        raise fail(str(exc)) from None
    print_eval(out, run)
    code = 0
    try:
        previous = load_run(compare) if compare is not None else None
    except GiarError as exc:
        raise fail(str(exc)) from None
    if previous is None and (compare_last or fail_on_regression):
        previous = latest_run(runs, exclude=run.path)
    if previous is not None:
        comparison = compare_runs(previous, run)
        print_comparison(out, comparison, str(previous.path or ""), str(run.path or ""))
        if fail_on_regression and any(change.broken for change in comparison.reports):
            err.print("giar-llm: 有回退：上次正确的单元格这次错了", markup=False)
            code = 1
    if min_accuracy is not None and run.summary.strict_accuracy < min_accuracy:
        err.print(f"giar-llm: 严格准确率 {run.summary.strict_accuracy:.4f} 低于 {min_accuracy}", markup=False)
        code = 1
    if thresholds is not None:
        try:
            failures = thresholds_check(run, load_thresholds(thresholds))
        except GiarError as exc:
            raise fail(str(exc)) from None
        print_threshold_failures(out, failures)
        code = code or (1 if failures else 0)
    raise typer.Exit(code)


@app.command("schema")
def schema_command(
    folder: Annotated[Path, typer.Option("--dir", help="JSON Schema 文件所在的文件夹。")] = Path("schemas"),
    check_only: Annotated[bool, typer.Option("--check", help="文件与模型不一致时退出码 1。")] = False,
) -> None:
    """把报告的 JSON Schema 写入 schemas/（或检查其是否最新）。"""
    from giar_llm.files import schema_drift, write_schemas

    if check_only:
        drifted = schema_drift(folder)
        if drifted:
            raise fail(f"schema 文件已过时：{', '.join(drifted)}（运行 giar-llm schema 更新）", 1)
        out.print("schema 文件是最新的")
        return
    output_folder(folder, "--dir")
    for path in write_schemas(folder):
        out.print(f"已写入 {path}", markup=False)


@app.command("cache")
def cache_command(
    action: Annotated[CacheAction, typer.Argument(help="stats 查看或 clear 清空。")],
    cache_dir: CacheDirOption = None,
) -> None:
    """查看或清空模型应答缓存。"""
    from giar_llm.files import dumps
    from giar_llm.llm.cache import ResponseCache

    try:
        settings = Settings.from_env(cache_dir=cache_dir)
    except GiarError as exc:
        raise fail(str(exc)) from None
    cache = ResponseCache(settings.cache_dir / "responses")
    if action == CacheAction.clear:
        out.print(f"已删除 {cache.clear()} 条缓存的应答")
    else:
        out.print(dumps(cache.stats()), markup=False)
    cache.close()


@app.command("review")
def review_command(
    target: Annotated[Path, typer.Argument(help="结果信封（JSON）或批处理输出文件夹。")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="写入的页面（默认 RESULT.html，或 OUT/review/index.html）。"),
    ] = None,
    source: Annotated[Path | None, typer.Option(help="原文文件（运行后移动过时）。")] = None,
    open_page: Annotated[bool, typer.Option("--open", help="在浏览器中打开页面。")] = False,
) -> None:
    """写出独立的复核页面（批处理则每份报告一页，外加索引）。"""
    from giar_llm.review.build import review

    try:
        written = review(target, output, source)
    except GiarError as exc:
        raise fail(str(exc)) from None
    page = written.index or written.pages[0]
    if written.index is not None:
        out.print(f"{len(written.pages)} 份复核页面，索引：{page}", markup=False)
    else:
        out.print(f"复核页面：{page}", markup=False)
    if written.missing_sources:
        err.print(f"giar-llm: {written.missing_sources} 份原文文件找不到，页面中不显示原文", markup=False)
    if open_page:
        import webbrowser

        webbrowser.open(page.resolve().as_uri())


@app.command("gold")
def gold_command(
    result: Annotated[Path, typer.Argument(help="复核过的结果文件（JSON）。")],
    output: Annotated[Path, typer.Option("-o", "--output", help="写入的标准答案文件，如 evals/gold/ID.json。")],
    corrections: CorrectionsOption = None,
) -> None:
    """把复核过的结果写成标准答案文件，供 giar-llm eval 使用（每个单元格可信，勾稽关系已确认）。"""
    from giar_llm.core.corrections import gold_file
    from giar_llm.files import load_envelope, write_json

    try:
        envelope = with_corrections(load_envelope(result), corrections)
    except GiarError as exc:
        raise fail(str(exc)) from None
    output_file(output)
    gold, problems = gold_file(envelope)
    if gold is None:
        more = f"（另有 {len(problems) - 3} 处）" if len(problems) > 3 else ""
        raise fail(f"{result}: 不能作为标准答案：{'；'.join(problems[:3])}{more}")
    write_json(output, gold.model_dump(mode="json"))
    out.print(f"标准答案已写入 {output}", markup=False)


@app.command("version")
def version_command() -> None:
    """显示版本号。"""
    out.print(__version__)


def _usage_error(exc: Exception) -> int:
    """A usage mistake as one line: the parser's message and where to find help."""
    ctx = getattr(exc, "ctx", None)
    command = getattr(ctx, "command_path", "giar-llm") or "giar-llm"
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    message = " ".join(message.split())
    err.print(f"giar-llm: {message}（{command} -h 查看用法）", markup=False)
    return int(getattr(exc, "exit_code", 2))


def main() -> None:
    try:
        code = app(standalone_mode=False)
    except typer.TyperException as exc:  # a usage mistake: unknown option, bad value, missing argument
        if type(exc).__name__ == "NoArgsIsHelpError":  # the bare command prints its help
            out.print(exc.format_message() if hasattr(exc, "format_message") else str(exc), markup=False)
            sys.exit(0)
        sys.exit(_usage_error(exc))
    except typer.Abort:
        sys.exit(130)
    except GiarError as exc:  # a library error that escaped a command: one line, exit 2
        from giar_llm.core.redaction import redact

        err.print(f"giar-llm: {redact(str(exc))}", markup=False)
        sys.exit(2)
    except OSError as exc:  # an output that can't be written after all (disk full, permissions changed)
        err.print(f"giar-llm: {exc.filename or ''}: {exc.strerror or exc}", markup=False)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
