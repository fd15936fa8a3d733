"""Evidence levels measured: per level, how many cells and how many are right, on the eval reports and
on every gold report rendered in each text layout (rules backend). A ``read`` or ``derived`` cell that is
wrong is listed: there must be none.

    python benchmarks/bench_levels.py            # the table
    python benchmarks/bench_levels.py --json     # the numbers as JSON
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from giar_llm.core.paths import flatten
from giar_llm.files import load_gold
from giar_llm.inputs import load_bytes, load_input
from giar_llm.pipeline import extract_loaded
from giar_llm.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reader.render import LAYOUTS, render  # noqa: E402

RULES = Settings.from_env(backend="rules")


def measure() -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    gold_dir = ROOT / "evals" / "gold"
    cases = []
    for path in sorted((ROOT / "evals" / "reports").iterdir()):
        gold = gold_dir / f"{path.name.split('.', 1)[0]}.json"
        if gold.exists():
            cases.append(("eval reports", path.name, lambda p=path: load_input(p), gold))
    for gold in sorted(gold_dir.glob("*.json")):
        report = load_gold(gold).report
        for layout in LAYOUTS:
            text = render(report, layout)
            cases.append(
                ("rendered layouts", f"{gold.stem}/{layout}", lambda t=text: load_bytes(t.encode(), "r.txt"), gold)
            )
    for group, name, load, gold in cases:
        expected = flatten(load_gold(gold).report)
        envelope = extract_loaded(load(), RULES)
        got = flatten(envelope.report) if envelope.report is not None else {}
        stats = out.setdefault(
            group, {"cells": Counter(), "right": Counter(), "trusted_wrong": [], "candidates": Counter()}
        )
        for path, want in expected.items():
            if path.startswith("meta."):
                continue
            level = envelope.levels.get(path, "unknown")
            stats["cells"][level] += 1  # type: ignore[index]
            right = path in got and got[path] == want and (got[path] is None) == (want is None)
            stats["right"][level] += int(right)  # type: ignore[index]
            listed = envelope.candidates.get(path)
            if listed:
                where = "first" if listed[0] == want else "listed" if want in listed else "absent"
                stats["candidates"][where] += 1  # type: ignore[index]
            if level in ("read", "derived") and not right:
                stats["trusted_wrong"].append(f"{name}: {path} {want} → {got.get(path)}")  # type: ignore[union-attr]
    return out


def main() -> None:
    results = measure()
    if "--json" in sys.argv:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    for group, stats in results.items():
        cells, right = stats["cells"], stats["right"]
        assert isinstance(cells, Counter) and isinstance(right, Counter)
        line = "  ".join(
            f"{level} {cells[level]} ({right[level] / cells[level]:.1%} right)" for level in sorted(cells, key=str)
        )
        print(f"{group}: {line}")
        listed = stats["candidates"]
        assert isinstance(listed, Counter)
        print(
            f"  cells with candidates: {sum(listed.values())}, the right value first {listed['first']},"
            f" listed lower {listed['listed']}, not listed {listed['absent']}"
        )
        wrong = stats["trusted_wrong"]
        assert isinstance(wrong, list)
        print(f"  read/derived wrong: {len(wrong)}" + "".join(f"\n    {w}" for w in wrong[:10]))


if __name__ == "__main__":
    main()
