"""Build step: the top-level ``prompts/`` folder (the source of truth) is copied into the built package.

An installed wheel then finds its prompts at ``giar_llm/_prompts/`` (see giar_llm/prompts.py); a checkout
reads ``prompts/`` directly. Everything else is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithPrompts(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "giar_llm" / "_prompts"
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted((ROOT / "prompts").glob("*.md")):
            shutil.copyfile(path, target / path.name)


setup(cmdclass={"build_py": BuildWithPrompts})
