"""The client against recorded exchanges with a real model (llama.cpp server, Qwen2.5-Coder-1.5B).

Cassettes replay offline (record mode none, matched on the request body). Two cassettes hold one
edited response each, named as such: ``client_malformed`` (the model's first answer replaced with
broken JSON; the re-ask and its answer are real) and ``client_rate_limited`` (a 429 with Retry-After
prepended to a real exchange): a small local model can't be made to produce those on demand.
"""

from __future__ import annotations

from pathlib import Path

import httpx2
import openai
import pytest

import giar_llm.errors as errors
from giar_llm.core.document import Document
from giar_llm.core.schema import ReviewLitigation, empty_report
from giar_llm.llm.cache import ResponseCache
from giar_llm.llm.client import ModelClient, error_table, map_error
from giar_llm.llm.extraction import extract_section
from giar_llm.llm.providers import resolve
from giar_llm.llm.sections import response_model
from giar_llm.settings import Settings

from ..conftest import REPORTS
from .cassettes import RECORDING_URL, recorder

SEED = REPORTS / "000_27f8f84a704e59bd.txt"


def client(tmp_path: Path, cache: bool = False, **changes: object) -> ModelClient:
    settings = Settings(backend="llm", model="local/local", base_url=RECORDING_URL, cache_dir=tmp_path, **changes)  # type: ignore[arg-type]
    store = ResponseCache(tmp_path / "responses") if cache else None
    return ModelClient(
        resolve(settings.model or "", settings.base_url, env={}), settings, "test", store, sleep=lambda s: None
    )


def messages(text: str) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": "只输出 JSON。"},
        {"role": "user", "content": f"抄录表四的 15 个数字：\n{text}"},
    ]


TABLE4 = SEED.read_text(encoding="utf-8").split("四、政府信息公开行政复议、行政诉讼情况")[1].split("五、")[0]


def test_clean_extraction_of_a_table(tmp_path: Path) -> None:
    model_client = client(tmp_path)
    with recorder().use_cassette("client_clean_table4"):
        result = extract_section(
            model_client, Document(SEED.read_text(encoding="utf-8")), empty_report("2021"), "四", {}, 2, False
        )
    assert result.error is None and result.unsure == {}
    assert all(v == 0 for v in result.values.values()) and len(result.values) == 15
    assert model_client.accounting.calls == 1
    assert model_client.accounting.tokens.prompt > 0 and model_client.accounting.tokens.completion > 0


def test_a_cached_rerun_makes_no_call(tmp_path: Path) -> None:
    first = client(tmp_path, cache=True)
    model = response_model("四", "2021", False)
    with recorder().use_cassette("client_cached"):
        answer = first.structured(messages(TABLE4), model)
    second = client(tmp_path, cache=True)
    with recorder().use_cassette("client_cached"):  # would fail on a second HTTP request: it was played once
        again = second.structured(messages(TABLE4), model)
    assert (second.accounting.calls, second.accounting.cache_hits) == (0, 1)
    assert again.value == answer.value and again.cached


def test_truncated_output_is_an_error_and_never_cached(tmp_path: Path) -> None:
    model_client = client(tmp_path, cache=True, max_tokens=24)
    with recorder().use_cassette("client_truncated"), pytest.raises(errors.TruncatedOutputError, match="max_tokens=24"):
        model_client.structured(messages(TABLE4), ReviewLitigation)
    assert model_client.accounting.tokens.completion == 24
    assert model_client.cache is not None and model_client.cache.stats()["entries"] == 0


def test_malformed_output_is_reasked_once(tmp_path: Path) -> None:
    model_client = client(tmp_path)
    with recorder().use_cassette("client_malformed"):
        answer = model_client.structured(messages(TABLE4), response_model("四", "2021", False))
    assert model_client.accounting.calls == 2
    assert model_client.accounting.failures == ["malformed"]
    assert answer.value.model_dump()["review"]["total"] == 0


def test_rate_limit_is_retried_after_the_servers_delay(tmp_path: Path) -> None:
    waits: list[float] = []
    model_client = client(tmp_path)
    model_client.sleep = waits.append
    with recorder().use_cassette("client_rate_limited"):
        model_client.structured(messages(TABLE4), response_model("四", "2021", False))
    assert waits == [2.0]
    assert model_client.accounting.calls == 2 and model_client.accounting.failures == ["RateLimitError"]


def test_error_table_covers_every_openai_error() -> None:
    mapped = {source for source, _ in error_table()}
    for name in dir(openai):
        exc = getattr(openai, name)
        if isinstance(exc, type) and issubclass(exc, openai.OpenAIError):
            assert any(issubclass(exc, m) for m in mapped), name
    request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
    original = openai.APIConnectionError(request=request)
    error = map_error(original)
    assert isinstance(error, errors.TransientModelError) and error.__cause__ is original
    for status, kind in (
        (429, errors.TransientModelError),
        (503, errors.TransientModelError),
        (401, errors.ModelError),
    ):
        response = httpx2.Response(status, headers={"retry-after": "3"}, request=request)
        mapped_error = map_error(openai.APIStatusError("x", response=response, body=None)) if status == 401 else None
        if status == 429:
            mapped_error = map_error(openai.RateLimitError("x", response=response, body=None))
        if status == 503:
            mapped_error = map_error(openai.InternalServerError("x", response=response, body=None))
        assert type(mapped_error) is kind
    assert (
        map_error(
            openai.RateLimitError(
                "x", response=httpx2.Response(429, headers={"retry-after": "3"}, request=request), body=None
            )
        ).retry_after
        == 3.0
    )  # type: ignore[attr-defined]


def test_requests_retries_and_cache_hits_are_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="giar_llm")
    model_client = client(tmp_path, cache=True)
    with recorder().use_cassette("client_rate_limited"):
        model_client.structured(messages(TABLE4), response_model("四", "2021", False))
    with recorder().use_cassette("client_rate_limited", allow_playback_repeats=True):
        model_client.structured(messages(TABLE4), response_model("四", "2021", False))
    text = caplog.text
    assert text.count("发送请求：") == 2 and "重试（第 1 次失败" in text and "缓存命中" in text
