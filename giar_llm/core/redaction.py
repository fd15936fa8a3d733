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
    r"(?P<head>(?i:\b(?:api[_-]?key|access[_-]?token|authorization)\b[\"']?\s*[:=]\s*[\"']?(?:bearer\s+)?)"
    r"|(?i:\bbearer\s+)|)"
    r"(?P<secret>(?<=[\s:=\"'])[A-Za-z0-9._~+/=\-]{6,}|\bsk-[A-Za-z0-9_\-]{6,})"
)

_registered: set[str] = set()


def register_secret(value: str | None) -> None:
    """Remember a configured key for this process, so that ``redact`` removes it wherever it appears."""
    if value and len(value) >= _MIN_SECRET:
        _registered.add(value)


def _shape(match: re.Match[str]) -> str:
    if not match.group("head") and not match.group("secret").lower().startswith("sk-"):
        return match.group(0)  # a word that merely follows a space: not a key
    return match.group("head") + REDACTED


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every configured or key-shaped secret replaced by ``[redacted]``."""
    for secret in sorted({*_registered, *(s for s in secrets if s and len(s) >= _MIN_SECRET)}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return _SHAPES.sub(_shape, text)
