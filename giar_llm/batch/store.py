"""The batch's one store of results: ``outdir/batch.sqlite`` (SQLite in WAL mode).

Each finished input is one row: its name, source path, content hash, config key, corrections key, status,
error, whether to retry, and its result envelope as compact JSON. Rows are written by the batch's main
process only, one transaction per chunk of results, so a batch killed at any moment (SIGKILL included)
leaves every committed result whole and nothing half-written: SQLite's journal makes a transaction all
or nothing. The per-input ``results/<name>.json`` files and every batch output are exported from the
store; the store, not those files, says what is done. ``meta`` holds the key of the last export (the
rows it was made from, in order) and the summary it produced, so a resumed batch that changed nothing
keeps its outputs instead of writing them again.
"""

from __future__ import annotations

import json
import sqlite3
import time
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from giar_llm.datapackage import FIXED, Rows, moved_rows, row_head
from giar_llm.files import dumps_compact, loads_exact

__all__ = ["STORE_NAME", "Exported", "Record", "Store", "Stored", "moved_wide", "pack_rows", "unpack_rows"]

STORE_NAME = "batch.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    name TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    config TEXT NOT NULL,
    corrections TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    retry INTEGER NOT NULL,
    has_candidates INTEGER NOT NULL,
    agency TEXT,
    year INTEGER,
    stamp INTEGER NOT NULL,
    size INTEGER NOT NULL,
    envelope TEXT NOT NULL,
    checks TEXT,
    cells BLOB,
    wide TEXT
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS contents (key TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS shared_rows (key TEXT PRIMARY KEY, cells BLOB NOT NULL, wide TEXT NOT NULL);
"""


_ADDED = (("checks", "TEXT"), ("cells", "BLOB"), ("wide", "TEXT"), ("content", "TEXT"))

# A copy's row keeps only the head of its envelope (the part naming its file); the rest is one row of
# ``contents`` that all the copies of a result share (``content`` names it). Its config key carries this mark,
# so that a version that keeps whole envelopes only never resumes such a row: it reads that input again.
# The copies share their data-package rows too, in ``shared_rows`` under the same key: the long rows' blob
# (``cells``) and the wide row's cell columns (``wide``); a copy's own ``wide`` is then its fixed fields alone
# (no line break) and its ``cells`` empty, so a version that keeps those in the row only finds no rows there
# and makes them again.
_SHARED_MARK = "+shared"

_ENVELOPE = "CAST(CASE WHEN r.content IS NULL THEN r.envelope ELSE r.envelope || c.body END AS {kind})"  # NULL: lost
_JOINED = "results r LEFT JOIN contents c ON c.key = r.content"


@dataclass(frozen=True)
class Record:
    """One finished input, as the store keeps it."""

    name: str
    path: str
    sha256: str
    config: str
    corrections: str
    status: str
    error: str | None
    retry: bool
    has_candidates: bool
    agency: str | None
    year: int | None
    head: str  # the envelope's compact JSON is ``head + body``: a copy's body is the same string as the result it
    body: str  # copies (so the worker pickles it once for them all), its head the part that names its own file
    size: int  # bytes of the exported result file
    content: str | None = None  # a copy's: the key its body is stored under, once for all the copies
    checks: tuple[str, ...] = ()  # the check of each violation
    cells: bytes | None = None  # its rows of the data package, as ``pack_rows`` keeps them (packed where it was
    wide: str | None = None  # read, in a worker process: the main process only writes them)

    @property
    def envelope(self) -> str:
        return self.head + self.body


@dataclass(frozen=True)
class Stored:
    """What resuming needs of a row (the envelope stays in the store)."""

    sha256: str
    config: str
    corrections: str
    status: str
    error: str | None
    retry: bool
    stamp: int
    size: int  # bytes of the exported result file


@dataclass(frozen=True)
class Exported:
    """A row as the batch outputs read it: None for what a store of an older version did not keep."""

    status: str
    envelope: tuple[bytes, ...] | None  # its JSON, UTF-8 as stored, in parts (written out as they are); None if
    # its shared body is lost
    checks: list[str] | None
    rows: Rows | None


def _checks(text: str | None) -> list[str] | None:
    if text is None:
        return None
    try:
        value = loads_exact(text)
    except ValueError:
        return None
    return [str(v) for v in value] if isinstance(value, list) else None


def pack_rows(rows: Rows | None) -> tuple[bytes | None, str | None]:
    """A report's data-package rows as two store columns: the long rows' own fields (compressed; they do not
    depend on the file's name, so copies of one content share them byte for byte) and the wide row: its fixed
    fields' values as JSON, a line break, then its cell columns as rendered (the long rows' common fields are
    made from the fixed ones, see ``row_head``)."""
    if rows is None:
        return None, None
    cells = zlib.compress(orjson.dumps([rows.doubtful, rows.cells]), 1)
    return cells, dumps_compact([rows.report[name] for name in FIXED]) + "\n" + rows.values


def _wide(wide: str) -> tuple[dict[str, Any], str] | None:
    """The fixed fields and the rendered cell columns of a stored wide row (``pack_rows``); None for another layout
    (an older version's: made again)."""
    fixed, newline, values = wide.partition("\n")
    if not newline:
        return None
    try:
        parsed = loads_exact(fixed)  # a count beyond 64 bits stays exact
    except ValueError:
        return None
    if not isinstance(parsed, list) or len(parsed) != len(FIXED):
        return None
    return dict(zip(FIXED, parsed, strict=True)), values


def moved_wide(wide: str | None, source_file: str, sha256: str) -> str | None:
    """The stored wide row of the same content read from another file (``pack_rows``)."""
    unpacked = _wide(wide) if wide is not None else None
    if unpacked is None:
        return None
    report, values = unpacked
    moved = moved_rows(Rows("", [], report, values), source_file, sha256).report
    return dumps_compact([moved[name] for name in FIXED]) + "\n" + values


@lru_cache(maxsize=64)
def _unpack_cells(cells: bytes) -> tuple[int, list[str]] | None:
    """The long rows' own fields of a stored blob; copies of one content share a blob, which is unpacked once
    (into one list, which the data package's writer encodes once too)."""
    try:
        value = orjson.loads(zlib.decompress(cells))
    except (ValueError, zlib.error):
        return None
    if not (isinstance(value, list) and len(value) == 2):
        return None  # another layout (an older version's): made again
    doubtful, lines = value
    if not (isinstance(doubtful, int) and isinstance(lines, list) and all(isinstance(x, str) for x in lines)):
        return None
    return doubtful, lines


def unpack_rows(cells: bytes | None, wide: str | None) -> Rows | None:
    """The rows ``pack_rows`` stored; None when they are not all there or not readable (made again then)."""
    if cells is None or wide is None:
        return None
    unpacked = _unpack_cells(cells)
    fixed = _wide(wide)
    if unpacked is None or fixed is None:
        return None
    report, values = fixed
    return Rows(row_head(report), unpacked[1], report, values, unpacked[0])


_SHARED_KEPT = 64  # contents whose shared parts ``exports`` keeps (the copies of one content are often far apart)


def _fixed_part(wide: str | None) -> str | None:
    """A copy's own part of its wide row (``pack_rows``): the fixed fields; the cell columns are shared."""
    return None if wide is None else wide.partition("\n")[0]


_COLUMNS = (
    "name, path, sha256, config, corrections, status, error, retry, has_candidates, agency, year, stamp, size,"
    " envelope, checks, cells, wide, content"
)


class Store:
    def __init__(self, outdir: Path, reader: bool = False) -> None:
        self.path = outdir / STORE_NAME
        self._stored: dict[str, Stored] | None = None
        self._shared: OrderedDict[str, tuple[bytes, bytes | None, str | None]] = OrderedDict()
        if reader:  # the store as another process keeps it open: read only (its log lets both at once)
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            self.db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            return
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # a commit survives the process being killed
        # pages are copied from the log into the store (and flushed to disk) every ~40 MB of log instead of ~4 MB:
        # a flush waits for the disk, which a batch keeps busy with its result files and outputs
        self.db.execute("PRAGMA wal_autocheckpoint=10000")
        self.db.executescript(_SCHEMA)
        have = {row[1] for row in self.db.execute("PRAGMA table_info(results)")}
        for column, kind in _ADDED:
            if column not in have:  # a store an older version made: its rows are read without these
                self.db.execute(f"ALTER TABLE results ADD COLUMN {column} {kind}")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stored(self) -> dict[str, Stored]:
        """What resuming needs of every row (read once, until the next ``put``: only this process writes)."""
        if self._stored is None:
            rows = self.db.execute(
                "SELECT name, sha256, config, corrections, status, error, retry, stamp, size FROM results"
            )
            self._stored = {
                r[0]: Stored(r[1], r[2].removesuffix(_SHARED_MARK), r[3], r[4], r[5], bool(r[6]), r[7], r[8])
                for r in rows
            }
        return self._stored

    def put(self, records: Iterable[Record]) -> None:
        """Write the records in one transaction (a copy's shared body once)."""
        stamp = time.time_ns()
        records = list(records)
        bodies: dict[str, str] = {}
        shared: dict[str, tuple[bytes, str]] = {}
        for r in records:
            if r.content is not None and r.content not in bodies:
                bodies[r.content] = r.body
                _, newline, values = (r.wide or "").partition("\n")
                if r.cells is not None and newline:
                    shared[r.content] = (r.cells, values)
        rows = [
            (
                r.name,
                r.path,
                r.sha256,
                r.config if r.content is None else r.config + _SHARED_MARK,
                r.corrections,
                r.status,
                r.error,
                int(r.retry),
                int(r.has_candidates),
                r.agency,
                r.year,
                stamp,
                r.size,
                r.envelope if r.content is None else r.head,
                dumps_compact(list(r.checks)),
                r.cells if r.content is None or r.content not in shared else None,
                r.wide if r.content is None or r.content not in shared else _fixed_part(r.wide),
                r.content,
            )
            for r in records
        ]
        if not rows:
            return
        self._stored = None
        self._shared.clear()
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany("INSERT OR IGNORE INTO contents VALUES (?,?)", bodies.items())
            self.db.executemany(
                "INSERT OR IGNORE INTO shared_rows VALUES (?,?,?)", [(k, *v) for k, v in shared.items()]
            )
            self.db.executemany(
                f"INSERT OR REPLACE INTO results ({_COLUMNS}) VALUES ({','.join('?' * len(rows[0]))})", rows
            )

    def forget_unused(self) -> None:
        """Remove the shared bodies no row names any more (their copies were read again or left the batch)."""
        with self.db:
            self.db.execute("BEGIN")
            for table in ("contents", "shared_rows"):
                self.db.execute(
                    f"DELETE FROM {table} WHERE key NOT IN (SELECT content FROM results WHERE content IS NOT NULL)"
                )

    def envelope(self, name: str) -> str | None:
        query = f"SELECT {_ENVELOPE.format(kind='TEXT')} FROM {_JOINED} WHERE r.name = ?"
        row = self.db.execute(query, (name,)).fetchone()
        return None if row is None else str(row[0])

    def envelopes(self, names: Sequence[str]) -> Iterator[tuple[str, str | None]]:
        """Each name's envelope JSON (None when it has no row), in the order given."""
        for start in range(0, len(names), 500):
            part = names[start : start + 500]
            marks = ",".join("?" * len(part))
            query = f"SELECT r.name, {_ENVELOPE.format(kind='TEXT')} FROM {_JOINED} WHERE r.name IN ({marks})"
            found = dict(self.db.execute(query, part))
            for name in part:
                yield name, found.get(name)

    def exports(self, names: Sequence[str]) -> Iterator[tuple[str, Exported | None]]:
        """What the batch outputs need of each name's row (None when it has no row), in the order given. The
        parts the copies of a result share are read once for them (kept for the last few contents)."""
        for start in range(0, len(names), 200):
            part = names[start : start + 200]
            marks = ",".join("?" * len(part))
            query = (
                "SELECT name, status, CAST(envelope AS BLOB), content, checks, cells, wide"
                f" FROM results WHERE name IN ({marks})"
            )
            found = {row[0]: row[1:] for row in self.db.execute(query, part)}
            self._fetch_shared({row[2] for row in found.values() if row[2] is not None})
            for name in part:
                row = found.get(name)
                if row is None:
                    yield name, None
                    continue
                status, head, content, checks, cells, wide = row
                if content is None:
                    yield name, Exported(status, (head,), _checks(checks), unpack_rows(cells, wide))
                    continue
                shared = self._shared.get(content)
                if shared is None:  # its shared body is lost
                    yield name, Exported(status, None, _checks(checks), unpack_rows(cells, wide))
                    continue
                body, shared_cells, values = shared
                if cells is None and wide is not None and "\n" not in wide and values is not None:
                    cells, wide = shared_cells, f"{wide}\n{values}"
                yield name, Exported(status, (head, body), _checks(checks), unpack_rows(cells, wide))

    def _fetch_shared(self, keys: set[str]) -> None:
        """The shared parts of these contents into ``_shared`` (its last ``_SHARED_KEPT`` entries kept)."""
        for key in keys & self._shared.keys():
            self._shared.move_to_end(key)
        wanted = sorted(keys - self._shared.keys())
        for start in range(0, len(wanted), 200):
            part = wanted[start : start + 200]
            marks = ",".join("?" * len(part))
            query = (
                f"SELECT c.key, CAST(c.body AS BLOB), s.cells, s.wide FROM contents c"
                f" LEFT JOIN shared_rows s ON s.key = c.key WHERE c.key IN ({marks})"
            )
            for key, body, cells, wide in self.db.execute(query, part):
                self._shared[key] = (body, cells, wide)
        while len(self._shared) > max(_SHARED_KEPT, len(keys)):
            self._shared.popitem(last=False)

    def with_candidates(self) -> list[tuple[str, str | None, int | None]]:
        """(name, agency, year) of the rows whose envelope lists candidates."""
        rows = self.db.execute("SELECT name, agency, year FROM results WHERE has_candidates")
        return [(str(name), agency, year) for name, agency, year in rows]

    def years(self) -> dict[str, tuple[str, int]]:
        """(agency, year) by name, for the rows that have both."""
        rows = self.db.execute("SELECT name, agency, year FROM results WHERE agency IS NOT NULL AND year IS NOT NULL")
        return {name: (agency, year) for name, agency, year in rows}

    def get_meta(self, key: str) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def set_meta(self, key: str, value: Any) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value, ensure_ascii=False)))
