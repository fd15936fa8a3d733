"""The report structure of both national formats (spec section 2), as pydantic models.

Keys are English snake_case; every field's description is its Chinese label, so the labels travel in
the JSON Schema the model sees and in every message the checker writes. A cell is ``int | None``:
``None`` means blank or absent in the source, never "unknown zero". Sums are *not* checked here: a
report that doesn't add up is still a valid report (see ``core.checker``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Final, Literal, TypeAlias, cast

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_serializer

FORMATS: Final = ("2019", "2021")
FormatName: TypeAlias = Literal["2019", "2021"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, validate_assignment=True)


def _cell(label: str) -> Any:
    return Field(default=None, description=label)


Money: TypeAlias = float


# --------------------------------------------------------------------------- meta


class Meta(_Model):
    agency: str | None = Field(default=None, description="发布机构（报告主体，按原文）")
    year: int | None = Field(default=None, description="报告年度")
    title: str | None = Field(default=None, description="报告标题")


# --------------------------------------------------------------------------- 二、主动公开 (2021)


class DocCounts2021(_Model):
    issued: int | None = _cell("本年制发件数")
    repealed: int | None = _cell("本年废止件数")
    in_force: int | None = _cell("现行有效件数")


class Decisions(_Model):
    decisions: int | None = _cell("本年处理决定数量")


class Fees2021(_Model):
    amount_wan_yuan: Money | None = _cell("本年收费金额（单位：万元）")


class Proactive2021(_Model):
    regulations: DocCounts2021 = Field(default_factory=DocCounts2021, description="规章")
    normative_docs: DocCounts2021 = Field(default_factory=DocCounts2021, description="行政规范性文件")
    licensing: Decisions = Field(default_factory=Decisions, description="行政许可")
    penalty: Decisions = Field(default_factory=Decisions, description="行政处罚")
    coercion: Decisions = Field(default_factory=Decisions, description="行政强制")
    fees: Fees2021 = Field(default_factory=Fees2021, description="行政事业性收费")


# --------------------------------------------------------------------------- 二、主动公开 (2019)


class DocCounts2019(_Model):
    newly_made: int | None = _cell("本年新制作数量")
    newly_published: int | None = _cell("本年新公开数量")
    total_published: int | None = _cell("对外公开总数量")


class Items2019(_Model):
    prev_year_items: int | None = _cell("上一年项目数量")
    items_change: int | None = _cell("本年增/减")
    decisions: int | None = _cell("处理决定数量")


class Fees2019(_Model):
    prev_year_items: int | None = _cell("上一年项目数量")
    items_change: int | None = _cell("本年增/减")


class Procurement2019(_Model):
    items: int | None = _cell("采购项目数量")
    amount_wan_yuan: Money | None = _cell("采购总金额（万元）")


class Proactive2019(_Model):
    regulations: DocCounts2019 = Field(default_factory=DocCounts2019, description="规章")
    normative_docs: DocCounts2019 = Field(default_factory=DocCounts2019, description="规范性文件")
    licensing: Items2019 = Field(default_factory=Items2019, description="行政许可")
    other_services: Items2019 = Field(default_factory=Items2019, description="其他对外管理服务事项")
    penalty: Items2019 = Field(default_factory=Items2019, description="行政处罚")
    coercion: Items2019 = Field(default_factory=Items2019, description="行政强制")
    fees: Fees2019 = Field(default_factory=Fees2019, description="行政事业性收费")
    procurement: Procurement2019 = Field(default_factory=Procurement2019, description="政府集中采购")


# --------------------------------------------------------------------------- 三、申请 (both formats)

APPLICANT_COLUMNS: Final = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "public_interest_org",
    "legal_service_org",
    "other_org",
)
COLUMNS: Final = (*APPLICANT_COLUMNS, "total")


class Row(_Model):
    natural_person: int | None = _cell("自然人")
    commercial_enterprise: int | None = _cell("商业企业")
    research_institution: int | None = _cell("科研机构")
    public_interest_org: int | None = _cell("社会公益组织")
    legal_service_org: int | None = _cell("法律服务机构")
    other_org: int | None = _cell("其他")
    total: int | None = _cell("总计")

    def applicant_cells(self) -> list[int | None]:
        return [getattr(self, c) for c in APPLICANT_COLUMNS]


def _row(label: str) -> Any:
    return Field(default_factory=Row, description=label)


class Denied(_Model):
    state_secret: Row = _row("1.属于国家秘密")
    prohibited_by_law: Row = _row("2.其他法律行政法规禁止公开")
    security_stability: Row = _row("3.危及“三安全一稳定”")
    third_party_rights: Row = _row("4.保护第三方合法权益")
    internal_affairs: Row = _row("5.属于三类内部事务信息")
    process_info: Row = _row("6.属于四类过程性信息")
    enforcement_file: Row = _row("7.属于行政执法案卷")
    admin_query: Row = _row("8.属于行政查询事项")


class Unable(_Model):
    not_held: Row = _row("1.本机关不掌握相关政府信息")
    needs_creation: Row = _row("2.没有现成信息需要另行制作")
    unclear_after_correction: Row = _row("3.补正后申请内容仍不明确")


class NotProcessed(_Model):
    petition_complaint: Row = _row("1.信访举报投诉类申请")
    duplicate: Row = _row("2.重复申请")
    publication: Row = _row("3.要求提供公开出版物")
    excessive_repeat: Row = _row("4.无正当理由大量反复申请")
    confirm_or_reissue: Row = _row("5.要求行政机关确认或重新出具已获取信息")


OTHER_SUBROWS: Final = ("no_correction", "fee_unpaid", "other")


class OtherProcessing(_Model):
    """（六）其他处理: three sub-rows (2021) or one merged row ``total`` (2019, or a merged 2021 table).

    Whichever variant the source has is present; the other keys are absent from the output.
    """

    no_correction: Row | None = Field(
        default=None,
        description="1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    )
    fee_unpaid: Row | None = Field(
        default=None,
        description="2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    )
    other: Row | None = Field(default=None, description="3.其他")
    total: Row | None = Field(default=None, description="（六）其他处理（合并为一行）")

    @model_serializer(mode="wrap")
    def _drop_absent(self, handler: Any) -> Any:
        data = handler(self)
        return {k: v for k, v in data.items() if v is not None}

    def is_merged(self) -> bool:
        return self.total is not None

    def rows(self) -> dict[str, Row]:
        names = ("total",) if self.is_merged() else OTHER_SUBROWS
        return {n: r for n in names if (r := getattr(self, n)) is not None}


class Results(_Model):
    granted: Row = _row("（一）予以公开")
    partially_granted: Row = _row("（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
    denied: Denied = Field(default_factory=Denied, description="（三）不予公开")
    unable: Unable = Field(default_factory=Unable, description="（四）无法提供")
    not_processed: NotProcessed = Field(default_factory=NotProcessed, description="（五）不予处理")
    other: OtherProcessing = Field(default_factory=OtherProcessing, description="（六）其他处理")
    total_processed: Row = _row("（七）总计")

    def outcome_rows(self) -> dict[str, Row]:
        """Every outcome row (一)…(六), keyed by its path below ``applications.results``."""
        out: dict[str, Row] = {"granted": self.granted, "partially_granted": self.partially_granted}
        for group in ("denied", "unable", "not_processed"):
            model = getattr(self, group)
            for name in type(model).model_fields:
                out[f"{group}.{name}"] = getattr(model, name)
        for name, row in self.other.rows().items():
            out[f"other.{name}"] = row
        return out


class Applications(_Model):
    new_requests: Row = _row("一、本年新收政府信息公开申请数量")
    carried_over: Row = _row("二、上年结转政府信息公开申请数量")
    results: Results = Field(default_factory=Results, description="三、本年度办理结果")
    carried_forward: Row = _row("四、结转下年度继续办理")


# --------------------------------------------------------------------------- 四、复议诉讼

REVIEW_PARTS: Final = ("upheld", "corrected", "other_outcome", "pending")


class Outcomes(_Model):
    upheld: int | None = _cell("结果维持")
    corrected: int | None = _cell("结果纠正")
    other_outcome: int | None = _cell("其他结果")
    pending: int | None = _cell("尚未审结")
    total: int | None = _cell("总计")


class ReviewLitigation(_Model):
    review: Outcomes = Field(default_factory=Outcomes, description="行政复议")
    litigation_direct: Outcomes = Field(default_factory=Outcomes, description="行政诉讼·未经复议直接起诉")
    litigation_after_review: Outcomes = Field(default_factory=Outcomes, description="行政诉讼·复议后起诉")


# --------------------------------------------------------------------------- the report


class Report2021(_Model):
    format: Literal["2021"] = Field(default="2021", description="表格格式：国办公开办函〔2021〕30号")
    meta: Meta = Field(default_factory=Meta, description="报告信息")
    proactive: Proactive2021 = Field(default_factory=Proactive2021, description="二、主动公开政府信息情况")
    applications: Applications = Field(default_factory=Applications, description="三、收到和处理政府信息公开申请情况")
    review_litigation: ReviewLitigation = Field(
        default_factory=ReviewLitigation, description="四、政府信息公开行政复议、行政诉讼情况"
    )


class Report2019(_Model):
    format: Literal["2019"] = Field(default="2019", description="表格格式：国办公开办函〔2019〕60号")
    meta: Meta = Field(default_factory=Meta, description="报告信息")
    proactive: Proactive2019 = Field(default_factory=Proactive2019, description="二、主动公开政府信息情况")
    applications: Applications = Field(default_factory=Applications, description="三、收到和处理政府信息公开申请情况")
    review_litigation: ReviewLitigation = Field(
        default_factory=ReviewLitigation, description="四、政府信息公开行政复议、行政诉讼情况"
    )


Report: TypeAlias = Annotated[Report2019 | Report2021, Field(discriminator="format")]
REPORT_ADAPTER: Final[TypeAdapter[Report2019 | Report2021]] = TypeAdapter(Report)


def empty_report(fmt: FormatName) -> Report2019 | Report2021:
    """A report of the given format with every cell blank; (六) as sub-rows in 2021, one row in 2019."""
    report: Report2019 | Report2021 = Report2019() if fmt == "2019" else Report2021()
    other = report.applications.results.other
    if fmt == "2019":
        other.total = Row()
    else:
        other.no_correction, other.fee_unpaid, other.other = Row(), Row(), Row()
    return report


def parse_report(data: Any) -> Report2019 | Report2021:
    """Validate a JSON-like dict as a report of either format (raises pydantic.ValidationError)."""
    return REPORT_ADAPTER.validate_python(data)


def report_to_json(report: Report2019 | Report2021) -> dict[str, Any]:
    """The report as JSON data, absent (六) variants left out."""
    data: dict[str, Any] = report.model_dump(mode="json")
    return data


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schemas that ``schemas/`` holds, by file stem."""
    return {
        "report-2019": Report2019.model_json_schema(),
        "report-2021": Report2021.model_json_schema(),
    }


