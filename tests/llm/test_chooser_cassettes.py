"""The chooser against recorded answers of a real model (llama.cpp server, Qwen2.5-Coder-1.5B).

``benchmarks/bench_chooser.py --record`` asked every question of the eval inputs, the rendered layouts and
the layout fuzzer's examples that produced one, and wrote what it measured to ``chooser_picks.json``. Here
the same questions are gathered again, asked through the real client against the cassette, and the picks
and the accuracy per group are computed from the replayed answers and the gold files.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import yaml

from giar_llm.llm.chooser import ask, messages

from .cassettes import cassette_path, recorder
from .questions import gather
from .test_client import client

RECORDED = json.loads((Path(__file__).parent / "chooser_picks.json").read_text(encoding="utf-8"))


def _answers_in_cassette() -> list[int]:
    """The ``choice`` of every answer the cassette holds, in order, straight from the recorded bodies."""
    data = yaml.safe_load(cassette_path("chooser_picks").read_text(encoding="utf-8"))
    bodies = [i["response"]["body_json"] for i in data["interactions"]]
    return [json.loads(body["choices"][0]["message"]["content"])["choice"] for body in bodies]


def test_replayed_picks_and_accuracy_are_what_the_benchmark_measured(tmp_path: Path) -> None:
    items = gather(tuple(RECORDED["groups"]), RECORDED["seeds"])
    assert [(i.name, i.question.row) for i in items] == [(p["name"], p["row"]) for p in RECORDED["picks"]]
    model_client = client(tmp_path)
    with recorder().use_cassette("chooser_picks") as cassette:
        picks = [ask(model_client, item.question) for item in items]
        assert cassette.all_played
    assert picks == [p["pick"] for p in RECORDED["picks"]]
    assert [p for p in picks if p is not None] == _answers_in_cassette()
    counts: dict[str, Counter[str]] = {}
    for item, index in zip(items, picks, strict=True):
        pick = item.shown[index] if index is not None else None
        for group in (item.group, "all"):
            c = counts.setdefault(group, Counter())
            c["questions"] += 1
            c["model_right"] += item.right(pick)
            c["rules_right"] += item.right(item.rules)
    for group, c in counts.items():
        reported = RECORDED["summary"][group]
        assert (c["questions"], c["model_right"], c["rules_right"]) == (
            reported["questions"],
            reported["model_right"],
            reported["rules_right"],
        ), group


def test_a_question_names_the_row_the_source_and_every_option_shown() -> None:
    item = gather(("eval reports",), ())[0]
    text = messages(item.question)[-1]["content"]
    assert item.question.source in text
    for i, option in enumerate(item.shown):
        assert f"{i}: " + " | ".join(str(v) for v in option) in text
