"""The same agency's neighbouring years as evidence for run-together digits (pure).

Relations between consecutive annual reports (hints, not laws: agencies reclassify, re-count, restructure):

- 表三 上年结转 (t) = 结转下年度 (t−1), column by column, and so 结转下年度 (t) = 上年结转 (t+1);
- 表二 (2021) 现行有效件数 (t) = 现行有效件数 (t−1) + 本年制发 (t) − 本年废止 (t), and the same from t+1;
- 表二 (2019) 上一年项目数量 (t) = 上一年项目数量 (t−1) + 本年增/减 (t−1).

They rank a row's splits (the splits that agree first); a split they pick is ``chosen``, never ``derived``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from giar_llm.core.constraints import Split
from giar_llm.core.levels import Number
from giar_llm.core.paths import Value, flatten
from giar_llm.core.schema import Report2019, Report2021

Report = Report2019 | Report2021
Option = tuple[Number, ...]


@dataclass(frozen=True)
class Neighbours:
    """The reports of the same agency for the year before and the year after (either may be absent), and
    the cells another form of the same report (its HTML beside its text) read with certainty."""

    previous: Report | None = None
    following: Report | None = None
    same: Mapping[str, Number] = field(default_factory=dict)
    same_source: str = ""


TRUSTED = frozenset({"read", "derived", "reviewed"})
MIN_SHARED = 20  # trusted cells two forms must share (and agree on) to count as one report


def same_report_cells(
    mine: tuple[Mapping[str, str], Mapping[str, Value]], other: tuple[Mapping[str, str], Mapping[str, Value]]
) -> dict[str, Number]:
    """The cells ``other`` (levels, values) trusts and ``mine`` doubts, when the two are forms of one report:
    they share at least ``MIN_SHARED`` trusted cells and agree on every one of them."""
    (my_levels, my_values), (other_levels, other_values) = mine, other
    shared = [p for p, level in my_levels.items() if level in TRUSTED and other_levels.get(p) in TRUSTED]
    if len(shared) < MIN_SHARED or any(my_values.get(p) != other_values.get(p) for p in shared):
        return {}
    out: dict[str, Number] = {}
    for path, level in other_levels.items():
        value = _num(other_values.get(path))
        if level in TRUSTED and my_levels.get(path) not in TRUSTED and value is not None:
            out[path] = value
    return out


def _cells(report: Report | None) -> dict[str, Value]:
    return flatten(report) if report is not None else {}


def _num(value: Value) -> Number | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def neighbour_rank(splits: Mapping[str, Split], neighbours: Neighbours) -> dict[str, list[Option]]:
    """For each row of run-together digits, the splits that agree with the most relations to the neighbouring
    years (rows no relation agrees with are left out)."""
    before, after = _cells(neighbours.previous), _cells(neighbours.following)
    out: dict[str, list[Option]] = {}
    for row, split in splits.items():
        tests = _tests(row, split.fields, before, after)
        if not tests:
            continue
        scores = [sum(test(dict(zip(split.fields, o, strict=True))) for test in tests) for o in split.options]
        best = max(scores, default=0)
        if best:
            out[row] = [o for o, score in zip(split.options, scores, strict=True) if score == best]
    return out


Test = Callable[[dict[str, Number]], bool]


def _tests(row: str, fields: Sequence[str], before: Mapping[str, Value], after: Mapping[str, Value]) -> list[Test]:
    tests: list[Test] = []
    mirror = {"applications.carried_over": ("applications.carried_forward", before)}
    mirror["applications.carried_forward"] = ("applications.carried_over", after)
    if row in mirror:
        other, cells = mirror[row]
        known = {f: _num(cells.get(f"{other}.{f}")) for f in fields}
        if any(f"{other}.{f}" in cells for f in fields):
            tests.append(lambda o, k=known: all((k[f] or 0) == o[f] for f in k))  # type: ignore[misc]
    if {"issued", "repealed", "in_force"} <= set(fields):
        previous = _num(before.get(f"{row}.in_force"))
        if previous is not None:
            tests.append(lambda o, p=previous: o["in_force"] == p + o["issued"] - o["repealed"])  # type: ignore[misc]
        nxt = [_num(after.get(f"{row}.{f}")) for f in ("in_force", "issued", "repealed")]
        if None not in nxt:
            f_in, f_issued, f_repealed = (v or 0 for v in nxt)
            tests.append(lambda o, v=f_in - f_issued + f_repealed: o["in_force"] == v)  # type: ignore[misc]
    if {"prev_year_items", "items_change"} <= set(fields):
        items, change = _num(before.get(f"{row}.prev_year_items")), _num(before.get(f"{row}.items_change"))
        if items is not None and change is not None:
            tests.append(lambda o, v=items + change: o["prev_year_items"] == v)  # type: ignore[misc]
        items_next = _num(after.get(f"{row}.prev_year_items"))
        if items_next is not None:
            tests.append(lambda o, v=items_next: o["prev_year_items"] + o["items_change"] == v)  # type: ignore[misc]
    return tests