# --------------------------------------------------------------------------- the vocabulary

Section: TypeAlias = Literal["二", "三", "四"]
"""A table of the report by its numbering (二 主动公开, 三 申请, 四 复议诉讼), as the report's headings number it."""

SECTION_KEYS: Final[dict[Section, str]] = {
    cast(Section, info.description[0]): name
    for name, info in Report2021.model_fields.items()
    if info.description and info.description[1:2] == "、"
}
"""Each table's key in the report (二 → ``proactive``), from the headings the schema's descriptions carry."""

SECTION_OF_KEY: Final[dict[str, Section]] = {key: section for section, key in SECTION_KEYS.items()}


def section_title(section: Section) -> str:
    """The table's heading in the national format: 二、主动公开政府信息情况."""
    return Report2021.model_fields[SECTION_KEYS[section]].description or section


def section_of_path(path: str) -> Section | None:
    """The table a cell path belongs to (None for ``meta``)."""
    return SECTION_OF_KEY.get(path.split(".", 1)[0])


def table_name(section: Section) -> str:
    """表二, 表三, 表四."""
    return f"表{section}"


FORMAT_MARKS: Final[dict[FormatName, tuple[str, ...]]] = {
    "2019": ("新制作数量", "新公开数量", "对外公开总数量", "上一年项目数量", "政府集中采购", "其他对外管理服务"),
    "2021": ("制发件数", "废止件数", "现行有效件数", "收费金额", "逾期不补正", "缴纳费用"),
}
"""Phrases only one format's tables print (its column headers and rows), whitespace removed."""


