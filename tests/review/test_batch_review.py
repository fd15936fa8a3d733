"""Kept corrections in a batch (OUT/corrections/ picked up, a change redoes the input, a changed source
reports them), and the batch's review index in a real browser."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from giar_llm.batch import run_batch
from giar_llm.core.corrections import CorrectionsFile
from giar_llm.files import write_json
from giar_llm.pipeline import extract_file
from giar_llm.review.build import review
from giar_llm.review.index import index_page, index_row
from giar_llm.settings import Settings

from ..conftest import REPORTS
from ..test_corrections import doubtful_fixed_from_gold
from .browser import Console, browser

RULES = Settings(backend="rules")
NAMES = ("shanghai-office-2025.md", "000_27f8f84a704e59bd.txt", "pingtan-2020.txt")


def results(out: Path) -> dict[str, dict[str, Any]]:
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    return {Path(r["source"]["path"]).name: r for r in rows}


def statuses(out: Path) -> dict[str, tuple[str, bool]]:
    return {name: (r["status"], r["reviewed"]) for name, r in results(out).items()}


def test_kept_corrections_are_applied_on_every_run_and_a_change_redoes_the_input(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for name in NAMES:
        shutil.copy(REPORTS / name, inputs / name)
    run_batch([inputs], out, RULES, jobs=1)
    assert statuses(out)["shanghai-office-2025.md"] == ("unverified", False)

    fixed = doubtful_fixed_from_gold(extract_file(inputs / "shanghai-office-2025.md", RULES), "shanghai-office-2025")
    kept = out / "corrections" / "shanghai.json"
    write_json(kept, CorrectionsFile(corrections=fixed).model_dump(mode="json"))
    summary = run_batch([inputs], out, RULES, jobs=1)
    assert summary.recomputed == 1 and summary.skipped == 2  # only the corrected input is redone
    assert statuses(out)["shanghai-office-2025.md"] == ("verified", True)

    again = run_batch([inputs], out, RULES, jobs=1)
    assert again.recomputed == 0 and statuses(out)["shanghai-office-2025.md"] == ("verified", True)

    write_json(kept, CorrectionsFile(corrections=fixed[:-1]).model_dump(mode="json"))
    changed = run_batch([inputs], out, RULES, jobs=1)
    assert changed.recomputed == 1 and statuses(out)["shanghai-office-2025.md"] == ("unverified", False)

    write_json(kept, CorrectionsFile(corrections=fixed).model_dump(mode="json"))
    source = inputs / "shanghai-office-2025.md"
    source.write_bytes(source.read_bytes() + "\n附：本报告已更新。\n".encode())
    run_batch([inputs], out, RULES, jobs=1)
    result = results(out)["shanghai-office-2025.md"]
    assert result["status"] == "unverified" and not result["reviewed"]
    stale = [w for w in result["warnings"] if w["check"] == "correction_not_applied"]
    assert len(stale) == len(fixed) and all("sha256" in w["message"] for w in stale)


def test_the_batch_index_lists_sorts_filters_and_links(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for name in NAMES:
        shutil.copy(REPORTS / name, inputs / name)
    (inputs / "empty.txt").write_bytes(b"")
    run_batch([inputs], out, RULES, jobs=1)
    written = review(out)
    assert written.index == out / "review" / "index.html" and len(written.pages) == len(NAMES)
    with browser() as chromium:
        page = chromium.new_page(viewport={"width": 1400, "height": 900})
        console = Console(page)
        page.goto(written.index.as_uri())
        page.wait_for_selector("body[data-rendered-ms]")
        assert page.locator("#rows tr.r").count() == len(NAMES) + 1
        page.select_option("#status-filter", "unverified")
        assert page.locator("#rows tr.r").count() == 2
        page.select_option("#status-filter", "")
        page.fill("#filter", "上海")
        page.wait_for_function("document.querySelectorAll('#rows tr.r').length === 1")
        page.fill("#filter", "")
        page.wait_for_function(f"document.querySelectorAll('#rows tr.r').length === {len(NAMES) + 1}")
        page.click('th[data-k="2"]')  # 存疑单元格, ascending, then descending
        page.click('th[data-k="2"]')
        first = page.locator("#rows tr.r").first
        assert "pingtan" in first.inner_text()
        first.locator("a").click()
        page.wait_for_selector("body[data-ready]")
        assert "平潭" in page.locator("#heading").inner_text()
        assert console.errors == []


def test_a_large_index_keeps_only_the_rows_in_view_and_scrolls_to_the_last(tmp_path: Path) -> None:
    base = [index_row(extract_file(REPORTS / name, RULES), f"{name}.html") for name in NAMES]
    rows = [
        replace(base[i % len(base)], source=f"in/{i:05d}-{Path(base[i % len(base)].source).name}") for i in range(3000)
    ]
    index = tmp_path / "index.html"
    index.write_text(index_page(rows, "复核"), encoding="utf-8")
    with browser() as chromium:
        page = chromium.new_page(viewport={"width": 1400, "height": 900})
        console = Console(page)
        page.goto(index.as_uri())
        page.wait_for_selector("body[data-rendered-ms]")
        assert page.locator("#shown").inner_text() == "显示 3000 / 3000"
        assert 0 < page.locator("#rows tr.r").count() < 200
        page.eval_on_selector("#scroller", "s => { s.scrollTop = s.scrollHeight; }")
        page.wait_for_function("document.querySelector('#rows tr.r:last-of-type td[title^=\"in/02999-\"]') !== null")
        shoot_index = tmp_path / "index.png"
        page.screenshot(path=str(shoot_index))
        assert console.errors == []
