"""Every test runs isolated from the user's environment: its own cache folder, dummy keys, no live model."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "evals" / "reports"
GOLD = ROOT / "evals" / "gold"


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("GIAR_CACHE_DIR", str(home / "cache"))
    for name in ("OPENAI_API_KEY", "DEEPSEEK_API_KEY", "DASHSCOPE_API_KEY", "ZHIPUAI_API_KEY", "MOONSHOT_API_KEY"):
        monkeypatch.setenv(name, "test-key-not-real")
    for name in ("GIAR_MODEL", "GIAR_BASE_URL", "GIAR_API_KEY", "GIAR_BACKEND"):
        monkeypatch.delenv(name, raising=False)
