"""The review page: one self-contained HTML file per result (the three tables over the source text), and an
index page for a batch output folder. No server, no network: inline CSS and JavaScript, data as JSON.

The tables are laid out as the national format prints them, from the schema's Chinese labels; every cell
carries its evidence level, the candidates and the reason it is doubtful, and its evidence span in the
source text shown beside it. What the reviewer decides is exported as a corrections file
(``core.corrections``), which ``extract``/``batch --corrections`` apply.
"""

from __future__ import annotations

from giar_llm.review.index import IndexRow, index_page, index_row
from giar_llm.review.page import SourceView, report_page, source_view

__all__ = ["IndexRow", "SourceView", "index_page", "index_row", "report_page", "source_view"]
