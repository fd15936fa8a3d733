"""The response cache: raw model responses on disk, keyed on everything that changes the answer.

The key is a hash of the endpoint URL, the model, the complete request body (rendered messages,
response schema, generation parameters), the schema hash and the prompt version. Only responses that
parsed as a valid answer are stored; truncated or malformed ones never are.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any


def cache_key(base_url: str, model: str, request: dict[str, Any], prompt_version: str) -> str:
    canonical = json.dumps(
        {"url": base_url, "model": model, "request": request, "prompt_version": prompt_version},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ResponseCache:
    def __init__(self, folder: Path) -> None:
        import diskcache  # here, not at import: a command without a model never opens the cache

        self.folder = folder
        self._cache: Any = diskcache.Cache(str(folder))

    def get(self, key: str) -> dict[str, Any] | None:
        value = self._cache.get(key)
        return value if isinstance(value, dict) else None

    def set(self, key: str, response: dict[str, Any]) -> None:
        self._cache.set(key, response)

    def stats(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "entries": len(self._cache), "bytes": self._cache.volume()}

    def clear(self) -> int:
        return int(self._cache.clear())

    def close(self) -> None:
        self._cache.close()
