"""The batch: isolation of bad files, the output files, resume (also after SIGKILL), parallel runs."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any, ClassVar

import pytest

from giar_llm import batch
from giar_llm.batch import BatchItem, execute, expand_inputs, outputs, run_batch
from giar_llm.core.envelope import Envelope, Source
from giar_llm.core.schema import empty_report
from giar_llm.core.tabular import report_columns
from giar_llm.settings import Settings

from .conftest import REPORTS, ROOT

GOOD = {
    "000_27f8f84a704e59bd.txt": "verified",
    "001_804bc5c71be8d781.txt": "source_inconsistent",
    "002_466e71db95901446.txt": "verified",
}
RULES = Settings(backend="rules")


def _inputs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in GOOD:
        shutil.copy(REPORTS / name, folder / name)
        paths.append(folder / name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.bin").write_bytes(bytes(range(256)) * 8 + os.urandom(512))
    (folder / "prose.txt").write_text("本机关今年政府信息公开工作稳步推进，没有表格。\n", encoding="utf-8")
    return [*paths, folder / "empty.txt", folder / "garbage.bin", folder / "prose.txt"]


def _results(outdir: Path) -> dict[str, dict[str, Any]]:
    lines = (outdir / "results.jsonl").read_text(encoding="utf-8").splitlines()
    return {Path(d["source"]["path"]).name: d for d in map(json.loads, lines)}


def _recorder() -> tuple[list[BatchItem], Any]:
    items: list[BatchItem] = []
    return items, items.append


def test_a_batch_isolates_bad_files_and_writes_every_output(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in")
    outdir = tmp_path / "out"
    items, record = _recorder()
    summary = run_batch(inputs, outdir, RULES, jobs=2, on_result=record)

    assert summary.total == 6 and summary.recomputed == 6 and summary.skipped == 0
    assert summary.any_failed and summary.failed == 3
    assert sorted(Path(i.path).name for i in items) == sorted(p.name for p in inputs)
    results = _results(outdir)
    assert list(results) == [p.name for p in inputs]  # input order
    for name, status in GOOD.items():
        assert results[name]["status"] == status
        assert len(results[name]["source"]["sha256"]) == 64
    for name in ("empty.txt", "garbage.bin", "prose.txt"):
        assert results[name]["status"] == "failed"
        assert results[name]["error"] and "\n" not in results[name]["error"]
    assert results["empty.txt"]["error"].startswith("InputError: ")

    with (outdir / "reports.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 6
    assert list(rows[0]) == [c.name for c in report_columns()]
    by_name = {Path(r["source_file"]).name: r for r in rows}
    assert by_name["000_27f8f84a704e59bd.txt"]["agency"] == "盐仓街道"
    assert by_name["000_27f8f84a704e59bd.txt"]["t3_totproc_tot_lv"] == "read"
    inconsistent = "001_804bc5c71be8d781.txt"
    assert by_name[inconsistent]["n_violations"] == str(len(results[inconsistent]["violations"]))
    assert by_name["empty.txt"]["status"] == "failed" and by_name["empty.txt"]["error"]

    written = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
    assert written["statuses"]["failed"] == 3 and written["failed"] == 3 and written["skipped"] == 0
    assert sum(written["statuses"].values()) == 6
    assert written["violations"] == summary.violations
    assert sorted(Path(p).name for p in written["failed_files"]) == ["empty.txt", "garbage.bin", "prose.txt"]
    pyarrow = pytest.importorskip("pyarrow.parquet")
    table = pyarrow.read_table(outdir / "reports.parquet")
    assert table.num_rows == 6 and table.column_names == list(rows[0])
    assert not list(outdir.rglob("*.tmp"))


def _lines(outdir: Path) -> list[str]:
    return (outdir / "results.jsonl").read_text(encoding="utf-8").splitlines()


def test_a_rerun_skips_everything_and_a_changed_file_is_redone(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in")
    outdir = tmp_path / "out"
    first = run_batch(inputs, outdir, RULES, jobs=1)
    assert first.recomputed == 6

    items, record = _recorder()
    again = run_batch(inputs, outdir, RULES, jobs=1, on_result=record)
    assert again.skipped == 6 and again.recomputed == 0
    assert all(i.skipped for i in items)
    assert again.statuses == first.statuses and again.any_failed
    assert len(_lines(outdir)) == 6

    changed = inputs[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n附：本报告为修订版。\n", encoding="utf-8")
    items, record = _recorder()
    third = run_batch(inputs, outdir, RULES, jobs=1, on_result=record)
    assert third.recomputed == 1 and third.skipped == 5
    assert [Path(i.path).name for i in items if not i.skipped] == [changed.name]
    assert len(_lines(outdir)) == 6

    new_config = run_batch(inputs, outdir, RULES.with_(max_rounds=RULES.max_rounds + 1), jobs=1)
    assert new_config.recomputed == 6


def _rows(outdir: Path) -> dict[str, int]:
    """The store's rows: name -> the stamp of its last write."""
    with closing(sqlite3.connect(outdir / "batch.sqlite")) as db:
        return dict(db.execute("SELECT name, stamp FROM results"))


