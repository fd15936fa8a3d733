"""Resource limits on one input: how big, how deep, how long a number may be before the file is refused.

A report is a few pages of text and three tables; these limits are far above any real one and far below
what lets one hostile file stall a batch or take gigabytes of memory. Each exceeded limit is a one-line
``InputError`` naming the limit and the environment variable that raises it (``Settings.from_env``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

Node = TypeVar("Node")

MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    input_bytes: int = 64 * MIB  # GIAR_MAX_INPUT_MB: the file as it is on disk
    unpacked_bytes: int = 128 * MIB  # GIAR_MAX_UNPACKED_MB: every DOCX zip member / PDF content stream, inflated
    markup_bytes: int = 16 * MIB  # GIAR_MAX_MARKUP_MB: the DOCX XML parts, inflated (their parse tree is ~30x)
    depth: int = 200  # GIAR_MAX_DEPTH: element nesting in HTML and DOCX
    digits: int = 200  # GIAR_MAX_DIGITS: one run of digits (a 表四 row of 15 run-together cells is < 100)


DEFAULT_LIMITS = Limits()

# Environment variable -> (field, multiplier): sizes are given in MiB.
LIMIT_VARIABLES: dict[str, tuple[str, int]] = {
    "GIAR_MAX_INPUT_MB": ("input_bytes", MIB),
    "GIAR_MAX_UNPACKED_MB": ("unpacked_bytes", MIB),
    "GIAR_MAX_MARKUP_MB": ("markup_bytes", MIB),
    "GIAR_MAX_DEPTH": ("depth", 1),
    "GIAR_MAX_DIGITS": ("digits", 1),
}


def megabytes(size: int) -> str:
    return f"{size / MIB:.0f} MB" if size >= MIB else f"{size} bytes"


def too_big(what: str, size: int, limit: int, variable: str) -> str:
    """The one-line message for a size limit."""
    return f"{what} is {megabytes(size)}, over the limit of {megabytes(limit)} (raise it with {variable})"


_DIGITS = "0-9\uff10-\uff19"  # ASCII and full-width digits
_RUN = re.compile(f"[{_DIGITS}]+")


def longest_digit_run(text: str, limit: int) -> int | None:
    """The length of the first run of more than ``limit`` digits (ASCII or full-width), or ``None``."""
    match = re.search(f"(?<![{_DIGITS}])[{_DIGITS}]{{{limit + 1}}}", text)
    if match is None:
        return None
    run = _RUN.match(text, match.start())
    return len(run.group(0)) if run else limit + 1


def digit_run_error(text: str, limit: int) -> str | None:
    """The one-line message when ``text`` holds a digit run longer than ``limit``, else ``None``."""
    length = longest_digit_run(text, limit)
    if length is None:
        return None
    return f"a run of {length} digits is longer than any count in a report (limit {limit}, GIAR_MAX_DIGITS)"


def nested_deeper(root: Node, children: Callable[[Node], Iterable[Node]], limit: int) -> bool:
    """Whether a tree nests deeper than ``limit`` levels (walked with a stack, never recursively)."""
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children(node))
    return False
