"""The giar-llm command line: each command parses, calls one library function, renders, exits.

Exit codes: 0 success, 1 the report fails a strict check (or a batch had failures), 2 bad input.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from giar_llm import __version__
from giar_llm.core.checker import check as run_checks
from giar_llm.core.findings import CheckResult
from giar_llm.errors import GiarError
from giar_llm.files import dumps, load_report_file, schema_drift, write_schemas
from giar_llm.terminal import print_check

app = typer.Typer(
    name="giar-llm",
    help="政府信息公开工作年度报告 → verified, structured data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


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
