"""PDF inputs: the text layer of every page, via pypdf.

pypdf's default extraction is used, not ``extraction_mode="layout"``: on the hongze-2024 report the
default keeps each table row's label and its numbers on one line separated by single spaces, while the
layout mode pads columns with runs of spaces, glues labels to numbers ("重新出具0") and scatters
vertically written labels and the 表四 header over several lines.
"""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader

from giar_llm.core.document import Document
from giar_llm.errors import InputError

MIN_TEXT_CHARS = 20  # fewer non-space characters than this: the pages are images


def _reason(exc: Exception) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return message


def load_pdf(data: bytes) -> Document:
    """Extract the text of every page, pages joined with a newline."""
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # pypdf raises many types, e.g. a missing crypto dependency
                raise InputError(f"PDF is encrypted and cannot be opened: {_reason(exc)}") from exc
            if not opened:
                raise InputError("PDF is encrypted (a password is required)")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception as exc:  # a corrupt file makes pypdf fail in many different ways
        raise InputError(f"not a readable PDF: {_reason(exc)}") from exc
    text = "\n".join(page.replace("\r\n", "\n").replace("\r", "\n") for page in pages)
    if sum(1 for char in text if not char.isspace()) < MIN_TEXT_CHARS:
        raise InputError("PDF has no text layer (scanned image?); run OCR first")
    return Document(text=text, kind="pdf", origin=None)
