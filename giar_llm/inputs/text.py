"""Plain-text inputs: decoding bytes of an unknown encoding, and text/markdown documents."""

from __future__ import annotations

import codecs
import re

from giar_llm.core.document import Document
from giar_llm.errors import InputError

# GBK and GB2312 are subsets of GB18030: decoding with the superset never loses a character.
_ALIASES: dict[str, str] = {
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "euc-cn": "gb18030",
    "x-gbk": "gb18030",
    "hz-gb-2312": "gb18030",
    "utf8": "utf-8",
    "utf-16le": "utf-16-le",
    "utf-16be": "utf-16-be",
}

# More than this share of control characters means the bytes are not text.
_MAX_CONTROL_SHARE = 0.05


def normalize_encoding(name: str) -> str:
    """A canonical codec name: lower case, dashes, and GBK/GB2312 widened to ``gb18030``."""
    key = name.strip().lower().replace("_", "-")
    key = _ALIASES.get(key, key)
    try:
        codec = codecs.lookup(key).name.replace("_", "-")
    except LookupError:
        return key
    return _ALIASES.get(codec, codec)


def _bom(data: bytes) -> tuple[str, int] | None:
    """The codec named by a byte-order mark, and the mark's length."""
    if data.startswith(codecs.BOM_UTF8):
        return ("utf-8-sig", len(codecs.BOM_UTF8))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return ("utf-16", 2)
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # category Cc, without \t \n \v \f \r


def _check_text(text: str) -> None:
    """Refuse empty files and binary garbage."""
    if not text.strip():
        raise InputError("empty file")
    control = len(_CONTROL.findall(text))
    if control > _MAX_CONTROL_SHARE * len(text):
        raise InputError(f"not a text file ({control} of {len(text)} characters are control characters)")


def _detect(data: bytes) -> tuple[str, str]:
    """Decode bytes that are not UTF-8 and carry no BOM, by detection."""
    from charset_normalizer import from_bytes  # only for the rare file that needs detection

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        encoding = normalize_encoding(best.encoding)
        try:
            return (data.decode(encoding), encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    # Chinese government reports that are not UTF-8 are almost always GB-encoded.
    try:
        return (data.decode("gb18030"), "gb18030")
    except UnicodeDecodeError:
        pass
    raise InputError("not a text file (could not detect its character encoding)")


def decode(data: bytes) -> tuple[str, str]:
    """Decode raw bytes: BOM first, then strict UTF-8, then detection. Returns ``(text, encoding)``."""
    if not data.strip():
        raise InputError("empty file")
    bom = _bom(data)
    if bom is not None:
        encoding, _ = bom
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(f"not a text file (invalid {encoding} after its byte-order mark: {exc.reason})") from exc
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _detect(data)
    _check_text(text)
    return (text, encoding)


def decode_as(data: bytes, declared: str) -> tuple[str, str] | None:
    """Decode with a declared charset (HTML meta); ``None`` if it is unknown or does not fit the bytes."""
    if _bom(data) is not None:
        return None
    encoding = normalize_encoding(declared)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    _check_text(text)
    return (text, encoding)


def text_document(text: str, *, markdown: bool = False) -> Document:
    """A document that is the decoded file itself, with its markdown pipe tables as grids."""
    from giar_llm.inputs.grids import pipe_grids

    return Document(text=text, kind="markdown" if markdown else "text", origin=None, grids=pipe_grids(text))


def _wide(char: str) -> bool:
    """CJK ideographs, kana, fullwidth forms and CJK punctuation: scripts written without spaces."""
    return ord(char) >= 0x2E80


def collapse(chars: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Collapse whitespace runs to one space (none between two CJK characters) and strip the ends.

    Works on ``(character, source offset)`` pairs so offsets survive; a kept space carries the offset of
    the first whitespace character of its run.
    """
    out: list[tuple[str, int]] = []
    space: tuple[str, int] | None = None
    for char, offset in chars:
        if char.isspace():
            if space is None:
                space = (" ", offset)
            continue
        if space is not None and out and not (_wide(out[-1][0]) and _wide(char)):
            out.append(space)
        space = None
        out.append((char, offset))
    return out


def collapse_text(text: str) -> str:
    """``collapse`` for a plain string."""
    return "".join(char for char, _ in collapse([(char, -1) for char in text]))
