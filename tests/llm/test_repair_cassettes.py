"""The repair loop against recorded exchanges with a real model (see test_client for the set-up)."""

from __future__ import annotations

from pathlib import Path

from giar_llm.core.checker import check
from giar_llm.core.document import Document
from giar_llm.core.schema import detect_format, empty_report
from giar_llm.core.verdict import judge, status_of
from giar_llm.llm.extraction import extract_section
from giar_llm.reader.tables import other_merged_in

from ..conftest import REPORTS
from .cassettes import recorder
from .test_client import client

SEED_001 = REPORTS / "001_804bc5c71be8d781.txt"  # 新前街道 2020: its table 三 does not add up in the source


def test_repair_rounds_confirm_a_source_inconsistency(tmp_path: Path) -> None:
    text = SEED_001.read_text(encoding="utf-8")
    fmt = detect_format(text)
    report = empty_report(fmt)  # type: ignore[arg-type]
    model_client = client(tmp_path)
    with recorder().use_cassette("repair_confirms_seed_001"):
        result = extract_section(model_client, Document(text), report, "三", {}, 2, other_merged_in(text, fmt))
    assert result.error is None
    assert result.rounds >= 1, "the failing checks must have been sent back to the model"
    # the source's own numbers are kept, never balanced: (二)部分公开 总计 8 against 2 in the columns
    assert result.values["applications.results.partially_granted.total"] == 8
    assert result.values["applications.results.total_processed.total"] == 0
    checked = judge(check(report), result.unsure)
    failing = {v.key for v in checked.violations}
    assert ("row_total", "applications.results.partially_granted") in failing
    confirmed = [v for v in checked.violations if v.verdict == "source"]
    assert confirmed, "grounded numbers kept through a repair round are confirmed in the source"
    assert status_of(checked, result.unsure) in ("source_inconsistent", "unverified")
    assert model_client.accounting.calls == result.rounds + 1
