"""vcrpy set-up for the model-path tests: replay only, matched on the request body, bodies readable.

Cassettes are YAML with every JSON body stored as data (``body_json``), Chinese left readable, and the
Authorization header filtered. To record against a local server: GIAR_RECORD=1 pytest tests/llm (GIAR_RECORD=new adds new
exchanges to an existing cassette).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import vcr
import yaml

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"  # standalone: .ci/installed_check.py loads this file
RECORDING_URL = "http://127.0.0.1:8766/v1"  # the local llama.cpp server the cassettes were recorded from


def _as_text(body: Any) -> str | None:
    if body is None:
        return None
    if isinstance(body, bytes):
        return body.decode("utf-8")
    return str(body)


class ReadableJson:
    """A vcrpy serializer: YAML with JSON bodies as data and unicode left as is."""

    @staticmethod
    def serialize(cassette: dict[str, Any]) -> str:
        for interaction in cassette["interactions"]:
            request, response = interaction["request"], interaction["response"]
            text = _as_text(request.pop("body", None))
            request["body_json"] = json.loads(text) if text else None
            body = response.pop("body", {}) or {}
            text = _as_text(body.get("string"))
            try:
                response["body_json"] = json.loads(text) if text else None
            except json.JSONDecodeError:
                response["body_text"] = text
            for name in list(response.get("headers", {})):
                if name.lower() in ("date", "server", "keep-alive"):
                    del response["headers"][name]
        return yaml.safe_dump(cassette, allow_unicode=True, sort_keys=False, width=120)

    @staticmethod
    def deserialize(text: str) -> dict[str, Any]:
        cassette: dict[str, Any] = yaml.safe_load(text)
        for interaction in cassette["interactions"]:
            request, response = interaction["request"], interaction["response"]
            body = request.pop("body_json", None)
            request["body"] = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
            if "body_text" in response:
                response["body"] = {"string": response.pop("body_text").encode("utf-8")}
            else:
                data = response.pop("body_json", None)
                response["body"] = {"string": json.dumps(data, ensure_ascii=False).encode("utf-8")}
        return cassette


def _same_json_body(r1: Any, r2: Any) -> None:
    def parse(body: Any) -> Any:
        text = _as_text(body)
        return json.loads(text) if text else None

    assert parse(r1.body) == parse(r2.body), "request body differs from the cassette (prompt or schema changed?)"


def recorder() -> vcr.VCR:
    mode = {"1": "once", "new": "new_episodes"}.get(os.environ.get("GIAR_RECORD", ""), "none")
    v = vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        serializer="readable_json",
        record_mode=mode,
        match_on=["method", "uri", "json_body"],
        filter_headers=["authorization", "x-stainless-os", "x-stainless-arch", "x-stainless-runtime-version"],
        decode_compressed_response=True,
        path_transformer=lambda p: p if p.endswith(".yaml") else p + ".yaml",
    )
    v.register_serializer("readable_json", ReadableJson)
    v.register_matcher("json_body", _same_json_body)
    return v


def cassette_path(name: str) -> Path:
    return CASSETTES / f"{name}.yaml"
