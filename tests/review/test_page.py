"""The review page's data and layout, without a browser: labels, spans into the shown text, escaping, the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from giar_llm.cli import app
from giar_llm.core.paths import flatten
from giar_llm.core.schema import empty_report
from giar_llm.files import write_json
from giar_llm.inputs import load_bytes, load_input
from giar_llm.pipeline import extract_file, extract_loaded
from giar_llm.review.page import layout, page_data, source_view
from giar_llm.settings import Settings

from ..conftest import REPORTS

RULES = Settings(backend="rules")
runner = CliRunner()


def page_json(html: str) -> dict[str, object]:
    match = re.search(r'<script type="application/json" id="data">(.*?)</script>', html, re.S)
    assert match is not None
    data: dict[str, object] = json.loads(match.group(1))
    return data


def test_layout_has_every_cell_once_in_the_national_order() -> None:
    for fmt in ("2019", "2021"):
        paths = [p for p in flatten(empty_report(fmt)) if not p.startswith("meta.")]
        tables = layout(list(flatten(empty_report(fmt))), fmt)
        placed = [c for t in tables for b in t["blocks"] for r in b["rows"] for c in r["cells"]]
        assert placed == paths
        assert [t["title"] for t in tables] == [
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
        ]
    labels = [r["label"] for r in layout(list(flatten(empty_report("2019"))), "2019")[1]["blocks"][0]["rows"]]
    assert "（六）其他处理" in labels and "（三）不予公开" in labels  # the 2019 single row, a group heading


def test_html_evidence_is_shown_on_the_derived_text() -> None:
    loaded = load_input(REPORTS / "shuyang-fgj-2023.html")
    envelope = extract_loaded(loaded, RULES)
    view = source_view(envelope, loaded)
    assert view.text == loaded.document.text and len(view.spans) == len(envelope.evidence)
    for path, (start, end) in view.spans.items():
        value = flatten(envelope.report)[path]  # type: ignore[arg-type]
        shown = view.text[start:end]
        assert shown in ("/", "-", "—", "无") or float(shown) == value, path


def test_a_changed_source_gets_no_spans() -> None:
    envelope = extract_file(REPORTS / "000_27f8f84a704e59bd.txt", RULES)
    other = load_bytes((REPORTS / "000_27f8f84a704e59bd.txt").read_bytes() + b"\n", "x.txt")
    view = source_view(envelope, other)
    assert view.spans == {} and view.note is not None and "sha256" in view.note


def test_source_text_cannot_close_the_data_script(tmp_path: Path) -> None:
    data = (REPORTS / "000_27f8f84a704e59bd.txt").read_bytes() + b"\n</script><script>alert(1)</script>{{SCRIPT}}\n"
    source = tmp_path / "report.txt"
    source.write_bytes(data)
    result = tmp_path / "result.json"
    write_json(result, extract_file(source, RULES).to_json())
    assert runner.invoke(app, ["review", str(result)]).exit_code == 0
    html = result.with_suffix(".html").read_text(encoding="utf-8")
    assert html.count("</script>") == 2  # the data's and the page script's own
    assert "alert(1)</script>{{SCRIPT}}" in str(page_json(html)["text"])


def test_page_data_marks_doubtful_cells_with_their_level_and_reason() -> None:
    loaded = load_input(REPORTS / "pingtan-2020.txt")
    envelope = extract_loaded(loaded, RULES)
    data = page_data(envelope, source_view(envelope, loaded))
    cells = data["cells"]
    doubtful = {p for p, c in cells.items() if c["l"] in ("chosen", "unknown")}
    assert doubtful == {p for p, level in envelope.levels.items() if level in ("chosen", "unknown")}
    assert all(cells[p].get("w") for p in doubtful)
    assert {c for v in data["violations"] for c in v["cells"]} <= set(cells)


def test_review_command_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["review", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and len(missing.stderr.strip().splitlines()) == 1
    bad = tmp_path / "bad.json"
    bad.write_text('{"status": 1}', encoding="utf-8")
    result = runner.invoke(app, ["review", str(bad)])
    assert result.exit_code == 2 and "not a result envelope" in result.stderr
    assert runner.invoke(app, ["review", str(tmp_path)]).exit_code == 2  # a folder without results/
