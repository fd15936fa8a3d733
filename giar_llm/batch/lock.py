"""One batch at a time per output folder: an advisory lock on ``OUT/.lock`` held for the whole run.

A second batch on the same folder refuses with one line (or, with ``wait``, waits for the first to
finish), so no run's start-up cleanup removes another run's temporary files and no two runs write the
same results store. The lock is the kernel's (``flock``): a killed batch releases it with its process.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from giar_llm.errors import BusyError

LOCK_NAME = ".lock"


@contextmanager
def folder_lock(outdir: Path, wait: bool = False) -> Iterator[None]:
    """Hold the output folder's lock; ``BusyError`` at once if another batch holds it (unless ``wait``)."""
    outdir.mkdir(parents=True, exist_ok=True)
    fd = os.open(outdir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise BusyError(
                f"another batch (process {holder}) is writing to {outdir}; wait for it, or add --wait"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
