"""The data package: fixed schemas, levels beside every number, a codebook for every column, manifests,
duplicates; read back with pandas and pyarrow."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from giar_llm import datapackage
from giar_llm.cli import app
from giar_llm.core.tabular import STATA_NAME, cell_columns, cell_paths, cell_rows, report_columns
from giar_llm.datapackage import (
    WARNED_DUPLICATES,
    PackageWriter,
    arrow_schema,
    csv_field,
    csv_lines,
    moved_rows,
    package_rows,
    parquet_from_csv,
    read_manifest,
    source_places,
)
from giar_llm.pipeline import extract_file
from giar_llm.settings import Settings

from .conftest import REPORTS

SHANGHAI = REPORTS / "shanghai-office-2025.md"
SEED = REPORTS / "000_27f8f84a704e59bd.txt"
SEED_2019 = REPORTS / "001_804bc5c71be8d781.txt"
PINGTAN = REPORTS / "pingtan-2020.txt"

runner = CliRunner()


def test_cell_columns_have_short_stata_safe_unique_names() -> None:
    for columns in (cell_columns(), report_columns()):
        names = [c.name for c in columns]
        assert len(names) == len(set(names))
        assert all(STATA_NAME.match(n) for n in names), [n for n in names if not STATA_NAME.match(n)]
    cells = [c for c in report_columns() if c.path]
    assert {c.path for c in cells} == set(cell_paths())
    assert len(cells) == 2 * len(cell_paths())  # a level column beside every value column
    for value, level in zip(cells[::2], cells[1::2], strict=True):
        assert level.name == f"{value.name}_lv" and level.path == value.path
    assert "applications.results.other.total.total" in cell_paths()  # both （六） variants
    assert "applications.results.other.fee_unpaid.total" in cell_paths()
    assert "proactive.procurement.amount_wan_yuan" in cell_paths()  # 2019 only
    assert "proactive.regulations.newly_made" in cell_paths()


def test_extract_cells_format_keeps_the_level_beside_the_doubtful_number(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(SHANGHAI), "--format", "cells"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [c.name for c in cell_columns()]
    repealed = next(r for r in rows if r["cell_path"] == "proactive.regulations.repealed")
    assert repealed["value"] == "235" and repealed["level"] == "chosen" and repealed["doubtful"] == "True"
    assert repealed["unsure_reason"] and repealed["table"] == "二" and repealed["column_label"] == "本年废止件数"
    read = next(r for r in rows if r["cell_path"] == "applications.new_requests.total")
    assert read["level"] == "read" and read["value"] == "1295" and read["line"] and "1295" in read["quote"]

    out = tmp_path / "one.csv"
    assert runner.invoke(app, ["extract", str(SHANGHAI), "--format", "csv", "-o", str(out)]).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    wide = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(wide) == 1 and list(wide[0]) == [c.name for c in report_columns()]
    assert wide[0]["t2_reg_rep"] == "235" and wide[0]["t2_reg_rep_lv"] == "chosen"
    assert wide[0]["n_doubtful"] == "10" and wide[0]["status_zh"] == "未核实"


def package(tmp_path: Path, paths: list[Path], manifest: Path | None = None) -> Path:
    folder = tmp_path / "package"
    loaded = read_manifest(manifest, [c.name for c in report_columns()]) if manifest else None
    with PackageWriter(folder, loaded) as writer:
        for path in paths:
            writer.add(extract_file(path, Settings()).to_json())
    return folder


def test_package_reads_back_with_pandas_and_pyarrow_in_the_fixed_schema(tmp_path: Path) -> None:
    folder = package(tmp_path, [SEED, SHANGHAI, SEED_2019])
    table = pq.read_table(folder / "cells.parquet")
    expected = {"string": "string", "integer": "int64", "number": "double", "boolean": "bool"}
    assert [(f.name, str(f.type)) for f in table.schema] == [(c.name, expected[c.type]) for c in cell_columns()]
    cells = pd.read_parquet(folder / "cells.parquet")
    doubtful = cells[cells["doubtful"]]
    assert set(doubtful["source_file"]) == {str(SHANGHAI)}
    assert (doubtful["level"].isin(["chosen", "unknown"])).all() and doubtful["unsure_reason"].notna().all()
    from_csv = pd.read_csv(folder / "cells.csv", encoding="utf-8-sig")
    assert list(from_csv.columns) == [c.name for c in cell_columns()] and len(from_csv) == len(cells)

    reports = pd.read_parquet(folder / "reports.parquet")
    assert list(reports.columns) == [c.name for c in report_columns()]
    assert list(reports["format"]) == ["2021", "2021", "2019"]
    row_2019 = reports.iloc[2]
    assert pd.isna(row_2019["t2_reg_made_lv"]) is False and pd.isna(row_2019["t2_reg_force_lv"])  # 2021-only cell
    assert list(reports["n_doubtful"]) == [0, 10, 0]


def test_the_reports_columns_never_depend_on_the_batch(tmp_path: Path) -> None:
    one = pd.read_csv(package(tmp_path / "a", [SEED_2019]) / "reports.csv", encoding="utf-8-sig")
    other = pd.read_csv(package(tmp_path / "b", [PINGTAN, SEED]) / "reports.csv", encoding="utf-8-sig")
    assert list(one.columns) == list(other.columns) == [c.name for c in report_columns()]


def test_codebook_and_datapackage_cover_every_column(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("文件名,URL,Region Code\n000_27f8f84a704e59bd.txt,http://a,330100\n", encoding="utf-8")
    folder = package(tmp_path, [SEED, SHANGHAI], manifest)
    codebook = pd.read_csv(folder / "codebook.csv", encoding="utf-8-sig", keep_default_na=False)
    for table in ("cells", "reports"):
        header = pd.read_csv(folder / f"{table}.csv", encoding="utf-8-sig", nrows=0).columns
        described = codebook[codebook["table"] == table]
        assert list(described["name"]) == list(header)
        assert (described["label_zh"] != "").all() and (described["label_en"] != "").all()
        assert (described["type"].isin(["string", "integer", "number", "boolean"])).all()
        assert all(len(n) <= 32 and STATA_NAME.match(n) for n in described["name"])
    data = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    fields = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in data["resources"] if "schema" in r}
    assert fields["reports"] == [c for c in codebook[codebook["table"] == "reports"]["name"]]
    assert "url" in fields["cells"] and "region_code" in fields["reports"]

    reports = pd.read_csv(folder / "reports.csv", encoding="utf-8-sig", dtype=str)
    assert list(reports["url"].fillna("")) == ["http://a", ""]
    assert list(reports["region_code"].fillna("")) == ["330100", ""]
    assert codebook[codebook["name"] == "region_code"]["label_zh"].iloc[0] == "Region Code"


def test_duplicates_are_flagged(tmp_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SEED.read_bytes())
    folder = tmp_path / "package"
    with PackageWriter(folder) as writer:
        for path in (SEED, copy, SHANGHAI):
            writer.add(extract_file(path, Settings()).to_json())
    assert [d["kind"] for d in writer.summary.duplicates] == ["sha256"]
    reports = pd.read_csv(folder / "reports.csv", encoding="utf-8-sig", dtype=str)
    assert reports["duplicate_of"].iloc[1] == reports["report_id"].iloc[0]
    assert reports["report_id"].nunique() == 3


def _as_python_converts(rows: list[dict[str, Any]]) -> pa.Table:
    """The rows as pyarrow converts their Python values (a count beyond 64 bits left out)."""
    schema = arrow_schema(cell_columns())
    arrays = []
    for column, field in zip(cell_columns(), schema, strict=True):
        values = [r[column.name] for r in rows]
        if column.type == "integer":
            values = [v if v is None or abs(v) < 2**63 else None for v in values]
        elif column.type == "number":
            values = [v if v is None else float(v) for v in values]
        arrays.append(pa.array(values, type=field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def test_rendered_rows_read_back_as_the_values_they_were_made_of() -> None:
    """A report's long rows are rendered as CSV once (``package_rows``, in a batch's worker); the CSV reads
    back as the csv module reads what it writes, and Parquet made from that text holds the values the rows
    hold: an empty string stays one, beside a missing value, and a count beyond 64 bits is missing in
    Parquet only."""
    data = extract_file(SHANGHAI, Settings()).to_json()
    rows = cell_rows(data, source_places(data))
    odd: list[dict[str, Any]] = [
        {**rows[0], "row_label": "", "quote": 'a, "b"\r\nc', "unsure_reason": None, "value": 2.5},
        {**rows[1], "agency": "机关,一", "year": 10**30, "value": 10**30, "doubtful": True, "line": None},
    ]
    names = [c.name for c in cell_columns()]
    rendered = "".join(line + "\r\n" for line in csv_lines([[r[n] for n in names] for r in [*rows, *odd]]))
    back = list(csv.reader(io.StringIO(rendered, newline="")))
    written = io.StringIO(newline="")
    csv.writer(written).writerows([[r[n] for n in names] for r in [*rows, *odd]])
    assert back == list(csv.reader(io.StringIO(written.getvalue(), newline="")))
    assert rendered.splitlines()[: len(rows)] == written.getvalue().splitlines()[: len(rows)]
    assert '""' in rendered.splitlines()[len(rows)] and csv_field("") == '""' and csv_field(None) == ""

    expected = _as_python_converts([*rows, *odd])
    made = parquet_from_csv(pa, cell_columns(), arrow_schema(cell_columns()), rendered.encode("utf-8"))
    assert made.equals(expected)
    assert expected["row_label"][len(rows)].as_py() == "" and expected["year"][len(rows) + 1].as_py() is None

    package = package_rows(data, source_places(data))
    assert [f"{package.head},{line}" for line in package.cells] == rendered.splitlines()[: len(rows)]
    assert package.doubtful == 10 and package.report["n_doubtful"] == 10


def test_many_duplicates_are_named_up_to_a_bound_then_counted(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A batch of thousands of copies must not print a line for each: the first few are named, the rest counted."""
    envelope = extract_file(SEED, Settings()).to_json()
    copies = WARNED_DUPLICATES + 5
    with caplog.at_level(logging.WARNING, logger="giar_llm"), PackageWriter(tmp_path / "package") as writer:
        for i in range(copies + 1):
            writer.add({**envelope, "source": {**envelope["source"], "path": f"copy-{i}.txt"}})
    assert len(writer.summary.duplicates) == copies
    named = [r for r in caplog.records if "疑似重复的报告：" in r.getMessage()]
    counted = [r for r in caplog.records if "另有" in r.getMessage()]
    assert len(named) == WARNED_DUPLICATES
    assert len(counted) == 1 and f"另有 5 份疑似重复的报告（共 {copies} 份）" in counted[0].getMessage()


