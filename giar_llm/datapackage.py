"""The data package: cells.csv/.parquet (long), reports.csv/.parquet (wide), codebook.csv, datapackage.json.

The columns are ``giar_llm.core.tabular``'s, fixed; CSV is UTF-8 with a BOM (Excel opens it as UTF-8), an
empty field for a missing value, True/False for a boolean;
Parquet needs pyarrow (``pip install "giar-llm[parquet]"``) and is skipped with a note without it.
A ``--manifest`` CSV adds the user's own columns to every row, joined on the file name. Each output is
written through a temporary file and renamed into place.

Quotes and line numbers come from the source file, decoded with the encoding its envelope records
(and only if its content still has the recorded sha256); PDF and DOCX sources have none in a batch.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import itertools
import logging
import os
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path, PurePath
from queue import SimpleQueue
from typing import IO, Any, TypeVar

from giar_llm.core.tabular import (
    CELL_HEAD,
    CELL_OWN,
    REPORT_FIXED,
    Column,
    Place,
    Value,
    cell_columns,
    cell_rows,
    codebook,
    package_values,
    places,
    report_cell_columns,
    report_columns,
    report_id,
    report_row,
    stata_name,
)
from giar_llm.errors import InputError
from giar_llm.files import atomic_file, dumps, write_text_atomic

log = logging.getLogger(__name__)

MANIFEST_KEYS = ("file", "filename", "file_name", "source_file", "source", "path", "文件", "文件名")
_PARQUET_RENDERED = 32768  # rendered rows converted to Parquet at a time
_PARQUET_TYPES = ("string", "integer", "number", "boolean")


# --------------------------------------------------------------------------- manifest


@dataclass
class Manifest:
    """The user's own columns by file name (or by the path as the batch lists it)."""

    columns: list[Column] = field(default_factory=list)
    rows: dict[str, dict[str, Value]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def lookup(self, source: str) -> dict[str, Value]:
        for key in (source, PurePath(source).name):
            if key in self.rows:
                self.used.add(key)
                return self.rows[key]
        return dict.fromkeys((c.name for c in self.columns), None)

    def unmatched(self) -> list[str]:
        return sorted(set(self.rows) - self.used)


def read_manifest(path: Path, reserved: Iterable[str] = ()) -> Manifest:
    """A CSV with a file-name column (file, filename, source_file, path, 文件 or 文件名; else the first)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"--manifest {path}: 没有这个文件") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"--manifest {path}: 无法读取（{exc}）") from None
    table = list(csv.reader(text.splitlines()))
    if not table or not table[0]:
        raise InputError(f"--manifest {path}: 没有表头")
    header = [h.strip() for h in table[0]]
    lowered = [h.lower() for h in header]
    key = next((lowered.index(k) for k in MANIFEST_KEYS if k in lowered), 0)
    taken = set(reserved)
    columns: list[Column] = []
    for i, name in enumerate(header):
        if i == key:
            continue
        short = stata_name(name, taken, fallback=f"manifest_{i + 1}")
        taken.add(short)
        columns.append(Column(short, name, name, "string"))
    manifest = Manifest(columns=columns)
    for line in table[1:]:
        if not line or not any(cell.strip() for cell in line):
            continue
        file = line[key].strip() if key < len(line) else ""
        if not file:
            continue
        if file in manifest.rows:
            log.warning("清单 %s 中 %s 出现了不止一次，使用第一行", path, file)
            continue
        values = [line[i].strip() if i < len(line) else "" for i in range(len(header)) if i != key]
        manifest.rows[file] = {c.name: (v or None) for c, v in zip(columns, values, strict=True)}
    return manifest


# --------------------------------------------------------------------------- source quotes


def source_places(data: Mapping[str, Any], text: str | None = None) -> dict[str, Place]:
    """Line and quote of every evidence span: from ``text`` when given, else the source file as recorded."""
    evidence = data.get("evidence") or {}
    if not evidence:
        return {}
    if text is None:
        text = source_text(data.get("source") or {})
    return places(text, evidence) if text is not None else {}


def source_text(source: Mapping[str, Any]) -> str | None:
    """The decoded source file, if it is at hand, unchanged, and was decoded as text (not PDF/DOCX)."""
    path, encoding, digest = source.get("path"), source.get("encoding"), source.get("sha256")
    if not path or path == "-" or not encoding:
        return None
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != digest:
        return None  # the file changed since it was read: no quote rather than a wrong one
    try:
        return data.decode(str(encoding))
    except (UnicodeDecodeError, LookupError):
        return None


# --------------------------------------------------------------------------- writers


_BOM = "\ufeff".encode()


class BackgroundWrites:
    """Bytes written to a file by a thread of its own, in order, while the caller makes the next ones (a write
    releases the GIL): handed over a block at a time, at most ``_WAITING`` blocks waiting, each block's parts
    written as they are (``os.writev``: not joined into one buffer first). ``close`` (before the file is
    closed) writes the rest, waits for them all and raises the first error."""

    def __init__(self, handle: IO[bytes], stack: ExitStack) -> None:
        self.handle = handle
        self.parts: list[bytes] = []
        self.size = 0
        self.blocks: SimpleQueue[list[bytes] | None] = SimpleQueue()
        self.room = threading.Semaphore(_WAITING)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._write_blocks, name="giar-write", daemon=True)
        self.thread.start()
        stack.callback(self.close)

    def write(self, *data: bytes) -> None:
        """``data`` written one after the other (the parts are kept, not copied)."""
        self.parts.extend(data)
        self.size += sum(map(len, data))
        if self.size >= _BLOCK:
            self._hand_over()

    def _hand_over(self) -> None:
        if self.error is not None:
            raise self.error
        self.room.acquire()
        self.blocks.put(self.parts)
        self.parts, self.size = [], 0

    def _write_blocks(self) -> None:
        self.handle.flush()  # nothing is written through the handle's buffer: only through its descriptor
        fd = self.handle.fileno()
        while (parts := self.blocks.get()) is not None:
            try:
                if self.error is None:
                    write_all(fd, parts)
            except BaseException as exc:  # raised in the caller's thread
                self.error = exc
            finally:
                self.room.release()

    def close(self) -> None:
        if self.thread.is_alive():
            if self.parts and self.error is None:
                self.room.acquire()
                self.blocks.put(self.parts)
                self.parts = []
            self.blocks.put(None)
            self.thread.join()
        if self.error is not None:
            raise self.error


_IOV_MAX = 1024  # parts a ``writev`` takes at most (POSIX's minimum is 16; Linux and the BSDs take 1024)


def write_all(fd: int, parts: Sequence[bytes]) -> None:
    """``parts`` written to ``fd`` in order, whole (a short write goes on where it stopped)."""
    left: list[bytes | memoryview] = [p for p in parts if p]
    at = 0
    while at < len(left):
        written = os.writev(fd, left[at : at + _IOV_MAX])
        while at < len(left) and written >= len(left[at]):
            written -= len(left[at])
            at += 1
        if written:
            left[at] = memoryview(left[at])[written:]


_BLOCK = 1 << 20
_WAITING = 64
_CACHED = 64  # contents whose rendered rows (and Arrow table) are kept: copies of one content share them


class _Sink:
    """One table as CSV (always) and Parquet (with pyarrow), rows streamed, both renamed into place at the end.

    The CSV is written as bytes (UTF-8 with a BOM). Rows come as values (``add``), already rendered as CSV
    lines (``add_rendered``, see ``csv_lines``), or, for the long table, as a report's fields shared by its rows
    and each row's own fields (``add_report``): the own fields of one content (copies of a file) are encoded,
    and made an Arrow table, once. Rows reach Parquet through pyarrow's CSV reader, in a thread of its own
    (it runs without the GIL)."""

    def __init__(
        self,
        stack: ExitStack,
        folder: Path,
        stem: str,
        columns: Sequence[Column],
        parquet: bool,
        own: int = 0,
        fsync: bool = True,
    ) -> None:
        self.columns = list(columns)
        self.names = [c.name for c in self.columns]
        self.values = itemgetter(*self.names)  # every row carries every column
        self.handle = BackgroundWrites(
            stack.enter_context(atomic_file(folder / f"{stem}.csv", encoding=None, fsync=fsync)), stack
        )
        self.handle.write(_BOM + (csv_lines([self.names])[0] + "\r\n").encode())
        self.own = own  # ``add_report``: the first ``len(CELL_HEAD)`` columns are the report's, then ``own`` each row's
        self.encoded: OrderedDict[int, tuple[list[str], list[bytes]]] = OrderedDict()
        self.pa: Any = None
        self.writer: Any = None
        self.rendered: list[str] = []
        self.reports: list[tuple[str, list[str]]] = []  # ``add_report``'s: the shared fields' line, the own lines
        self.pending = 0
        self.rows = 0
        if parquet:
            pa = _pyarrow()
            if pa is None:
                return
            import pyarrow.parquet as pq

            self.pa = pa
            self.schema = arrow_schema(self.columns)
            binary = stack.enter_context(atomic_file(folder / f"{stem}.parquet", encoding=None, fsync=fsync))
            # the long table's text columns are written as Arrow dictionaries (``_write_reports``), stored as
            # Parquet's dictionary-encoded text, read back as text (the Arrow schema is not stored)
            self.stored = pa.schema([_dictionary(pa, f) for f in self.schema]) if own else self.schema
            self.writer = pq.ParquetWriter(binary, self.stored, store_schema=not own)
            self.tables: OrderedDict[int, tuple[list[str], Any]] = OrderedDict()  # the thread's own
            self.thread = stack.enter_context(ThreadPoolExecutor(1, thread_name_prefix=f"giar-{stem}-parquet"))
            self.written: list[Future[None]] = []
            stack.callback(self._close_parquet)

    def add(self, row: Mapping[str, Value]) -> None:
        (line,) = csv_lines([self.values(row)])
        self.add_rendered(line + "\r\n", 1)

    def add_rendered(self, lines: str, count: int) -> None:
        """``count`` rows rendered as CSV lines (``csv_field``; each line ends with CRLF)."""
        self.handle.write(lines.encode())
        self.rows += count
        if self.writer is not None:
            self.rendered.append(lines)
            self._added(count)

    def add_report(self, head: str, own: list[str], tail: str) -> None:
        """One report's long rows: ``head`` its shared fields rendered, ``own`` each row's own fields rendered,
        ``tail`` the manifest's fields rendered (from a comma) and the line end."""
        encoded = _cached(self.encoded, own, lambda: [line.encode() for line in own])
        first = (head + ",").encode()
        end = tail.encode()
        self.handle.write(first, (end + first).join(encoded), end)
        self.rows += len(own)
        if self.writer is not None:
            self.reports.append((head + tail, own))
            self._added(len(own))

    def _added(self, count: int) -> None:
        self.pending += count
        if self.pending >= _PARQUET_RENDERED:
            self._flush()

    def _flush(self) -> None:
        if self.rendered:
            text = "".join(self.rendered).encode("utf-8")
            self.written.append(self.thread.submit(self._write_rendered, text))
            self.rendered = []
        if self.reports:
            self.written.append(self.thread.submit(self._write_reports, self.reports))
            self.reports = []
        self.pending = 0
        for future in [f for f in self.written if f.done()]:
            future.result()  # an error writing Parquet stops the export
        self.written = [f for f in self.written if not f.done()]

    def _write_rendered(self, text: bytes) -> None:
        self.writer.write_table(parquet_from_csv(self.pa, self.columns, self.schema, text).cast(self.stored))

    def _write_reports(self, reports: list[tuple[str, list[str]]]) -> None:
        """``add_report``'s rows as one Arrow table: each report's fields (its line of them parsed as
        ``parquet_from_csv`` parses) repeated down its rows, beside its rows' own fields, parsed once per content
        (the contents new to this part in one call, then sliced). Each column is the values it repeats and the
        index of each row's value among them: text as an Arrow dictionary, the rest taken."""
        pa = self.pa
        shared = [i for i in range(len(self.columns)) if not len(CELL_HEAD) <= i < len(CELL_HEAD) + self.own]
        own_columns = self.columns[len(CELL_HEAD) : len(CELL_HEAD) + self.own]
        own_schema = pa.schema([self.schema.field(c.name) for c in own_columns])
        known: dict[int, Any] = {}
        new: list[list[str]] = []
        for _, own in reports:
            if id(own) in known:
                continue
            found = self.tables.get(id(own))
            if found is not None and found[0] is own:
                self.tables.move_to_end(id(own))
                known[id(own)] = found[1]
            else:
                known[id(own)] = None
                new.append(own)
        if new:
            text = "".join(line + "\r\n" for own in new for line in own).encode()
            parsed = parquet_from_csv(pa, own_columns, own_schema, text)
            start = 0
            for own in new:
                part = parsed.slice(start, len(own))
                known[id(own)] = part
                self.tables[id(own)] = (own, part)
                start += len(own)
            while len(self.tables) > _CACHED:
                self.tables.popitem(last=False)
        starts: dict[int, int] = {}  # each content's first row in ``dictionary``
        distinct: list[Any] = []
        for _, own in reports:
            if id(own) not in starts:
                starts[id(own)] = sum(t.num_rows for t in distinct)
                distinct.append(known[id(own)])
        dictionary = pa.concat_tables(distinct)
        report_of: list[int] = []  # each row's report in ``reports``
        row_of: list[int] = []  # each row's row in ``dictionary``
        for number, (_, own) in enumerate(reports):
            report_of.extend(itertools.repeat(number, len(own)))
            start = starts[id(own)]
            row_of.extend(range(start, start + len(own)))
        by_report, by_row = _indices(pa, report_of), _indices(pa, row_of)
        arrays: list[Any] = [_repeated(pa, column.combine_chunks(), by_row) for column in dictionary.columns]
        shared_columns = [self.columns[i] for i in shared]
        shared_schema = pa.schema([self.schema.field(i) for i in shared])
        text = "".join(line for line, _ in reports).encode()
        fields = parquet_from_csv(pa, shared_columns, shared_schema, text)  # a row per report
        for i, column in zip(shared, fields.columns, strict=True):
            arrays.insert(i, _repeated(pa, column.combine_chunks(), by_report))
        self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.stored))

    def _close_parquet(self) -> None:
        self._flush()
        for future in self.written:
            future.result()
        self.writer.close()

    @property
    def parquet(self) -> bool:
        return self.writer is not None


