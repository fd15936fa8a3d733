"""The arithmetic of the national format's tables, as data: which cells sum to which (spec section 3). Pure.

This is the one definition of the sums. The checker checks them, the constraints narrow splits by them,
the reader confirms a placement or a split with them (as positions within a row, :func:`row_sums`, or as
whole-table checks, :func:`holds`), and the repair prompt shows the source lines of the rows a failing one
names (:attr:`Equation.rows`).

- 本行合计: in 表三 each row's applicant cells add up to its 总计 cell;
- 本列收支平衡: in each column 本年新收 + 上年结转 = （七）总计 + 结转下年度;
- 本列办理结果之和: in each column the outcome rows (一)…(六) add up to （七）总计;
- 表四合计: in each group of 表四 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计.

A blank cell counts 0, with one exception: a blank total whose parts are filled is *unknown*, and an
equation with an unknown cell is not evaluated. A row's 总计 is a total wherever it stands (left blank beside
filled applicant cells); a （七）总计 cell is one where it stands as a total (a blank （七）总计 over filled
outcome rows, in the balance and the results total).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Final, Literal

from giar_llm.core.schema import APPLICANT_COLUMNS, COLUMNS, OTHER_SUBROWS, REVIEW_PARTS, Denied, NotProcessed, Unable

Kind = Literal["row_total", "balance", "results_total", "review_total"]
Number = int | float

APPLICATIONS: Final = "applications"
RESULTS: Final = "applications.results"
TOTAL_PROCESSED: Final = f"{RESULTS}.total_processed"
REVIEW: Final = "review_litigation"
REVIEW_GROUPS: Final = ("review", "litigation_direct", "litigation_after_review")

# Every outcome row below ``applications.results`` in the national order, both (六) variants included.
OUTCOME_ROWS: Final[tuple[str, ...]] = (
    "granted",
    "partially_granted",
    *(f"denied.{n}" for n in Denied.model_fields),
    *(f"unable.{n}" for n in Unable.model_fields),
    *(f"not_processed.{n}" for n in NotProcessed.model_fields),
    *(f"other.{n}" for n in OTHER_SUBROWS),
    "other.total",
)


@dataclass(frozen=True)
class Equation:
    """sum(plus) == sum(minus); ``totals``: its cells that total other cells, with those cells (a blank
    one whose parts are filled is unknown); ``rows``: the rows whose printed lines hold it."""

    kind: Kind
    name: str
    plus: tuple[str, ...]
    minus: tuple[str, ...]
    totals: tuple[tuple[str, tuple[str, ...]], ...] = ()
    rows: tuple[str, ...] = ()

    @property
    def cells(self) -> tuple[str, ...]:
        return self.plus + self.minus

    @property
    def names(self) -> str:
        """What a failure of it is named by: the row of a row's sum, else the total's cell (结转下年度 in the balance)."""
        return self.rows[0] if self.kind in ("row_total", "review_total") else self.minus[-1]

    @property
    def reads(self) -> tuple[str, ...]:
        """Every cell its evaluation looks at: its own, and the parts that tell whether a blank total is unknown."""
        return tuple(dict.fromkeys((*self.cells, *(p for _, parts in self.totals for p in parts))))


def table3_rows(outcomes: Sequence[str]) -> tuple[str, ...]:
    """表三's row paths in printed order, for these outcome rows (names below ``applications.results``)."""
    return (
        f"{APPLICATIONS}.new_requests",
        f"{APPLICATIONS}.carried_over",
        *(f"{RESULTS}.{o}" for o in outcomes),
        TOTAL_PROCESSED,
        f"{APPLICATIONS}.carried_forward",
    )


