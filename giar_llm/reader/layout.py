"""The national formats as the reader sees them: row labels in printed order, with their numbering.

Every key is a phrase the row's label must contain (alternatives for known variants); the reader
matches it with any whitespace between characters, so labels wrapped over lines or split by a PDF
still match. ``prefix`` is the row's printed numbering, used to find where a label starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from giar_llm.core.locator import TABLE3_LAST_ROW, pattern
from giar_llm.core.schema import COLUMNS

A: Final = "applications"
R: Final = "applications.results"


@dataclass(frozen=True)
class RowSpec:
    path: str
    keys: tuple[str, ...]
    prefix: str = ""
    fields: tuple[str, ...] = COLUMNS
    money: tuple[str, ...] = ()
    # Derived from the fields above once, when the spec is made (the reader asks for them for every row it reads).
    width: int = field(init=False, compare=False, repr=False)
    cell_paths: tuple[str, ...] = field(init=False, compare=False, repr=False)  # each cell's path, in fields' order
    grouped: bool = field(init=False, compare=False, repr=False)  # a field names its group too (表四's review.upheld)
    first_chars: tuple[str, ...] = field(init=False, compare=False, repr=False)  # a label without one holds no key
    key_pattern: re.Pattern[str] = field(init=False, compare=False, repr=False)  # any key, as locator.pattern

    def __post_init__(self) -> None:
        derived = {
            "width": len(self.fields),
            "cell_paths": tuple(f"{self.path}.{field}" for field in self.fields),
            "grouped": any("." in field for field in self.fields),
            "first_chars": tuple(sorted({key[0] for key in self.keys})),
            "key_pattern": pattern(self.keys),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)


def _row(path: str, *keys: str, prefix: str = "") -> RowSpec:
    return RowSpec(path, keys, prefix)


TABLE3_HEAD: Final[tuple[RowSpec, ...]] = (
    _row(f"{A}.new_requests", "本年新收", "新收政府信息公开申请", prefix="一、"),
    _row(f"{A}.carried_over", "上年结转", prefix="二、"),
    _row(f"{R}.granted", "予以公开", prefix="(一)"),
    _row(f"{R}.partially_granted", "部分公开", prefix="(二)"),
    _row(f"{R}.denied.state_secret", "国家秘密", prefix="1."),
    _row(f"{R}.denied.prohibited_by_law", "其他法律", "法规禁止公开", prefix="2."),
    _row(f"{R}.denied.security_stability", "三安全一稳定", "危及", prefix="3."),
    _row(f"{R}.denied.third_party_rights", "第三方", prefix="4."),
    _row(f"{R}.denied.internal_affairs", "内部事务", prefix="5."),
    _row(f"{R}.denied.process_info", "过程性信息", "过程性", prefix="6."),
    _row(f"{R}.denied.enforcement_file", "执法案卷", prefix="7."),
    _row(f"{R}.denied.admin_query", "查询事项", prefix="8."),
    _row(f"{R}.unable.not_held", "不掌握", prefix="1."),
    _row(f"{R}.unable.needs_creation", "另行制作", "现成信息", prefix="2."),
    _row(f"{R}.unable.unclear_after_correction", "仍不明确", "补正后申请", prefix="3."),
    _row(f"{R}.not_processed.petition_complaint", "信访", "举报投诉", prefix="1."),
    _row(f"{R}.not_processed.duplicate", "重复申请", prefix="2."),
    _row(f"{R}.not_processed.publication", "出版物", prefix="3."),
    _row(f"{R}.not_processed.excessive_repeat", "大量反复", prefix="4."),
    _row(f"{R}.not_processed.confirm_or_reissue", "重新出具", "确认或", prefix="5."),
)
OTHER_SPLIT: Final[tuple[RowSpec, ...]] = (
    _row(f"{R}.other.no_correction", "不补正", prefix="1."),
    _row(f"{R}.other.fee_unpaid", "缴纳费用", "收费通知", prefix="2."),
    _row(f"{R}.other.other", "3.其他", "3、其他", prefix="3."),
)
OTHER_MERGED: Final = _row(f"{R}.other.total", "其他处理", prefix="(六)")
OTHER_GROUP: Final = ("其他处理",)
TABLE3_TAIL: Final[tuple[RowSpec, ...]] = (
    _row(f"{R}.total_processed", "(七)总计", "总计", prefix="(七)"),
    _row(f"{A}.carried_forward", *TABLE3_LAST_ROW, prefix="四、"),
)

REVIEW_FIELDS: Final = ("upheld", "corrected", "other_outcome", "pending", "total")

PROACTIVE_2021: Final[tuple[RowSpec, ...]] = (
    RowSpec("proactive.regulations", ("规章",), fields=("issued", "repealed", "in_force")),
    RowSpec("proactive.normative_docs", ("规范性文件",), fields=("issued", "repealed", "in_force")),
    RowSpec("proactive.licensing", ("行政许可",), fields=("decisions",)),
    RowSpec("proactive.penalty", ("行政处罚",), fields=("decisions",)),
    RowSpec("proactive.coercion", ("行政强制",), fields=("decisions",)),
    RowSpec(
        "proactive.fees", ("行政事业性收费", "事业性收费"), fields=("amount_wan_yuan",), money=("amount_wan_yuan",)
    ),
)
_ITEMS: Final = ("prev_year_items", "items_change", "decisions")
PROACTIVE_2019: Final[tuple[RowSpec, ...]] = (
    RowSpec("proactive.regulations", ("规章",), fields=("newly_made", "newly_published", "total_published")),
    RowSpec("proactive.normative_docs", ("规范性文件",), fields=("newly_made", "newly_published", "total_published")),
    RowSpec("proactive.licensing", ("行政许可",), fields=_ITEMS),
    RowSpec("proactive.other_services", ("其他对外管理服务", "对外管理服务"), fields=_ITEMS),
    RowSpec("proactive.penalty", ("行政处罚",), fields=_ITEMS),
    RowSpec("proactive.coercion", ("行政强制",), fields=_ITEMS),
    RowSpec("proactive.fees", ("行政事业性收费", "事业性收费"), fields=("prev_year_items", "items_change")),
    RowSpec(
        "proactive.procurement",
        ("政府集中采购", "集中采购"),
        fields=("items", "amount_wan_yuan"),
        money=("amount_wan_yuan",),
    ),
)

# 表三's column headers: a row key found just after one of them (总计 after 其他) is a header, not a row label.
COLUMN_HEADERS: Final = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构")
