"""Small pieces of reliability: redaction, file names as bytes, a second report in one file, limits from env."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from giar_llm.core.document import Document
from giar_llm.core.limits import Limits, digit_run_error
from giar_llm.core.redaction import redact, register_secret
from giar_llm.errors import ConfigError
from giar_llm.inputs import load_bytes
from giar_llm.inputs.names import file_path, readable, verbatim
from giar_llm.pipeline import extract_loaded
from giar_llm.reader import read
from giar_llm.settings import Settings

from .conftest import REPORTS


def test_key_shapes_and_configured_keys_are_redacted() -> None:
    register_secret("my-configured-secret-42")
    text = (
        "401: Incorrect API key provided: sk-proj-AbC123xyz789; header Authorization: Bearer abc.def-123456; "
        "api_key=qwerty123456 and my-configured-secret-42"
    )
    cleaned = redact(text)
    for secret in ("sk-proj-AbC123xyz789", "abc.def-123456", "qwerty123456", "my-configured-secret-42"):
        assert secret not in cleaned
    assert cleaned.count("[redacted]") == 4 and "Bearer [redacted]" in cleaned
    assert redact("本年新收 9 件，予以公开 sk") == "本年新收 9 件，予以公开 sk"


def test_a_name_that_is_not_utf8_reads_as_gb18030_and_round_trips() -> None:
    raw = "政府信息公开.txt".encode("gbk")
    name = os.fsdecode(raw)
    assert readable(name) == "政府信息公开.txt"
    kept = verbatim(name)
    assert kept is not None and os.fsencode(file_path(kept)) == raw
    assert verbatim("政府信息公开.txt") is None
    assert readable(os.fsdecode(b"\xff\xfe\x80x")).endswith("x")


def test_two_sets_of_tables_are_warned_and_never_verified() -> None:
    one = (REPORTS / "002_466e71db95901446.txt").read_text(encoding="utf-8")
    other = (REPORTS / "hongze-2024.pypdf.txt").read_text(encoding="utf-8")
    assert not any(w.check == "two_reports" for w in read(Document(one)).warnings)
    envelope = extract_loaded(load_bytes((one + "\n\n" + other).encode(), "two.txt"), Settings())
    assert envelope.status == "unverified"
    assert [w.check for w in envelope.warnings].count("two_reports") == 1


def test_every_gold_input_reads_without_a_two_reports_warning() -> None:
    for path in sorted(REPORTS.iterdir()):
        envelope = extract_loaded(load_bytes(path.read_bytes(), path.name), Settings())
        assert not any(w.check == "two_reports" for w in envelope.warnings), path.name


def test_limits_come_from_the_environment(tmp_path: Path) -> None:
    settings = Settings.from_env({"GIAR_MAX_INPUT_MB": "0.5", "GIAR_MAX_DIGITS": "50"})
    assert settings.limits == Limits(input_bytes=1 << 19, digits=50)
    with pytest.raises(ConfigError):
        Settings.from_env({"GIAR_MAX_DEPTH": "deep"})
    assert digit_run_error("予以公开 " + "1" * 51, 50) is not None
    assert digit_run_error("予以公开 " + "1" * 50, 50) is None
