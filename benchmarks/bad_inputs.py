"""Run every hostile input through ``giar-llm extract`` and once through ``giar-llm batch``; print the table.

    python benchmarks/bad_inputs.py [--scale 1.0] [--timeout 60] [--keep DIR]

The corpus is built by ``tests/hostile/corpus.py`` (at scale 1: a 903 KB DOCX whose XML inflates to
~250 MB, a PDF stream inflating to ~200 MB, a 48 MB text; deleted afterwards unless ``--keep``). Each case
runs as ``/usr/bin/time -v timeout T giar-llm extract FILE -o OUT``; the table counts clear errors (exit 2,
one ``giar-llm:`` line), reports, tracebacks, hangs (killed at the timeout) and the peak RSS. The batch
run then checks that every input of the corpus folder is accounted for in ``results.jsonl``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.hostile.corpus import build, limits_env

GIAR = [sys.executable, "-c", "from giar_llm.cli import main; main()"]  # the giar-llm of this interpreter


def run(command: list[str], work: Path, timeout: float, env: dict[str, str]) -> dict[str, object]:
    time_file = work / "time.txt"
    full = ["/usr/bin/time", "-v", "-o", str(time_file), "timeout", "-k", "5", str(timeout), *command]
    proc = subprocess.run(full, stdin=subprocess.DEVNULL, capture_output=True, env=env)
    stderr = proc.stderr.decode("utf-8", "replace")
    lines = [line for line in stderr.splitlines() if line.strip()]
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_file.read_text(errors="replace"))
    return {
        "rc": proc.returncode,
        "hang": proc.returncode in (124, 137),
        "traceback": "Traceback (most recent call last)" in stderr,
        "clear": proc.returncode == 2 and len(lines) == 1 and lines[0].startswith("giar-llm:"),
        "line": lines[0][:140] if lines else "",
        "rss_mb": int(rss.group(1)) / 1024 if rss else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="giar_bad_inputs_"))
    env = {**os.environ, **limits_env(args.scale)}
    env.setdefault("GIAR_CACHE_DIR", str(root / "cache"))
    try:
        cases = build(root / "corpus", args.scale)
        rows = []
        for number, case in enumerate(cases):
            work = root / "runs" / str(number)
            work.mkdir(parents=True, exist_ok=True)
            out = work / "out.json"
            result = run([*GIAR, "extract", os.fsdecode(case.path), "-o", str(out)], work, args.timeout, env)
            result["name"] = case.name.encode("utf-8", "backslashreplace").decode()
            result["envelope"] = out.exists()
            rows.append(result)
            mark = "HANG" if result["hang"] else "TRACE" if result["traceback"] else f"rc={result['rc']}"
            print(f"{mark:6} {result['rss_mb']:7.0f} MB  {result['name'][:40]:40}  {result['line']}", flush=True)
        batch_work = root / "batch"
        batch_work.mkdir(exist_ok=True)
        out = batch_work / "out"
        batch = run(
            [*GIAR, "batch", str(root / "corpus"), "-o", str(out), "--quiet"], batch_work, args.timeout * 10, env
        )
        listed = out / "results.jsonl"
        results = (
            [json.loads(line) for line in listed.read_text(encoding="utf-8").splitlines()] if listed.exists() else []
        )
        entries = [p for p in (root / "corpus").iterdir() if p.is_symlink() or not p.is_dir()]
        summary_file = out / "summary.json"
        summary = json.loads(summary_file.read_text(encoding="utf-8")) if summary_file.exists() else {}
        set_aside = len(summary.get("not_reports", []))
        print()
        print("| cases | reports | clear errors | tracebacks | hangs | peak RSS | -o envelope written |")
        print("|---|---|---|---|---|---|---|")
        print(
            f"| {len(rows)} | {sum(1 for r in rows if r['rc'] == 0)} | {sum(1 for r in rows if r['clear'])} "
            f"| {sum(1 for r in rows if r['traceback'])} | {sum(1 for r in rows if r['hang'])} "
            f"| {max(float(str(r['rss_mb'])) for r in rows):.0f} MB "
            f"| {sum(1 for r in rows if r['envelope'])} |"
        )
        print(
            f"\nbatch over the corpus folder: exit {batch['rc']}, {'TRACEBACK' if batch['traceback'] else 'no traceback'}, "
            f"{'HANG' if batch['hang'] else 'no hang'}, peak RSS {batch['rss_mb']:.0f} MB, "
            f"{len(results)} rows + {set_aside} set aside (not a report's extension) for {len(entries)} entries"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
