"""The layout fuzzer at scale: random layouts of the gold reports through the real pipeline (rules backend).

    python benchmarks/fuzz_layouts.py [-n 5000] [--seed 0] [--kinds text,markdown,html,docx,pdf] [--out DIR]
        [--layouts tabs,columns,…] [--pdf-layouts ruled,unruled,columns] [--require drop_column,…]
    python benchmarks/fuzz_layouts.py --replay SEED     # one example again, with its file and the cells
    python benchmarks/fuzz_layouts.py --reasons 10 …   # also the commonest reasons cells were named doubtful

Example ``i`` is drawn from ``random.Random(seed + i)``, so a seed names an example for good. Prints the
number of examples, silent cells (wrong and not named unsure), wrong statuses (a wrong ``verified`` or
``source_inconsistent``) and failed reports, by mutation class; writes each failing example's input file and
a line about it under ``--out`` (default ``evals/runs/fuzz``). The doubtful cells are the reader's honest
misses: ``--reasons K`` counts them by reason (numbers masked) with the first seed of each, to find the layouts
the reader could read but does not.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fuzz.generate import KINDS, MUTATIONS, PDF_LAYOUTS, TEXT_LAYOUTS, RandomChooser, draw_case  # noqa: E402
from tests.fuzz.invariant import judge, run  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="examples")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first example")
    parser.add_argument("--kinds", default=",".join(KINDS), help="input kinds, comma-separated")
    parser.add_argument("--mutations", default=",".join(MUTATIONS), help="mutations drawn from, comma-separated")
    parser.add_argument("--require", default="", help="mutations every example has, comma-separated")
    parser.add_argument("--layouts", default=",".join(TEXT_LAYOUTS), help="text layouts, comma-separated")
    parser.add_argument("--pdf-layouts", default=",".join(PDF_LAYOUTS), help="PDF layouts, comma-separated")
    parser.add_argument("--out", type=Path, default=ROOT / "evals" / "runs" / "fuzz")
    parser.add_argument("--replay", type=int, help="run one example (by its seed) and print its cells")
    parser.add_argument("--reasons", type=int, default=0, metavar="K", help="print the K commonest doubt reasons")
    args = parser.parse_args()
    kinds = tuple(args.kinds.split(","))
    allowed = tuple(args.mutations.split(",")) if args.mutations else ()
    layouts = {"layouts": tuple(args.layouts.split(",")), "pdf_layouts": tuple(args.pdf_layouts.split(","))}
    required = tuple(args.require.split(",")) if args.require else ()
    unknown = [m for m in (*allowed, *required) if m not in MUTATIONS]
    if unknown:
        parser.error(f"unknown mutation: {', '.join(unknown)} (known: {', '.join(MUTATIONS)})")
    if args.replay is not None:
        return replay(args.replay, kinds, allowed, required, args.out, layouts)

    examples: Counter[str] = Counter()
    silent: Counter[str] = Counter()
    silent_examples: Counter[str] = Counter()
    wrong_status: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    doubtful: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    failures: list[dict[str, object]] = []
    reasons: Counter[str] = Counter()  # doubtful cells by the reader's reason (numbers and names masked)
    reason_seed: dict[str, int] = {}
    doubtful_cells = 0
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for seed in range(args.seed, args.seed + args.n):
        case = draw_case(RandomChooser(Random(seed)), kinds, allowed, required, **layouts)
        envelope = run(case)
        outcome = judge(case, envelope)
        statuses[envelope.status] += 1
        doubtful_cells += outcome.doubtful
        for reason in envelope.unsure.values():
            key = _masked(reason)
            reasons[key] += 1
            reason_seed.setdefault(key, seed)
        for cls in ("all", *case.classes):
            examples[cls] += 1
            silent[cls] += len(outcome.silent)
            silent_examples[cls] += bool(outcome.silent)
            wrong_status[cls] += outcome.wrong_status is not None
            failed[cls] += envelope.status == "failed"
            doubtful[cls] += outcome.doubtful > 0
        if not outcome.ok:
            name = f"{seed}-{case.name}"
            (args.out / name).write_bytes(case.data)
            failures.append({"seed": seed, "file": name, "problem": outcome.describe(case, envelope)})
    seconds = time.perf_counter() - started
    (args.out / "failures.jsonl").write_text(
        "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in failures), encoding="utf-8"
    )
    print(f"{args.n} examples in {seconds:.0f} s; statuses: {dict(statuses)}; doubtful cells: {doubtful_cells}")
    print(
        f"{'class':<22}{'examples':>9}{'silent cells':>14}{'(examples)':>12}{'wrong status':>14}{'failed':>8}{'unsure':>8}"
    )
    for cls in sorted(examples, key=lambda c: (c != "all", c)):
        print(
            f"{cls:<22}{examples[cls]:>9}{silent[cls]:>14}{silent_examples[cls]:>12}"
            f"{wrong_status[cls]:>14}{failed[cls]:>8}{doubtful[cls]:>8}"
        )
    for reason, count in reasons.most_common(args.reasons):
        print(f"{count:>7} cells (first seed {reason_seed[reason]}): {reason}")
    if failures:
        print(f"{len(failures)} failing examples written to {args.out} (failures.jsonl); replay one with --replay SEED")
    return 1 if failures else 0


def _masked(reason: str) -> str:
    """A doubt reason with its numbers masked, so that one rule's reasons count together."""
    return re.sub(r"\d+", "N", reason)[:160]


def replay(
    seed: int,
    kinds: tuple[str, ...],
    allowed: tuple[str, ...],
    required: tuple[str, ...],
    out: Path,
    layouts: dict[str, tuple[str, ...]],
) -> int:
    case = draw_case(RandomChooser(Random(seed)), kinds, allowed, required, **layouts)
    envelope = run(case)
    outcome = judge(case, envelope)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{seed}-{case.name}"
    path.write_bytes(case.data)
    print(outcome.describe(case, envelope))
    print(f"input written to {path}")
    for cell in outcome.wrong:
        print(f"  {cell}: got {envelope.report and envelope.unsure.get(cell)!r} level {envelope.levels.get(cell)}")
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
