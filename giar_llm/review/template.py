"""The page templates shipped as package data, filled with inline CSS, JavaScript and one JSON blob."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from typing import Any

_PLACEHOLDER = re.compile(r"\{\{(TITLE|STYLE|DATA|SCRIPT)\}\}")


@cache
def asset(name: str) -> str:
    return files("giar_llm.review").joinpath("assets", name).read_text(encoding="utf-8")


def script_json(data: Any) -> str:
    """JSON safe inside a ``<script type="application/json">`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def fill(template: str, title: str, data: Any, script: str) -> str:
    """The template with its title, style, data and script placed (placeholders found in the template only,
    so text inside the data can never be taken for one)."""
    parts = {
        "TITLE": _escape(title),
        "STYLE": asset("review.css"),
        "DATA": script_json(data),
        "SCRIPT": asset(script),
    }
    pieces = _PLACEHOLDER.split(asset(template))
    return "".join(parts[piece] if i % 2 else piece for i, piece in enumerate(pieces))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
