"""Readings before and after a reader change, compared byte for byte over thousands of documents.

    python benchmarks/compare_readings.py build CORPUS.pickle [-n 4000] [--seed 0] [FILES…]
    python benchmarks/compare_readings.py digest CORPUS.pickle -o READINGS.jsonl
    python benchmarks/compare_readings.py diff BEFORE.jsonl AFTER.jsonl
    python benchmarks/compare_readings.py show CORPUS.pickle NAME     # one document's reading as JSON

``build`` loads the inputs once (the eval inputs, the given files or folders, and ``-n`` fuzzed documents of
every kind, example ``i`` drawn from ``random.Random(seed + i)`` as ``fuzz_layouts.py`` draws them) and pickles
their documents, so that decoding (HTML, PDF, DOCX) is not part of the comparison. ``digest`` reads and checks
every document with the ``giar_llm`` on the import path and writes one line per document: its name and the
sha256 of everything the reading and the check hold (report, evidence, unsure reasons, warnings, sections,
derived cells, fused rows, splits, prose, locations, violations), serialised in their own order. Run it once
on the code before a change (``PYTHONPATH=/path/to/a/checkout/of/it``) and once after, then ``diff``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import time
from pathlib import Path
from random import Random
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = {".txt", ".md", ".html", ".htm", ".pdf", ".docx"}


def _files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith("."))
        else:
            found.append(path)
    return found


def build(out: Path, files: list[Path], n: int, seed: int) -> None:
    from giar_llm.inputs import load_bytes

    sys.path.insert(0, str(ROOT))
    from tests.fuzz.generate import RandomChooser, draw_case

    documents: list[tuple[str, Any]] = []
    for path in _files([ROOT / "evals" / "reports", *files]):
        documents.append((f"{path.parent.name}/{path.name}", load_bytes(path.read_bytes(), path.name).document))
    for i in range(seed, seed + n):
        case = draw_case(RandomChooser(Random(i)))
        documents.append((f"{i}-{case.name}", load_bytes(case.data, case.name).document))
    out.write_bytes(pickle.dumps(documents, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.write(f"{len(documents)} documents -> {out}\n")


def reading_json(document: Any) -> str:
    """Everything the reader and the checker say about ``document``, as JSON in the order they hold it."""
    from giar_llm.core.checker import check
    from giar_llm.core.schema import report_to_json
    from giar_llm.reader import read

    reading = read(document)
    report = reading.report
    data = {
        "error": reading.error,
        "report": report_to_json(report) if report is not None else None,
        "evidence": reading.evidence,
        "unsure": reading.unsure,
        "warnings": [w.model_dump() for w in reading.warnings],
        "sections": reading.sections,
        "derived": reading.derived,
        "fused": reading.fused,
        "prose": reading.prose,
        "splits": reading.splits,
        "locations": reading.locations,
        "check": check(report).model_dump() if report is not None else None,
    }
    return json.dumps(data, ensure_ascii=False)


def digest(corpus: Path, out: Path) -> None:
    documents = pickle.loads(corpus.read_bytes())
    started = time.perf_counter()
    with out.open("w", encoding="utf-8") as f:
        for name, document in documents:
            try:
                text = reading_json(document)
            except Exception as error:  # a crash is a reading too, compared like any other
                text = f"{type(error).__name__}: {error}"
            f.write(f"{name}\t{hashlib.sha256(text.encode()).hexdigest()}\n")
    seconds = time.perf_counter() - started
    sys.stdout.write(f"{len(documents)} readings -> {out} ({seconds:.1f} s)\n")


def diff(before: Path, after: Path) -> int:
    def lines(path: Path) -> dict[str, str]:
        return dict(line.rstrip("\n").split("\t") for line in path.open(encoding="utf-8"))

    a, b = lines(before), lines(after)
    changed = sorted(name for name in a.keys() & b.keys() if a[name] != b[name])
    missing = sorted(a.keys() ^ b.keys())
    for name in changed:
        sys.stdout.write(f"changed: {name}\n")
    for name in missing:
        sys.stdout.write(f"in one only: {name}\n")
    sys.stdout.write(f"{len(a.keys() & b.keys())} documents compared, {len(changed)} readings differ\n")
    return 1 if changed or missing else 0


def show(corpus: Path, name: str) -> None:
    for document_name, document in pickle.loads(corpus.read_bytes()):
        if document_name == name:
            sys.stdout.write(reading_json(document) + "\n")
            return
    raise SystemExit(f"no document {name!r} in {corpus}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build")
    b.add_argument("corpus", type=Path)
    b.add_argument("files", nargs="*", type=Path)
    b.add_argument("-n", type=int, default=4000, help="fuzzed documents")
    b.add_argument("--seed", type=int, default=0)
    d = commands.add_parser("digest")
    d.add_argument("corpus", type=Path)
    d.add_argument("-o", "--out", type=Path, required=True)
    c = commands.add_parser("diff")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    s = commands.add_parser("show")
    s.add_argument("corpus", type=Path)
    s.add_argument("name")
    args = parser.parse_args()
    if args.command == "build":
        build(args.corpus, args.files, args.n, args.seed)
    elif args.command == "digest":
        digest(args.corpus, args.out)
    elif args.command == "diff":
        return diff(args.before, args.after)
    else:
        show(args.corpus, args.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