_T = TypeVar("_T")


def _dictionary(pa: Any, field: Any) -> Any:
    return pa.field(field.name, pa.dictionary(pa.int32(), field.type)) if pa.types.is_string(field.type) else field


def _indices(pa: Any, index: list[int]) -> Any:
    """An Arrow array of 32-bit integers made from their bytes (``pa.array`` of a list imports pandas first)."""
    return pa.Array.from_buffers(pa.int32(), len(index), [None, pa.py_buffer(array("i", index))])


def _repeated(pa: Any, values: Any, index: Any) -> Any:
    """``values`` taken at ``index``: text as a dictionary of ``values`` (nothing copied; Parquet writes it as its
    dictionary and indices), other types taken."""
    if pa.types.is_string(values.type):
        encoded = values.dictionary_encode()  # a missing value is a missing index (Parquet's writer wants that)
        return pa.DictionaryArray.from_arrays(encoded.indices.take(index), encoded.dictionary)
    return values.take(index)


def _cached(cache: OrderedDict[int, tuple[list[str], _T]], key: list[str], make: Callable[[], _T]) -> _T:
    """What ``make`` makes of the list ``key``, kept for the last ``_CACHED`` lists by identity (the entry holds
    the list, so its id is not reused while it is kept): copies of one content share one list of rows."""
    found = cache.get(id(key))
    if found is not None and found[0] is key:
        cache.move_to_end(id(key))
        return found[1]
    made = make()
    cache[id(key)] = (key, made)
    if len(cache) > _CACHED:
        cache.popitem(last=False)
    return made


