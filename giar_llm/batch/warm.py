"""Imported by the batch's fork server (see ``processes.context``), so that every worker process is forked
warm: ``execute.warm_up`` runs once there. A warm-up that fails leaves the workers cold, nothing more."""

from __future__ import annotations

import contextlib

from giar_llm.batch.execute import warm_up

with contextlib.suppress(Exception):  # the fork server must start whatever happens here
    warm_up()