def _count(outdir: Path) -> int:
    """Rows committed so far by a batch that is still running (0 while the store is being created)."""
    try:
        return len(_rows(outdir)) if (outdir / "batch.sqlite").exists() else 0
    except sqlite3.OperationalError:
        return 0


def test_a_result_missing_from_the_store_is_redone(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in")[:2]
    outdir = tmp_path / "out"
    run_batch(inputs, outdir, RULES, jobs=1)
    with closing(sqlite3.connect(outdir / "batch.sqlite")) as db, db:
        db.execute("DELETE FROM results WHERE name LIKE '000_%'")
    summary = run_batch(inputs, outdir, RULES, jobs=1)
    assert (summary.recomputed, summary.skipped) == (1, 1)


def test_a_lost_or_short_result_file_is_exported_again_not_redone(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in")[:2]
    outdir = tmp_path / "out"
    run_batch(inputs, outdir, RULES, jobs=1)
    files = sorted((outdir / "results").glob("*.json"))
    whole = files[0].read_text(encoding="utf-8")
    files[0].unlink()
    files[1].write_text("", encoding="utf-8")  # what a power cut can leave of a file that was not fsync'ed
    stamps = _rows(outdir)
    summary = run_batch(inputs, outdir, RULES, jobs=1)
    assert (summary.recomputed, summary.skipped) == (0, 2) and _rows(outdir) == stamps
    assert files[0].read_text(encoding="utf-8") == whole
    assert json.loads(files[1].read_text(encoding="utf-8"))["status"] in ("verified", "source_inconsistent")


def test_a_resumed_run_that_changed_nothing_keeps_its_outputs(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in")
    outdir = tmp_path / "out"
    first = run_batch(inputs, outdir, RULES, jobs=1)
    written = {p.name: p.stat().st_mtime_ns for p in outdir.iterdir() if p.suffix in (".jsonl", ".csv")}
    again = run_batch(inputs, outdir, RULES, jobs=1)
    assert {p.name: p.stat().st_mtime_ns for p in outdir.iterdir() if p.suffix in (".jsonl", ".csv")} == written
    this_run = {"seconds": 0, "compute_seconds": 0, "step_seconds": {}, "skipped": 0, "recomputed": 0}
    assert list(again.steps) == ["plan", "extract", "second_look", "outputs"]
    assert sum(again.steps.values()) <= again.seconds
    assert again.to_json() | this_run == first.to_json() | this_run
    (outdir / "results.jsonl").unlink()
    run_batch(inputs, outdir, RULES, jobs=1)
    assert len(_lines(outdir)) == len(inputs)


@pytest.mark.parametrize("name", ["cells.csv", "results.jsonl", "reports.parquet"])
def test_an_output_a_power_cut_left_short_is_exported_again(tmp_path: Path, name: str) -> None:
    """The batch outputs are renamed into place whole but not flushed to disk: their sizes are kept with the
    export, so one a power cut left short (or empty) is made again by the next run, from the store."""
    pytest.importorskip("pyarrow")
    inputs = _inputs(tmp_path / "in")
    outdir = tmp_path / "out"
    run_batch(inputs, outdir, RULES, jobs=1)
    whole = (outdir / name).read_bytes()
    (outdir / name).write_bytes(whole[: len(whole) // 2])
    stamps = _rows(outdir)
    summary = run_batch(inputs, outdir, RULES, jobs=1)
    assert (summary.recomputed, summary.skipped) == (0, len(inputs)) and _rows(outdir) == stamps
    assert (outdir / name).read_bytes() == whole


def test_a_store_of_an_older_version_is_read_and_its_outputs_made_again(tmp_path: Path) -> None:
    """The rows of the data package are kept in the store beside each envelope; a store an older version
    made has none (no such columns): it is upgraded, its results are resumed, and the outputs it needs are
    made from its envelopes, the same as those made from the kept rows."""
    inputs = _inputs(tmp_path / "in")
    outdir = tmp_path / "out"
    run_batch(inputs, outdir, RULES, jobs=1)
    made = {name: (outdir / name).read_bytes() for name in ("results.jsonl", "cells.csv", "reports.csv")}
    old = "name, path, sha256, config, corrections, status, error, retry, has_candidates, agency, year, stamp, size"
    with closing(sqlite3.connect(outdir / "batch.sqlite")) as db, db:
        db.execute("ALTER TABLE results RENAME TO newer")
        db.execute(f"CREATE TABLE results ({old}, envelope TEXT NOT NULL, PRIMARY KEY (name))")
        db.execute(f"INSERT INTO results SELECT {old}, envelope FROM newer")
        db.execute("DROP TABLE newer")
        db.execute("DELETE FROM meta")
    summary = run_batch(inputs, outdir, RULES, jobs=1)
    assert (summary.recomputed, summary.skipped) == (0, len(inputs))
    assert {name: (outdir / name).read_bytes() for name in made} == made
    with closing(sqlite3.connect(outdir / "batch.sqlite")) as db:
        assert "cells" in {row[1] for row in db.execute("PRAGMA table_info(results)")}


def test_copies_stored_with_their_own_package_rows_are_read_as_before(tmp_path: Path) -> None:
    """A store of the previous layout, where each copy's row kept its own package rows (and no shared ones),
    gives the same outputs; so does one whose shared rows are lost (made again from the envelopes)."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(REPORTS / "001_804bc5c71be8d781.txt", folder / name)
    outdir = tmp_path / "out"
    run_batch([folder], outdir, RULES, jobs=1)
    made = {name: (outdir / name).read_bytes() for name in ("results.jsonl", "cells.csv", "reports.csv")}
    with closing(sqlite3.connect(outdir / "batch.sqlite")) as db, db:
        db.execute(
            "UPDATE results SET cells = (SELECT cells FROM shared_rows s WHERE s.key = content),"
            " wide = wide || char(10) || (SELECT wide FROM shared_rows s WHERE s.key = content)"
            " WHERE content IS NOT NULL"
        )
        db.execute("DROP TABLE shared_rows")
        db.execute("DELETE FROM meta")
    assert run_batch([folder], outdir, RULES, jobs=1).skipped == 3
    assert {name: (outdir / name).read_bytes() for name in made} == made
    with closing(sqlite3.connect(outdir / "batch.sqlite")) as db, db:
        db.execute("UPDATE results SET cells = NULL, wide = substr(wide, 1, instr(wide, char(10)) - 1)")
        db.execute("DELETE FROM meta")
    assert run_batch([folder], outdir, RULES, jobs=1).skipped == 3
    assert {name: (outdir / name).read_bytes() for name in made} == made


def test_inputs_with_the_same_name_do_not_collide(tmp_path: Path) -> None:
    for folder, name in (("a", "000_27f8f84a704e59bd.txt"), ("b", "002_466e71db95901446.txt")):
        (tmp_path / folder).mkdir()
        shutil.copy(REPORTS / name, tmp_path / folder / "report.txt")
    outdir = tmp_path / "out"
    summary = run_batch([tmp_path / "a" / "report.txt", tmp_path / "b" / "report.txt"], outdir, RULES, jobs=1)
    assert summary.total == 2
    assert len(list((outdir / "results").glob("*.json"))) == 2
    agencies = [json.loads(line)["report"]["meta"]["agency"] for line in _lines(outdir)]
    assert agencies == ["盐仓街道", "政府办公室"]


def test_expanding_folders_globs_and_duplicates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "in"
    for rel in ("b.txt", "a.txt", "sub/c.md", ".hidden/x.txt", "sub/.y.txt"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    found = expand_inputs([root / "b.txt", root, "in/sub/*.md", "in/nothing-*.txt", root / "missing.txt"])
    names = [p.relative_to(tmp_path).as_posix() if p.is_absolute() else p.as_posix() for p in found]
    assert names == ["in/b.txt", "in/a.txt", "in/sub/c.md", "in/missing.txt"]


def test_a_missing_input_is_a_failed_result(tmp_path: Path) -> None:
    summary = run_batch([tmp_path / "nowhere.txt"], tmp_path / "out", RULES, jobs=1)
    (line,) = _lines(tmp_path / "out")
    assert summary.any_failed and json.loads(line)["error"].startswith("InputError: ")


class _ExplodingModel:
    def structured(self, messages: list[dict[str, Any]], response_model: type[Any]) -> Any:
        raise RuntimeError("boom\nand a second line nobody needs")


def test_an_unexpected_exception_is_isolated_and_retried_next_time(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in")[:3]
    settings = Settings(backend="llm", model="openai/gpt-4o-mini", concurrency=2)
    outdir = tmp_path / "out"
    summary = run_batch(inputs, outdir, settings, extractor=_ExplodingModel())
    assert summary.statuses == {"failed": 3}
    for data in _results(outdir).values():
        assert data["error"] == "RuntimeError: boom"
    again = run_batch(inputs, outdir, settings, extractor=_ExplodingModel())
    assert again.recomputed == 3 and again.skipped == 0


def test_cross_year_warnings_are_added_to_the_batch_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_extract(path: Path | str, settings: Settings, extractor: object = None) -> Envelope:
        year = int(Path(path).stem)
        report = empty_report("2021")
        report.meta.agency, report.meta.year = "某某镇人民政府", year
        report.applications.carried_over.total = 1 if year == 2022 else 0
        report.applications.carried_forward.total = 3
        return Envelope(source=Source(path=str(path), sha256="0" * 64), status="verified", report=report)

    monkeypatch.setattr(execute, "extract_file", fake_extract)
    folder = tmp_path / "in"
    folder.mkdir()
    for year in (2021, 2022):
        (folder / f"{year}.txt").write_text(str(year), encoding="utf-8")
    outdir = tmp_path / "out"
    summary = run_batch([folder], outdir, RULES, jobs=1)
    assert summary.cross_year_warnings == 1
    results = _results(outdir)
    assert results["2021.txt"]["warnings"] == []
    (warning,) = results["2022.txt"]["warnings"]
    assert warning["check"] == "cross_year_carried_over" and "2021年" in warning["message"]
    assert json.loads((outdir / "cross_year.json").read_text(encoding="utf-8"))
    stored = json.loads(next((outdir / "results").glob("in__2022*.json")).read_text(encoding="utf-8"))
    assert stored["warnings"] == []  # the result files are not rewritten


def _dying_task(task: Any, settings: Settings) -> Any:
    """A process-pool worker that dies (like an out-of-memory kill) on the file named die.txt."""
    if Path(task.path).name == "die.txt":
        os._exit(9)
    return execute._run_one(task, settings, None)


def test_a_dead_worker_process_fails_only_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = _inputs(tmp_path / "in")[:3]
    # content of its own (a byte more): an exact copy of another input is not read again, see the copies test
    (tmp_path / "in" / "die.txt").write_bytes(inputs[0].read_bytes() + b"\n")
    inputs.insert(1, tmp_path / "in" / "die.txt")
    monkeypatch.setattr(execute, "_run_task", _dying_task)
    summary = run_batch(inputs, tmp_path / "out", RULES, jobs=2)
    results = _results(tmp_path / "out")
    assert list(results) == [p.name for p in inputs]
    assert results["die.txt"]["status"] == "failed"
    assert results["die.txt"]["error"].startswith("BrokenProcessPool")
    assert summary.statuses == {"verified": 2, "source_inconsistent": 1, "failed": 1}
    assert run_batch(inputs, tmp_path / "out", RULES, jobs=1).recomputed == 1  # a crash is retried


KILL_SCRIPT = """
import sys, time
from pathlib import Path
from giar_llm.batch import run_batch
from giar_llm.settings import Settings
run_batch([Path(sys.argv[1])], Path(sys.argv[2]), Settings(backend="rules"), jobs=1,
          on_result=lambda item: time.sleep(0.05))
"""


def test_a_batch_killed_with_sigkill_resumes_where_it_stopped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = (REPORTS / "000_27f8f84a704e59bd.txt").read_bytes()
    for i in range(40):
        (folder / f"copy-{i:02d}.txt").write_bytes(text + f"\n附{i}\n".encode())
    outdir = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(folder), str(outdir)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while _count(outdir) < 5:
            assert process.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < deadline, "no progress within 60 s"
            time.sleep(0.005)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    done_before = _rows(outdir)
    assert 5 <= len(done_before) < 40
    for result in (outdir / "results").glob("*.json"):
        assert json.loads(result.read_text(encoding="utf-8"))["status"] == "verified"
    for stale in outdir.rglob("*.tmp"):
        assert stale.name.startswith("."), "only hidden temporaries may be left by a kill"
    assert not (outdir / "results.jsonl").exists()

    summary = run_batch([folder], outdir, RULES, jobs=1)
    assert summary.skipped == len(done_before)
    assert summary.recomputed == 40 - len(done_before)
    assert {name: stamp for name, stamp in _rows(outdir).items() if name in done_before} == done_before
    assert len(list((outdir / "results").glob("*.json"))) == 40
    assert len(_lines(outdir)) == 40 and summary.statuses == {"verified": 40}
    assert not list(outdir.rglob("*.tmp"))


def test_copies_of_one_content_are_read_once_and_each_names_its_own_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    (folder / "b").mkdir(parents=True)
    names = ["a.txt", "b/a.txt", "copy.txt", "other.txt"]
    for name in names[:3]:
        shutil.copy(REPORTS / "001_804bc5c71be8d781.txt", folder / name)
    shutil.copy(REPORTS / "000_27f8f84a704e59bd.txt", folder / "other.txt")
    read: list[str] = []
    extract_file = execute.extract_file

    def counting(path: Any, *args: Any) -> Any:
        read.append(Path(path).name)
        return extract_file(path, *args)

    monkeypatch.setattr(execute, "extract_file", counting)
    items, on_result = _recorder()
    outdir = tmp_path / "out"
    summary = run_batch([folder], outdir, RULES, jobs=1, on_result=on_result)
    assert sorted(read) == ["a.txt", "other.txt"]  # the copies of a.txt are not read again
    assert summary.recomputed == 4 and len(items) == 4

    # each copy's result is what reading it on its own gives, but for the file it names
    alone = {}
    for name in names:
        summary = run_batch([folder / name], tmp_path / "alone" / name, RULES, jobs=1)
        (line,) = (tmp_path / "alone" / name / "results.jsonl").read_text(encoding="utf-8").splitlines()
        alone[name] = json.loads(line)
    lines = [json.loads(line) for line in _lines(outdir)]
    order = [Path(d["source"]["path"]).relative_to(folder).as_posix() for d in lines]
    assert sorted(order) == sorted(names)
    for data in lines:
        name = Path(data["source"]["path"]).relative_to(folder).as_posix()
        mine = {k: v for k, v in data.items() if k != "run"}
        assert mine == {k: v for k, v in alone[name].items() if k != "run"}
    exported = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in (outdir / "results").glob("*.json")}
    assert sorted(Path(d["source"]["path"]).name for d in exported.values()) == sorted(Path(n).name for n in names)

    with (outdir / "reports.csv").open(encoding="utf-8-sig", newline="") as handle:
        wide = list(csv.DictReader(handle))
    assert [Path(r["source_file"]).relative_to(folder).as_posix() for r in wide] == order
    assert len({r["report_id"] for r in wide}) == 4
    firsts = {order[0], "other.txt"}  # the first of the three copies, in input order, and the other report
    assert [bool(r["duplicate_of"]) for r in wide] == [name not in firsts for name in order]
    with (outdir / "cells.csv").open(encoding="utf-8-sig", newline="") as handle:
        long = list(csv.DictReader(handle))
    ids = {r["source_file"]: r["report_id"] for r in wide}
    assert all(ids[r["source_file"]] == r["report_id"] for r in long)
    per_file = {f: sum(1 for r in long if r["source_file"] == f) for f in ids}
    assert per_file[str(folder / "a.txt")] == per_file[str(folder / "copy.txt")] > 0

    monkeypatch.undo()
    in_workers = run_batch([folder], tmp_path / "workers", RULES, jobs=2)  # copies made in the worker processes
    assert in_workers.recomputed == 4
    assert [{k: v for k, v in json.loads(x).items() if k != "run"} for x in _lines(tmp_path / "workers")] == [
        {k: v for k, v in d.items() if k != "run"} for d in lines
    ]
    monkeypatch.setattr(execute, "extract_file", counting)

    again = run_batch([folder], outdir, RULES, jobs=1)  # the copies resume like any result
    assert (again.recomputed, again.skipped) == (0, 4)
    (folder / "copy.txt").write_bytes((folder / "copy.txt").read_bytes() + b"\n")
    read.clear()
    changed = run_batch([folder], outdir, RULES, jobs=1)
    assert (changed.recomputed, read) == (1, ["copy.txt"])


def test_copies_keep_one_stored_body_until_no_row_names_it(tmp_path: Path) -> None:
    """A copy's row keeps the part of its envelope that names its file; the rest is stored once for all the
    copies of a result, read back whole, resumed as any row, and removed when no row names it any more."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(REPORTS / "001_804bc5c71be8d781.txt", folder / name)
    outdir = tmp_path / "out"

    def bodies() -> tuple[int, int]:
        with closing(sqlite3.connect(outdir / "batch.sqlite")) as db:
            shared = db.execute("SELECT count(content) FROM results").fetchone()[0]
            kept = db.execute("SELECT count(*) FROM contents").fetchone()[0]
            assert db.execute("SELECT count(*) FROM shared_rows").fetchone()[0] == kept  # their package rows too
            return shared, kept

    run_batch([folder], outdir, RULES, jobs=1)
    assert bodies() == (2, 1)  # b.txt and c.txt are copies of a.txt
    with closing(sqlite3.connect(outdir / "batch.sqlite")) as db:
        own = db.execute("SELECT cells IS NULL, instr(wide, char(10)) = 0 FROM results WHERE content IS NOT NULL")
        assert own.fetchall() == [(1, 1), (1, 1)]  # a copy keeps only the fixed fields of its wide row
    lines = _lines(outdir)
    exported = sorted(p.read_text(encoding="utf-8") for p in (outdir / "results").glob("*.json"))
    assert sorted(line + "\n" for line in lines) == exported
    assert [json.loads(x)["source"]["path"] for x in lines] == [str(folder / n) for n in ("a.txt", "b.txt", "c.txt")]

    shutil.copy(REPORTS / "000_27f8f84a704e59bd.txt", folder / "a.txt")  # the first one changes: its copies stay
    summary = run_batch([folder], outdir, RULES, jobs=1)
    assert (summary.recomputed, summary.skipped) == (1, 2) and bodies() == (2, 1)
    assert _lines(outdir)[1:] == lines[1:]

    for name in ("b.txt", "c.txt"):
        (folder / name).write_bytes((REPORTS / "001_804bc5c71be8d781.txt").read_bytes() + f"\n{name}\n".encode())
    summary = run_batch([folder], outdir, RULES, jobs=1)
    assert summary.recomputed == 2 and bodies() == (0, 0)
    assert [json.loads(x)["status"] for x in _lines(outdir)][1:] == [json.loads(x)["status"] for x in lines][1:]


class _Child(outputs.Child):
    """The process that writes the long table, counted; killed as soon as it starts (as the out-of-memory killer
    might) when ``kill``."""

    started: ClassVar[list[int]] = []
    kill = False

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.started.append(self.process.pid)
        if self.kill:
            self.process.kill()


@pytest.mark.parametrize("child", ["alive", "killed"])
def test_the_long_table_written_apart_is_the_one_written_inline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, child: str
) -> None:
    """With worker processes, the long table (cells.csv, cells.parquet) is written by a process of its own while
    the batch writes the rest; it is the same as the one a batch without workers writes, and when that process
    dies the batch writes it itself."""
    pytest.importorskip("pyarrow")
    monkeypatch.setattr(batch, "APART_FROM", 2)
    monkeypatch.setattr(outputs, "Child", _Child)
    monkeypatch.setattr(_Child, "started", [])
    monkeypatch.setattr(_Child, "kill", child == "killed")
    inputs = _inputs(tmp_path / "in")
    shutil.copy(inputs[0], tmp_path / "in" / "copy.txt")  # a copy: its rows share the first one's
    inputs.append(tmp_path / "in" / "copy.txt")
    inline = run_batch(inputs, tmp_path / "inline", RULES, jobs=1)
    apart = run_batch(inputs, tmp_path / "apart", RULES, jobs=2)
    for name in ("cells.csv", "reports.csv", "cells.parquet", "reports.parquet", "codebook.csv"):
        assert (tmp_path / "apart" / name).read_bytes() == (tmp_path / "inline" / name).read_bytes(), name
    assert (apart.cells, apart.doubtful_cells, apart.parquet) == (inline.cells, inline.doubtful_cells, True)
    assert apart.cells > 0 and not list((tmp_path / "apart").glob(".*.tmp"))  # nor what the killed one began
    assert len(_Child.started) == 1 and ("另一进程失败" in caplog.text) == (child == "killed")
