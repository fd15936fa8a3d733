"""The same agency's neighbouring years and the report's own prose as evidence for run-together digits."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from giar_llm.batch import neighbours, run_batch
from giar_llm.core.constraints import Split
from giar_llm.core.neighbours import Neighbours, neighbour_rank, same_report_cells
from giar_llm.core.schema import Report2021
from giar_llm.files import load_gold
from giar_llm.pipeline import extract_file
from giar_llm.reader.prose import chinese_number, prose_statements
from giar_llm.settings import Settings

from .conftest import GOLD
from .reader.render import render

RULES = Settings.from_env(backend="rules")
ROW = "proactive.normative_docs"


def office(year: int, issued: int, repealed: int, in_force: int) -> Report2021:
    """Seed 002's report (政府办公室) for ``year`` with its 规范性文件 row set."""
    report = load_gold(GOLD / "002_466e71db95901446.json").report
    assert isinstance(report, Report2021)
    report.meta.year = year
    report.meta.title = f"{report.meta.agency}{year}年政府信息公开工作年度报告"
    docs = report.proactive.normative_docs
    docs.issued, docs.repealed, docs.in_force = issued, repealed, in_force
    return report


def write_years(folder: Path, prose: str = "") -> Path:
    """2020 printed cleanly; 2021's 规范性文件 row printed as the digit run 1234 (1 issued, 2 repealed, 34)."""
    folder.mkdir()
    (folder / "office-2020.txt").write_text(render(office(2020, 3, 0, 35), "tabs"), encoding="utf-8")
    text = render(office(2021, 1, 2, 34), "spaces").replace("规范性文件 1 2 34", "规范性文件 1234")
    assert "规范性文件 1234" in text
    target = folder / "office-2021.txt"
    target.write_text(
        text.replace("本年度依法做好政府信息公开工作。", prose or "本年度依法做好政府信息公开工作。"), "utf-8"
    )
    return target


def test_the_splits_agreeing_with_the_previous_years_in_force_count_rank_first() -> None:
    split = Split(("issued", "repealed", "in_force"), ("1234",), ((1, 2, 34), (1, 23, 4), (12, 3, 4)))
    before = office(2020, 3, 0, 35)
    assert neighbour_rank({ROW: split}, Neighbours(previous=before)) == {ROW: [(1, 2, 34)]}
    after = office(2022, 5, 0, 39)  # 39 - 5 + 0 = 34 in force at the end of 2021
    assert neighbour_rank({ROW: split}, Neighbours(following=after)) == {ROW: [(1, 2, 34)]}
    assert neighbour_rank({ROW: split}, Neighbours()) == {}


