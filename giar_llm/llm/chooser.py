"""The model as a chooser: one short multiple-choice question per row that the constraints left open.

The question names the row and its columns, quotes the source around the digits, and lists the splits
still possible (best first); the answer is an index the JSON Schema bounds. A pick is ``chosen``: the
model's best reading, never a proof.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field, create_model

from giar_llm.core.levels import Number
from giar_llm.core.paths import describe_row, labels
from giar_llm.errors import ModelError
from giar_llm.llm.extraction import Extractor
from giar_llm.prompts import render

MAX_OPTIONS = 8  # the best few: a longer list costs tokens and a small model picks worse from it


@dataclass(frozen=True)
class Question:
    row: str  # the row's path
    fields: tuple[str, ...]
    source: str  # the source text around the run-together digits
    options: tuple[tuple[Number, ...], ...]


def _show(value: Number) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def messages(question: Question) -> list[dict[str, Any]]:
    columns = "、".join(labels(f"{question.row}.{f}")[-1] for f in question.fields)
    options = "\n".join(
        f"{i}: " + " | ".join(_show(v) for v in option) for i, option in enumerate(question.options[:MAX_OPTIONS])
    )
    content = render(
        "choose", row=f"{describe_row(question.row + '.x')}（{columns}）", source=question.source, options=options
    )
    return [{"role": "system", "content": render("system")}, {"role": "user", "content": content}]


def answer_model(count: int) -> type[BaseModel]:
    """``{"choice": i}`` with ``0 <= i < count`` in the schema itself."""
    return create_model("Choice", choice=(int, Field(ge=0, le=max(0, count - 1), description="读法的序号")))


def ask(client: Extractor, question: Question) -> int | None:
    """The index of the option the model picks, or None when it could not answer."""
    shown = question.options[:MAX_OPTIONS]
    if len(shown) < 2:
        return None
    try:
        answer = client.structured(messages(question), answer_model(len(shown)))
    except ModelError:
        return None
    choice = getattr(answer.value, "choice", None)
    return choice if isinstance(choice, int) and 0 <= choice < len(shown) else None


def excerpt(text: str, runs: Sequence[str], start: int, end: int, width: int = 60) -> str:
    """The source around a row's digits within ``text[start:end]`` (the table's span), on one line."""
    digits = "".join(runs)
    at = text.find(runs[0], start, end) if runs else -1
    if at < 0:
        return digits
    line_start = max(text.rfind("\n", start, at) + 1, at - width)
    stop = min(at + len(digits) + 20, end)
    line_end = text.find("\n", at)
    if 0 <= line_end < stop:
        stop = line_end
    return text[line_start:stop].strip()
