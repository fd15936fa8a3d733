"""Imported by the batch's fork server (see ``processes.context``), so that every process of the batch is forked
warm: ``execute.warm_up`` runs once there, and pyarrow's modules are imported for the process that writes the long
table (``outputs.export_cells``). A warm-up that fails leaves the processes cold, nothing more."""

from __future__ import annotations

import contextlib

from giar_llm.batch.execute import warm_up
from giar_llm.datapackage import import_parquet

with contextlib.suppress(Exception):  # the fork server must start whatever happens here
    warm_up()
    import_parquet()
