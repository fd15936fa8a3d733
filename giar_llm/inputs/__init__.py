"""The input layer: any report file (text, markdown, HTML, PDF, DOCX) as a ``Document`` plus its ``Source``."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path, PurePath

from giar_llm.core.document import Document
from giar_llm.core.envelope import Source
from giar_llm.errors import InputError
from giar_llm.inputs.html import html_document, js_escaped_html, load_html, looks_like_html
from giar_llm.inputs.text import decode, text_document

__all__ = ["REPORT_SUFFIXES", "LoadedInput", "detect_kind", "load_bytes", "load_input"]

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


def load_bytes(data: bytes, name: str) -> LoadedInput:
    """Turn raw bytes into a document; ``name`` (``-`` for stdin) picks the kind by suffix and is the source path."""
    digest = hashlib.sha256(data).hexdigest()
    kind = detect_kind(data, name)
    encoding: str | None = None
    if kind == "pdf":  # pypdf and python-docx are imported by the first file that needs them
        from giar_llm.inputs.pdf import load_pdf

        document = load_pdf(data)
    elif kind == "docx":
        from giar_llm.inputs.docx import load_docx

        document = load_docx(data)
    elif kind == "html":
        document, encoding = load_html(data)
    else:
        if data.startswith(_OLE_MAGIC):
            raise InputError("legacy Office file (.doc/.xls/.wps) is not supported; save it as .docx or PDF")
        text, encoding = decode(data)
        escaped = js_escaped_html(text)
        if escaped is not None:  # an HTML page inside a quoted script or JSON string
            document = html_document(escaped[0], through=escaped[1])
        elif looks_like_html(text):  # an HTML page saved under another name
            document, encoding = load_html(data)
        else:
            document = text_document(text, markdown=PurePath(name).suffix.lower() in MARKDOWN_SUFFIXES)
    source = Source(path=name, sha256=digest, encoding=encoding, kind=document.kind)
    return LoadedInput(document=document, source=source)


def load_input(path: Path | str) -> LoadedInput:
    """Read and load a file; ``InputError`` if it is missing, a directory or unreadable."""
    file = Path(path)
    if not file.exists():
        raise InputError(f"no such file: {file}")
    if file.is_dir():
        raise InputError(f"is a directory, not a file: {file}")
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {file}: {exc.strerror or exc}") from exc
    return load_bytes(data, str(path))
