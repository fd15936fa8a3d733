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
    real: str = ""  # the resolved absolute path, when the listing found it on the way ("" : not known)

    def resolved(self) -> str:
        """The absolute path with every symlink resolved (``os.path.realpath``; never raises)."""
        return self.real or os.path.realpath(self.path)


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _folder_files(folder: Path) -> Iterator[InputFile]:
    """Every file below ``folder`` as ``os.walk`` lists them (top-down, names sorted, hidden names and
    symlinked folders not entered), each with its resolved path made on the way: one ``scandir`` per folder,
    a ``realpath`` only for a symlink."""
    label = folder.resolve().name or "root"
    yield from _walk(str(folder), os.path.realpath(folder), label)


def _walk(top: str, real: str, relative: str) -> Iterator[InputFile]:
    try:
        with os.scandir(top) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError:
        return  # as os.walk: a folder that can't be listed is left out
    folders: list[os.DirEntry[str]] = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if not entry.name.startswith("."):
                folders.append(entry)
        elif not entry.name.startswith("."):
            path = os.path.join(top, entry.name)
            resolved = os.path.realpath(path) if entry.is_symlink() else os.path.join(real, entry.name)
            yield InputFile(Path(path), Path(relative, entry.name), resolved)
    for entry in folders:
        if not entry.is_symlink():  # os.walk does not follow symlinked folders
            yield from _walk(os.path.join(top, entry.name), os.path.join(real, entry.name), f"{relative}/{entry.name}")


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
    seen: set[str] = set()
    excluded = str(exclude.resolve()) if exclude is not None else None
    below = excluded.rstrip(os.sep) + os.sep if excluded is not None else None
    out: list[InputFile] = []
    for item in inputs:
        for found in _expand_one(item):
            absolute = found.resolved()  # never raises: a symlink loop is failed later, by name
            if absolute in seen or (below is not None and (absolute == excluded or absolute.startswith(below))):
                continue
            seen.add(absolute)
            out.append(found if found.real else InputFile(found.path, found.relative, absolute))
    return out