def import_parquet() -> None:
    """pyarrow's modules the Parquet outputs use (its CSV reader, Parquet writer and the compute functions that
    writer loads) imported now, if pyarrow is installed."""
    with contextlib.suppress(ImportError):
        import pyarrow.compute
        import pyarrow.csv
        import pyarrow.parquet  # noqa: F401


def load_parquet() -> threading.Thread:
    """``import_parquet`` in a thread of its own, started now: a batch calls this before its workers read, so
    that writing its outputs does not wait for the imports. Without pyarrow the thread ends at once."""
    thread = threading.Thread(target=import_parquet, name="giar-load-parquet", daemon=True)
    thread.start()
    return thread


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError:
        return None
    return pyarrow


def arrow_schema(columns: Sequence[Column]) -> Any:
    pa = _pyarrow()
    types = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    return pa.schema([pa.field(c.name, types[c.type]) for c in columns])


def parquet_from_csv(pa: Any, columns: Sequence[Column], schema: Any, text: bytes) -> Any:
    """The Arrow table of CSV lines ``csv_lines`` rendered (no header), each value of its column's type: an
    empty field is a missing value and ``""`` an empty string; an integer beyond 64 bits is missing in Parquet
    (the CSV keeps it)."""
    import pyarrow.csv as pacsv

    def read(types: Mapping[str, Any]) -> Any:
        return pacsv.read_csv(
            pa.py_buffer(text),
            read_options=pacsv.ReadOptions(column_names=[c.name for c in columns], use_threads=False),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                true_values=["True"],
                false_values=["False"],
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
            ),
        )

    types = {f.name: f.type for f in schema}
    try:
        return read(types)
    except pa.ArrowInvalid:  # a value out of its column's range: those columns read as text, converted here
        wide = [c.name for c in columns if c.type == "integer"]
        table = read({**types, **dict.fromkeys(wide, pa.string())})
        for name in wide:
            values = [_parquet_value(int(v), "integer") if v else None for v in table[name].to_pylist()]
            table = table.set_column(
                table.schema.get_field_index(name), schema.field(name), pa.array(values, pa.int64())
            )
        return table


