"""The model client: one structured call = instructor builds the request, we send, retry, cache, parse.

instructor turns a pydantic model into the request for the endpoint's mode (json_schema, json, tools)
and parses the answer; the HTTP call itself is ours so that raw responses can be cached, transient
faults retried with tenacity (the SDK's own retries are off), and every attempt's tokens counted.

openai exceptions are mapped to giar-llm's in one table, ``error_table()``. openai, instructor and
tenacity are imported when a client is built or used, never by importing this module: a command that
reads without a model doesn't pay their start-up.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, Field, ValidationError

from giar_llm.core.cost import Cost
from giar_llm.core.redaction import redact
from giar_llm.errors import (
    DeadlineError,
    MalformedOutputError,
    ModelError,
    TransientModelError,
    TruncatedOutputError,
)
from giar_llm.llm.cache import ResponseCache, cache_key
from giar_llm.llm.providers import Endpoint
from giar_llm.settings import Settings

if TYPE_CHECKING:
    import openai
    from openai.types.chat import ChatCompletion

T = TypeVar("T", bound=BaseModel)
log = logging.getLogger(__name__)  # -v: every request sent, retried, or answered from the cache


@cache
def error_table() -> tuple[tuple[type[Exception], type[ModelError]], ...]:
    """openai exception -> our exception; most specific first."""
    import openai

    return (
        (openai.RateLimitError, TransientModelError),
        (openai.APITimeoutError, TransientModelError),
        (openai.APIConnectionError, TransientModelError),
        (openai.InternalServerError, TransientModelError),
        (openai.LengthFinishReasonError, TruncatedOutputError),
        (openai.APIResponseValidationError, MalformedOutputError),
        (openai.APIStatusError, ModelError),
        (openai.OpenAIError, ModelError),
    )


def map_error(exc: Exception) -> ModelError:
    """The giar-llm error for an openai exception, keeping the original as ``__cause__``; no key in its text."""
    for source, target in error_table():
        if isinstance(exc, source):
            status = getattr(exc, "status_code", None)
            text = redact(f"{type(exc).__name__}{f' {status}' if status else ''}: {exc}")
            error = (
                TransientModelError(text, retry_after=_retry_after(exc))
                if target is TransientModelError
                else target(text)
            )
            error.__cause__ = exc
            return error
    error = ModelError(redact(f"{type(exc).__name__}: {exc}"))
    error.__cause__ = exc
    return error


def _retry_after(exc: Exception) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    raw = headers.get("retry-after")
    try:
        return min(float(raw), 120.0) if raw is not None else None
    except ValueError:
        return None


def _wait(state: Any) -> float:
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, TransientModelError) and exc.retry_after is not None:
        return exc.retry_after
    return float(min(0.5 * 2 ** (state.attempt_number - 1), 8.0))


@dataclass
class Answer:
    """A parsed answer with the raw text it came from."""

    value: BaseModel
    content: str
    cached: bool


class Accounting(Cost):
    """The client's cost so far, and the kinds of its failed calls."""

    failures: list[str] = Field(default_factory=list)


