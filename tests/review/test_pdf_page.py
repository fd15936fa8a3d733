"""The review page of a PDF source: the page a located cell stands on, rendered, with the cell's box on it."""

from __future__ import annotations

import base64
import shutil
from io import BytesIO
from pathlib import Path

from PIL import Image

from giar_llm.core.paths import flatten
from giar_llm.files import load_envelope, write_json
from giar_llm.pipeline import extract_file
from giar_llm.review.build import review, view_of
from giar_llm.review.page import page_data
from giar_llm.settings import Settings

from ..conftest import REPORTS
from .browser import Console, browser

RULES = Settings(backend="rules")
PDF = "hongze-2024.pdf"


def result_of(tmp_path: Path) -> Path:
    source = tmp_path / PDF
    shutil.copy(REPORTS / PDF, source)
    result = tmp_path / "result.json"
    write_json(result, extract_file(source, RULES).to_json())
    return result


def test_the_page_data_of_a_pdf_holds_its_pages_and_each_located_cell_box(tmp_path: Path) -> None:
    result = result_of(tmp_path)
    envelope = load_envelope(result)
    view, found = view_of(envelope, result)
    data = page_data(envelope, view)
    assert found and set(data["pages"]) == {"2", "3", "4"}
    for number, page in data["pages"].items():
        assert page["src"].startswith("data:image/png;base64,")
        image = Image.open(BytesIO(base64.b64decode(page["src"].partition(",")[2])))
        width, height = image.size
        assert abs(width - page["w"] * 1.5) <= 1 and abs(height - page["h"] * 1.5) <= 1, number
    located = [p for p in data["cells"] if p in envelope.locations]
    assert located and all(data["cells"][p]["b"][0] == envelope.locations[p].page for p in located)

    (tmp_path / PDF).write_bytes((REPORTS / PDF).read_bytes() + b"\n%changed\n")  # another version of the file
    view, _ = view_of(envelope, result)
    changed = page_data(envelope, view)
    assert changed["pages"] == {} and not any("b" in c for c in changed["cells"].values())


def test_selecting_a_pdf_cell_shows_its_page_with_the_box_around_its_number(tmp_path: Path) -> None:
    result = result_of(tmp_path)
    envelope = extract_file(tmp_path / PDF, RULES)
    values = flatten(envelope.report)  # type: ignore[arg-type]
    on_page_4 = next(p for p, where in envelope.locations.items() if where.page == 4 and values[p])
    on_page_3 = next(p for p, where in envelope.locations.items() if where.page == 3 and values[p])
    page_file = review(result).pages[0]
    with browser() as chromium:
        page = chromium.new_page(viewport={"width": 1500, "height": 950})
        console = Console(page)
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-ready]")
        assert page.locator("#page-pane").is_hidden()
        for path in (on_page_4, on_page_3):
            page.click(f'td[data-p="{path}"]')
            assert page.locator("#page-pane").is_visible()
            where = envelope.locations[path]
            assert page.locator("#page-note").inner_text() == f"第 {where.page} 页"
            page.wait_for_function("document.getElementById('page-img').complete")
            img = page.locator("#page-img").bounding_box()
            box = page.locator("#page-box").bounding_box()
            assert img is not None and box is not None
            scale = img["width"] / 595.0  # the page is A4: 595 points wide
            x0, top, x1, bottom = where.box
            assert abs(box["x"] - img["x"] - x0 * scale) < 2 and abs(box["y"] - img["y"] - top * scale) < 2
            assert abs(box["width"] - (x1 - x0) * scale) < 2 and abs(box["height"] - (bottom - top) * scale) < 2
        assert console.errors == []
