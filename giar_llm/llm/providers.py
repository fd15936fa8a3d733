"""Provider rows: adding a provider is adding a row.

A model string is ``provider/model`` (``deepseek/deepseek-chat``, ``local/qwen2.5-coder-1.5b``). The key is
read only from the row's own environment variable, and only sent to the row's own URL: with ``--base-url``
pointing elsewhere, the key comes from ``GIAR_API_KEY`` (never another provider's variable).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from giar_llm.core.redaction import register_secret
from giar_llm.errors import ConfigError


@dataclass(frozen=True)
class Provider:
    name: str
    base_url: str | None  # None: must be given with --base-url
    key_env: str | None  # None: no key needed (local servers)
    mode: str  # instructor Mode value: "json_schema_mode", "json_mode", "tool_call", ...
    extra: Mapping[str, Any] = field(default_factory=dict)  # extra request parameters


PROVIDERS: dict[str, Provider] = {
    p.name: p
    for p in (
        Provider("openai", "https://api.openai.com/v1", "OPENAI_API_KEY", "json_schema_mode"),
        Provider("deepseek", "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY", "json_mode"),
        Provider("qwen", "https://dashscope.aliyuncs.com/compatible-mode/v1", "DASHSCOPE_API_KEY", "json_mode"),
        Provider("zhipu", "https://open.bigmodel.cn/api/paas/v4", "ZHIPUAI_API_KEY", "json_mode"),
        Provider("moonshot", "https://api.moonshot.cn/v1", "MOONSHOT_API_KEY", "json_mode"),
        Provider("vllm", "http://127.0.0.1:8000/v1", None, "json_schema_mode"),
        Provider("ollama", "http://127.0.0.1:11434/v1", None, "json_schema_mode"),
        Provider("local", "http://127.0.0.1:8080/v1", None, "json_schema_mode"),  # llama.cpp llama-server
        Provider("compatible", None, "GIAR_API_KEY", "json_mode"),  # any other OpenAI-compatible endpoint
    )
}


@dataclass(frozen=True)
class Endpoint:
    """Everything needed to reach one model, resolved once."""

    provider: Provider
    model: str
    base_url: str
    api_key: str = field(repr=False)
    mode: str

    @property
    def label(self) -> str:
        return f"{self.provider.name}/{self.model}"


def resolve(model: str, base_url: str | None = None, env: Mapping[str, str] | None = None) -> Endpoint:
    """The endpoint for a ``provider/model`` string (and an optional --base-url override)."""
    env = os.environ if env is None else env
    name, sep, model_name = model.partition("/")
    if not sep or not model_name:
        raise ConfigError(f"model {model!r}: write it as PROVIDER/MODEL, e.g. deepseek/deepseek-chat")
    provider = PROVIDERS.get(name)
    if provider is None:
        raise ConfigError(f"unknown provider {name!r}: use one of {', '.join(PROVIDERS)}")
    url = (base_url or provider.base_url or "").rstrip("/")
    if not url:
        raise ConfigError(f"provider {name!r} needs --base-url")
    own_url = provider.base_url is not None and url == provider.base_url.rstrip("/")
    key_env = provider.key_env if (own_url or provider.base_url is None) else "GIAR_API_KEY"
    if provider.key_env is None and not own_url:
        key_env = "GIAR_API_KEY"  # a local provider at another address: only the generic key, if any
    api_key = env.get(key_env, "") if key_env else ""
    if not api_key:
        if provider.key_env is not None and own_url:
            raise ConfigError(f"provider {name!r} needs an API key in ${provider.key_env}")
        api_key = "no-key"  # local servers ignore it; the SDK requires a value
    if api_key != "no-key":
        register_secret(api_key)
    return Endpoint(provider=provider, model=model_name, base_url=url, api_key=api_key, mode=provider.mode)