def _parquet_value(value: Value, kind: str) -> Value:
    if value is None:
        return None
    if kind == "string":
        return str(value)
    if kind == "integer":  # beyond int64 (a 31-digit "count") Parquet can't hold it: the CSV and JSONL do
        fits = isinstance(value, int | float) and not isinstance(value, bool) and abs(value) < 2**63
        return int(value) if fits else None
    if kind == "number":
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
    return bool(value)


@dataclass
class PackageSummary:
    reports: int = 0
    cells: int = 0
    doubtful_cells: int = 0
    parquet: bool = False
    duplicates: list[dict[str, str]] = field(default_factory=list)
    manifest_unmatched: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            "cells": self.cells,
            "doubtful_cells": self.doubtful_cells,
            "parquet": self.parquet,
            "duplicates": self.duplicates,
            "manifest_unmatched": self.manifest_unmatched,
        }


# --------------------------------------------------------------------------- one report's rows


def csv_field(value: Value) -> str:
    """A value as Python's ``csv`` module writes it (excel dialect, minimal quoting), except an empty string,
    which is quoted (``""``), so that a reader can tell it from a missing value (an empty field)."""
    if value is None:
        return ""
    if isinstance(value, str):
        if "," in value or '"' in value or "\n" in value or "\r" in value or not value:
            return '"' + value.replace('"', '""') + '"'
        return value
    if type(value) is int or type(value) is bool:
        return str(value)  # digits, a sign, True or False: nothing to quote
    if isinstance(value, float):
        return repr(value)
    return csv_field(str(value))


