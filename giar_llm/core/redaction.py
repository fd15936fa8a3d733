"""Secrets never stored: API keys are cut out of every error, warning and log line before it is written.

An endpoint may echo the key it was sent in its error text ("Incorrect API key provided: sk-..."); that
text becomes an envelope's ``error``, a ``model_failed`` warning, a JSONL row. ``redact`` replaces the keys
this process was configured with (``register_secret``, called where a provider's key is resolved) and
anything shaped like a key (``sk-...``, ``Bearer ...``, ``api_key=...``) with ``[redacted]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

REDACTED = "[redacted]"
_MIN_SECRET = 6  # shorter configured "keys" (test dummies like "x") would blank out ordinary words

_SHAPES = re.compile(
    r"\bsk-[A-Za-z0-9_\-]{6,}"
    r"|(?i:\bbearer\s+)[A-Za-z0-9._~+/=\-]{6,}"
    r"|(?i:\b(?:api[_-]?key|access[_-]?token|authorization)\b[\"']?\s*[:=]\s*[\"']?)[A-Za-z0-9._~+/=\-]{6,}"
)

_registered: set[str] = set()


def register_secret(value: str | None) -> None:
    """Remember a configured key for this process, so that ``redact`` removes it wherever it appears."""
    if value and len(value) >= _MIN_SECRET:
        _registered.add(value)


def _shape(match: re.Match[str]) -> str:
    text = match.group(0)
    lowered = text.lower()
    if lowered.startswith("sk-"):
        return REDACTED
    for prefix in ("bearer", "api", "access", "authorization"):
        if lowered.startswith(prefix):
            head = re.match(r"(?i)(bearer\s+|[a-z_\-]+[\"']?\s*[:=]\s*[\"']?)", text)
            return (head.group(0) if head else "") + REDACTED
    return REDACTED


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every configured or key-shaped secret replaced by ``[redacted]``."""
    for secret in sorted({*_registered, *(s for s in secrets if s and len(s) >= _MIN_SECRET)}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return _SHAPES.sub(_shape, text)