class ModelClient:
    """Structured calls to one endpoint, with cache, retries and accounting."""

    def __init__(
        self,
        endpoint: Endpoint,
        settings: Settings,
        prompt_version: str,
        cache: ResponseCache | None = None,
        sdk: openai.OpenAI | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.endpoint = endpoint
        self.settings = settings
        self.prompt_version = prompt_version
        import instructor
        import openai

        self.cache = cache
        self.mode = instructor.Mode(endpoint.mode)
        self.sdk = sdk or openai.OpenAI(
            api_key=endpoint.api_key,
            base_url=endpoint.base_url,
            max_retries=0,
            timeout=openai.Timeout(settings.timeout, connect=settings.connect_timeout),
        )
        self.sleep = sleep
        self.clock = clock
        self.accounting = Accounting()
        self._deadline_at: float | None = None  # set by the first request: the report's model time starts then

    def remaining(self) -> float:
        """Seconds left of the per-report deadline (``settings.deadline``), counted from the first request."""
        if self._deadline_at is None:
            self._deadline_at = self.clock() + self.settings.deadline
        return self._deadline_at - self.clock()

    def _check_deadline(self) -> float:
        left = self.remaining()
        if left <= 0:
            self.accounting.failures.append("deadline")
            raise DeadlineError(
                f"no answer within the deadline of {self.settings.deadline:g} s for this report (GIAR_DEADLINE)"
            )
        return left

    def request_for(self, messages: list[dict[str, Any]], response_model: type[BaseModel]) -> dict[str, Any]:
        from instructor.processing.response import handle_response_model

        _, kwargs = handle_response_model(response_model, mode=self.mode, messages=messages)
        return {
            "model": self.endpoint.model,
            "temperature": self.settings.temperature,
            "max_tokens": self.settings.max_tokens,
            **dict(self.endpoint.provider.extra),
            **kwargs,
        }

    def structured(self, messages: list[dict[str, Any]], response_model: type[T]) -> Answer:
        """One answer of ``response_model``'s shape; a malformed answer is re-asked once, then raised."""
        conversation = list(messages)
        last_error: MalformedOutputError | None = None
        for _ in range(2):
            try:
                return self._structured_once(conversation, response_model)
            except MalformedOutputError as exc:
                last_error = exc
                content = getattr(exc, "content", "")
                conversation = [
                    *messages,
                    {"role": "assistant", "content": content},
                    {
                        "role": "user",
                        "content": f"上面的输出不是符合 JSON Schema 的 JSON（{exc}）。请只输出正确的 JSON。",
                    },
                ]
        assert last_error is not None
        raise last_error

    def _structured_once(self, messages: list[dict[str, Any]], response_model: type[T]) -> Answer:
        from instructor.core import InstructorError
        from instructor.processing.response import process_response
        from openai.types.chat import ChatCompletion

        request = self.request_for(messages, response_model)
        key = cache_key(self.endpoint.base_url, self.endpoint.model, request, self.prompt_version)
        raw = self.cache.get(key) if (self.cache is not None and self.settings.use_cache) else None
        cached = raw is not None
        if raw is None:
            raw = self._send(request)
        else:
            self.accounting.cache_hits += 1
            log.info("缓存命中：%s %s（不发送请求）", self.endpoint.model, response_model.__name__)
        completion = ChatCompletion.model_validate(raw)
        choice = completion.choices[0] if completion.choices else None
        content = _content_of(completion)
        if choice is not None and choice.finish_reason == "length":
            self.accounting.failures.append("truncated")
            raise TruncatedOutputError(
                f"the answer was cut off at max_tokens={self.settings.max_tokens} ({len(content)} characters)"
            )
        try:
            value = process_response(completion, response_model=response_model, stream=False, mode=self.mode)
        except (ValidationError, json.JSONDecodeError, ValueError, InstructorError) as exc:
            self.accounting.failures.append("malformed")
            error = MalformedOutputError(f"not JSON of the schema: {str(exc).splitlines()[0][:200]}")
            error.content = content  # type: ignore[attr-defined]
            raise error from exc
        if not isinstance(value, response_model):
            raise MalformedOutputError(f"expected {response_model.__name__}, got {type(value).__name__}")
        if not cached and self.cache is not None and self.settings.use_cache:
            self.cache.set(key, raw)
        return Answer(value=value, content=content, cached=cached)

    def _send(self, request: dict[str, Any]) -> dict[str, Any]:
        from tenacity import Retrying, retry_if_exception_type, stop_after_attempt

        retrying = Retrying(
            retry=retry_if_exception_type(TransientModelError),
            stop=stop_after_attempt(max(1, self.settings.max_retries + 1)),
            wait=lambda state: min(_wait(state), max(self.remaining(), 0.0)),
            sleep=self.sleep,
            reraise=True,
            before_sleep=_log_retry,
        )
        result: dict[str, Any] = retrying(self._send_once, request)
        return result

    def _send_once(self, request: dict[str, Any]) -> dict[str, Any]:
        import openai
        from openai.types.chat import ChatCompletion

        left = self._check_deadline()
        timeout = openai.Timeout(min(self.settings.timeout, left), connect=min(self.settings.connect_timeout, left))
        started = time.perf_counter()
        self.accounting.calls += 1
        log.info(
            "发送请求：%s @ %s（%d 条消息）",
            self.endpoint.model,
            self.endpoint.base_url,
            len(request.get("messages", [])),
        )
        try:
            completion = self.sdk.chat.completions.create(**request, timeout=timeout)
        except openai.OpenAIError as exc:
            self.accounting.failures.append(type(exc).__name__)
            raise map_error(exc) from exc
        finally:
            self.accounting.seconds += time.perf_counter() - started
        if not isinstance(completion, ChatCompletion):  # a 200 whose body is not JSON: a proxy's HTML page
            self.accounting.failures.append("not_json")
            shown = redact(" ".join(str(completion).split())[:120])
            raise ModelError(f"the endpoint answered 200 with a body that is not a chat completion: {shown!r}")
        if completion.usage is not None:
            self.accounting.tokens.prompt += completion.usage.prompt_tokens or 0
            self.accounting.tokens.completion += completion.usage.completion_tokens or 0
        data: dict[str, Any] = completion.model_dump(mode="json", exclude_unset=True)
        return data


def _log_retry(state: Any) -> None:
    exc = state.outcome.exception() if state.outcome else None
    wait = state.next_action.sleep if state.next_action else 0.0
    log.info("重试（第 %d 次失败：%s），%.1f 秒后再发", state.attempt_number, exc, wait)


def _content_of(completion: ChatCompletion) -> str:
    from openai.types.chat import ChatCompletionMessageFunctionToolCall

    if not completion.choices:
        return ""
    message = completion.choices[0].message
    if message.content:
        return message.content
    if message.tool_calls:
        calls = [c for c in message.tool_calls if isinstance(c, ChatCompletionMessageFunctionToolCall)]
        return "".join(call.function.arguments or "" for call in calls)
    return ""