@cache
def table_equations(outcomes: tuple[str, ...], review: bool = True) -> tuple[Equation, ...]:
    """Every sum of a report whose 表三 has these outcome rows (and 表四 when ``review``), in the checker's
    order: row totals, then each column's balance, then each column's results total, then 表四."""
    rows = table3_rows(outcomes)
    outcome_paths = [f"{RESULTS}.{o}" for o in outcomes]
    row_parts: dict[str, tuple[str, ...]] = {}  # a row's 总计: its applicant cells, wherever it stands
    for row in rows:
        row_parts[f"{row}.total"] = tuple(f"{row}.{c}" for c in APPLICANT_COLUMNS)
    if review:
        for group in REVIEW_GROUPS:
            row = f"{REVIEW}.{group}"
            row_parts[f"{row}.total"] = tuple(f"{row}.{p}" for p in REVIEW_PARTS)
    column_parts = {  # a （七）总计 cell: the outcome cells above it, where it stands on an equation's total side
        f"{TOTAL_PROCESSED}.{column}": tuple(f"{o}.{column}" for o in outcome_paths) for column in COLUMNS
    }

    def make(kind: Kind, name: str, plus: Sequence[str], minus: Sequence[str], shown: Sequence[str]) -> Equation:
        totals = []
        for cell in (*plus, *minus):
            parts = row_parts.get(cell, ()) + (column_parts.get(cell, ()) if cell in minus else ())
            if parts:
                totals.append((cell, parts))
        return Equation(kind, name, tuple(plus), tuple(minus), tuple(totals), tuple(shown))

    out: list[Equation] = []
    for row in rows:
        applicants = tuple(f"{row}.{c}" for c in APPLICANT_COLUMNS)
        out.append(make("row_total", "本行合计", applicants, (f"{row}.total",), (row,)))
    balance_rows = (
        f"{APPLICATIONS}.new_requests",
        f"{APPLICATIONS}.carried_over",
        TOTAL_PROCESSED,
        f"{APPLICATIONS}.carried_forward",
    )
    for column in COLUMNS:
        new, carried, processed, forward = (f"{r}.{column}" for r in balance_rows)
        out.append(
            make(
                "balance",
                "本列收支平衡（新收+上年结转=办理+结转下年度）",
                (new, carried),
                (processed, forward),
                balance_rows,
            )
        )
    for column in COLUMNS:
        # the parts are every outcome row: the total's row stands for them in the source lines shown
        plus = tuple(f"{o}.{column}" for o in outcome_paths)
        out.append(
            make("results_total", "本列办理结果之和", plus, (f"{TOTAL_PROCESSED}.{column}",), (TOTAL_PROCESSED,))
        )
    if review:
        for group in REVIEW_GROUPS:
            row = f"{REVIEW}.{group}"
            plus = tuple(f"{row}.{p}" for p in REVIEW_PARTS)
            out.append(make("review_total", "表四合计", plus, (f"{row}.total",), (row,)))
    return tuple(out)


@cache
def column_equations(outcomes: tuple[str, ...]) -> tuple[Equation, ...]:
    """表三's column sums (each column's balance and results total) for these outcome rows."""
    return tuple(e for e in table_equations(outcomes, review=False) if e.kind in ("balance", "results_total"))


def equations(paths: Iterable[str]) -> list[Equation]:
    """The sums of a report with these cell paths, those whose every cell is among the paths."""
    present = set(paths)
    outcomes = tuple(o for o in OUTCOME_ROWS if f"{RESULTS}.{o}.total" in present)
    review = any(p.startswith(REVIEW + ".") for p in present)
    return [e for e in table_equations(outcomes, review) if all(c in present for c in e.cells)]


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Compiled:
    """The sums of one report shape over a flat list of its cells (表三's rows, then 表四's groups, each in
    its fields' order): every equation with the positions of its plus and minus cells, and its totals as indices
    into ``totals``, the distinct total cells with the positions of their parts, so that each total's being unknown
    is decided once per report."""

    paths: tuple[str, ...]
    rules: tuple[tuple[Equation, tuple[int, ...], tuple[int, ...], tuple[int, ...]], ...]
    totals: tuple[tuple[int, tuple[int, ...]], ...] = ()  # (total's position, its parts' positions)
    positions: dict[str, int] = field(default_factory=dict, compare=False)  # each path's position in ``paths``


@cache
def compiled(outcomes: tuple[str, ...]) -> Compiled:
    paths = tuple(f"{row}.{c}" for row in table3_rows(outcomes) for c in COLUMNS) + tuple(
        f"{REVIEW}.{g}.{p}" for g in REVIEW_GROUPS for p in (*REVIEW_PARTS, "total")
    )
    at = {p: i for i, p in enumerate(paths)}
    located = [
        (
            e,
            tuple(at[c] for c in e.plus),
            tuple(at[c] for c in e.minus),
            tuple((at[t], tuple(at[p] for p in parts)) for t, parts in e.totals),
        )
        for e in table_equations(outcomes)
    ]
    distinct = list(dict.fromkeys(total for _, _, _, totals in located for total in totals))
    index = {total: i for i, total in enumerate(distinct)}
    rules = tuple((e, plus, minus, tuple(index[total] for total in these)) for e, plus, minus, these in located)
    return Compiled(paths, rules, tuple(distinct), at)


