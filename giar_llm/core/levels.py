"""Evidence levels (spec section 4): how each cell's value is known.

- ``read``: separated in the source and placed by its row label and column; confirmed by the arithmetic
  where the table has it.
- ``derived``: the only value left once every certain constraint is applied.
- ``chosen``: a best reading among candidates, not proven.
- ``unknown``: no value; the cell is null.
- ``reviewed``: a person set or confirmed it.

A report is ``verified`` only when every cell is ``read``, ``derived`` or ``reviewed``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Literal

Level = Literal["read", "derived", "chosen", "unknown", "reviewed"]
LEVELS: tuple[Level, ...] = ("read", "derived", "chosen", "unknown", "reviewed")
TRUSTED: frozenset[str] = frozenset({"read", "derived", "reviewed"})
DOUBTFUL: frozenset[str] = frozenset({"chosen", "unknown"})

LEVEL_NAMES: dict[str, str] = {
    "read": "原文读取",
    "derived": "推算唯一",
    "chosen": "择优选取",
    "unknown": "未知",
    "reviewed": "人工复核",
}


def covering(path: str, paths: Collection[str]) -> str | None:
    """The entry of ``paths`` that names ``path`` itself or one of its rows/tables, if any."""
    if path in paths:
        return path
    head = path
    while "." in head:
        head = head.rpartition(".")[0]
        if head in paths:
            return head
    return None


def assign_levels(
    cells: Mapping[str, object],
    unsure: Collection[str],
    derived: Iterable[str] = (),
    reviewed: Iterable[str] = (),
) -> dict[str, Level]:
    """One level per cell path of the report (meta left out).

    A cell named in ``unsure`` (itself or its row) is ``unknown`` when null and ``chosen`` when it
    holds a value; a ``reviewed`` cell is ``reviewed``; a ``derived`` cell is ``derived``; every other
    cell was read where it stands (a blank cell included: it stands blank in the source).
    """
    derived_set, reviewed_set = set(derived), set(reviewed)
    unsure_set = set(unsure)
    levels: dict[str, Level] = {}
    for path, value in cells.items():
        if path.startswith("meta."):
            continue
        if path in reviewed_set:
            levels[path] = "reviewed"
        elif covering(path, unsure_set) is not None:
            levels[path] = "unknown" if value is None else "chosen"
        elif path in derived_set:
            levels[path] = "derived"
        else:
            levels[path] = "read"
    return levels


def doubtful(levels: Mapping[str, str]) -> list[str]:
    """The cells a user must not trust silently."""
    return [path for path, level in levels.items() if level in DOUBTFUL]
