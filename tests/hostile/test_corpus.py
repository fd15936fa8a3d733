"""Every hostile input ends cleanly: a report (exit 0) or one ``giar-llm:`` line (exit 2), never a traceback;
``-o`` always gets an envelope for an input that could not be read; special files are never opened."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from giar_llm.cli import app

from .corpus import Case, build, limits_env

SCALE = 0.02
runner = CliRunner()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Case]:
    return build(tmp_path_factory.mktemp("corpus"), SCALE)


def test_the_corpus_has_the_cases_of_the_audit(corpus: list[Case]) -> None:
    assert len(corpus) >= 65
    biggest = max(c.path.stat().st_size for c in corpus if c.kind == "file")
    assert biggest < 4 << 20  # bounded: the test corpus stays small


def test_every_case_ends_in_a_report_or_one_clear_line(
    corpus: list[Case], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in limits_env(SCALE).items():
        monkeypatch.setenv(name, value)
    outcomes = {}
    for number, case in enumerate(corpus):
        out = tmp_path / f"{number}.json"
        result = runner.invoke(app, ["extract", os.fsdecode(case.path), "-o", str(out)])
        assert result.exception is None or isinstance(result.exception, SystemExit), (case.name, result.exception)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        if result.exit_code == 2:
            assert len(lines) == 1 and lines[0].startswith("giar-llm:"), (case.name, lines)
            assert json.loads(out.read_text(encoding="utf-8"))["status"] == "failed", case.name
        else:
            assert result.exit_code == 0, (case.name, result.exit_code, lines)
            envelope = json.loads(out.read_text(encoding="utf-8"))
            assert envelope["status"] != "failed" and envelope["report"] is not None, case.name
        outcomes[case.name] = "error" if result.exit_code == 2 else "report"
        if case.expect != "any":
            assert outcomes[case.name] == case.expect, (case.name, lines)


def test_limits_name_themselves(corpus: list[Case], monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in limits_env(SCALE).items():
        monkeypatch.setenv(name, value)
    by_name = {c.name: c for c in corpus}
    expected = {
        "zip_bomb.docx": "GIAR_MAX_MARKUP_MB",
        "flate_bomb.pdf": "decompression bomb",
        "oversize.txt": "GIAR_MAX_INPUT_MB",
        "nested_divs_report.html": "GIAR_MAX_DEPTH",
        "number_5000_digits.txt": "GIAR_MAX_DIGITS",
        "named_pipe.txt": "named pipe",
        "loop_a.txt": "symlink loop",
        "zero_device.txt": "character device",
        "dangling.txt": "dangling symlink",
    }
    for name, words in expected.items():
        result = runner.invoke(app, ["extract", str(by_name[name].path)])
        assert result.exit_code == 2 and words in result.stderr, (name, result.stderr)


def test_a_gbk_name_is_kept_verbatim_with_a_readable_form(corpus: list[Case], tmp_path: Path) -> None:
    case = next(c for c in corpus if c.name.startswith("\udcd5"))
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["extract", os.fsdecode(case.path), "-o", str(out), "--format", "table"])
    assert result.exit_code == 0, result.output
    source = json.loads(out.read_text(encoding="utf-8"))["source"]
    assert source["path"].endswith("政府信息公开.txt")
    from giar_llm.inputs.names import file_path

    assert os.fsencode(file_path(source["raw_path"])) == os.fsencode(case.path)
    assert "政府信息公开.txt" in result.stdout


def test_check_refuses_deep_json_and_huge_numbers(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    huge = tmp_path / "huge.json"
    huge.write_text('{"format": "2021", "x": ' + "9" * 5000 + "}", encoding="utf-8")
    gold = json.loads((Path(__file__).parents[2] / "evals/gold/002_466e71db95901446.json").read_text("utf-8"))
    gold["report"]["applications"]["new_requests"]["natural_person"] = 10**4000
    big_cell = tmp_path / "big_cell.json"
    big_cell.write_text(json.dumps(gold), encoding="utf-8")
    for path, words in ((deep, "nested too deeply"), (huge, "4300 digits"), (big_cell, "4001-digit number")):
        result = runner.invoke(app, ["check", str(path)])
        assert result.exit_code == 2 and words in result.stderr, (path.name, result.stderr, result.exception)
        assert len(result.stderr.strip().splitlines()) == 1


def test_output_at_a_directory_or_an_uncreatable_path_is_one_line(corpus: list[Case], tmp_path: Path) -> None:
    good = next(c for c in corpus if c.name == "gbk.txt")
    for target in (tmp_path, Path("/proc/giar-out.json")):
        result = runner.invoke(app, ["extract", str(good.path), "-o", str(target)])
        assert (result.exit_code == 2 and result.exception is None) or isinstance(result.exception, SystemExit)
        assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("giar-llm:"), result.stderr


def test_report_text_is_never_rich_markup(corpus: list[Case]) -> None:
    for name in ("markup_in_title.txt", "markup_slash_title.txt", "markup_blink_title.txt", "ansi_in_title.txt"):
        case = next(c for c in corpus if c.name == name)
        result = runner.invoke(app, ["extract", str(case.path), "--format", "table"], color=True)
        assert result.exit_code == 0, (name, result.output, result.exception)
        assert "\x1b[5m" not in result.stdout and "\x1b]8;" not in result.stdout and "\x1b]0;" not in result.stdout
    slash = next(c for c in corpus if c.name == "markup_slash_title.txt")
    assert "[/]政府办公室" in runner.invoke(app, ["extract", str(slash.path), "--format", "table"]).stdout
