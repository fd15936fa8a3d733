"""Layouts that shift values when a table is read as text, rebuilt from every gold report: each reads back
exactly through the grid reader, or names its unsure cells; never a wrong cell that is not named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from giar_llm.core.envelope import Envelope
from giar_llm.core.levels import covering
from giar_llm.core.paths import flatten, labels
from giar_llm.core.schema import COLUMNS
from giar_llm.files import load_gold
from giar_llm.inputs import load_bytes
from giar_llm.pipeline import extract_loaded
from giar_llm.settings import Settings

from ..conftest import GOLD
from ..reader.render import render
from .grid_pages import Page, blanked, html_page

GOLDS = sorted(GOLD.glob("*.json"))
PAGES = {
    "nbsp-subtotal-blank": Page(blank="nbsp", subrow_total_blank=True),
    "p-legal-blank": Page(blank="p", legal_blank=True),
    "op-both-blank": Page(blank="op", subrow_total_blank=True, legal_blank=True),
    "empty-transposed": Page(blank="empty", legal_blank=True, review="transposed"),
    "nbsp-by-outcome": Page(blank="nbsp", subrow_total_blank=True, review="by_outcome"),
    "p-stacked": Page(blank="p", review="stacked"),
    "empty-by-outcome-short-header": Page(blank="empty", review="by_outcome_short"),
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


@pytest.mark.parametrize("layout", ["nbsp-subtotal-blank", "op-both-blank", "p-legal-blank", "empty-transposed"])
@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_tab_text_of_a_blank_cell_page_never_blames_the_source_wrongly(gold_path: Path, layout: str) -> None:
    """The same page's tab-separated text without its grids (a page copied as text): a row whose blank
    cell was padding or dropped may stand one column off, so a failing sum names its cells unsure
    instead of calling the source inconsistent."""
    gold = load_gold(gold_path)
    page = PAGES[layout]
    text = load_bytes(html_page(gold.report, page).encode("utf-8"), "page.html").document.text
    envelope = _extract(text.encode("utf-8"), f"{gold_path.stem}.txt")
    assert envelope.source.kind == "text"
    if not gold.expected_violations:
        assert envelope.status != "source_inconsistent"


@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem)
def test_a_padded_row_with_a_blank_total_is_doubted_not_blamed_on_the_source(gold_path: Path) -> None:
    """Tab text where a sub-row's label is padded by an empty cell and its 总计 is blank (a Word table
    copied as text): the row's numbers may stand one column off. When a sum then fails, its cells are
    named unsure; the source is not called inconsistent and no wrong cell is left unnamed."""
    gold = load_gold(gold_path)
    cells = flatten(gold.report)
    rows = [
        p.rsplit(".", 1)[0]
        for p, v in cells.items()
        if p.startswith("applications.results.") and p.endswith(".natural_person") and v and len(p.split(".")) == 5
    ]
    if not rows:
        pytest.skip("no sub-row with a natural-person count")
    row = rows[0]
    text = render(gold.report, "tabs")
    label = labels(row, gold.report.format)[-1]
    values = [cells[f"{row}.{c}"] for c in COLUMNS[:-1]]
    old = "\t".join([label, *(str(v) if v is not None else "" for v in [*values, cells[f"{row}.total"]])])
    assert old in text
    text = text.replace(old, "\t".join([label, "", *(str(v) if v is not None else "" for v in values), ""]))
    envelope = _extract(text.encode("utf-8"), f"{gold_path.stem}.txt")
    expected = dict(cells) | {f"{row}.total": None}
    assert _silent(envelope, expected) == {}
    if not gold.expected_violations:
        assert envelope.status != "source_inconsistent"
