"""A fake extractor: answers from a queue, records the conversations it was sent."""

from __future__ import annotations

import json
from typing import Any

from giar_llm.errors import ModelError
from giar_llm.llm.client import Answer


class FakeExtractor:
    def __init__(self, *answers: dict[str, Any] | ModelError) -> None:
        self.answers = list(answers)
        self.conversations: list[list[dict[str, Any]]] = []

    def structured(self, messages: list[dict[str, Any]], response_model: type[Any]) -> Answer:
        self.conversations.append(list(messages))
        if not self.answers:
            raise AssertionError("the fake extractor ran out of answers")
        answer = self.answers.pop(0)
        if isinstance(answer, ModelError):
            raise answer
        value = response_model.model_validate(answer)
        return Answer(value=value, content=json.dumps(answer, ensure_ascii=False), cached=False)
