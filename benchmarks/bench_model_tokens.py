"""Tokens of section-scoped extraction vs the naive single call, measured on a live endpoint.

    python benchmarks/bench_model_tokens.py --model local/local --base-url http://127.0.0.1:8766/v1 \
        evals/reports/000_27f8f84a704e59bd.txt [more reports]

For each report: (a) the naive call: the whole report text and the whole report schema in one
request; (b) one request per table with only that table's text and schema (no repair rounds). Prints
prompt/completion tokens, seconds, and the ratio. No cache: every request goes to the endpoint.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, create_model

from giar_llm.core.schema import SECTION_KEYS, Report2019, Report2021, detect_format
from giar_llm.files import dumps
from giar_llm.inputs import load_input
from giar_llm.llm.client import ModelClient
from giar_llm.llm.extraction import extract_section
from giar_llm.llm.providers import resolve
from giar_llm.llm.sections import response_model
from giar_llm.prompts import prompt_version, render
from giar_llm.reader import read
from giar_llm.reader.tables import other_merged_in
from giar_llm.settings import Settings


def whole_report_model(fmt: str, merged: bool) -> type[BaseModel]:
    """The naive request's schema: every table of the report in one model (the three section schemas)."""
    model: type[BaseModel] = create_model(
        "Report",
        __config__=ConfigDict(extra="forbid"),
        proactive=(response_model("二", fmt, merged), Field(description="二、主动公开政府信息情况")),
        applications=(response_model("三", fmt, merged), Field(description="三、收到和处理政府信息公开申请情况")),
        review_litigation=(response_model("四", fmt, merged), Field(description="四、行政复议、行政诉讼情况")),
    )
    return model


def measure(path: Path, settings: Settings) -> dict[str, object]:
    loaded = load_input(path)
    text = loaded.document.text
    reading = read(loaded.document)
    fmt = reading.report.format if reading.report else detect_format(text)
    merged = other_merged_in(text, fmt)
    naive = ModelClient(resolve(settings.model or "", settings.base_url), settings, prompt_version())
    messages = [
        {"role": "system", "content": render("system")},
        {
            "role": "user",
            "content": "请按 JSON Schema 抄录下面这份报告中全部表格的每一个单元格。\n<<<\n" + text + "\n>>>",
        },
    ]
    started = time.perf_counter()
    naive_error = None
    try:
        naive.structured(messages, whole_report_model(fmt, merged))
    except Exception as exc:  # measured, not fatal: the naive call often fails on a small model
        naive_error = f"{type(exc).__name__}: {exc}"
    naive_seconds = time.perf_counter() - started
    scoped = ModelClient(resolve(settings.model or "", settings.base_url), settings, prompt_version())
    started = time.perf_counter()
    for section in SECTION_KEYS:
        base = (reading.report.model_copy(deep=True) if reading.report else None) or (
            Report2019() if fmt == "2019" else Report2021()
        )
        extract_section(scoped, loaded.document, base, section, reading.sections, 0, merged)
    scoped_seconds = time.perf_counter() - started
    n, s = naive.accounting, scoped.accounting
    return {
        "report": path.name,
        "naive": {
            "prompt": n.prompt_tokens,
            "completion": n.completion_tokens,
            "seconds": round(naive_seconds, 1),
            "error": naive_error,
        },
        "scoped": {
            "prompt": s.prompt_tokens,
            "completion": s.completion_tokens,
            "calls": s.calls,
            "seconds": round(scoped_seconds, 1),
        },
        "prompt_ratio": round(s.prompt_tokens / n.prompt_tokens, 3) if n.prompt_tokens else None,
        "total_ratio": round(
            (s.prompt_tokens + s.completion_tokens) / max(1, n.prompt_tokens + n.completion_tokens), 3
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reports", nargs="+", type=Path)
    parser.add_argument("--model", required=True)
    parser.add_argument("--base-url")
    args = parser.parse_args()
    settings = Settings(backend="llm", model=args.model, base_url=args.base_url, use_cache=False)
    for path in args.reports:
        print(dumps(measure(path, settings), indent=None), flush=True)


if __name__ == "__main__":
    main()
