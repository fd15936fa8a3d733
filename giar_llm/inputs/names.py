"""File names as the file system has them: bytes, shown readably, kept verbatim.

On Linux a file name is bytes. A Windows archive unpacked by ``unzip`` leaves GBK bytes that are not
UTF-8; Python keeps them as lone surrogates (``surrogateescape``), which no UTF-8 file, JSON or CSV can
hold. ``readable`` is the name for people and for every output (UTF-8, or GB18030 when that decodes the
bytes, else the undecodable bytes as ``\\xNN``); ``verbatim`` is the exact bytes, percent-encoded, for
names that are not UTF-8, so the original can always be found again (``os.fsdecode(unquote_to_bytes(v))``).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote_from_bytes, unquote_to_bytes

__all__ = ["file_path", "readable", "verbatim"]


def _bytes(path: str | bytes | os.PathLike[str]) -> bytes:
    return os.fsencode(path)


def readable(path: str | bytes | os.PathLike[str]) -> str:
    """The name as text that any UTF-8 output can hold."""
    raw = _bytes(path)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "backslashreplace")


def verbatim(path: str | bytes | os.PathLike[str]) -> str | None:
    """The exact bytes of a name that is not UTF-8, percent-encoded; ``None`` for a UTF-8 name."""
    raw = _bytes(path)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return quote_from_bytes(raw, safe="/")
    return None


def file_path(raw: str) -> Path:
    """The path a ``verbatim`` string names."""
    return Path(os.fsdecode(unquote_to_bytes(raw)))
