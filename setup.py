"""Build steps that pyproject.toml can't declare.

1. The top-level ``prompts/`` folder (the source of truth) is copied into the built package: an installed wheel
   finds its prompts at ``giar_llm/_prompts/`` (see giar_llm/prompts.py); a checkout reads ``prompts/`` directly.
2. The reader and the core's per-report modules (the hot path, pure and fully typed) are compiled to C extensions
   with mypyc when a wheel is built (``pip install .``, ``pip wheel .``). The ``.py`` files ship beside them and are
   the same code: an editable install (``pip install -e .``), ``GIAR_LLM_PURE=1``, a build without mypyc or a C
   compiler give the pure-Python package, which reads every report the same way (``.ci/run`` runs the whole test
   suite on a compiled build and compares the two readers over the eval inputs and fuzzed documents). ``giar_llm.reader.compiled()`` says which one is running.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent

# The modules compiled: the reader, and the pure core that each report goes through after it (the checker, the
# reconciliation into evidence levels, the verdict, the data package's tables). None defines a pydantic model,
# and none imports beyond the standard library, pydantic and the core.
COMPILED = [
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "giar_llm" / "reader").glob("*.py")),
    *(
        f"giar_llm/core/{name}.py"
        for name in (
            "arithmetic",
            "checker",
            "constraints",
            "levels",
            "locator",
            "paths",
            "reconcile",
            "tabular",
            "verdict",
        )
    ),
]

# setup.py also runs to answer metadata questions (egg_info, dist_info, sdist): compile only for a build.
_BUILDS = {"bdist_wheel", "build", "build_ext", "install"}


class BuildWithPrompts(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "giar_llm" / "_prompts"
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted((ROOT / "prompts").glob("*.md")):
            shutil.copyfile(path, target / path.name)


def _extensions() -> list[Extension]:
    """The mypyc extensions for a wheel build, or none (pure Python) when not building, when editable, when
    ``GIAR_LLM_PURE`` is set, or when mypyc is not there. A failing C compile falls back to pure Python too
    (the extensions are optional)."""
    if os.environ.get("GIAR_LLM_PURE") or "editable_wheel" in sys.argv or not _BUILDS & set(sys.argv):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("giar-llm: mypyc not found, building pure Python", file=sys.stderr)
        return []
    os.chdir(ROOT)  # mypycify takes paths relative to the project, where pyproject.toml configures mypy
    extensions: list[Extension] = mypycify(COMPILED, opt_level="3")
    for extension in extensions:
        extension.optional = True
        if sys.platform.startswith("linux"):
            # Calls into libpython straight through the GOT rather than a PLT stub, and calls between the
            # extension's own functions bound at link time: fewer indirect jumps a report (measured with
            # cachegrind over the eval reports: branch mispredictions -8%, estimated cycles -2.4%).
            extension.extra_compile_args = [*extension.extra_compile_args, "-fno-semantic-interposition", "-fno-plt"]
    return extensions


setup(cmdclass={"build_py": BuildWithPrompts}, ext_modules=_extensions())