def failing(shape: Compiled, values: list[Number | None]) -> list[tuple[Equation, Number, Number]]:
    """The equations evaluated that do not hold, with both sides, for cells in ``shape.paths`` order (the same
    rule as :func:`sides`, over positions). (Loops over positions: compiled, they add the cells in place.)"""
    unknown: list[bool] = []
    for total, parts in shape.totals:
        blank = False
        if values[total] is None:
            for part in parts:
                if values[part] is not None:
                    blank = True  # a blank total over filled parts
                    break
        unknown.append(blank)
    any_unknown = True in unknown
    out: list[tuple[Equation, Number, Number]] = []
    for equation, plus, minus, totals in shape.rules:
        if any_unknown and any(unknown[i] for i in totals):
            continue
        left, right = _side(plus, values), _side(minus, values)
        if left != right:
            out.append((equation, left, right))
    return out


def _side(positions: tuple[int, ...], values: list[Number | None]) -> Number:
    """The cells at these positions added up, a blank counting 0 (as in :func:`sides`: added as nothing)."""
    total: Number = 0
    for i in positions:
        value = values[i]
        if value:
            total += value
    return total


def sides(equation: Equation, values: Mapping[str, Number | None]) -> tuple[Number, Number] | None:
    """Both sides of an equation (blank counts 0), or None when one of its totals is unknown."""
    get = values.get
    for total, parts in equation.totals:
        if get(total) is None and any(get(p) is not None for p in parts):
            return None
    return sum(get(c) or 0 for c in equation.plus), sum(get(c) or 0 for c in equation.minus)


def fails(equation: Equation, values: Mapping[str, Number | None]) -> bool:
    """The equation is evaluated and does not hold."""
    both = sides(equation, values)
    return both is not None and both[0] != both[1]


def holds(equations: Iterable[Equation], values: Mapping[str, Number | None]) -> bool:
    """Every equation is evaluated and holds: a confirmation (an unknown total confirms nothing)."""
    for equation in equations:
        both = sides(equation, values)
        if both is None or both[0] != both[1]:
            return False
    return True


def row_values(
    rows: Mapping[str, Sequence[Number | None]], fields: Sequence[str] = COLUMNS
) -> dict[str, Number | None]:
    """Cell values by path from rows of values in ``fields`` order (a reader's rows)."""
    out: dict[str, Number | None] = {}
    for row, values in rows.items():
        for name, value in zip(fields, values, strict=False):
            out[f"{row}.{name}"] = value
    return out


@cache
def row_sums(row: str, fields: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """The sums inside one printed row, as positions in ``fields``: ``(first, total)`` where the cells
    ``first … total-1`` add up to the cell ``total`` (how the reader splits a row of run-together digits).
    ``fields`` name the row's cells below ``row`` (``total``, or ``review.total`` in 表四's one row)."""
    paths = [f"{row}.{f}" for f in fields]
    index = {p: i for i, p in enumerate(paths)}
    out: list[tuple[int, int]] = []
    for equation in _all_sums():
        if len(equation.minus) != 1 or equation.minus[0] not in index or equation.kind == "results_total":
            continue
        if not all(p in index for p in equation.plus):
            continue
        first, total = index[equation.plus[0]], index[equation.minus[0]]
        if [index[p] for p in equation.plus] == list(range(first, first + len(equation.plus))) and total == first + len(
            equation.plus
        ):
            out.append((first, total))
    return tuple(out)


@cache
def row_equations(row: str) -> tuple[Equation, ...]:
    """The sums that lie within one row (its applicant cells and its 总计; a 表四 group's results and 总计)."""
    return tuple(e for e in _all_sums() if e.kind in ("row_total", "review_total") and e.rows == (row,))


@cache
def _all_sums() -> tuple[Equation, ...]:
    return table_equations(OUTCOME_ROWS)


def rows_named(check: str, name: str | None, cells: Sequence[str]) -> tuple[str, ...]:
    """The rows whose printed lines hold a failing check named ``name``: its equation's rows, or for a check
    that is not a sum (a negative count) the rows of its cells."""
    equation = _by_name().get((check, name or ""))
    if equation is not None:
        return equation.rows
    return tuple(dict.fromkeys(c.rpartition(".")[0] for c in cells))


@cache
def _by_name() -> dict[tuple[str, str], Equation]:
    return {(e.kind, e.names): e for e in _all_sums()}