def csv_lines(rows: Iterable[Sequence[Value]]) -> list[str]:
    """Each row as one CSV line, without its line end: as the ``csv`` module writes it (a field holding a line
    break quoted), an empty string quoted (``csv_field``). The rows without an empty string are written in one
    call and split at the line ends, unless a field holds one (then one call per row)."""
    lines: list[str | None] = []
    plain: list[Sequence[Value]] = []
    for row in rows:
        if "" in row:
            lines.append(",".join([csv_field(v) for v in row]))
        else:
            lines.append(None)
            plain.append(row)
    if not plain:
        return [line for line in lines if line is not None]  # every one filled
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # quotes a field holding "\r" or "\n", the characters of its line end
    writer.writerows(plain)
    made = buffer.getvalue().split("\r\n")
    if len(made) != len(plain) + 1:  # a field holds a line end: each row on its own
        made = []
        for row in plain:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(row)
            made.append(buffer.getvalue()[:-2])
    taken = iter(made)
    return [line if line is not None else next(taken) for line in lines]


@dataclass
class Rows:
    """One report's part of the data package, made once from its envelope (a batch worker makes it beside the
    extraction, and the batch keeps it with the result): the long rows as CSV (the fields every row begins
    with once, then each row's own), the wide row (its fixed fields as values, every cell's value and level
    rendered as CSV), and the count of doubtful cells. No manifest columns and no ``duplicate_of``: those
    depend on the batch, and the writer adds them."""

    head: str
    cells: list[str]
    report: dict[str, Value]  # the wide row's fixed fields (``REPORT_FIXED``)
    values: str  # the wide row's cell columns (``report_cell_columns``), rendered
    doubtful: int = 0