def test_a_field_holding_a_line_break_is_quoted_as_the_csv_module_quotes_it() -> None:
    """A value with a line break (a reason, a quote, a manifest column) stays one field of one row: rendered one
    row at a time or many at once, the lines are what ``csv.writer`` writes and read back as the values."""
    rows: list[list[Any]] = [["a\nb", 1], ["c\rd", None], ["plain", 2.5], ["e\r\nf", "g"]]
    for part in (rows, rows[2:3], rows[:1]):
        rendered = "".join(line + "\r\n" for line in csv_lines(part))
        written = io.StringIO(newline="")
        csv.writer(written).writerows(part)
        assert rendered == written.getvalue()
        back = list(csv.reader(io.StringIO(rendered, newline="")))
        assert back == [["" if v is None else str(v) for v in row] for row in part]


def test_write_all_writes_every_part_in_order_through_short_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = [bytes([i % 251]) * (i % 7) for i in range(3000)]  # empty ones too, more than one writev takes
    calls: list[int] = []
    writev = os.writev

    def short(fd: int, buffers: Any) -> int:  # at most 10 bytes a call, as a full pipe or a signal may do
        calls.append(len(buffers))
        head = b"".join(bytes(b) for b in buffers)[:10]
        return writev(fd, [head])

    monkeypatch.setattr(datapackage.os, "writev", short)
    path = tmp_path / "out.bin"
    with open(path, "wb") as handle:
        datapackage.write_all(handle.fileno(), parts)
    assert path.read_bytes() == b"".join(parts)
    assert max(calls) <= 1024 and len(calls) == -(-len(b"".join(parts)) // 10)


def test_the_long_parquet_holds_what_the_long_csv_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The long table reaches Parquet as dictionaries (each content's rows parsed once, each report's fields once):
    read back, it holds the CSV's values in the fixed text types, copies and several row groups included."""
    monkeypatch.setattr(datapackage, "_PARQUET_RENDERED", 500)  # a row group every few reports
    made = []
    for path in (SHANGHAI, SEED, SEED_2019, PINGTAN):
        data = extract_file(path, Settings()).to_json()
        made.append(package_rows(data, source_places(data)))
    copies = [
        moved_rows(rows, f"/copies/{n}-{i}.txt", str(rows.report["sha256"]))
        for n in range(3)
        for i, rows in enumerate(made)
    ]
    with PackageWriter(tmp_path) as writer:
        for rows in [*made, *copies]:
            writer.add_rows(rows)
    table = pq.read_table(tmp_path / "cells.parquet")
    assert pq.ParquetFile(tmp_path / "cells.parquet").num_row_groups > 1
    text = (tmp_path / "cells.csv").read_bytes().decode("utf-8-sig").split("\r\n", 1)[1].encode("utf-8")
    expected = parquet_from_csv(pa, cell_columns(), arrow_schema(cell_columns()), text)
    assert table.schema == expected.schema and table.equals(expected)
    assert table.num_rows == sum(len(r.cells) for r in made) * 4
    assert table["unsure_reason"].null_count > 0 and table["source_file"].null_count == 0
