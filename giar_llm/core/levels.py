"""Evidence levels (spec section 4): how each cell's value is known.

- ``read``: separated in the source and placed by its row label and column; confirmed by the arithmetic
  where the table has it.
- ``derived``: the only value left once every certain constraint is applied.
- ``chosen``: a best reading among candidates, not proven.
- ``unknown``: no value; the cell is null.
- ``reviewed``: a person set or confirmed it.

A report is ``verified`` only when every cell is ``read``, ``derived`` or ``reviewed``. Each cell of a reading
is a :class:`Cell` record: its value, its level, where it stands, its candidates and why (a :class:`Reason`
code for programs, a Chinese message for people); ``core.reconcile`` and ``core.constraints`` decide them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
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


def doubtful(levels: Mapping[str, str]) -> list[str]:
    """The cells a user must not trust silently."""
    return [path for path, level in levels.items() if level in DOUBTFUL]


# --------------------------------------------------------------------------- the cell record

Number = int | float
Span = tuple[int, int]


class Reason(StrEnum):
    """Why a cell has its level (a code for programs; ``Cell.message`` says it in Chinese for people)."""

    # doubts of the reader
    READER = "reader"  # the reader could not read the cell with certainty (its message says why)
    TABLE_MISSING = "table_missing"
    # doubts about a model's value
    MODEL_NOT_IN_SOURCE = "model_not_in_source"
    MODEL_NOT_A_SPLIT = "model_not_a_split"
    MODEL_UNSTABLE = "model_unstable"
    MODEL_SUMS_FAIL = "model_sums_fail"
    MODEL_UNPROVEN = "model_unproven"
    MODEL_DISAGREES = "model_disagrees"
    MODEL_NOT_USED = "model_not_used"
    # how a value was derived or chosen
    DERIVED_SPLIT = "derived_split"
    DERIVED_CONSTRAINTS = "derived_constraints"
    DERIVED_PROSE = "derived_prose"
    DERIVED_OTHER_FORM = "derived_other_form"
    CHOSEN_PLAUSIBLE = "chosen_plausible"
    CHOSEN_PRIOR_YEAR = "chosen_prior_year"
    CHOSEN_BY_MODEL = "chosen_by_model"


REASON_TEXT: dict[Reason, str] = {
    Reason.READER: "读取器不能确定该单元格",
    Reason.TABLE_MISSING: "未读到该表",
    Reason.MODEL_NOT_IN_SOURCE: "模型给出的数字在原文中找不到",
    Reason.MODEL_NOT_A_SPLIT: "模型的读数不是该行连写数字的一种拆分",
    Reason.MODEL_UNSTABLE: "合计不符，复核后数值仍在变动",
    Reason.MODEL_SUMS_FAIL: "模型填写，本表仍有勾稽关系不成立",
    Reason.MODEL_UNPROVEN: "模型填写，未经原文位置或勾稽关系证明",
    Reason.MODEL_DISAGREES: "读取器与模型的读数不同",
    Reason.MODEL_NOT_USED: "模型的读数使本表更多勾稽关系不成立，保留读取器的读数",
    Reason.DERIVED_SPLIT: "连写数字只有这一种拆分符合数字顺序和本表勾稽关系",
    Reason.DERIVED_CONSTRAINTS: "只有这一个取值满足全部确定的约束",
    Reason.DERIVED_PROSE: "报告正文写明了同一数量",
    Reason.DERIVED_OTHER_FORM: "同一报告的另一份文件读到了同一单元格",
    Reason.CHOSEN_PLAUSIBLE: "按可能性在候选值中选取，未经证明",
    Reason.CHOSEN_PRIOR_YEAR: "按同一机构相邻年度的报告在候选值中选取，未经证明",
    Reason.CHOSEN_BY_MODEL: "由模型在候选值中选取，未经证明",
}


@dataclass(frozen=True)
class Cell:
    """One cell of a reading: its value, how it is known, where it stands, and what else it could be.

    ``span`` is the value's place in the document text; ``candidates`` are the values still possible
    for a doubtful cell, best first; ``reason`` is None for a cell read where it stands.
    """

    value: Number | None
    level: Level
    span: Span | None = None
    candidates: tuple[Number, ...] = ()
    reason: Reason | None = None
    message: str = ""

    @property
    def trusted(self) -> bool:
        return self.level in TRUSTED

    @classmethod
    def read(cls, value: Number | None, span: Span | None = None) -> Cell:
        return cls(value, "read", span)

    @classmethod
    def doubt(
        cls,
        value: Number | None,
        reason: Reason,
        message: str = "",
        span: Span | None = None,
        candidates: Iterable[Number] = (),
    ) -> Cell:
        """A chosen cell (it holds a value) or an unknown one (null)."""
        level: Level = "unknown" if value is None else "chosen"
        return cls(value, level, span, tuple(candidates), reason, message or REASON_TEXT[reason])

    @classmethod
    def derived(cls, value: Number | None, reason: Reason, message: str = "", span: Span | None = None) -> Cell:
        return cls(value, "derived", span, (), reason, message or REASON_TEXT[reason])
