"""Reading and writing giar-llm's own JSON files: reports, envelopes, gold files, schema files.

Every JSON this package writes is UTF-8 with ``ensure_ascii=False``; writes are atomic
(a temporary file in the same folder, then a rename), so a killed process never leaves half a file.
Files get the mode the umask gives any new file (0644 under 022), not the temporary's 0600.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson
from pydantic import ValidationError

from giar_llm.core.corrections import Correction, parse_corrections
from giar_llm.core.envelope import Envelope, GoldFile
from giar_llm.core.paths import flatten
from giar_llm.core.schema import Report2019, Report2021, json_schemas, parse_report
from giar_llm.errors import InputError, ReportFormatError


def _file_mode() -> int:
    """The mode an ordinary new file gets under the process umask (0644 under the usual 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _file_mode()  # read once, at import, while no other thread creates files


def dumps(data: Any, indent: int | None = 2) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent)


_WIDE_NUMBER = re.compile(r"\d{19}")  # beyond 64 bits, which orjson cannot keep exact


def dumps_compact(data: Any) -> str:
    """Compact JSON, fast (orjson); the standard encoder for what orjson cannot write exactly."""
    try:
        return orjson.dumps(data).decode("utf-8")
    except TypeError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def loads_exact(text: str) -> Any:
    """JSON parsed fast (orjson), except text with a number orjson would round (then the standard parser)."""
    return json.loads(text) if _WIDE_NUMBER.search(text) else orjson.loads(text)


TEMPORARY_SUFFIX = ".tmp"
_WRITER = re.compile(r"\.(\d+)-[^.]*\.tmp$")  # the pid of the process writing the temporary


def stale_temporary(path: Path) -> bool:
    """Whether ``path`` is a temporary of ``atomic_file`` whose writer is gone (killed mid-write): one a live
    process is still writing (another run, or a worker of this one) is not stale."""
    name = path.name
    if not (name.startswith(".") and name.endswith(TEMPORARY_SUFFIX)):
        return False
    match = _WRITER.search(name)
    if match is None:
        return True  # an older name, without its writer
    try:
        os.kill(int(match.group(1)), 0)
    except (ProcessLookupError, OverflowError):
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


@contextmanager
def atomic_file(
    path: Path, encoding: str | None = "utf-8", newline: str | None = None, fsync: bool = True
) -> Iterator[IO[Any]]:
    """A file written through a temporary in the same folder and renamed into place when complete.

    ``fsync=False`` keeps the rename atomic but skips the flush to disk (for files whose digest is
    recorded elsewhere, so a power cut leaves them detectably stale rather than silently wrong)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}-", suffix=TEMPORARY_SUFFIX)
    try:
        os.fchmod(fd, _FILE_MODE)  # mkstemp makes 0600; the finished file is as readable as any other
        mode = "w" if encoding is not None else "wb"
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    with atomic_file(path) as handle:
        handle.write(text)


def write_json(path: Path, data: Any) -> None:
    write_text_atomic(path, dumps(data) + "\n")


MAX_JSON_BYTES = 64 << 20  # a report, envelope or gold file is a few kilobytes


def read_json(path: Path) -> Any:
    """A JSON file of ours; a missing, huge, deeply nested or non-JSON file is a one-line error."""
    try:
        if path.is_dir():
            raise InputError(f"{path}: is a directory, not a file")
        with open(path, "rb", opener=lambda name, flags: os.open(name, flags | os.O_NONBLOCK)) as handle:
            if not os.path.isfile(path):
                raise InputError(f"{path}: not a regular file")
            data = handle.read(MAX_JSON_BYTES + 1)
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if len(data) > MAX_JSON_BYTES:
        raise ReportFormatError(f"{path}: over {MAX_JSON_BYTES >> 20} MB, not a report file")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportFormatError(f"{path}: not a JSON file ({exc})") from exc
    except RecursionError as exc:
        raise ReportFormatError(f"{path}: not a report (JSON nested too deeply)") from exc
    except ValueError as exc:  # an integer of more digits than int() converts (sys.get_int_max_str_digits)
        raise ReportFormatError(f"{path}: not a report ({str(exc).splitlines()[0]})") from exc


MAX_CELL = 10**15  # no count or amount in a report comes near this; beyond it float() loses the units


def _check_magnitudes(path: Path, report: Report2019 | Report2021) -> None:
    for cell, value in flatten(report).items():
        if isinstance(value, int | float) and not abs(value) < MAX_CELL:
            digits = len(str(abs(int(value)))) if isinstance(value, int) else "inf"
            raise ReportFormatError(f"{path}: not a valid report: {cell} holds a {digits}-digit number")


@dataclass(frozen=True)
class LoadedReport:
    """A report from a JSON file that holds a bare report, a result envelope or a gold file."""

    report: Report2019 | Report2021
    kind: str  # "report" | "envelope" | "gold"
    envelope: Envelope | None = None
    gold: GoldFile | None = None


def load_report_file(path: Path) -> LoadedReport:
    loaded = _load_report_file(path)
    _check_magnitudes(path, loaded.report)
    return loaded


def _load_report_file(path: Path) -> LoadedReport:
    data = read_json(path)
    if not isinstance(data, dict):
        raise ReportFormatError(f"{path}: expected a JSON object")
    try:
        if "expected_violations" in data:
            gold = GoldFile.model_validate(data)
            return LoadedReport(gold.report, "gold", gold=gold)
        if "status" in data and "source" in data:
            envelope = Envelope.model_validate(data)
            if envelope.report is None:
                raise ReportFormatError(f"{path}: the envelope holds no report ({envelope.error})")
            return LoadedReport(envelope.report, "envelope", envelope=envelope)
        return LoadedReport(parse_report(data), "report")
    except ValidationError as exc:
        raise _invalid(path, "a valid report", exc) from exc


def _invalid(path: Path, what: str, exc: ValidationError) -> ReportFormatError:
    """One line for a file that is not what it should be: its first validation error and where."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return ReportFormatError(f"{path}: not {what}: {where}: {first['msg']}")


def load_envelope(path: Path) -> Envelope:
    """A result envelope (any status) from a JSON file."""
    try:
        return Envelope.model_validate(read_json(path))
    except ValidationError as exc:
        raise _invalid(path, "a result envelope", exc) from exc


def load_gold(path: Path) -> GoldFile:
    try:
        return GoldFile.model_validate(read_json(path))
    except ValidationError as exc:
        raise _invalid(path, "a valid gold file", exc) from exc


def load_corrections(path: Path) -> list[Correction]:
    """The corrections in a file, or in every ``*.json`` file of a folder (in name order)."""
    if path.is_dir():
        files = sorted(p for p in path.glob("*.json") if p.is_file())
    elif path.exists():
        files = [path]
    else:
        raise InputError(f"{path}: no such corrections file or folder")
    corrections: list[Correction] = []
    for file in files:
        try:
            corrections.extend(parse_corrections(read_json(file)))
        except ValueError as exc:
            raise ReportFormatError(f"{file}: {exc}") from exc
    return corrections


def write_schemas(folder: Path) -> list[Path]:
    written = []
    for stem, schema in json_schemas().items():
        path = folder / f"{stem}.schema.json"
        write_json(path, schema)
        written.append(path)
    return written


def schema_drift(folder: Path) -> list[str]:
    """Names of the schema files in ``folder`` that differ from the models (or are missing)."""
    drifted = []
    for stem, schema in json_schemas().items():
        path = folder / f"{stem}.schema.json"
        if not path.exists() or json.loads(path.read_text(encoding="utf-8")) != schema:
            drifted.append(path.name)
    return drifted
