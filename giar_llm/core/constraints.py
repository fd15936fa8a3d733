"""What the certain constraints allow for cells the reader could not read: candidates, and proof (pure).

A row of run-together digits has several splits (the digits in order, no leading zeros). The table's
sums (row totals, each column's balance and results total, 表四's totals) and the report's own prose
stating the same quantity narrow them. When exactly one assignment of every such row survives and the
splits were listed completely, its cells are ``derived`` and the reason names the constraints. When
several survive, the cells are ``chosen``: a value the model picked if it is one of them, else the most
plausible (similar magnitudes in a row; 现行有效 not below 本年制发), with every surviving value listed
as a candidate, best first. When none survives, the cells stay as they were.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from giar_llm.core.arithmetic import Equation, equations, fails
from giar_llm.core.levels import REASON_TEXT, Cell, Number, Reason


@dataclass(frozen=True)
class Split:
    """A row of run-together digits and its splits (``complete`` when every split is listed)."""

    fields: tuple[str, ...]
    runs: tuple[str, ...]
    options: tuple[tuple[Number, ...], ...]
    complete: bool = True


@dataclass(frozen=True)
class Pin:
    """A value a cell must hold by evidence beyond the table, and that evidence in words."""

    value: Number
    evidence: str  # 正文「本年制发规范性文件3件」, or the other form of the same report
    reason: Reason = Reason.DERIVED_PROSE


# --------------------------------------------------------------------------- the search


@dataclass
class Solutions:
    found: list[tuple[int, ...]]  # an option index per choice
    complete: bool  # every assignment was tried
    used: list[Equation]


def solve(
    fixed: Mapping[str, Number | None],
    choices: Sequence[tuple[tuple[str, ...], Sequence[tuple[Number, ...]]]],
    rules: Sequence[Equation],
    cap: int = 64,
    budget: int = 50_000,
) -> Solutions:
    """Every assignment of one option per choice that satisfies every equation (at most ``cap``)."""
    owner: dict[str, int] = {path: i for i, (paths, _) in enumerate(choices) for path in paths}
    used = [e for e in rules if any(c in owner for c in e.reads)]
    due: dict[int, list[Equation]] = {}
    for equation in used:
        due.setdefault(max(owner[c] for c in equation.reads if c in owner), []).append(equation)
    values: dict[str, Number | None] = dict(fixed)
    found: list[tuple[int, ...]] = []
    steps = 0
    picked: list[int] = []

    def holds(equation: Equation) -> bool:
        return not fails(equation, values)

    def visit(depth: int) -> bool:
        nonlocal steps
        if depth == len(choices):
            found.append(tuple(picked))
            return len(found) < cap
        paths, options = choices[depth]
        for index, option in enumerate(options):
            steps += 1
            if steps > budget:
                return False
            values.update(zip(paths, option, strict=True))
            if all(holds(e) for e in due.get(depth, ())):
                picked.append(index)
                going = visit(depth + 1)
                picked.pop()
                if not going:
                    return False
        return True

    complete = visit(0)
    return Solutions(found, complete, used)


# --------------------------------------------------------------------------- plausibility


def plausibility(fields: Sequence[str], option: Sequence[Number]) -> tuple[int, int, int]:
    """Lower is more plausible: soft relations of the national format broken, then the spread of digit
    lengths, then the largest value (a row's cells tend to have similar magnitudes)."""
    named = dict(zip(fields, option, strict=True))
    broken = 0
    for whole, part in (("in_force", "issued"), ("total_published", "newly_published")):
        if whole in named and part in named and named[whole] < named[part]:
            broken += 1
    lengths = [len(str(abs(int(v)))) for v in option]
    return broken, max(lengths) - min(lengths), int(max(abs(v) for v in option))


# --------------------------------------------------------------------------- narrowing


@dataclass
class Narrowed:
    """The cells after narrowing, and the rows still open: every split left for each, best first."""

    cells: dict[str, Cell]
    open: dict[str, list[tuple[Number, ...]]] = field(default_factory=dict)


def narrow(
    cells: Mapping[str, Cell],
    splits: Mapping[str, Split],
    pins: Mapping[str, Pin] | None = None,
    rank: Mapping[str, Sequence[tuple[Number, ...]]] | None = None,
) -> Narrowed:
    """The cells after applying every certain constraint to the rows of run-together digits.

    ``rank`` may order a row's options ahead of plausibility (the agency's neighbouring years); it never
    proves anything.
    """
    pins = pins or {}
    out = dict(cells)
    rows = [row for row, split in splits.items() if not any(_trusted(out, f"{row}.{f}") for f in split.fields)]
    if not rows:
        return Narrowed(out)
    narrowed = Narrowed(out)
    choice_paths = {f"{row}.{f}" for row in rows for f in splits[row].fields}
    uncertain = {p for p, c in out.items() if not c.trusted and p not in choice_paths}
    fixed = {p: c.value for p, c in out.items() if c.trusted}
    rules = [
        e
        for e in equations(out)
        if not any(c in uncertain for c in e.cells)
        and not any(  # a blank total is unknown when its parts are filled: those parts must be known too
            p in uncertain
            for total, parts in e.totals
            if total not in choice_paths and fixed.get(total) is None
            for p in parts
        )
    ]
    choices: list[tuple[tuple[str, ...], list[tuple[Number, ...]]]] = []
    quotes: dict[str, list[Pin]] = {}
    for row in rows:
        split = splits[row]
        paths = tuple(f"{row}.{f}" for f in split.fields)
        options = list(split.options)
        for path in paths:
            if path in pins:
                column = paths.index(path)
                options = [o for o in options if o[column] == pins[path].value]
                quotes.setdefault(row, []).append(pins[path])
        preferred = (rank or {}).get(row, ())
        options.sort(key=lambda o: _order(o, split, preferred))
        choices.append((paths, options))
    for group in _components(choices, rules):
        group_rows = [rows[i] for i in group]
        _settle(narrowed, group_rows, [choices[i] for i in group], splits, fixed, rules, quotes, rank or {})
    return narrowed


def _components(
    choices: Sequence[tuple[tuple[str, ...], Sequence[tuple[Number, ...]]]], rules: Sequence[Equation]
) -> list[list[int]]:
    """Groups of choices linked by an equation (independent groups are solved apart)."""
    owner = {path: i for i, (paths, _) in enumerate(choices) for path in paths}
    parent = list(range(len(choices)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for equation in rules:
        linked = sorted({root(owner[c]) for c in equation.reads if c in owner})
        for other in linked[1:]:
            parent[other] = linked[0]
    groups: dict[int, list[int]] = {}
    for i in range(len(choices)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _settle(
    narrowed: Narrowed,
    rows: list[str],
    choices: list[tuple[tuple[str, ...], list[tuple[Number, ...]]]],
    splits: Mapping[str, Split],
    fixed: Mapping[str, Number | None],
    rules: Sequence[Equation],
    quotes: Mapping[str, list[Pin]],
    rank: Mapping[str, Sequence[tuple[Number, ...]]],
) -> None:
    """One group of linked rows: derived when one assignment is left, else chosen among the survivors."""
    out = narrowed.cells
    solutions = solve(fixed, choices, rules)
    if not solutions.found:
        return
    proven = len(solutions.found) == 1 and solutions.complete and all(splits[r].complete for r in rows)
    for i, row in enumerate(rows):
        paths, options = choices[i]
        surviving = [options[k] for k in sorted({s[i] for s in solutions.found})]
        if proven:
            names = "、".join(dict.fromkeys(e.name for e in solutions.used if set(e.cells) & set(paths)))
            pinned = quotes.get(row, [])
            reason = pinned[0].reason if pinned else Reason.DERIVED_CONSTRAINTS
            evidence = [p.evidence for p in pinned]
            message = "唯一满足" + "、".join(
                x for x in (f"连写数字 {''.join(splits[row].runs)} 的数字顺序（无前导零）", names, *evidence) if x
            )
            for path, value in zip(paths, surviving[0], strict=True):
                out[path] = Cell.derived(value, reason, message, out[path].span)
            continue
        narrowed.open[row] = surviving
        current = tuple(out[p].value for p in paths)
        keep = current in surviving and any(out[p].reason is not Reason.READER for p in paths)
        best = options[solutions.found[0][i]]  # the search tries options best first
        pick = surviving[surviving.index(current)] if keep else best  # type: ignore[arg-type]
        for column, path in enumerate(paths):
            ranked = tuple(dict.fromkeys(o[column] for o in [pick, *surviving]))
            cell = out[path]
            if keep:
                out[path] = Cell.doubt(
                    pick[column], cell.reason or Reason.MODEL_UNPROVEN, cell.message, cell.span, ranked
                )
            else:
                reason = Reason.CHOSEN_PRIOR_YEAR if pick in rank.get(row, ()) else Reason.CHOSEN_PLAUSIBLE
                detail = f"；连写数字 {''.join(splits[row].runs)} 有 {len(surviving)} 种拆分满足确定的约束"
                before = "" if cell.reason in _OWN else f"；{cell.message}"
                out[path] = Cell.doubt(pick[column], reason, REASON_TEXT[reason] + detail + before, None, ranked)


_OWN = frozenset({Reason.READER, Reason.CHOSEN_PLAUSIBLE, Reason.CHOSEN_PRIOR_YEAR})


def _trusted(cells: Mapping[str, Cell], path: str) -> bool:
    cell = cells.get(path)
    return cell is not None and cell.trusted


def _order(
    option: tuple[Number, ...], split: Split, preferred: Sequence[tuple[Number, ...]]
) -> tuple[int, int, int, int]:
    first = preferred.index(option) if option in preferred else len(preferred)
    return (first, *plausibility(split.fields, option))
