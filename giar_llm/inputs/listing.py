"""Which files a command works on: files, folders (recursive, hidden names skipped) and glob patterns."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class InputFile:
    path: Path  # as it will appear in the envelope's source.path
    relative: Path  # relative to the folder or glob it was found under (for the result's name)


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _folder_files(folder: Path) -> Iterator[InputFile]:
    label = folder.resolve().name or "root"
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        base = Path(dirpath)
        for name in sorted(filenames):
            if not name.startswith("."):
                path = base / name
                yield InputFile(path, label / path.relative_to(folder))


def _glob_base(pattern: str) -> Path:
    """The folder part of a glob pattern before its first wildcard."""
    fixed: list[str] = []
    for part in Path(pattern).parts[:-1]:
        if _GLOB_CHARS & set(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path()


def _expand_one(item: Path | str) -> Iterator[InputFile]:
    text = str(item)
    path = Path(item)
    if path.is_dir():
        yield from _folder_files(path)
    elif path.exists() or not (_GLOB_CHARS & set(text)):
        yield InputFile(path, Path(path.name))  # a missing file becomes a failed result, not a silent gap
    else:
        base = _glob_base(text)
        for match in sorted(glob.glob(text, recursive=True)):
            found = Path(match)
            if found.is_dir():
                yield from _folder_files(found)
            elif found.is_file():
                try:
                    relative = found.relative_to(base)
                except ValueError:
                    relative = Path(found.name)
                if not _hidden(relative):
                    yield InputFile(found, relative)


def expand_inputs(inputs: Sequence[Path | str], exclude: Path | None = None) -> list[Path]:
    """Files, folders (recursive, hidden names skipped) and glob patterns, in order, without duplicates."""
    return [i.path for i in list_inputs(inputs, exclude)]


def list_inputs(inputs: Sequence[Path | str], exclude: Path | None = None) -> list[InputFile]:
    """Each input file with the path relative to the folder or glob it was found under."""
    seen: set[Path] = set()
    excluded = exclude.resolve() if exclude is not None else None
    out: list[InputFile] = []
    for item in inputs:
        for found in _expand_one(item):
            absolute = Path(os.path.realpath(found.path))  # never raises: a symlink loop is failed later, by name
            if absolute in seen or (excluded is not None and absolute.is_relative_to(excluded)):
                continue
            seen.add(absolute)
            out.append(found)
    return out