FIXED = tuple(c.name for c in REPORT_FIXED)


def package_rows(data: Mapping[str, Any], where: Mapping[str, Place] | None = None) -> Rows:
    """The rows of one envelope (its JSON data); ``where``: the line and quote of each cell (``source_places``)."""
    _, rows, wide = package_values(data, where)
    doubtful = CELL_OWN.index("doubtful")
    (values,) = csv_lines([[wide[c.name] for c in report_cell_columns()]])
    report = {name: wide[name] for name in FIXED}
    return Rows(row_head(report), csv_lines(rows), report, values, sum(1 for r in rows if r[doubtful]))


def row_head(report: Mapping[str, Value]) -> str:
    """The fields every long row of a report begins with (``CELL_HEAD``), rendered, from its wide row (which holds
    the same values under the same names): the long rows' own part does not depend on where the file lies."""
    return ",".join([csv_field(report[name]) for name in CELL_HEAD])  # as ``csv_lines`` renders a row of several


def moved_rows(rows: Rows, source_file: str, sha256: str) -> Rows:
    """The rows of the same content read from another file: only the report id and the source file change."""
    report = {**rows.report, "report_id": report_id(source_file, sha256), "source_file": source_file}
    return Rows(row_head(report), rows.cells, report, rows.values, rows.doubtful)


WARNED_DUPLICATES = 20  # duplicates named one a line in the log; the rest are counted in one line


class PackageWriter:
    """``with PackageWriter(folder, manifest) as package: package.add(envelope_data, text)`` for each report
    (or ``package.add_rows(rows)`` with rows made elsewhere, see ``package_rows``)."""

    def __init__(
        self,
        folder: Path,
        manifest: Manifest | None = None,
        parquet: bool = True,
        fsync: bool = True,
        tables: tuple[str, ...] = ("cells", "reports"),
    ) -> None:
        self.folder = folder
        self.tables = tables  # the tables this writer writes (the codebook with "reports"): another may write the rest
        self.fsync = fsync  # False: the tables are not flushed to disk (their writer records their sizes elsewhere)
        self.manifest = manifest
        self.extra = manifest.columns if manifest is not None else []
        self.want_parquet = parquet
        self.summary = PackageSummary()
        self._by_sha: dict[str, str] = {}
        self._by_year: dict[tuple[str, int], str] = {}
        self._stack = ExitStack()

    def __enter__(self) -> PackageWriter:
        self.folder.mkdir(parents=True, exist_ok=True)
        with ExitStack() as stack:
            self.cells: _Sink | None = None
            self.reports: _Sink | None = None
            if "cells" in self.tables:
                columns = cell_columns(self.extra)
                self.cells = _Sink(stack, self.folder, "cells", columns, self.want_parquet, len(CELL_OWN), self.fsync)
            if "reports" in self.tables:
                columns = report_columns(self.extra)
                self.reports = _Sink(stack, self.folder, "reports", columns, self.want_parquet, fsync=self.fsync)
            self._stack = stack.pop_all()
        return self

    def add(self, data: Mapping[str, Any], text: str | None = None) -> None:
        self.add_rows(package_rows(data, source_places(data, text)))

    def add_rows(self, rows: Rows, warnings: int = 0) -> None:
        """One report's rows; ``warnings`` more than its envelope lists (the batch's cross-year warnings)."""
        report = rows.report
        path = str(report.get("source_file") or "")
        extra = self.manifest.lookup(path) if self.manifest is not None else {}
        added = [extra[c.name] for c in self.extra]
        if rows.cells and self.cells is not None:
            tail = "".join("," + csv_field(value) for value in added) + "\r\n"
            self.cells.add_report(rows.head, rows.cells, tail)
            self.summary.cells += len(rows.cells)
            self.summary.doubtful_cells += rows.doubtful
        if self.reports is None:
            return
        rid, digest = str(report.get("report_id") or ""), str(report.get("sha256") or "")
        duplicate = self._duplicate_of(rid, path, digest, report.get("agency"), report.get("year"))
        fixed = {**report, "duplicate_of": duplicate}
        if warnings:
            fixed["n_warnings"] = int(report.get("n_warnings") or 0) + warnings
        line = ",".join([csv_field(v) for v in (*(fixed[name] for name in FIXED), *added)])
        self.reports.add_rendered(f"{line},{rows.values}\r\n", 1)
        self.summary.reports += 1

    def _duplicate_of(self, rid: str, path: str, digest: str, agency: Any, year: Any) -> str | None:
        first: str | None = None
        kind = ""
        if digest and digest in self._by_sha:
            first, kind = self._by_sha[digest], "sha256"
        elif isinstance(agency, str) and isinstance(year, int) and (agency, year) in self._by_year:
            first, kind = self._by_year[(agency, year)], "agency_year"
        if digest:
            self._by_sha.setdefault(digest, rid)
        if isinstance(agency, str) and isinstance(year, int):
            self._by_year.setdefault((agency, year), rid)
        if first is not None:
            self.summary.duplicates.append({"source": path, "report_id": rid, "duplicate_of": first, "kind": kind})
            if len(self.summary.duplicates) <= WARNED_DUPLICATES:
                what = "内容相同（sha256 一致）" if kind == "sha256" else f"机关与年度相同（{agency} {year}）"
                log.warning("疑似重复的报告：%s 与报告 %s %s", path, first, what)
        return first

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._stack.__exit__(exc_type, exc, tb)  # type: ignore[arg-type]
        if exc_type is not None:
            return
        self.summary.parquet = any(sink.parquet for sink in (self.cells, self.reports) if sink is not None)
        if self.reports is None:
            return
        if len(self.summary.duplicates) > WARNED_DUPLICATES:
            log.warning(
                "另有 %d 份疑似重复的报告（共 %d 份），见 reports.csv 的 duplicate_of 列与 summary.json",
                len(self.summary.duplicates) - WARNED_DUPLICATES,
                len(self.summary.duplicates),
            )
        if self.manifest is not None:
            self.summary.manifest_unmatched = self.manifest.unmatched()
            if self.summary.manifest_unmatched:
                log.warning("清单中有 %d 个文件没有对应的报告", len(self.summary.manifest_unmatched))
        write_codebook(self.folder, self.extra, self.summary.parquet)


