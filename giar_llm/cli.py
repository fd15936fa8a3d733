"""The giar-llm command line: each command parses, calls one library function, renders, exits.

Exit codes: 0 success, 1 the report fails a strict check (or a batch had failures), 2 bad input.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from giar_llm import __version__
from giar_llm.batch import expand_inputs, run_batch
from giar_llm.batch_view import BatchProgress, print_batch_summary
from giar_llm.core.checker import check as run_checks
from giar_llm.core.corrections import apply_for_source
from giar_llm.core.envelope import Envelope
from giar_llm.core.findings import CheckResult
from giar_llm.errors import GiarError
from giar_llm.evaluate import (
    compare_runs,
    expand_reports,
    latest_run,
    load_run,
    load_thresholds,
    run_eval,
    thresholds_check,
)
from giar_llm.evaluate_view import print_comparison, print_eval, print_threshold_failures
from giar_llm.files import dumps, load_corrections, load_report_file, schema_drift, write_json, write_schemas
from giar_llm.inputs import load_bytes, load_input
from giar_llm.llm.cache import ResponseCache
from giar_llm.pipeline import extract_loaded
from giar_llm.settings import Settings
from giar_llm.terminal import print_check, print_envelope

app = typer.Typer(
    name="giar-llm",
    help="政府信息公开工作年度报告 → verified, structured data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


BackendOption = Annotated[str | None, typer.Option(help="rules | llm | auto (default: auto with a model).")]
ModelOption = Annotated[str | None, typer.Option(help="PROVIDER/MODEL, e.g. deepseek/deepseek-chat.")]
BaseUrlOption = Annotated[str | None, typer.Option(help="An OpenAI-compatible endpoint URL.")]
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the response cache.")]
MaxRoundsOption = Annotated[int | None, typer.Option(help="Repair rounds after a failed check (default 2).")]


CorrectionsOption = Annotated[
    Path | None,
    typer.Option(help="A corrections file (or a folder of them) from the review page, applied after reading."),
]


def with_corrections(envelope: Envelope, corrections: Path | None) -> Envelope:
    """The envelope with the kept corrections for its source applied; those not applied are reported."""
    if corrections is None:
        return envelope
    applied = apply_for_source(envelope, load_corrections(corrections))
    for line in applied.rejected:
        err.print(f"giar-llm: 更正未应用：{line}", markup=False)
    return applied.envelope


def model_settings(
    backend: str | None, model: str | None, base_url: str | None, no_cache: bool, max_rounds: int | None, **more: Any
) -> Settings:
    """Settings from the environment and the model flags every pipeline command shares."""
    return Settings.from_env(
        backend=backend,
        model=model,
        base_url=base_url,
        use_cache=False if no_cache else None,
        max_rounds=max_rounds,
        **more,
    )


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"giar-llm: {message}", markup=False)
    return typer.Exit(code)


@app.command("check")
def check_command(
    file: Annotated[Path, typer.Argument(help="A report, result envelope or gold file (JSON).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the violations and warnings as JSON.")] = False,
) -> None:
    """Verify a report's sums and cross-checks; exit 1 when a strict check fails."""
    try:
        loaded = load_report_file(file)
    except GiarError as exc:
        raise fail(str(exc)) from None
    result: CheckResult = run_checks(loaded.report)
    if as_json:
        out.print(dumps(result.model_dump(mode="json")), markup=False)
    else:
        print_check(out, str(file), result)
    raise typer.Exit(0 if result.passed else 1)


@app.command("extract")
def extract_command(
    file: Annotated[str, typer.Argument(help="A report: .txt/.md/.html/.pdf/.docx, or - for standard input.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the envelope JSON here.")] = None,
    view: Annotated[str, typer.Option("--format", help="json or table (for the terminal).")] = "json",
    backend: BackendOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    no_cache: NoCacheOption = False,
    max_rounds: MaxRoundsOption = None,
    corrections: CorrectionsOption = None,
) -> None:
    """Read one report, check it, and print (or write) its result envelope."""
    if view not in ("json", "table"):
        raise fail(f"--format must be json or table, not {view!r}")
    try:
        settings = model_settings(backend, model, base_url, no_cache, max_rounds)
        loaded = load_bytes(sys.stdin.buffer.read(), "-") if file == "-" else load_input(file)
        envelope = with_corrections(extract_loaded(loaded, settings), corrections)
    except GiarError as exc:
        raise fail(str(exc)) from None
    if envelope.status == "failed":
        err.print(f"giar-llm: {file}: {envelope.error}", markup=False)
    if output is not None:
        write_json(output, envelope.to_json())
    if view == "table":
        print_envelope(out, envelope)
    elif output is None:
        out.print(dumps(envelope.to_json()), markup=False)
    raise typer.Exit(2 if envelope.status == "failed" else 0)


