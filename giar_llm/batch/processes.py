"""The batch's processes: the context they are made in (forked from a warm fork server), how one ends with the
batch's main process (a ``kill -9`` included), and ``Child``, a function run in a process of its own."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

__all__ = ["DIED", "Child", "context", "die_with_parent", "reason", "start_fork_server"]

DIED = "BrokenProcessPool: the worker process died (out of memory or a crash)"
_PRELOADED = ["giar_llm.batch.execute", "giar_llm.batch.outputs", "giar_llm.batch.warm"]


def reason(exc: BaseException) -> str:
    """An exception as one line: its type and the first line of its message."""
    lines = f"{type(exc).__name__}: {exc}".strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def context() -> Any:
    """forkserver (safe when the caller runs threads, e.g. a progress bar) with the batch's modules preloaded, so
    a process starts as a cheap fork instead of importing the package again; spawn where there is no forkserver."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    made = multiprocessing.get_context("forkserver")
    made.set_forkserver_preload(_PRELOADED)
    return made


def start_fork_server() -> None:
    """Start the fork server the batch's processes are forked from (``context``) now, so that its imports and
    warm-up run while the caller plans the batch instead of after; its first worker waits for them as before."""
    if context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


_PR_SET_PDEATHSIG = 1
_WATCH_SECONDS = 1.0


def die_with_parent(lifeline: Connection) -> None:
    """A process of the batch ends when the batch's main process ends (a ``kill -9`` included).

    ``lifeline`` is the read end of a pipe whose only write end the main process holds: the kernel closes it
    when that process dies, and a thread here sees the end and exits. (The process's parent is the fork
    server, which outlives the main process while a worker lives, so the parent alone is not enough.) On
    Linux the kernel's parent-death signal ends the process with its parent too, and the thread also
    watches for a changed parent.
    """
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the thread below still ends the process

    def watch() -> None:
        while os.getppid() == parent:
            try:
                if lifeline.poll(_WATCH_SECONDS):
                    break  # the main process is gone (it never writes)
            except (EOFError, OSError):
                break
        os._exit(1)

    threading.Thread(target=watch, name="giar-parent-watch", daemon=True).start()


def _child(function: Callable[..., Any], args: tuple[Any, ...], conn: Connection, lifeline: Connection) -> None:
    """A ``Child``'s process: the function's value, or the one-line reason it failed, sent back."""
    die_with_parent(lifeline)
    try:
        answer: tuple[bool, Any] = (True, function(*args))
    except Exception as exc:
        answer = (False, reason(exc))
    with contextlib.suppress(OSError):
        conn.send(answer)


class Child:
    """A function (of a module, so that it pickles by reference) run in a process of its own, forked as the
    workers are and ending with the batch as they do, while the batch does other work; ``result`` waits."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        made = context()
        self.conn, there = made.Pipe(duplex=False)
        lifeline, self.held = made.Pipe(duplex=False)
        self.process = made.Process(
            target=_child, args=(function, args, there, lifeline), daemon=True, name="giar-batch-child"
        )
        self.process.start()
        there.close()
        lifeline.close()

    def result(self) -> tuple[bool, Any]:
        """(True, the function's value), or (False, why not: its error, or the process died)."""
        try:
            answer: tuple[bool, Any] = self.conn.recv()
        except (EOFError, OSError):
            answer = (False, DIED)
        finally:
            self.process.join()
            self.conn.close()
            self.held.close()
        return answer
