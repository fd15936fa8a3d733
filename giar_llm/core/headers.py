"""The national format's column headers (the phrases that name each column of 表二, 表三 and 表四) and zero marks.

One place for the readers of drawn tables (``reader.grids``) and for the PDF input that finds the columns of a
table printed without ruling lines from its header's words (``inputs.words``). A header cell names the column of
the first phrase of a key set it holds; a cell that starts with a row's numbering (一、 （二） 3.) is a row label,
never a column header, whatever name it holds (2.其他法律行政法规禁止公开, （七）总计).
"""

from __future__ import annotations

import re
from typing import Final

Keys = tuple[tuple[str, str], ...]  # (phrase, name), the first phrase found in a header names it

APPLICANT_HEADERS: Final[Keys] = (
    ("自然人", "natural_person"),
    ("商业企业", "commercial_enterprise"),
    ("科研机构", "research_institution"),
    ("社会公益组织", "public_interest_org"),
    ("公益组织", "public_interest_org"),
    ("社会组织", "public_interest_org"),
    ("法律服务机构", "legal_service_org"),
    ("总计", "total"),
    ("合计", "total"),
    ("其他", "other_org"),
)
REVIEW_GROUPS: Final[Keys] = (
    ("复议后起诉", "litigation_after_review"),
    ("直接起诉", "litigation_direct"),
    ("未经复议", "litigation_direct"),
    ("行政复议", "review"),
)
REVIEW_OUTCOMES: Final[Keys] = (
    ("维持", "upheld"),
    ("纠正", "corrected"),
    ("其他结果", "other_outcome"),
    ("未审结", "pending"),
    ("总计", "total"),
    ("合计", "total"),
)
PROACTIVE_HEADERS: Final[Keys] = (
    ("制发件数", "issued"),
    ("废止件数", "repealed"),
    ("现行有效件数", "in_force"),
    ("新制作数量", "newly_made"),
    ("新公开数量", "newly_published"),
    ("对外公开总数量", "total_published"),
    ("上一年项目数量", "prev_year_items"),
    ("增/减", "items_change"),
    ("增减", "items_change"),
    ("处理决定数量", "decisions"),
    ("采购项目数量", "items"),
    ("采购总金额", "amount_wan_yuan"),
    ("收费金额", "amount_wan_yuan"),
)
ALL_HEADERS: Final[tuple[Keys, ...]] = (APPLICANT_HEADERS, REVIEW_GROUPS, REVIEW_OUTCOMES, PROACTIVE_HEADERS)

ZERO_MARKS: Final = frozenset({"/", "／", "-", "－", "—", "–", "——", "--", "无", "\\"})
"""What a cell prints for zero."""

ROW_NUMBERING: Final = re.compile(r"[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.、．]")
"""A row's numbering at the start of a cell: the cell is a row label."""
