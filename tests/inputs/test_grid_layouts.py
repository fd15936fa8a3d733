"""Layouts that shift values when a table is read as text, rebuilt from every gold report: each reads back
exactly through the grid reader, or names its unsure cells; never a wrong cell that is not named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from giar_llm.core.envelope import Envelope
from giar_llm.core.levels import covering
from giar_llm.core.paths import flatten
from giar_llm.files import load_gold
from giar_llm.inputs import load_bytes
from giar_llm.pipeline import extract_loaded
from giar_llm.settings import Settings

from ..conftest import GOLD
from .grid_pages import Page, blanked, html_page

GOLDS = sorted(GOLD.glob("*.json"))
PAGES = {
    "nbsp-subtotal-blank": Page(blank="nbsp", subrow_total_blank=True),
    "p-legal-blank": Page(blank="p", legal_blank=True),
    "op-both-blank": Page(blank="op", subrow_total_blank=True, legal_blank=True),
    "empty-transposed": Page(blank="empty", legal_blank=True, review="transposed"),
    "nbsp-by-outcome": Page(blank="nbsp", subrow_total_blank=True, review="by_outcome"),
    "p-stacked": Page(blank="p", review="stacked"),
}


def _extract(data: bytes, name: str) -> Envelope:
    return extract_loaded(load_bytes(data, name), Settings.from_env(backend="rules"))


def _silent(envelope: Envelope, expected: dict[str, object]) -> dict[str, object]:
    assert envelope.report is not None, envelope.error
    got = flatten(envelope.report)
    return {
        p: (got.get(p), v)
        for p, v in expected.items()
        if not p.startswith("meta.") and got.get(p) != v and covering(p, envelope.unsure) is None
    }


@pytest.mark.parametrize("layout", list(PAGES))
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_word_html_layouts_read_exactly(gold_path: Path, layout: str) -> None:
    gold = load_gold(gold_path)
    page = PAGES[layout]
    expected = blanked(gold.report, page)
    envelope = _extract(html_page(gold.report, page).encode("utf-8"), f"{gold_path.stem}.html")
    assert _silent(envelope, expected) == {}
    got = flatten(envelope.report)  # type: ignore[arg-type]
    assert {p: got.get(p) for p, v in expected.items() if not p.startswith("meta.") and got.get(p) != v} == {}
    assert not envelope.unsure
    if envelope.status == "source_inconsistent":
        assert gold.expected_violations


@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_html_saved_as_txt_reads_as_html(gold_path: Path) -> None:
    gold = load_gold(gold_path)
    page = Page(blank="nbsp", subrow_total_blank=True, legal_blank=True)
    envelope = _extract(html_page(gold.report, page).encode("utf-8"), f"{gold_path.stem}.txt")
    assert envelope.source.kind == "html"
    assert _silent(envelope, blanked(gold.report, page)) == {}
    assert not envelope.unsure


@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_html_inside_a_js_string_reads_as_html(gold_path: Path) -> None:
    gold = load_gold(gold_path)
    page = Page(blank="p", legal_blank=True, review="transposed")
    source = html_page(gold.report, page)
    script = "var article = {title: 'x', content: " + json.dumps(source, ensure_ascii=False) + "};\n"
    assert '\\"' in script or "<\\/" in script or "\\n" in script
    envelope = _extract(script.encode("utf-8"), f"{gold_path.stem}.js")
    assert envelope.source.kind == "html"
    assert _silent(envelope, blanked(gold.report, page)) == {}
    assert not envelope.unsure
    for path, (start, end) in envelope.evidence.items():  # evidence points into the script as the user has it
        value = flatten(envelope.report)[path]  # type: ignore[arg-type]
        assert float(script[start:end]) == value
