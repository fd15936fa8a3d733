"""Settings: one frozen object, built in one place from flags and the environment.

Environment variables (flags win): GIAR_BACKEND (rules|llm|auto), GIAR_MODEL ("provider/model"),
GIAR_BASE_URL, GIAR_CACHE_DIR, GIAR_MAX_ROUNDS, GIAR_TIMEOUT (seconds to wait for one answer),
GIAR_CONNECT_TIMEOUT, GIAR_DEADLINE (seconds of model time per report), GIAR_MAX_TOKENS, GIAR_CONCURRENCY,
GIAR_FILE_TIMEOUT (seconds a batch gives one file), and the input limits of ``core.limits``
(GIAR_MAX_INPUT_MB, GIAR_MAX_UNPACKED_MB, GIAR_MAX_MARKUP_MB, GIAR_MAX_DEPTH, GIAR_MAX_DIGITS).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from giar_llm.core.limits import LIMIT_VARIABLES, Limits
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
    timeout: float = 180.0  # one answer (the read timeout): a table of a long report on a small CPU model
    connect_timeout: float = 10.0
    deadline: float = 600.0  # all the model calls of one report, retries included
    file_timeout: float | None = None  # batch: seconds one file may take (None: from deadline and backend)
    max_tokens: int = 4000
    max_retries: int = 4
    concurrency: int = 4
    limits: Limits = field(default_factory=Limits)
    secrets: tuple[str, ...] = ()  # configured keys, redacted from every stored error and log

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
            ("connect_timeout", float),
            ("deadline", float),
            ("file_timeout", float),
            ("max_tokens", int),
            ("concurrency", int),
        ):
            if (raw := env.get(f"GIAR_{key.upper()}")) is not None:
                try:
                    values[key] = cast(raw)
                except ValueError as exc:
                    raise ConfigError(f"GIAR_{key.upper()}={raw!r} is not a number") from exc
        values.update({k: v for k, v in flags.items() if v is not None})
        for key in ("timeout", "connect_timeout", "deadline", "file_timeout"):
            if key in values and not values[key] > 0:
                raise ConfigError(f"{key} must be a positive number of seconds, not {values[key]!r}")
        if "limits" not in values:
            values["limits"] = limits_from_env(env)
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


def limits_from_env(env: Mapping[str, str]) -> Limits:
    """``Limits`` with the ``GIAR_MAX_*`` variables that are set (sizes in MiB)."""
    changes: dict[str, int] = {}
    for variable, (name, unit) in LIMIT_VARIABLES.items():
        if (raw := env.get(variable)) is None:
            continue
        try:
            value = float(raw)
        except ValueError as exc:
            raise ConfigError(f"{variable}={raw!r} is not a number") from exc
        if not value > 0:
            raise ConfigError(f"{variable} must be positive, not {raw!r}")
        changes[name] = int(value * unit)
    return replace(Limits(), **changes)
