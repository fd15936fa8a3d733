"""Every multiple-choice question ``auto`` would ask the model, gathered with the gold answer.

Three sources: the eval inputs (``evals/reports`` with their gold files), every gold report printed in the
text layouts of ``tests/reader/render.py``, and the layout fuzzer's examples (``tests/fuzz/generate.py``,
example *i* drawn from ``Random(i)``). A question is asked where the reader's own reading leaves a row of
run-together digits open (:func:`giar_llm.pipeline.questions`); the rules' pick is the row as the rules
backend outputs it (the plausibility ranking's first survivor).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from random import Random

from giar_llm.core.levels import Number
from giar_llm.core.paths import Value, flatten
from giar_llm.files import load_gold
from giar_llm.inputs import LoadedInput, load_bytes, load_input
from giar_llm.llm.chooser import MAX_OPTIONS, Question
from giar_llm.pipeline import questions, reader_result
from giar_llm.reader import read

from ..fuzz.generate import RandomChooser, draw_case
from ..reader.render import LAYOUTS, render

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "evals" / "gold"
REPORTS = ROOT / "evals" / "reports"
GROUPS = ("eval reports", "rendered layouts", "fuzzed layouts")


@dataclass(frozen=True)
class Item:
    group: str  # one of GROUPS
    name: str  # the input: file name, gold/layout, or fuzz seed and kind
    question: Question
    gold: tuple[Value, ...]  # the row as the gold file has it
    rules: tuple[Number | None, ...]  # the row as the rules backend picks it

    @property
    def shown(self) -> tuple[tuple[Number, ...], ...]:
        return self.question.options[:MAX_OPTIONS]

    @property
    def answerable(self) -> bool:
        """The gold row is one of the options the question shows."""
        return self.gold in self.shown

    def right(self, pick: tuple[Number | None, ...] | None) -> bool:
        return pick is not None and pick == self.gold


def _items(group: str, name: str, loaded: LoadedInput, truth: dict[str, Value]) -> Iterator[Item]:
    reading = read(loaded.document)
    first = reader_result(reading)
    if first is None:
        return
    for _split, question in questions(first, reading, loaded.document):
        if len(question.options) < 2:
            continue
        paths = [f"{question.row}.{f}" for f in question.fields]
        yield Item(
            group,
            name,
            question,
            tuple(truth.get(p) for p in paths),
            tuple(first.cells[p].value for p in paths),
        )


def gather(groups: tuple[str, ...] = GROUPS, seeds: Iterable[int] = range(3000)) -> list[Item]:
    """The questions of ``groups``, in a fixed order; the layout fuzzer's examples ``seeds``."""
    out: list[Item] = []
    sources: list[tuple[str, str, Callable[[], LoadedInput], dict[str, Value]]] = []
    if "eval reports" in groups:
        for path in sorted(REPORTS.iterdir()):
            gold = GOLD / f"{path.name.split('.', 1)[0]}.json"
            if gold.exists():
                truth = dict(flatten(load_gold(gold).report))
                sources.append(("eval reports", path.name, lambda p=path: load_input(p), truth))
    if "rendered layouts" in groups:
        for gold in sorted(GOLD.glob("*.json")):
            report = load_gold(gold).report
            truth = dict(flatten(report))
            for layout in LAYOUTS:
                data = render(report, layout).encode()
                sources.append(
                    ("rendered layouts", f"{gold.stem}/{layout}", lambda d=data: load_bytes(d, "r.txt"), truth)
                )
    if "fuzzed layouts" in groups:
        for seed in seeds:
            case = draw_case(RandomChooser(Random(seed)))
            sources.append(
                (
                    "fuzzed layouts",
                    f"{seed}-{case.name}-{case.layout}",
                    lambda c=case: load_bytes(c.data, c.name),
                    dict(case.truth),
                )
            )
    seen: set[tuple[str, str, tuple[tuple[Number, ...], ...]]] = set()
    for group, name, load, truth in sources:
        for item in _items(group, name, load(), truth):
            key = (item.question.row, item.question.source, item.shown)
            if key not in seen:  # the same question from another input: asked once
                seen.add(key)
                out.append(item)
    return out