@app.command("batch")
def batch_command(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders or glob patterns.")],
    outdir: Annotated[Path, typer.Option("-o", "--out", help="Output folder (results/, JSONL, CSV, Parquet).")],
    backend: BackendOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    jobs: Annotated[int | None, typer.Option(help="Reader processes (default: every core).")] = None,
    concurrency: Annotated[int | None, typer.Option(help="Concurrent model requests (default 4).")] = None,
    no_cache: NoCacheOption = False,
    max_rounds: MaxRoundsOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Run the pipeline over many reports; resumable; exit 1 if any input failed."""
    try:
        settings = model_settings(backend, model, base_url, no_cache, max_rounds, concurrency=concurrency)
        paths = expand_inputs(inputs, exclude=outdir)
        if not paths:
            raise fail("no input files matched")
        if quiet:
            summary = run_batch(paths, outdir, settings, jobs=jobs)
        else:
            with BatchProgress(err, len(paths)) as progress:
                summary = run_batch(paths, outdir, settings, jobs=jobs, on_result=progress.advance)
    except GiarError as exc:
        raise fail(str(exc)) from None
    print_batch_summary(out, summary)
    out.print(f"结果已写入 {outdir}", markup=False)
    raise typer.Exit(1 if summary.any_failed else 0)


@app.command("eval")
def eval_command(
    reports: Annotated[list[Path] | None, typer.Argument(help="Reports or folders (default: evals/reports).")] = None,
    backend: BackendOption = None,
    model: ModelOption = None,
    base_url: BaseUrlOption = None,
    no_cache: NoCacheOption = False,
    max_rounds: MaxRoundsOption = None,
    gold: Annotated[Path, typer.Option(help="Folder of gold files.")] = Path("evals/gold"),
    runs: Annotated[Path, typer.Option(help="Where run folders are written.")] = Path("evals/runs"),
    compare: Annotated[Path | None, typer.Option(help="A previous run folder to compare with.")] = None,
    compare_last: Annotated[bool, typer.Option("--compare-last", help="Compare with the latest earlier run.")] = False,
    min_accuracy: Annotated[
        float | None, typer.Option(help="Exit 1 when strict cell accuracy is below this (0-1).")
    ] = None,
    thresholds: Annotated[
        Path | None, typer.Option(help="A thresholds JSON file (e.g. evals/thresholds.json); exit 1 if not met.")
    ] = None,
    fail_on_regression: Annotated[
        bool, typer.Option("--fail-on-regression", help="Exit 1 when a cell right before is wrong now.")
    ] = False,
) -> None:
    """Score the pipeline against the hand-labelled gold files; write evals/runs/<time>/."""
    try:
        settings = model_settings(backend, model, base_url, no_cache, max_rounds)
        run = run_eval(expand_reports(reports or None), gold, settings, runs)
    except GiarError as exc:
        raise fail(str(exc)) from None
    print_eval(out, run)
    code = 0
    previous = load_run(compare) if compare is not None else None
    if previous is None and (compare_last or fail_on_regression):
        previous = latest_run(runs, exclude=run.path)
    if previous is not None:
        comparison = compare_runs(previous, run)
        print_comparison(out, comparison, str(previous.path or ""), str(run.path or ""))
        if fail_on_regression and any(change.broken for change in comparison.reports):
            err.print("giar-llm: regression: cells right in the previous run are wrong now", markup=False)
            code = 1
    if min_accuracy is not None and run.summary.strict_accuracy < min_accuracy:
        err.print(
            f"giar-llm: strict accuracy {run.summary.strict_accuracy:.4f} is below {min_accuracy}",
            markup=False,
        )
        code = 1
    if thresholds is not None:
        failures = thresholds_check(run, load_thresholds(thresholds))
        print_threshold_failures(out, failures)
        code = code or (1 if failures else 0)
    raise typer.Exit(code)


@app.command("schema")
def schema_command(
    folder: Annotated[Path, typer.Option("--dir", help="Where the JSON Schema files live.")] = Path("schemas"),
    check_only: Annotated[bool, typer.Option("--check", help="Exit 1 if the files differ from the models.")] = False,
) -> None:
    """Write the report JSON Schemas to schemas/ (or check that they are current)."""
    if check_only:
        drifted = schema_drift(folder)
        if drifted:
            raise fail(f"schema files out of date: {', '.join(drifted)} (run: giar-llm schema)", 1)
        out.print("schemas are current")
        return
    for path in write_schemas(folder):
        out.print(f"wrote {path}")


@app.command("cache")
def cache_command(
    action: Annotated[str, typer.Argument(help="stats or clear")],
) -> None:
    """Show or clear the model response cache."""
    if action not in ("stats", "clear"):
        raise fail(f"cache takes stats or clear, not {action!r}")
    cache = ResponseCache(Settings.from_env().cache_dir / "responses")
    if action == "clear":
        out.print(f"removed {cache.clear()} cached responses")
    else:
        out.print(dumps(cache.stats()), markup=False)
    cache.close()


@app.command("review")
def review_command(
    target: Annotated[Path, typer.Argument(help="A result envelope (JSON) or a batch output folder.")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="The page to write (default: RESULT.html, OUT/review/index.html)."),
    ] = None,
    source: Annotated[Path | None, typer.Option(help="The source file, when it has moved since the run.")] = None,
    open_page: Annotated[bool, typer.Option("--open", help="Open the page in the web browser.")] = False,
) -> None:
    """Write a self-contained review page (or a batch index with one page per report)."""
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


@app.command("version")
def version_command() -> None:
    """Print the package version."""
    out.print(__version__)


def main() -> None:
    try:
        app()
    except GiarError as exc:  # a library error that escaped a command: one line, exit 2
        err.print(f"giar-llm: {exc}", markup=False)
        sys.exit(2)
