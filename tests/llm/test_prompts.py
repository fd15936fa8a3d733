from __future__ import annotations

from pathlib import Path

import pytest

from giar_llm.errors import PromptError
from giar_llm.prompts import PROMPT_NAMES, _load, placeholders, prompt_version, render


def test_every_prompt_file_loads_and_is_chinese() -> None:
    for name in PROMPT_NAMES:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in render(name, **dict.fromkeys(placeholders(name), "x")))


def test_rendering_is_strict() -> None:
    with pytest.raises(PromptError, match="missing"):
        render("repair", failures="x")
    with pytest.raises(PromptError, match="unexpected"):
        render("system", extra="x")


def test_version_is_a_content_hash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    version = prompt_version()
    assert len(version) == 12
    for name in PROMPT_NAMES:
        text = (Path(__file__).resolve().parents[2] / "prompts" / f"{name}.md").read_text(encoding="utf-8")
        (tmp_path / f"{name}.md").write_text(text + ("\n改" if name == "repair" else ""), encoding="utf-8")
    monkeypatch.setenv("GIAR_PROMPTS_DIR", str(tmp_path))
    _load.cache_clear()
    assert prompt_version() != version
