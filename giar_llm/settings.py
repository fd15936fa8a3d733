"""Settings: one frozen object, built in one place from flags and the environment.

Environment variables (flags win): GIAR_BACKEND (rules|llm|auto), GIAR_MODEL ("provider/model"),
GIAR_BASE_URL, GIAR_CACHE_DIR, GIAR_MAX_ROUNDS, GIAR_TIMEOUT, GIAR_MAX_TOKENS, GIAR_CONCURRENCY.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from giar_llm.errors import ConfigError

Backend = Literal["rules", "llm", "auto"]
BACKENDS: tuple[str, ...] = ("rules", "llm", "auto")


def default_cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "giar-llm"


@dataclass(frozen=True)
class Settings:
    backend: Backend = "rules"
    model: str | None = None
    base_url: str | None = None
    cache_dir: Path = field(default_factory=default_cache_dir)
    use_cache: bool = True
    max_rounds: int = 2
    temperature: float = 0.0
    timeout: float = 900.0
    max_tokens: int = 4000
    max_retries: int = 4
    concurrency: int = 4

    @property
    def model_configured(self) -> bool:
        return self.model is not None

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **flags: Any) -> Settings:
        """Settings from the environment, overridden by the flags that are not None."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        if model := env.get("GIAR_MODEL"):
            values["model"] = model
        if base_url := env.get("GIAR_BASE_URL"):
            values["base_url"] = base_url
        if cache := env.get("GIAR_CACHE_DIR"):
            values["cache_dir"] = Path(cache)
        for key, cast in (
            ("max_rounds", int),
            ("timeout", float),
            ("max_tokens", int),
            ("concurrency", int),
        ):
            if (raw := env.get(f"GIAR_{key.upper()}")) is not None:
                try:
                    values[key] = cast(raw)
                except ValueError as exc:
                    raise ConfigError(f"GIAR_{key.upper()}={raw!r} is not a number") from exc
        values.update({k: v for k, v in flags.items() if v is not None})
        backend = values.get("backend") or env.get("GIAR_BACKEND")
        if backend is None:
            backend = "auto" if values.get("model") else "rules"
        if backend not in BACKENDS:
            raise ConfigError(f"unknown backend {backend!r}: use one of {', '.join(BACKENDS)}")
        if backend != "rules" and not values.get("model"):
            raise ConfigError(f"--backend {backend} needs a model: --model PROVIDER/NAME or GIAR_MODEL")
        values["backend"] = backend
        if "cache_dir" in values:
            values["cache_dir"] = Path(values["cache_dir"])
        return cls(**values)
