"""The input layer: any report file (text, markdown, HTML, PDF, DOCX) as a ``Document`` plus its ``Source``."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path, PurePath

from giar_llm.core.document import Document
from giar_llm.core.envelope import Source
from giar_llm.core.limits import DEFAULT_LIMITS, Limits, digit_run_error, too_big
from giar_llm.errors import InputError
from giar_llm.inputs.html import html_document, js_escaped_html, load_html, looks_like_html
from giar_llm.inputs.names import readable, verbatim
from giar_llm.inputs.text import decode, text_document

__all__ = ["REPORT_SUFFIXES", "LoadedInput", "detect_kind", "load_bytes", "load_input", "regular_file", "source_of"]

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
# what a report file is called: a batch takes these from folders and globs and notes the rest
# (.doc and .wps too, so the user hears they need saving as .docx or PDF)
REPORT_SUFFIXES = frozenset({".txt", ".text", ".pdf", ".docx", ".doc", ".wps"}) | HTML_SUFFIXES | MARKDOWN_SUFFIXES
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class LoadedInput:
    """A decoded input file: what the reader consumes, and where it came from."""

    document: Document
    source: Source


def _is_docx_zip(data: bytes) -> bool:
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def detect_kind(data: bytes, name: str) -> str:
    """``html``, ``pdf``, ``docx`` or ``text``: the leading bytes first, then the name's suffix."""
    suffix = PurePath(name).suffix.lower()
    if data.startswith(b"%PDF"):
        return "pdf"
    if _is_docx_zip(data):
        return "docx"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix == ".pdf":
        return "pdf"
    if suffix == ".docx":
        return "docx"
    return "text"


def source_of(
    name: str | os.PathLike[str], sha256: str, encoding: str | None = None, kind: str | None = None
) -> Source:
    """The envelope's ``source`` for a file name: readable text, plus the exact bytes of a non-UTF-8 name."""
    return Source(path=readable(name), raw_path=verbatim(name), sha256=sha256, encoding=encoding, kind=kind)


def load_bytes(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> LoadedInput:
    """Turn raw bytes into a document; ``name`` (``-`` for stdin) picks the kind by suffix and is the source path."""
    if len(data) > limits.input_bytes:
        raise InputError(too_big("the input", len(data), limits.input_bytes, "GIAR_MAX_INPUT_MB"))
    digest = hashlib.sha256(data).hexdigest()
    kind = detect_kind(data, name)
    encoding: str | None = None
    if kind == "pdf":  # pypdf and python-docx are imported by the first file that needs them
        from giar_llm.inputs.pdf import load_pdf

        document = load_pdf(data, limits)
    elif kind == "docx":
        from giar_llm.inputs.docx import load_docx

        document = load_docx(data, limits)
    elif kind == "html":
        document, encoding = load_html(data, limits)
    else:
        if data.startswith(_OLE_MAGIC):
            raise InputError("legacy Office file (.doc/.xls/.wps) is not supported; save it as .docx or PDF")
        text, encoding = decode(data)
        escaped = js_escaped_html(text)
        if escaped is not None:  # an HTML page inside a quoted script or JSON string
            document = html_document(escaped[0], through=escaped[1], limits=limits)
        elif looks_like_html(text):  # an HTML page saved under another name
            document, encoding = load_html(data, limits)
        else:
            document = text_document(text, markdown=PurePath(name).suffix.lower() in MARKDOWN_SUFFIXES)
    if (message := digit_run_error(document.text, limits.digits)) is not None:
        raise InputError(message)
    return LoadedInput(document=document, source=source_of(name, digest, encoding, document.kind))


_SPECIAL = (
    (stat.S_ISDIR, "is a directory, not a file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a file"),
    (stat.S_ISSOCK, "is a socket, not a file"),
    (stat.S_ISCHR, "is a character device, not a file"),
    (stat.S_ISBLK, "is a block device, not a file"),
)


def regular_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> os.stat_result:
    """The file's status if it is a regular file within the size limit; else ``InputError`` naming what it is.

    Never opens the file: a named pipe without a writer would block the reader forever."""
    shown = readable(path)
    try:
        status = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"symlink loop: {shown}") from exc
        if exc.errno == errno.ENOENT:
            raise InputError(f"no such file: {shown}" + (" (a dangling symlink)" if path.is_symlink() else "")) from exc
        raise InputError(f"cannot read {shown}: {exc.strerror or exc}") from exc
    for test, what in _SPECIAL:
        if test(status.st_mode):
            raise InputError(f"{what}: {shown}")
    if status.st_size > limits.input_bytes:
        raise InputError(f"{shown}: " + too_big("the file", status.st_size, limits.input_bytes, "GIAR_MAX_INPUT_MB"))
    return status


def load_input(path: Path | str | bytes, limits: Limits = DEFAULT_LIMITS) -> LoadedInput:
    """Read and load a file; ``InputError`` if it is missing, not a regular file, too big or unreadable."""
    name = os.fsdecode(path)
    file = Path(name)
    regular_file(file, limits)
    try:
        with open(file, "rb", opener=lambda name, flags: os.open(name, flags | os.O_NONBLOCK)) as handle:
            data = handle.read(limits.input_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read {readable(file)}: {exc.strerror or exc}") from exc
    return load_bytes(data, name, limits)
