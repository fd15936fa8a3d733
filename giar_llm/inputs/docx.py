"""DOCX inputs: paragraphs and tables in body order, each table row on one tab-separated line."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from io import BytesIO
from typing import Any

from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from giar_llm.core.document import Document
from giar_llm.errors import InputError
from giar_llm.inputs.text import collapse_text

_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (qn(tag) for tag in ("w:p", "w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent"))


def _blocks(parent: Any) -> Iterator[Any]:
    """Paragraph and table elements of a container in order, looking inside content controls."""
    for child in parent.iterchildren():
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _blocks(content)


def _paragraph_text(element: Any, parent: Any) -> str:
    return Paragraph(element, parent).text


def _cell_text(tc: Any, parent: Any) -> str:
    """All paragraphs of a cell (nested tables included) as one whitespace-collapsed string."""
    return collapse_text(" ".join(_paragraph_text(p, parent) for p in tc.iter(_P)))


def _row_cells(tr: Any, parent: Any) -> list[str]:
    """One string per grid column: merged cells give their text once, then empty strings."""
    cells: list[str] = [""] * int(getattr(tr, "grid_before", 0) or 0)
    for tc in tr.iterchildren(_TC):
        span = max(int(getattr(tc, "grid_span", 1) or 1), 1)
        continued = getattr(tc, "vMerge", None) == "continue"
        cells.append("" if continued else _cell_text(tc, parent))
        cells.extend([""] * (span - 1))
    return cells


def _lines(parent: Any, owner: Any) -> Iterator[str]:
    for block in _blocks(parent):
        if block.tag == _P:
            text = _paragraph_text(block, owner).strip()
            if text:
                yield text
        else:
            for tr in block.iterchildren(_TR):
                cells = _row_cells(tr, owner)
                if cells:
                    yield "\t".join(cells)


def load_docx(data: bytes) -> Document:
    """Read a .docx: paragraphs become lines, table rows become tab-separated lines."""
    try:
        document = open_docx(BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError(f"not a valid .docx file (not a zip archive: {exc})") from exc
    except Exception as exc:  # python-docx and lxml raise assorted errors on damaged packages
        raise InputError(f"not a valid .docx file ({type(exc).__name__}: {exc})") from exc
    text = "\n".join(_lines(document.element.body, document))
    if not text.strip():
        raise InputError("empty file (the .docx has no text)")
    return Document(text=text, kind="docx", origin=None)