def write_codebook(folder: Path, extra: Sequence[Column] = (), parquet: bool = False) -> None:
    """codebook.csv (every column of both tables) and a Frictionless datapackage.json describing them."""
    rows = codebook(extra)
    with atomic_file(folder / "codebook.csv", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    resources = []
    for stem, columns in (("cells", cell_columns(extra)), ("reports", report_columns(extra))):
        fields = [
            {"name": c.name, "type": c.type, "title": c.label_zh, "description": c.label_en}
            | ({"unit": c.unit} if c.unit else {})
            | ({"cell_path": c.path} if c.path else {})
            for c in columns
        ]
        resources.append(
            {
                "name": stem,
                "path": f"{stem}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": {"fields": fields, "missingValues": [""]},
            }
        )
        if parquet:
            resources.append({"name": f"{stem}-parquet", "path": f"{stem}.parquet", "format": "parquet"})
    package = {
        "name": "giar-llm-reports",
        "title": "政府信息公开工作年度报告 数据",
        "resources": resources,
    }
    write_text_atomic(folder / "datapackage.json", dumps(package) + "\n")


Sourced = tuple[Mapping[str, Any], str | None]  # an envelope's JSON data and its decoded source text, if at hand


def write_cells_csv(path: Path | None, envelopes: Sequence[Sourced], stream: IO[str] | None = None) -> None:
    """The long table of some envelopes as one CSV (to a file with a BOM, or to ``stream``)."""
    rows = (row for data, text in envelopes for row in cell_rows(data, source_places(data, text)))
    _write_csv(path, [c.name for c in cell_columns()], rows, stream)


def write_reports_csv(path: Path | None, envelopes: Sequence[Sourced], stream: IO[str] | None = None) -> None:
    """The wide table of some envelopes as one CSV."""
    _write_csv(path, [c.name for c in report_columns()], (report_row(data) for data, _ in envelopes), stream)


def _write_csv(
    path: Path | None, names: list[str], rows: Iterable[Mapping[str, Value]], stream: IO[str] | None
) -> None:
    def write(handle: IO[str]) -> None:
        writer = csv.writer(handle)
        writer.writerow(names)
        for row in rows:
            writer.writerow([row.get(n) for n in names])

    if path is not None:
        with atomic_file(path, encoding="utf-8-sig", newline="") as handle:
            write(handle)
    else:
        assert stream is not None
        write(stream)
