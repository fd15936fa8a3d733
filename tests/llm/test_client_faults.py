"""An endpoint that misbehaves: stalls, answers a 200 HTML page, echoes the key; a dead endpoint under
``--backend llm``. Served by an in-process transport, never the network."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx2
import openai
import pytest

import giar_llm.errors as errors
from giar_llm.core.schema import ReviewLitigation
from giar_llm.inputs import load_input
from giar_llm.llm.client import ModelClient
from giar_llm.llm.providers import resolve
from giar_llm.pipeline import extract_loaded
from giar_llm.settings import Settings

from ..conftest import REPORTS

KEY = "sk-live-0123456789abcdefXYZ"
MESSAGES = [{"role": "user", "content": "抄录表四"}]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def client_for(
    handler: Callable[[httpx2.Request], httpx2.Response], clock: Clock | None = None, **changes: object
) -> ModelClient:
    settings = Settings(backend="llm", model="compatible/m", base_url="http://fake.invalid/v1", **changes)  # type: ignore[arg-type]
    endpoint = resolve("compatible/m", "http://fake.invalid/v1", env={"GIAR_API_KEY": KEY})
    sdk = openai.OpenAI(
        api_key=endpoint.api_key,
        base_url=endpoint.base_url,
        max_retries=0,
        http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
    )
    clock = clock or Clock()
    return ModelClient(endpoint, settings, "test", None, sdk=sdk, sleep=clock.sleep, clock=clock)


def test_a_200_html_page_is_a_model_error_not_a_crash() -> None:
    def html(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            200, text="<html><body>Gateway login</body></html>", headers={"content-type": "text/html"}
        )

    with pytest.raises(errors.ModelError, match="not a chat completion"):
        client_for(html).structured(MESSAGES, ReviewLitigation)


def test_a_stalled_endpoint_stops_at_the_report_deadline() -> None:
    clock = Clock()
    attempts: list[float] = []

    def stall(request: httpx2.Request) -> httpx2.Response:
        attempts.append(request.extensions["timeout"]["read"])
        clock.now += 40.0  # the read timeout ran out after 40 s
        raise httpx2.ReadTimeout("timed out", request=request)

    model_client = client_for(stall, clock, timeout=40.0, deadline=100.0, max_retries=10)
    with pytest.raises(errors.ModelError, match="deadline of 100 s"):
        model_client.structured(MESSAGES, ReviewLitigation)
    assert len(attempts) == 3 and clock.now <= 100.0 + 40.0
    assert attempts[-1] <= 100.0 - 80.0 + 1  # the last attempt only gets what is left of the deadline


def test_defaults_are_seconds_not_hours() -> None:
    settings = Settings()
    assert settings.timeout <= 300 and settings.connect_timeout <= 30 and settings.deadline <= 900
    env = Settings.from_env({"GIAR_TIMEOUT": "5", "GIAR_CONNECT_TIMEOUT": "1", "GIAR_DEADLINE": "20"})
    assert (env.timeout, env.connect_timeout, env.deadline) == (5.0, 1.0, 20.0)
    with pytest.raises(errors.ConfigError):
        Settings.from_env({"GIAR_DEADLINE": "0"})


def test_a_key_echoed_by_the_endpoint_is_never_stored(tmp_path: Path) -> None:
    def echo(request: httpx2.Request) -> httpx2.Response:
        key = request.headers["authorization"]
        return httpx2.Response(401, json={"error": {"message": f"Incorrect API key provided: {key} ({KEY})"}})

    settings = Settings(backend="llm", model="compatible/m", base_url="http://fake.invalid/v1", max_rounds=0)
    model_client = client_for(echo)
    loaded = load_input(REPORTS / "000_27f8f84a704e59bd.txt")
    envelope = extract_loaded(loaded, settings, model_client)
    stored = json.dumps(envelope.to_json(), ensure_ascii=False)
    assert KEY not in stored and KEY[3:] not in stored and "[redacted]" in stored


def test_a_dead_endpoint_under_backend_llm_is_degraded_never_verified() -> None:
    def dead(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("connection refused", request=request)

    settings = Settings(backend="llm", model="compatible/m", base_url="http://fake.invalid/v1", max_retries=1)
    envelope = extract_loaded(load_input(REPORTS / "000_27f8f84a704e59bd.txt"), settings, client_for(dead))
    assert envelope.run.degraded
    assert envelope.status != "verified"
    assert any(w.check == "degraded" for w in envelope.warnings)
