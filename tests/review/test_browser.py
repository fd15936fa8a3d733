"""The review page in a real browser: select a doubtful cell, see its evidence, pick a candidate, type a
value, export the corrections file, apply it with the command line, and see the status change."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from giar_llm.core.paths import flatten
from giar_llm.files import load_gold, write_json
from giar_llm.inputs import load_input
from giar_llm.pipeline import extract_file
from giar_llm.review.build import review
from giar_llm.settings import Settings

from ..conftest import GOLD, REPORTS
from .browser import Console, browser

RULES = Settings(backend="rules")
CLI = [sys.executable, "-c", "from giar_llm.cli import main; main()"]
SHOTS = os.environ.get("GIAR_SCREENSHOTS")  # a folder to keep the screenshots in


def shoot(page: Any, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(SHOTS) / name)


def test_review_a_report_export_corrections_and_apply_them(tmp_path: Path) -> None:
    source = tmp_path / "shanghai-office-2025.md"
    shutil.copy(REPORTS / source.name, source)
    gold = flatten(load_gold(GOLD / "shanghai-office-2025.json").report)
    envelope = extract_file(source, RULES)
    assert envelope.status == "unverified"
    doubtful = [p for p, level in envelope.levels.items() if level in ("chosen", "unknown")]
    values = flatten(envelope.report)  # type: ignore[arg-type]
    # a chosen cell whose value is wrong: the reviewer picks the right one among its candidates
    picked = next(p for p in doubtful if values[p] is not None and values[p] != gold[p])
    candidates = list(envelope.candidates.get(picked, []))
    if gold[picked] not in candidates:
        candidates.append(gold[picked])  # type: ignore[arg-type]
    envelope.candidates[picked] = candidates
    typed = next(p for p in doubtful if values[p] is None)  # an unknown cell: the reviewer types the number
    result = tmp_path / "result.json"
    write_json(result, envelope.to_json())
    page_file = review(result).pages[0]
    text = load_input(source).document.text

    downloaded = tmp_path / "corrections.json"
    with browser() as chromium:
        page = chromium.new_page(viewport={"width": 1500, "height": 950}, accept_downloads=True)
        console = Console(page)
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-ready]")
        assert page.locator("#status").inner_text().startswith("待核实")
        assert page.locator("td.cell").count() == len(envelope.levels)
        assert page.locator("td.cell.lv-chosen, td.cell.lv-unknown").count() == len(doubtful)

        # a doubtful cell: its evidence span is marked in the source text
        page.click(f'td[data-p="{picked}"]')
        start, end = envelope.evidence[picked]
        assert page.locator("#src-mark").inner_text() == text[start:end] == str(values[picked])
        title = page.locator(f'td[data-p="{picked}"]').get_attribute("title") or ""
        assert title.startswith(page.locator("#cell-name").inner_text()) and title.endswith("择优选取")
        shoot(page, tmp_path, "review.png")

        # pick the right candidate (keyboard: its number)
        page.keyboard.press(str(candidates.index(gold[picked]) + 1))  # type: ignore[arg-type]
        assert "edited" in (page.locator(f'td[data-p="{picked}"]').get_attribute("class") or "")
        assert shown_value(page, picked) == str(gold[picked])

        # type a value into an unknown cell
        page.click(f'td[data-p="{typed}"]')
        page.keyboard.type(str(gold[typed]))
        page.keyboard.press("Enter")
        assert shown_value(page, typed) == str(gold[typed])

        # every other doubtful cell: confirm it (c) or type the right number
        for path in doubtful:
            if path in (picked, typed):
                continue
            page.click(f'td[data-p="{path}"]')
            if values[path] == gold[path]:
                page.keyboard.press("c")
            else:
                page.keyboard.type("-" if gold[path] is None else str(gold[path]))
                page.keyboard.press("Enter")
        assert page.locator("#count").inner_text().endswith(f"{len(doubtful)} / {len(doubtful)}")
        page.fill("#reviewer", "测试员")
        with page.expect_download() as download:
            page.click("#export")
        download.value.save_as(downloaded)
        shoot(page, tmp_path, "review-done.png")
        assert console.errors == []

    exported = json.loads(downloaded.read_text(encoding="utf-8"))
    assert len(exported["corrections"]) == len(doubtful)
    first = next(c for c in exported["corrections"] if c["cell"] == picked)
    assert first["sha256"] == envelope.source.sha256
    assert (first["old"], first["new"], first["reviewer"]) == (values[picked], gold[picked], "测试员")
    assert first["reason"] and first["time"]

    applied = tmp_path / "applied.json"
    run = subprocess.run(
        [*CLI, "extract", str(source), "--corrections", str(downloaded), "-o", str(applied)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    after = json.loads(applied.read_text(encoding="utf-8"))
    assert after["status"] == "verified" and after["reviewed"] is True
    assert {p for p, level in after["levels"].items() if level == "reviewed"} == set(doubtful)
    assert flatten(load_gold(GOLD / "shanghai-office-2025.json").report) == {
        k: v for k, v in flatten_json_report(after).items()
    }
    assert all(mark["reviewer"] == "测试员" for mark in after["reviews"].values())

    with browser() as chromium:
        page = chromium.new_page(viewport={"width": 1500, "height": 950})
        console = Console(page)
        page.goto(review(applied).pages[0].as_uri())
        page.wait_for_selector("body[data-ready]")
        assert page.locator("#status").inner_text() == "已核实 · 已人工复核"
        assert page.locator("td.cell.lv-reviewed").count() == len(doubtful)
        assert console.errors == []


def shown_value(page: Any, path: str) -> str:
    """The number a cell shows (not the struck-out old value nor the level under it)."""
    return str(
        page.locator(f'td[data-p="{path}"]').evaluate(
            "td => [...td.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('')"
        )
    )


def flatten_json_report(envelope: dict[str, Any]) -> dict[str, Any]:
    from giar_llm.core.schema import parse_report

    return dict(flatten(parse_report(envelope["report"])))


@pytest.mark.parametrize("name", sorted(p.name for p in REPORTS.iterdir()))
def test_every_report_page_opens_without_a_console_error(name: str, tmp_path: Path) -> None:
    envelope = extract_file(REPORTS / name, RULES)
    result = tmp_path / "result.json"
    write_json(result, envelope.to_json())
    page_file = review(result).pages[0]
    with browser() as chromium:
        page = chromium.new_page()
        console = Console(page)
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-ready]")
        assert page.locator("td.cell").count() == len(envelope.levels)
        assert page.locator("#violations li").count() == max(1, len(envelope.violations))
        marked = 0
        for path in list(envelope.evidence)[:5]:
            page.hover(f'td[data-p="{path}"]')
            marked += bool(page.locator("#src-mark").inner_text())
        assert marked == min(5, len(envelope.evidence))
        assert console.errors == []


def test_a_violation_is_highlighted_and_confirmed_in_the_source(tmp_path: Path) -> None:
    source = tmp_path / "pingtan-2020.txt"
    shutil.copy(REPORTS / source.name, source)
    envelope = extract_file(source, RULES)
    assert envelope.violations
    result = tmp_path / "result.json"
    write_json(result, envelope.to_json())
    downloaded = tmp_path / "corrections.json"
    with browser() as chromium:
        page = chromium.new_page(viewport={"width": 1500, "height": 950}, accept_downloads=True)
        console = Console(page)
        page.goto(review(result).pages[0].as_uri())
        page.wait_for_selector("body[data-ready]")
        framed = page.locator("td.cell.viol").count()
        assert framed == len({c for v in envelope.violations for c in v.cells})
        item = page.locator("#violations li").first
        assert item.inner_text().startswith(envelope.violations[0].message)
        item.click()
        assert page.locator("td.cell.selected").get_attribute("data-p") == envelope.violations[0].cells[0]
        assert page.locator("td.cell.flash").count() == len(envelope.violations[0].cells)
        page.keyboard.press("o")  # 原文如此
        assert "confirmed" in (page.locator("#violations li").first.get_attribute("class") or "")
        with page.expect_download() as download:
            page.click("#export")
        download.value.save_as(downloaded)
        assert console.errors == []
    (entry,) = json.loads(downloaded.read_text(encoding="utf-8"))["corrections"]
    assert entry["violation"]["check"] == envelope.violations[0].check and entry["reason"] == "原文如此"
    applied = tmp_path / "applied.json"
    run = subprocess.run(
        [*CLI, "extract", str(source), "--corrections", str(downloaded), "-o", str(applied)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    after = json.loads(applied.read_text(encoding="utf-8"))
    first = after["violations"][0]
    assert first["verdict"] == "source"
    assert all(after["levels"][c] == "reviewed" for c in first["cells"])
    assert {after["reviews"][c]["reason"] for c in first["cells"]} == {"原文如此"}


def test_the_page_of_a_failed_result_says_why_without_a_console_error(tmp_path: Path) -> None:
    source = tmp_path / "none.txt"
    source.write_text("一、总体情况\n本年度无特别事项。\n", encoding="utf-8")
    envelope = extract_file(source, RULES)
    assert envelope.status == "failed"
    result = tmp_path / "result.json"
    write_json(result, envelope.to_json())
    with browser() as chromium:
        page = chromium.new_page()
        console = Console(page)
        page.goto(review(result).pages[0].as_uri())
        page.wait_for_selector("body[data-ready]")
        assert page.locator("#status").inner_text() == "未能读取"
        assert str(envelope.error) in page.locator("#tables").inner_text()
        assert console.errors == []
