from __future__ import annotations

import pytest

from giar_llm.errors import ConfigError
from giar_llm.llm.providers import PROVIDERS, resolve

ENV = {"DEEPSEEK_API_KEY": "sk-deepseek", "OPENAI_API_KEY": "sk-openai", "GIAR_API_KEY": "sk-generic"}


def test_required_providers_are_rows() -> None:
    assert {"openai", "deepseek", "qwen", "zhipu", "moonshot", "vllm", "ollama", "local"} <= set(PROVIDERS)


def test_provider_model_string_resolves_to_its_own_url_and_key() -> None:
    endpoint = resolve("deepseek/deepseek-chat", env=ENV)
    assert (endpoint.base_url, endpoint.model, endpoint.api_key) == (
        "https://api.deepseek.com/v1",
        "deepseek-chat",
        "sk-deepseek",
    )
    assert endpoint.mode == "json_mode"


def test_a_key_is_never_sent_to_another_url() -> None:
    endpoint = resolve("deepseek/deepseek-chat", "http://127.0.0.1:9999/v1", env=ENV)
    assert endpoint.api_key == "sk-generic"
    endpoint = resolve("openai/gpt-4o-mini", "https://proxy.example/v1", env={"OPENAI_API_KEY": "sk-openai"})
    assert endpoint.api_key == "no-key"


def test_local_servers_need_no_key() -> None:
    endpoint = resolve("local/qwen2.5-coder-1.5b", "http://127.0.0.1:8766/v1", env={})
    assert endpoint.api_key == "no-key" and endpoint.mode == "json_schema_mode"


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("gpt-4o", "PROVIDER/MODEL"),
        ("nobody/model", "unknown provider"),
        ("moonshot/kimi", "MOONSHOT_API_KEY"),
        ("compatible/x", "--base-url"),
    ],
)
def test_configuration_errors_are_clear(model: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        resolve(model, env={})
