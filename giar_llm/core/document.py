"""The one shape the reader consumes, whatever the file type: text, plus a map back to the source.

For a text file ``text`` is the decoded file itself. For HTML, PDF and DOCX the input layer derives
the text (each table row on one line, cells separated by tabs) and ``origin`` maps every character of
it back to an offset in the decoded source, so evidence points into the file as the user has it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    text: str
    kind: str = "text"  # text | markdown | html | pdf | docx
    origin: Sequence[int] | None = field(default=None, repr=False)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """A span of ``text`` as a span of the decoded source."""
        if self.origin is None or start >= end:
            return (start, end)
        return (self.origin[start], self.origin[end - 1] + 1)