def test_a_batch_with_the_previous_year_chooses_the_split_it_agrees_with(tmp_path: Path) -> None:
    target = write_years(tmp_path / "in")
    alone = extract_file(target, RULES)
    assert alone.report is not None
    assert alone.levels[f"{ROW}.in_force"] == "chosen"
    assert alone.report.proactive.normative_docs.in_force == 4  # 1/23/4: plausible, wrong
    assert 34 in alone.candidates[f"{ROW}.in_force"]

    run_batch([tmp_path / "in"], tmp_path / "out", RULES, jobs=1)
    lines = (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    results = {Path(d["source"]["path"]).name: d for d in map(json.loads, lines)}
    batch = results["office-2021.txt"]
    docs = batch["report"]["proactive"]["normative_docs"]
    assert (docs["issued"], docs["repealed"], docs["in_force"]) == (1, 2, 34)
    assert batch["levels"][f"{ROW}.in_force"] == "chosen"  # a hint, never a proof
    assert "相邻年度" in batch["unsure"][f"{ROW}.in_force"]
    assert batch["candidates"][f"{ROW}.in_force"][0] == 34
    assert results["office-2020.txt"]["status"] == "verified"


def test_the_second_look_is_done_once_and_again_after_a_run_killed_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_years(tmp_path / "in")
    out = tmp_path / "out"
    run_batch([tmp_path / "in"], out, RULES, jobs=1)
    looks: list[str] = []

    def counted(path: Path | str, *args: Any) -> Any:
        looks.append(Path(path).name)
        return extract_file(path, *args)

    monkeypatch.setattr(neighbours, "extract_file", counted)
    run_batch([tmp_path / "in"], out, RULES, jobs=1)
    assert looks == []  # resumed, the same rows: the second look was done
    with closing(sqlite3.connect(out / "batch.sqlite")) as db, db:
        db.execute("DELETE FROM meta WHERE key = 'neighbours'")  # as a run killed before its second look ended
    run_batch([tmp_path / "in"], out, RULES, jobs=1)
    assert looks == ["office-2021.txt"]
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    results = {Path(d["source"]["path"]).name: d for d in map(json.loads, lines)}
    assert results["office-2021.txt"]["report"]["proactive"]["normative_docs"]["in_force"] == 34


def test_the_reports_prose_makes_the_split_derived(tmp_path: Path) -> None:
    target = write_years(tmp_path / "in", prose="本年度制发规范性文件一件，废止规范性文件两件。")
    envelope = extract_file(target, RULES)
    assert envelope.report is not None and envelope.report.proactive.normative_docs.in_force == 34
    assert envelope.levels[f"{ROW}.in_force"] == "derived"
    assert envelope.status == "verified"


def test_chinese_numerals_and_unambiguous_statements() -> None:
    assert [chinese_number(t) for t in ("三", "十二", "二十一", "一百零五", "两千", "3")] == [3, 12, 21, 105, 2000, 3]
    stated = prose_statements("共收到政府信息公开申请二十一件。发生政府信息公开行政复议2件。", "2021")
    assert stated["applications.new_requests.total"][0] == 21
    assert stated["review_litigation.review.total"][0] == 2
    assert "review_litigation.review.total" not in prose_statements("行政复议2件……行政复议3件", "2021")
    assert prose_statements("本年制发规范性文件3件", "2019") == {}


def test_another_form_of_the_same_report_in_the_batch_makes_the_split_derived(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_years(folder)
    (folder / "office-2020.txt").unlink()
    (folder / "office-2021-page.txt").write_text(render(office(2021, 1, 2, 34), "tabs"), encoding="utf-8")
    run_batch([folder], tmp_path / "out", RULES, jobs=1)
    lines = (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()
    results = {Path(d["source"]["path"]).name: d for d in map(json.loads, lines)}
    batch = results["office-2021.txt"]
    assert batch["levels"][f"{ROW}.in_force"] == "derived"
    assert batch["report"]["proactive"]["normative_docs"]["in_force"] == 34
    assert batch["status"] == "verified"


def test_two_reports_that_disagree_on_a_certain_cell_are_not_forms_of_one() -> None:
    levels = {f"applications.cell_{c}": "read" for c in range(25)}
    values = dict.fromkeys(levels, 1)
    mine = ({**levels, ROW + ".issued": "chosen"}, {**values, ROW + ".issued": 7})
    other = ({**levels, ROW + ".issued": "read"}, {**values, ROW + ".issued": 1})
    assert same_report_cells(mine, other) == {ROW + ".issued": 1}
    differing = (other[0], {**other[1], "applications.cell_0": 2})
    assert same_report_cells(mine, differing) == {}
    assert same_report_cells(({ROW + ".issued": "chosen"}, {}), ({ROW + ".issued": "read"}, {ROW + ".issued": 1})) == {}


def test_items_of_information_are_not_documents() -> None:
    assert prose_statements("制发规章类信息总数16条", "2021") == {}
    assert prose_statements("公开规范性文件类信息12件", "2021") == {}


def test_the_second_look_in_worker_processes_is_the_one_made_here(tmp_path: Path) -> None:
    """With worker processes, the results with a neighbouring year are extracted again over those processes (one per
    content); the outcomes are the ones a batch without workers makes."""
    folder = tmp_path / "in"
    target = write_years(folder)
    text = target.read_text(encoding="utf-8")
    for n in range(3):  # other contents of the same report (a line of blanks more), each looked at again
        (folder / f"office-2021-{n}.txt").write_text(text + " " * (n + 1) + "\n", encoding="utf-8")
    results = {}
    for jobs in (1, 2):
        out = tmp_path / f"out-{jobs}"
        run_batch([folder], out, RULES, jobs=jobs)
        lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
        results[jobs] = {Path(d["source"]["path"]).name: {**d, "run": None} for d in map(json.loads, lines)}
    assert results[2] == results[1]
    chosen = [d for name, d in results[2].items() if name.startswith("office-2021")]
    assert len(chosen) == 4 and all(d["candidates"][f"{ROW}.in_force"][0] == 34 for d in chosen)
    assert all("相邻年度" in d["unsure"][f"{ROW}.in_force"] for d in chosen)
