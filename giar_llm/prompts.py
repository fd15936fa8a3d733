"""Prompt files: loaded from ``prompts/``, rendered strictly, versioned by content hash.

The top-level ``prompts/`` folder is the source of truth; building the package copies it into
``giar_llm/_prompts/`` (setup.py), so an installed wheel carries the same files.

A placeholder is written ``{{name}}``. Rendering fails (PromptError) when a placeholder has no value
or a value has no placeholder, so a prompt edit and the code can't silently drift apart. The version
is a short hash of every prompt file's name and content: it goes into every result and cache key.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import cache
from pathlib import Path

from giar_llm.errors import PromptError

PROMPT_NAMES = ("system", "extract", "repair", "choose")
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def prompts_dir() -> Path:
    """GIAR_PROMPTS_DIR, else the copy an installed package carries, else the checkout's ``prompts/``."""
    override = os.environ.get("GIAR_PROMPTS_DIR")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    packaged = here / "_prompts"
    return packaged if packaged.is_dir() else here.parent / "prompts"


@cache
def _load(folder: Path) -> dict[str, str]:
    texts = {}
    for name in PROMPT_NAMES:
        path = folder / f"{name}.md"
        try:
            texts[name] = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise PromptError(f"prompt file missing: {path}") from exc
    return texts


def load_prompts() -> dict[str, str]:
    return _load(prompts_dir())


def prompt_version() -> str:
    digest = hashlib.sha256()
    for name, text in sorted(load_prompts().items()):
        digest.update(name.encode() + b"\0" + text.encode("utf-8") + b"\0")
    return digest.hexdigest()[:12]


def placeholders(name: str) -> set[str]:
    return set(_PLACEHOLDER.findall(load_prompts()[name]))


def render(name: str, **values: str) -> str:
    """The named prompt with every ``{{placeholder}}`` filled; extra or missing values are errors."""
    template = load_prompts().get(name)
    if template is None:
        raise PromptError(f"unknown prompt {name!r}")
    wanted = placeholders(name)
    missing, extra = wanted - values.keys(), values.keys() - wanted
    if missing or extra:
        raise PromptError(
            f"prompt {name!r}: missing {sorted(missing)}, unexpected {sorted(extra)}"
            if missing
            else f"prompt {name!r}: unexpected {sorted(extra)}"
        )
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)
