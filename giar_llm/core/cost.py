"""The one cost record: model calls, cache hits, tokens and seconds, for a call, a report, an eval or a batch.

The envelope's ``run`` (``RunInfo``) is a cost plus how the report was made; the model client accumulates
one, the eval sums the reports' costs, the batch sums the costs of the work it did itself.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["Cost", "Tokens"]


class Tokens(BaseModel):
    prompt: int = 0
    completion: int = 0

    @property
    def total(self) -> int:
        return self.prompt + self.completion


class Cost(BaseModel):
    calls: int = 0
    cache_hits: int = 0
    tokens: Tokens = Field(default_factory=Tokens)
    seconds: float = 0.0

    def add(self, other: Cost) -> None:
        self.calls += other.calls
        self.cache_hits += other.cache_hits
        self.tokens.prompt += other.tokens.prompt
        self.tokens.completion += other.tokens.completion
        self.seconds = round(self.seconds + other.seconds, 6)

    def cost(self) -> Cost:
        """The cost part alone (of a ``RunInfo``, say)."""
        return Cost(calls=self.calls, cache_hits=self.cache_hits, tokens=self.tokens.model_copy(), seconds=self.seconds)
