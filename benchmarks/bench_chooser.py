"""The model as a chooser, measured: every multiple-choice question ``auto`` would ask on the eval inputs, the
gold reports in the rendered text layouts and the layout fuzzer's examples, asked of the configured model
through the project's own client; pick accuracy against the gold, beside the rules' plausibility pick.

    GIAR_MODEL=local/local GIAR_BASE_URL=http://127.0.0.1:8766/v1 python benchmarks/bench_chooser.py
    python benchmarks/bench_chooser.py --seeds 3000 --json evals/runs/chooser.json
    python benchmarks/bench_chooser.py --seed-list 68,141     # only these fuzzer examples
    python benchmarks/bench_chooser.py --record      # also writes cassettes/chooser_picks.yaml and
                                                     # tests/llm/chooser_picks.json (replayed by the tests)

The model settings come from the environment (``GIAR_*``, as for ``giar-llm``); the response cache is off,
so every question is a real request and its time is the model's. A question whose gold row is not among the
options shown (the reader's runs were wrong to begin with) can't be answered right; it is counted in both
accuracies and reported as ``not answerable``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from contextlib import nullcontext
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from giar_llm.llm.chooser import ask  # noqa: E402
from giar_llm.llm.client import Accounting, ModelClient  # noqa: E402
from giar_llm.pipeline import build_client  # noqa: E402
from giar_llm.settings import Settings  # noqa: E402
from tests.llm.cassettes import cassette_path, recorder  # noqa: E402
from tests.llm.questions import GROUPS, Item, gather  # noqa: E402

CASSETTE = "chooser_picks"
PICKS = ROOT / "tests" / "llm" / "chooser_picks.json"


def summary(items: list[Item], picks: list[int | None]) -> dict[str, dict[str, int]]:
    """Per group (and ``all``): questions, answerable, rules right, model right, model = rules, no answer."""
    out: dict[str, Counter[str]] = {}
    for item, index in zip(items, picks, strict=True):
        pick = item.shown[index] if index is not None else None
        for group in (item.group, "all"):
            counts = out.setdefault(group, Counter())
            counts["questions"] += 1
            counts["answerable"] += item.answerable
            counts["rules_right"] += item.right(item.rules)
            counts["model_right"] += item.right(pick)
            counts["model_is_rules"] += pick == item.rules
            counts["first_option"] += index == 0
            counts["no_answer"] += index is None
    return {group: dict(counts) for group, counts in out.items()}


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "0/0"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3000, help="layout fuzzer examples (seeds 0..N-1)")
    parser.add_argument("--seed-list", help="only these fuzzer seeds, comma-separated (e.g. those that ask)")
    parser.add_argument("--groups", default=",".join(GROUPS), help="comma-separated: " + ", ".join(GROUPS))
    parser.add_argument("--json", type=Path, help="write every question and pick here")
    parser.add_argument("--record", action="store_true", help=f"record cassettes/{CASSETTE}.yaml and {PICKS.name}")
    parser.add_argument(
        "--keep", action="store_true", help="with --record: replay what the cassette holds, add the rest"
    )
    args = parser.parse_args()
    settings = Settings.from_env(backend="auto", use_cache=False)
    started = time.perf_counter()
    seeds = [int(s) for s in args.seed_list.split(",")] if args.seed_list else range(args.seeds)
    items = gather(tuple(args.groups.split(",")), seeds)
    print(f"{len(items)} questions gathered in {time.perf_counter() - started:.0f} s")
    clients: dict[str, ModelClient] = {}  # one per input, as the pipeline has one per report (its deadline)
    picks: list[int | None] = []
    seconds: list[float] = []
    if args.record:
        if not args.keep:
            cassette_path(CASSETTE).unlink(missing_ok=True)
        os.environ["GIAR_RECORD"] = "new" if args.keep else "1"
    with recorder().use_cassette(CASSETTE) if args.record else nullcontext():
        for n, item in enumerate(items, 1):
            asked = time.perf_counter()
            if item.name not in clients:
                clients[item.name] = build_client(settings)
            client = clients[item.name]
            picks.append(ask(client, item.question))
            seconds.append(time.perf_counter() - asked)
            index = picks[-1]
            mark = "?" if index is None else "✓" if item.right(item.shown[index]) else "✗"
            print(f"  {n:>3} {mark} {item.name} {item.question.row}: pick {index}, {seconds[-1]:.1f} s", flush=True)
    counts = summary(items, picks)
    cost = Accounting()
    for client in clients.values():
        cost.add(client.accounting.cost())
        cost.failures += client.accounting.failures
    print(f"\nmodel {settings.model} @ {settings.base_url}; {cost.calls} calls, failures {Counter(cost.failures)}")
    print(f"{'':<18}{'questions':>10}{'answerable':>12}{'rules right':>16}{'model right':>16}{'model = rules':>16}")
    for group, c in counts.items():
        q = c["questions"]
        print(
            f"{group:<18}{q:>10}{c['answerable']:>12}{_pct(c['rules_right'], q):>16}"
            f"{_pct(c['model_right'], q):>16}{_pct(c['model_is_rules'], q):>16}"
        )
    total = sum(seconds)
    per = total / max(len(seconds), 1)
    print(
        f"{per:.1f} s per question (median {sorted(seconds)[len(seconds) // 2] if seconds else 0:.1f} s);"
        f" {cost.tokens.prompt / max(cost.calls, 1):.0f} prompt + {cost.tokens.completion / max(cost.calls, 1):.1f}"
        f" completion tokens per call; the model picked option 0 in {counts.get('all', {}).get('first_option', 0)}"
    )
    rows = [
        {
            "group": item.group,
            "name": item.name,
            "row": item.question.row,
            "options": len(item.shown),
            "gold": list(item.gold),
            "rules": list(item.rules),
            "pick": index,
            "right": item.right(item.shown[index] if index is not None else None),
            "seconds": round(s, 2),
        }
        for item, index, s in zip(items, picks, seconds, strict=True)
    ]
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"summary": counts, "questions": rows}, ensure_ascii=False, indent=1))
    if args.record:
        asked = sorted({int(item.name.split("-", 1)[0]) for item in items if item.group == "fuzzed layouts"})
        record: dict[str, Any] = {
            "model": settings.model,
            "groups": args.groups.split(","),
            "seeds": asked,
            "summary": counts,
            "picks": [{"name": r["name"], "row": r["row"], "pick": r["pick"]} for r in rows],
        }
        PICKS.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"recorded cassettes/{CASSETTE}.yaml ({cassette_path(CASSETTE).stat().st_size // 1024} KB), {PICKS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