def detect_format(text: str) -> FormatName:
    """2019 or 2021 from the table structure's fingerprints (never from the year)."""
    return format_marked(text)[0]


def format_marked(text: str) -> tuple[FormatName, bool]:
    """:func:`detect_format`'s answer, and whether the text's fingerprints gave it (more phrases of one format
    than of the other); when they tie the answer is a default, and what 表二's columns mean is not known. A phrase
    counts when the text holds it with whitespace anywhere between its characters, as the text with its
    whitespace removed would hold it (:func:`_holds`)."""
    score_2019 = sum(_holds(text, mark) for mark in FORMAT_MARKS["2019"])
    score_2021 = sum(_holds(text, mark) for mark in FORMAT_MARKS["2021"])
    if score_2019 == score_2021:
        return ("2021" if _holds(text, "补正") and _holds(text, "缴纳费用") else "2019"), False
    return ("2019" if score_2019 > score_2021 else "2021"), True


_SPACED: Final[dict[str, re.Pattern[str]]] = {}


def _holds(text: str, phrase: str) -> bool:
    """Whether ``"".join(text.split())`` holds ``phrase`` (no whitespace in it): the phrase as it stands, else its
    characters with whitespace between them (``\\s``, str.split's whitespace), without making the joined text."""
    if phrase in text:
        return True
    for ch in phrase:  # (the other format's phrases mostly hold a character the text has nowhere: no search)
        if ch not in text:
            return False
    spaced = _SPACED.get(phrase)
    if spaced is None:
        spaced = _SPACED[phrase] = re.compile(r"\s*".join(map(re.escape, phrase)))
    first = phrase[0]
    at = text.find(first)
    while at >= 0:  # tried where its first character stands (str.find runs faster than the pattern's search)
        if spaced.match(text, at) is not None:
            return True
        at = text.find(first, at + 1)
    return False


def other_is_merged(fmt: FormatName, sub_rows: bool, group: bool) -> bool:
    """Whether （六）其他处理 is one row: always in the 2019 format (it has no sub-rows: printed ones make that
    row unsure); in the 2021 format unless one of its sub-rows' labels is printed or no （六） label is."""
    return fmt == "2019" or not (sub_rows or not group)
