"""The terminal view: doubt marked where the number is and named below, ✓ only when verified, 80 columns."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console

from giar_llm.core.checker import check
from giar_llm.core.envelope import Envelope
from giar_llm.core.schema import empty_report
from giar_llm.pipeline import extract_file
from giar_llm.settings import Settings
from giar_llm.terminal import print_check, print_envelope

from .conftest import REPORTS

SHANGHAI = REPORTS / "shanghai-office-2025.md"  # 表二 run together: its cells are chosen or unknown
SEED = REPORTS / "000_27f8f84a704e59bd.txt"  # verified


def render(envelope: Envelope, width: int = 80) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, highlight=False, soft_wrap=True, color_system=None)
    print_envelope(console, envelope)
    return buffer.getvalue()


def test_doubtful_cells_are_marked_at_the_number_and_named_below() -> None:
    envelope = extract_file(SHANGHAI, Settings())
    assert envelope.status == "unverified" and envelope.levels["proactive.regulations.repealed"] == "chosen"
    text = render(envelope)
    rows = [line for line in text.splitlines() if line.strip().startswith("规章·本年废止件数")]
    assert rows and rows[0].rstrip().endswith("235?"), rows
    assert "? 表二 规章·本年废止件数：235（择优选取）" in text
    assert "? 表二 规章·现行有效件数：空（未知）" in text
    assert envelope.unsure["proactive.regulations.repealed"] in text.replace("\n", "")
    assert "✓" not in text and "未核实" in text


def test_every_line_fits_80_columns() -> None:
    for path in (SHANGHAI, SEED, REPORTS / "pingtan-2020.txt"):
        text = render(extract_file(path, Settings()))
        too_wide = [line for line in text.splitlines() if cell_len(line) > 80]
        assert not too_wide, (path.name, too_wide[:3])


def test_verified_report_gets_the_tick_and_no_marks() -> None:
    text = render(extract_file(SEED, Settings()))
    assert "✓ 已核实" in text and "标记：" not in text and "?" not in text


def test_report_text_is_never_read_as_markup() -> None:
    envelope = extract_file(SHANGHAI, Settings())
    assert envelope.report is not None
    envelope.report.meta.title = "[blink]标题[/blink] [link=http://x]点我[/link]"
    envelope.source.path = "[red]报告.txt"
    envelope.unsure["proactive.regulations.repealed"] = "[bold]理由[/]"
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, highlight=False, color_system="truecolor")
    print_envelope(console, envelope)
    text = buffer.getvalue()
    assert "[blink]标题[/blink]" in text and "[red]报告.txt" in text and "[bold]理由[/]" in text
    assert "\x1b[5m" not in text  # no blinking


def test_check_gives_no_tick_to_an_unverified_envelope_or_an_empty_report() -> None:
    envelope = extract_file(SHANGHAI, Settings())
    assert envelope.report is not None
    result = check(envelope.report)
    assert result.passed  # the sums hold; the doubt is in 表二, which has none

    def shown(**kwargs: object) -> str:
        buffer = io.StringIO()
        print_check(Console(file=buffer, width=80, color_system=None), "x", result, **kwargs)  # type: ignore[arg-type]
        return buffer.getvalue()

    assert "✓" not in shown(envelope=envelope) and "不能当作已核实" in shown(envelope=envelope)
    assert "✓" not in shown(empty=True) and "没有任何数字" in shown(empty=True)
    assert "✓" in shown()
    empty = check(empty_report("2021"))
    assert empty.passed  # vacuously: which is why the caller says so
