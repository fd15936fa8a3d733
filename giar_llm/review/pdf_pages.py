"""The pages of a PDF source as PNG images inside the review page, for the cells read from its drawn tables.

Rendered at review time (pypdfium2), only the pages that hold a located cell, and only when the file is the
one the result was made from (same sha256): a box on another version of the file would point at nothing.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from giar_llm.core.envelope import Envelope

SCALE = 1.5  # pixels per PDF point: 108 dpi, small digits in a table stay legible


@dataclass(frozen=True)
class PageImage:
    """One rendered page: a PNG data URI and the page's size in PDF points (boxes are in points)."""

    src: str
    width: float
    height: float


def pdf_pages(envelope: Envelope, path: Path) -> dict[int, PageImage]:
    """The pages (1-based) holding the envelope's located cells, rendered; empty when the file changed or
    cannot be rendered (the page then shows the text layer only)."""
    wanted = sorted({location.page for location in envelope.locations.values()})
    if not wanted:
        return {}
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    if envelope.source.sha256 and hashlib.sha256(data).hexdigest() != envelope.source.sha256:
        return {}
    return render(data, wanted)


def render(data: bytes, pages: list[int], scale: float = SCALE) -> dict[int, PageImage]:
    """The given pages (1-based) of a PDF as grey PNG data URIs; pages it lacks are left out."""
    import pypdfium2 as pdfium  # imported only when a review page shows a PDF

    out: dict[int, PageImage] = {}
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return {}
    try:
        for number in pages:
            if not 1 <= number <= len(document):
                continue
            page = document[number - 1]
            try:
                width, height = page.get_size()
                image = page.render(scale=scale, grayscale=True).to_pil()
            finally:
                page.close()
            buffer = BytesIO()
            image.save(buffer, format="PNG", optimize=True)
            src = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
            out[number] = PageImage(src, round(float(width), 2), round(float(height), 2))
    except pdfium.PdfiumError:
        return out
    finally:
        document.close()
    return out
