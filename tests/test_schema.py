from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from giar_llm.core.paths import describe_cell, flatten, labels
from giar_llm.core.schema import (
    Report2019,
    Report2021,
    empty_report,
    json_schemas,
    parse_report,
    report_to_json,
)
from giar_llm.files import schema_drift

from .conftest import ROOT


def test_schema_files_match_the_models() -> None:
    assert schema_drift(ROOT / "schemas") == [], "run: giar-llm schema"


def test_every_field_carries_a_chinese_label() -> None:
    def walk(node: object) -> None:
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                assert prop.get("description") or "$ref" in prop or "allOf" in prop, name
            for value in node.values():
                walk(value)

    for schema in json_schemas().values():
        walk(schema)
        text = json.dumps(schema, ensure_ascii=False)
        assert "社会公益组织" in text and "结果维持" in text


@pytest.mark.parametrize(("fmt", "cells"), [("2021", 25 * 7 + 15 + 10 + 3), ("2019", 23 * 7 + 15 + 22 + 3)])
def test_empty_report_has_every_cell_of_its_format(fmt: str, cells: int) -> None:
    report = empty_report(fmt)  # type: ignore[arg-type]
    flat = flatten(report)
    assert len(flat) == cells
    assert all(v is None for v in flat.values())


def test_other_processing_variant_that_is_absent_is_left_out() -> None:
    data = report_to_json(empty_report("2021"))
    assert set(data["applications"]["results"]["other"]) == {"no_correction", "fee_unpaid", "other"}
    merged = report_to_json(empty_report("2019"))
    assert set(merged["applications"]["results"]["other"]) == {"total"}


def test_round_trip_through_json() -> None:
    report = empty_report("2021")
    report.applications.new_requests.total = 5
    assert isinstance(report, Report2021)
    report.proactive.fees.amount_wan_yuan = 1.25
    again = parse_report(json.loads(json.dumps(report_to_json(report), ensure_ascii=False)))
    assert again == report


def test_format_is_the_discriminator() -> None:
    assert isinstance(parse_report({"format": "2019"}), Report2019)
    with pytest.raises(ValidationError):
        parse_report({"format": "2021", "proactive": {"procurement": {}}})


def test_items_change_is_signed_and_cells_are_integers() -> None:
    report = parse_report({"format": "2019", "proactive": {"licensing": {"items_change": -3}}})
    assert isinstance(report, Report2019)
    assert report.proactive.licensing.items_change == -3
    with pytest.raises(ValidationError):
        parse_report({"format": "2021", "applications": {"new_requests": {"total": "many"}}})


def test_labels_and_descriptions() -> None:
    path = "applications.results.denied.third_party_rights.natural_person"
    assert labels(path)[-2:] == ["4.保护第三方合法权益", "自然人"]
    assert describe_cell("applications.results.partially_granted.total") == "表三 （二）部分公开 行·总计 列"
    assert describe_cell("proactive.licensing.decisions").startswith("表二 行政许可")
